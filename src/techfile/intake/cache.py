"""A cache of parsed files under `.techfile_cache/`, keyed by content hash.

The key of each entry is the file's content hash (the git blob id in index mode); the
cache directory's name carries the tool version and a hash of the parse settings, so a new
version or a changed configuration never reads an old entry. Entries are spread over 256
shard files by the first two hex digits of their key, so a run that parsed one changed file
rewrites one small shard, not the whole cache. A corrupted or foreign shard is ignored and
rewritten, never trusted.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from techfile import __version__
from techfile.intake import codec
from techfile.intake.parse import ParsedFile
from techfile.model.config import CACHE_DIR

FORMAT = 4

Entries = dict[str, dict[str, Any]]


def content_key(data: bytes) -> str:
    """The git blob id of the content, so work-tree and index runs share entries."""
    header = f"blob {len(data)}\0".encode()
    return hashlib.sha1(header + data, usedforsecurity=False).hexdigest()


class ParseCache:
    def __init__(self, root: Path, settings_key: str, enabled: bool = True) -> None:
        self.base = root / CACHE_DIR
        self.directory = self.base / f"parsed-{__version__}-{settings_key[:16]}"
        self.enabled = enabled
        self.shards: dict[str, Entries] = {}  # shard name -> entries read from disk
        self.fresh: dict[str, Entries] = {}  # shard name -> entries this run used or made

    def get(self, path: str, key: str) -> ParsedFile | None:
        if not self.enabled:
            return None
        shard = _shard(key)
        entry = self._loaded(shard).get(f"{key}:{path}")
        if entry is None:
            return None
        try:
            parsed = codec.decode(entry)
        except (KeyError, TypeError, ValueError, IndexError):
            return None
        self.fresh.setdefault(shard, {})[f"{key}:{path}"] = entry
        return parsed

    def put(self, path: str, key: str, parsed: ParsedFile) -> None:
        if self.enabled:
            self.fresh.setdefault(_shard(key), {})[f"{key}:{path}"] = codec.encode(parsed)

    def save(self) -> None:
        """Write the shards that gained entries, atomically, keeping earlier entries up to as
        many again (a pre-commit run reads two states of the same files); a read-only root is
        no error. The cache is done with afterwards: its raw entries are let go, so they do
        not sit in memory beside the documents while the rules run."""
        try:
            if self.enabled:
                self._write()
        finally:
            self.shards, self.fresh = {}, {}

    def _write(self) -> None:
        grown = [s for s, fresh in self.fresh.items() if not fresh.keys() <= self._loaded(s).keys()]
        if not grown:
            return
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            ignore = self.base / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# created by techfile\n*\n", encoding="utf-8")
            for shard in grown:
                self._write_shard(shard, _kept(self._loaded(shard), self.fresh[shard]))
            self._remove_stale()
        except OSError:
            return

    def _write_shard(self, shard: str, entries: Entries) -> None:
        handle, temp = tempfile.mkstemp(dir=self.directory, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                document = {"format": FORMAT, "version": __version__, "entries": entries}
                json.dump(document, out, separators=(",", ":"), ensure_ascii=False)
            os.replace(temp, self.directory / f"{shard}.json")
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise

    def _remove_stale(self) -> None:
        """Caches of other versions or settings (and the single-file format before shards)."""
        for stale in self.base.glob("parsed-*"):
            if stale == self.directory:
                continue
            if stale.is_dir():
                shutil.rmtree(stale, ignore_errors=True)
            else:
                stale.unlink(missing_ok=True)

    def _loaded(self, shard: str) -> Entries:
        if shard not in self.shards:
            self.shards[shard] = self._read(self.directory / f"{shard}.json")
        return self.shards[shard]

    @staticmethod
    def _read(file: Path) -> Entries:
        try:
            with file.open(encoding="utf-8") as handle:
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
        entries: Entries = data["entries"]
        return entries


def _shard(key: str) -> str:
    prefix = key[:2].lower()
    return prefix if len(prefix) == 2 and all(c in "0123456789abcdef" for c in prefix) else "xx"


def _kept(loaded: Entries, fresh: Entries) -> Entries:
    older = [(k, v) for k, v in loaded.items() if k not in fresh]
    kept = dict(older[max(0, len(older) - len(fresh)) :])
    kept.update(fresh)
    return kept
