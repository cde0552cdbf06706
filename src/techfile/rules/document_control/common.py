"""Shared by the DC rules: how a finding lists several things."""

from __future__ import annotations


def join_words(parts: list[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} and {parts[-1]}"
