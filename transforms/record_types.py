"""Check one parsed JSON record against a raw Polars schema, naming the first field of the wrong type.

Polars' JSON reader quietly coerces some mismatches (a number read into a
string field, 12.5 into an integer field, a scalar into a list), so records on
the slow path are checked here, in Python, before Polars reads them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import polars as pl

if TYPE_CHECKING:
    from polars._typing import PolarsDataType

_INTEGER_BITS: dict[PolarsDataType, int] = {pl.Int8: 8, pl.Int16: 16, pl.Int32: 32, pl.Int64: 64}


def type_problem(record: Any, schema: pl.Schema) -> str | None:
    """Return 'path: expected X, got Y' for the first mismatch with `schema`, or None when the record fits."""
    if not isinstance(record, dict):
        return f"record: expected object, got {describe_json_value(record)}"
    return _struct_problem(record, dict(schema), "")


def describe_json_value(value: Any) -> str:
    """Name a parsed JSON value's type and show it briefly: "string 'abc'", "number 12.5", "object"."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"number {value!r}"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return f"string {shown!r}"
    if isinstance(value, list):
        return f"array of {len(value)}"
    return "object"


def _struct_problem(record: dict, fields: dict[str, PolarsDataType], prefix: str) -> str | None:
    for key, dtype in fields.items():
        problem = _value_problem(record.get(key), dtype, f"{prefix}{key}")
        if problem is not None:
            return problem
    return None


def _value_problem(value: Any, dtype: PolarsDataType, path: str) -> str | None:
    if value is None:
        return None
    if isinstance(dtype, pl.Struct):
        if not isinstance(value, dict):
            return _mismatch(path, "object", value)
        return _struct_problem(value, {field.name: field.dtype for field in dtype.fields}, f"{path}.")
    if isinstance(dtype, pl.List):
        if not isinstance(value, list):
            return _mismatch(path, "array", value)
        for index, element in enumerate(value):
            problem = _value_problem(element, dtype.inner, f"{path}[{index}]")
            if problem is not None:
                return problem
        return None
    return _scalar_problem(value, dtype, path)


def _scalar_problem(value: Any, dtype: PolarsDataType, path: str) -> str | None:
    if dtype == pl.Utf8:
        return None if isinstance(value, str) else _mismatch(path, "string", value)
    if dtype == pl.Boolean:
        return None if isinstance(value, bool) else _mismatch(path, "boolean", value)
    if dtype in _INTEGER_BITS:
        if isinstance(value, bool) or not isinstance(value, int):
            return _mismatch(path, "integer", value)
        bits = _INTEGER_BITS[dtype]
        if not -(2 ** (bits - 1)) <= value < 2 ** (bits - 1):
            return f"{path}: {value} is out of range for a {bits}-bit integer"
        return None
    raise TypeError(f"{path}: no JSON type check for Polars dtype {dtype}")


def _mismatch(path: str, expected: str, value: Any) -> str:
    return f"{path}: expected {expected}, got {describe_json_value(value)}"
