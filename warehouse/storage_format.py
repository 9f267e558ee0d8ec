"""Which DuckDB storage format the warehouse files are in, read from the file header.

A DuckDB database file starts with an 8-byte checksum, the magic bytes `DUCK` and the storage
version number (little-endian uint64). The pinned duckdb (1.5.5) reads versions 64 to 68;
duckdb 2.0 writes a higher number, which 1.5.x refuses ("version number 69 ..."). We write the
format of `WRITE_STORAGE_VERSION`, which DuckDB 1.4 (the long-term release many GUI clients and
drivers ship) and every 1.5 client read.
"""

from __future__ import annotations

import struct
from pathlib import Path

# The storage compatibility DuckDB writes our files with (ATTACH ... (STORAGE_VERSION ...) and the
# `storage_compatibility_version` setting take the same value). Its header number is 67.
WRITE_STORAGE_VERSION = "v1.4.0"
# Header numbers the pinned duckdb 1.5.5 can open ("can only read versions between 64 and 68").
READABLE_STORAGE_NUMBERS = range(64, 69)

_MAGIC = b"DUCK"
_MAGIC_OFFSET = 8


def storage_number(path: Path) -> int | None:
    """The storage version number in the header of the DuckDB file at `path`.

    None when the file is missing or empty; ValueError when it is not a DuckDB file.
    """
    try:
        with open(path, "rb") as handle:
            header = handle.read(_MAGIC_OFFSET + len(_MAGIC) + 8)
    except FileNotFoundError:
        return None
    if not header:
        return None
    if len(header) < 20 or header[_MAGIC_OFFSET : _MAGIC_OFFSET + 4] != _MAGIC:
        raise ValueError(f"{path} is not a DuckDB database file (no DUCK header)")
    return struct.unpack_from("<Q", header, _MAGIC_OFFSET + len(_MAGIC))[0]


def needs_migration(path: Path) -> bool:
    """Whether the file exists and is in a format the pinned duckdb cannot open."""
    number = storage_number(path)
    return number is not None and number not in READABLE_STORAGE_NUMBERS
