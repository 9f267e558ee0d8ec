"""sync_chunks makes the target equal to the source whatever it held, writing only chunks that differ."""

from __future__ import annotations

import os
import random

import pytest

from warehouse.chunk_sync import sync_chunks

CHUNK = 64


def synced(tmp_path, source: bytes, target: bytes | None, chunk: int = CHUNK):
    """Write the two files, sync, and return (the target's bytes after, the ChunkSync)."""
    source_path, target_path = tmp_path / "source", tmp_path / "target"
    source_path.write_bytes(source)
    if target is not None:
        target_path.write_bytes(target)
    else:
        target_path.touch()
    with open(source_path, "rb") as s, open(target_path, "r+b") as t:
        result = sync_chunks(s.fileno(), t.fileno(), chunk)
    return target_path.read_bytes(), result


def data(n: int, seed: int = 1) -> bytes:
    return random.Random(seed).randbytes(n)


def test_an_identical_target_gets_no_write(tmp_path):
    source = data(10 * CHUNK + 7)
    after, result = synced(tmp_path, source, source)
    assert after == source
    assert (result.chunks, result.chunks_rewritten, result.bytes_written) == (11, 0, 0)


def test_only_the_chunks_with_a_changed_byte_are_rewritten(tmp_path):
    source = data(10 * CHUNK)
    target = bytearray(source)
    target[3 * CHUNK + 5] ^= 0xFF  # one byte inside chunk 3
    target[7 * CHUNK] ^= 0x01  # the first byte of chunk 7
    after, result = synced(tmp_path, source, bytes(target))
    assert after == source
    assert (result.chunks_rewritten, result.bytes_written) == (2, 2 * CHUNK)


def test_garbage_of_the_same_size_is_rewritten_whole(tmp_path):
    source = data(5 * CHUNK + 3)
    after, result = synced(tmp_path, source, data(5 * CHUNK + 3, seed=2))
    assert after == source
    assert (result.chunks_rewritten, result.bytes_written) == (6, len(source))


def test_a_shorter_target_is_completed_from_where_it_differs(tmp_path):
    # A target cut inside chunk 4, as a publish killed while it grew the file leaves it.
    source = data(8 * CHUNK + 10)
    after, result = synced(tmp_path, source, source[: 4 * CHUNK + 20])
    assert after == source
    assert result.chunks_rewritten == 5  # chunk 4 (partly there) to chunk 8 (the short last one)


def test_a_longer_target_is_cut_to_the_source(tmp_path):
    source = data(3 * CHUNK)
    after, result = synced(tmp_path, source, source + data(5 * CHUNK, seed=3))
    assert after == source
    assert result.chunks_rewritten == 0 and result.size_bytes == len(source)


def test_a_differing_last_short_chunk_is_rewritten(tmp_path):
    source = data(2 * CHUNK + 9)
    target = source[:-1] + bytes([source[-1] ^ 0xFF])
    after, result = synced(tmp_path, source, target)
    assert after == source
    assert (result.chunks_rewritten, result.bytes_written) == (1, 9)


def test_an_empty_target_becomes_the_source_and_an_empty_source_empties_it(tmp_path):
    source = data(3 * CHUNK + 1)
    after, result = synced(tmp_path, source, None)
    assert after == source and result.chunks_rewritten == 4
    after, result = synced(tmp_path, b"", source)
    assert after == b"" and result.chunks == 0


def test_the_default_chunk_size_works_on_a_file_of_several_chunks(tmp_path):
    source = data(3 * (1 << 20) + 100)
    target = bytearray(source)
    target[(1 << 20) + 1] ^= 0xFF
    after, result = synced(tmp_path, source, bytes(target), chunk=1 << 20)
    assert after == source and (result.chunks, result.chunks_rewritten) == (4, 1)


def test_a_chunk_size_that_is_not_positive_is_refused(tmp_path):
    with pytest.raises(ValueError, match="chunk_bytes must be positive, got 0"):
        synced(tmp_path, b"x", b"y", chunk=0)


def test_describe_names_chunks_and_megabytes(tmp_path):
    source = data(4 * (1 << 20))
    target = bytearray(source)
    target[0] ^= 0xFF
    _, result = synced(tmp_path, source, bytes(target), chunk=1 << 20)
    assert result.describe() == "1 of 4 chunks rewritten (1.0 of 4.2 MB)"
    assert os.path.getsize(tmp_path / "target") == len(source)
