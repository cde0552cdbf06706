"""A cache of parsed files under `.techfile_cache/`, keyed by content hash.

The key of each entry is the file's content hash (the git blob id in index mode); the
cache directory's name carries the tool version and a hash of the parse settings, so a new
version or a changed configuration never reads an old entry. Entries are spread over 256
shard files by the first two hex digits of their key, so a run that parsed one changed file
rewrites one small shard, not the whole cache. Every shard is sealed (cache_trust.py): one
that techfile did not write for this root and this name, or that does not decode exactly,
is a miss, never trusted.
"""

from __future__ import annotations

import hashlib
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from techfile import __version__
from techfile.intake import codec
from techfile.intake.cache_trust import CacheDirectory
from techfile.intake.parse import ParsedFile
from techfile.model.config import DEFAULT_MAX_FILE_SIZE

FORMAT = 5
SHARD_LIMIT = 16 * DEFAULT_MAX_FILE_SIZE  # bytes; a larger shard is not read (a miss)
WRITERS = 8

Entries = dict[str, dict[str, Any]]


def content_key(data: bytes) -> str:
    """The git blob id of the content, so work-tree and index runs share entries."""
    header = f"blob {len(data)}\0".encode()
    return hashlib.sha1(header + data, usedforsecurity=False).hexdigest()


class ParseCache:
    def __init__(self, root: Path, settings_key: str, enabled: bool = True) -> None:
        self.files = CacheDirectory(root)
        self.name = f"parsed-{__version__}-{settings_key[:16]}"
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
        parsed = codec.decode(entry)
        if parsed is None or parsed.path != path:
            return None
        self.fresh.setdefault(shard, {})[f"{key}:{path}"] = entry
        return parsed

    def put(self, path: str, key: str, parsed: ParsedFile) -> None:
        if self.enabled:
            self.fresh.setdefault(_shard(key), {})[f"{key}:{path}"] = codec.encode(parsed)

    def save(self) -> None:
        """Write the shards that gained entries, atomically, keeping earlier entries up to as
        many again (a pre-commit run reads two states of the same files); a read-only root or
        a refused cache directory is no error. The cache is done with afterwards: its raw
        entries are let go, so they do not sit in memory beside the documents while the
        rules run."""
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
            first, *others = grown  # the first write also makes the directories
            self._write_shard(first)
            if others:  # each write waits for the disk (fsync); concurrent ones share flushes
                with ThreadPoolExecutor(max_workers=WRITERS) as pool:
                    list(pool.map(self._write_shard, others))
        except OSError:
            return
        # caches of other versions or settings (and the single-file format before shards)
        self.files.remove_others("parsed-", keep=self.name)

    def _write_shard(self, shard: str) -> None:
        """Only reads what `_write` loaded, so shards can be written concurrently."""
        entries = _kept(self.shards[shard], self.fresh[shard])
        self.files.write(f"{self.name}/{shard}.json", _dumped(entries))

    def _loaded(self, shard: str) -> Entries:
        if shard not in self.shards:
            self.shards[shard] = self._read(shard)
        return self.shards[shard]

    def _read(self, shard: str) -> Entries:
        payload = self.files.read(f"{self.name}/{shard}.json", SHARD_LIMIT)
        if payload is None:
            return {}
        try:
            data = json.loads(payload.decode("utf-8", "surrogatepass"))
        except (ValueError, RecursionError):
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


def _dumped(entries: Entries) -> bytes:
    document = {"format": FORMAT, "version": __version__, "entries": entries}
    text = json.dumps(document, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8", "surrogatepass")  # paths from git may hold lone surrogates


def _shard(key: str) -> str:
    prefix = key[:2].lower()
    return prefix if len(prefix) == 2 and all(c in "0123456789abcdef" for c in prefix) else "xx"


def _kept(loaded: Entries, fresh: Entries) -> Entries:
    older = [(k, v) for k, v in loaded.items() if k not in fresh]
    kept = dict(older[max(0, len(older) - len(fresh)) :])
    kept.update(fresh)
    return kept
