"""Make one file byte-identical to another by rewriting only the chunks that differ.

A publish brings the retired snapshot up to date with the working file this way instead of
copying the whole file (warehouse/publish.py). Both files are read in chunks into two reusable
buffers and compared (bytearray equality is a memcmp); a chunk that differs, or that the target
lacks, is written at its offset, and the target is cut to the source's length. Nothing is assumed
about what the target held: a half-written target from a killed publish, a file of another size
or garbage all end up equal to the source, because every chunk is compared.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

# 1 MiB: four of DuckDB's 256 KiB blocks. On the 10x file (3.2 GB) one daily run apart, 256 KiB
# chunks would write 53-68 MB, 1 MiB 60-77 MB, 4 MiB 84-109 MB; comparing took 0.8-1.5 s at each
# size, 256 KiB the slowest (bench/measure_publish.py, docs/benchmark.md).
CHUNK_BYTES = 1 << 20


@dataclass(frozen=True)
class ChunkSync:
    """What bringing the target up to date took."""

    chunks: int  # chunks of the source compared
    chunks_rewritten: int  # of those, written into the target
    bytes_written: int
    size_bytes: int  # the source's (and now the target's) length

    def describe(self) -> str:
        """One line for the publish's metadata."""
        return (
            f"{self.chunks_rewritten:,} of {self.chunks:,} chunks rewritten "
            f"({self.bytes_written / 1e6:,.1f} of {self.size_bytes / 1e6:,.1f} MB)"
        )


def sync_chunks(source_fd: int, target_fd: int, chunk_bytes: int = CHUNK_BYTES) -> ChunkSync:
    """Rewrite the chunks of `target_fd` that differ from `source_fd` and truncate it to the
    source's length. Both are open file descriptors (the target for reading and writing); the
    caller fsyncs the target."""
    if chunk_bytes <= 0:
        raise ValueError(f"chunk_bytes must be positive, got {chunk_bytes}")
    size = os.fstat(source_fd).st_size
    source_buffer, target_buffer = bytearray(chunk_bytes), bytearray(chunk_bytes)
    source_view, target_view = memoryview(source_buffer), memoryview(target_buffer)
    chunks = rewritten = written = 0
    for offset in range(0, size, chunk_bytes):
        wanted = min(chunk_bytes, size - offset)
        got = _read_into(source_fd, source_view[:wanted], offset)
        if got != wanted:
            raise RuntimeError(f"the source file shrank while it was being read (at byte {offset + got:,} of {size:,})")
        chunks += 1
        if not _same(source_buffer, target_buffer, _read_into(target_fd, target_view[:wanted], offset), wanted):
            _write_all(target_fd, source_view[:wanted], offset)
            rewritten += 1
            written += wanted
    os.ftruncate(target_fd, size)
    return ChunkSync(chunks=chunks, chunks_rewritten=rewritten, bytes_written=written, size_bytes=size)


def _same(source: bytearray, target: bytearray, target_got: int, wanted: int) -> bool:
    if target_got != wanted:
        return False  # the target ends inside this chunk
    if wanted == len(source):
        return source == target  # memcmp; a memoryview comparison goes item by item, ten times slower
    return bytes(source[:wanted]) == bytes(target[:wanted])  # the last, shorter chunk: once per file


def _read_into(fd: int, view: memoryview, offset: int) -> int:
    """Fill `view` from `offset`; fewer bytes only at the end of the file."""
    got = 0
    while got < len(view):
        n = os.preadv(fd, [view[got:]], offset + got)
        if n == 0:
            break
        got += n
    return got


def _write_all(fd: int, view: memoryview, offset: int) -> None:
    done = 0
    while done < len(view):
        done += os.pwrite(fd, view[done:], offset + done)
