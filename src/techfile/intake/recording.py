"""The read recorder: which files the rules of a run opened, by content, so that a stored result
is reused only while every one of them is unchanged."""

from __future__ import annotations

from collections.abc import Callable

from techfile.intake.cache import content_key
from techfile.model.diagnostics import Diagnostic


class RecordingReads:
    """Wraps a source's `read_path`, noting the content key of every file a rule opens."""

    def __init__(self, read_path: Callable[[str], bytes | Diagnostic]) -> None:
        self.inner = read_path
        self.seen: dict[str, str] = {}

    def __call__(self, path: str) -> bytes | Diagnostic:
        data = self.inner(path)
        self.record(path, data)
        return data

    def record(self, path: str, data: bytes | Diagnostic) -> None:
        self.seen[path] = key_of(data)


def key_of(data: bytes | Diagnostic) -> str:
    return f"{data.code}:{data.message}" if isinstance(data, Diagnostic) else content_key(data)
