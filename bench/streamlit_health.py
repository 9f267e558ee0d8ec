"""Waiting for a Streamlit server to come up, for the benchmark and the browser tests."""

from __future__ import annotations

import subprocess
import time

import httpx


def became_healthy(server: subprocess.Popen, port: int, timeout_s: float) -> bool:
    """True once the Streamlit server on `port` answers its health check; False (and the server
    killed) if it exits or stays silent for `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and server.poll() is None:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).text == "ok":
                return True
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    server.kill()
    return False
