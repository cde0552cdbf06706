"""The read recorder: which files the rules of a run opened, by content, so that a stored result
is reused only while every one of them is unchanged.

Files are recorded two ways. Those read through the run's source are checked again through
the source, which confines them to the technical file: a document's `{csv-table} :file:`
naming `/etc/hostname` is recorded as the source's refusal, and no later run opens it.
Files outside the root that a rule read from disk itself (an artefact named with
`--artifact`) are recorded with the OUTSIDE mark, and only those are checked again on disk,
by `outside_key`, which opens nothing but a regular file of bounded size.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from techfile.intake.cache import content_key
from techfile.intake.safe_read import blob_key_of_regular
from techfile.model.diagnostics import Diagnostic

OUTSIDE = "outside:"
OUTSIDE_LIMIT = 1 << 30  # bytes; hashed in chunks, so this bounds time, not memory


class RecordingReads:
    """Wraps a source's `read_path`, noting the content key of every file a rule opens."""

    def __init__(self, read_path: Callable[[str], bytes | Diagnostic]) -> None:
        self.inner = read_path
        self.seen: dict[str, str] = {}

    def __call__(self, path: str) -> bytes | Diagnostic:
        data = self.inner(path)
        self.seen[path] = key_of(data)
        return data

    def record(self, path: str, data: bytes | Diagnostic) -> None:
        """A file outside the root, by absolute path, that the caller read from disk."""
        self.seen[path] = OUTSIDE + key_of(data)


def beyond_inputs(seen: dict[str, str], inputs: set[str]) -> dict[str, str]:
    """The reads a stored result must check again: a document the run took as input is
    covered by the run's key already (its content key is part of it), so checking it again
    would read every document twice when a rule reads document text (ST001's body text)."""
    return {path: key for path, key in seen.items() if path not in inputs}


def key_of(data: bytes | Diagnostic) -> str:
    return f"{data.code}:{data.message}" if isinstance(data, Diagnostic) else content_key(data)


def outside_key(path: str) -> str | None:
    """The key `record` gave the file at this absolute path, as the file is now; None when
    it is not a regular file of at most OUTSIDE_LIMIT bytes (a recorded refusal is never
    reproduced: such a result is simply not reused)."""
    if not os.path.isabs(path):
        return None
    try:
        return OUTSIDE + blob_key_of_regular(path, OUTSIDE_LIMIT)
    except OSError:
        return None
