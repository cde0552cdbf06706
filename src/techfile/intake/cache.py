"""A cache of parsed files under `.techfile_cache/`, keyed by content hash.

The key of each entry is the file's content hash (the git blob id in index mode); the
cache file's name carries the tool version and a hash of the parse settings, so a new
version or a changed configuration never reads an old entry. A corrupted or foreign
cache file is ignored and rewritten, never trusted.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from techfile import __version__
from techfile.intake import codec
from techfile.intake.parse import ParsedFile

CACHE_DIR = ".techfile_cache"
FORMAT = 2


def content_key(data: bytes) -> str:
    """The git blob id of the content, so work-tree and index runs share entries."""
    header = f"blob {len(data)}\0".encode()
    return hashlib.sha1(header + data, usedforsecurity=False).hexdigest()


class ParseCache:
    def __init__(self, root: Path, settings_key: str, enabled: bool = True) -> None:
        self.directory = root / CACHE_DIR
        self.file = self.directory / f"parsed-{__version__}-{settings_key[:16]}.json"
        self.enabled = enabled
        self.entries: dict[str, dict[str, Any]] = {}
        self.fresh: dict[str, dict[str, Any]] = {}
        if enabled:
            self.entries = self._read()

    def get(self, path: str, key: str) -> ParsedFile | None:
        entry = self.entries.get(f"{key}:{path}")
        if entry is None:
            return None
        try:
            parsed = codec.decode(entry)
        except (KeyError, TypeError, ValueError, IndexError):
            return None
        self.fresh[f"{key}:{path}"] = entry
        return parsed

    def put(self, path: str, key: str, parsed: ParsedFile) -> None:
        if self.enabled:
            self.fresh[f"{key}:{path}"] = codec.encode(parsed)

    def save(self) -> None:
        """Write the entries of this run, atomically, keeping earlier entries up to as many
        again (a pre-commit run reads two states of the same files); a read-only root is no
        error. The cache is done with afterwards, and its raw entries are let go so they do
        not sit in memory beside the documents while the rules run."""
        try:
            self._write()
        finally:
            self.entries, self.fresh = {}, {}

    def _write(self) -> None:
        if not self.enabled or self.fresh.keys() <= self.entries.keys():
            return
        older = [(k, v) for k, v in self.entries.items() if k not in self.fresh]
        kept = dict(older[max(0, len(older) - len(self.fresh)) :])
        kept.update(self.fresh)
        temp: str | None = None
        try:
            self.directory.mkdir(exist_ok=True)
            ignore = self.directory / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# created by techfile\n*\n", encoding="utf-8")
            handle, temp = tempfile.mkstemp(dir=self.directory, prefix=".tmp-", suffix=".json")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(
                    {"format": FORMAT, "version": __version__, "entries": kept},
                    out,
                    separators=(",", ":"),
                    ensure_ascii=False,
                )
            os.replace(temp, self.file)
            for stale in self.directory.glob("parsed-*.json"):
                if stale != self.file:
                    stale.unlink(missing_ok=True)
        except OSError:
            if temp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temp)

    def _read(self) -> dict[str, dict[str, Any]]:
        try:
            with self.file.open(encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError):
            return {}
        if (
            not isinstance(data, dict)
            or data.get("format") != FORMAT
            or data.get("version") != __version__
            or not isinstance(data.get("entries"), dict)
        ):
            return {}
        entries: dict[str, dict[str, Any]] = data["entries"]
        return entries
