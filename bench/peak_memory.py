"""The peak resident memory of the calling process itself."""

from __future__ import annotations

import resource


def own_peak_rss_mb() -> float:
    """Peak RSS of this process, in MB.

    Linux keeps getrusage's ru_maxrss across fork and exec, so a worker started by a process that
    once held 550 MB reports at least 550 MB whatever it did itself (the bench's parent loads a
    year in-process before it starts the workers). /proc's VmHWM belongs to the worker's own
    address space; ru_maxrss is the fallback where there is no /proc.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
