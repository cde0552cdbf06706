"""Strict type checks for JSON that techfile reads back from its own cache files.

The cache files are authenticated, so anything that fails these checks is a bug or a stale
format, never an attack; either way the entry is a miss, and a miss must never turn into a
crash later in the rules. Each check returns the value narrowed or raises ShapeError.
"""

from __future__ import annotations

from typing import Any


class ShapeError(ValueError):
    """Data read back from a cache file is not what techfile writes."""


def text(value: object) -> str:
    if not isinstance(value, str):
        raise ShapeError(f"expected a string, found {type(value).__name__}")
    return value


def optional_text(value: object) -> str | None:
    return None if value is None else text(value)


def number(value: object) -> int:
    if type(value) is not int:  # bool is an int subclass but never what was written
        raise ShapeError(f"expected an integer, found {type(value).__name__}")
    return value


def flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise ShapeError(f"expected true or false, found {type(value).__name__}")
    return value


def array(value: object, length: int | None = None) -> list[Any]:
    if not isinstance(value, list):
        raise ShapeError(f"expected a list, found {type(value).__name__}")
    if length is not None and len(value) != length:
        raise ShapeError(f"expected {length} elements, found {len(value)}")
    return value


def mapping(value: object) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ShapeError(f"expected a mapping, found {type(value).__name__}")
    return value


def texts(value: object) -> tuple[str, ...]:
    return tuple(text(one) for one in array(value))


def text_mapping(value: object) -> dict[str, str]:
    return {text(key): text(one) for key, one in mapping(value).items()}


def number_mapping(value: object) -> dict[str, int]:
    return {text(key): number(one) for key, one in mapping(value).items()}
