"""git history of the technical file, read in one batched pass and cached by HEAD.

For each file as it is named now, the commits that changed it (renames followed), newest
first. One `git log` for the whole repository, never one per file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from techfile.intake.cache_trust import CacheDirectory
from techfile.intake.shapes import array, mapping, number, text
from techfile.intake.sources import GitError, git

CACHE_NAME = "history-{head}.json"
CACHE_LIMIT = 256 * 1024 * 1024  # bytes; a larger history cache is not read (a miss)


@dataclass(frozen=True, slots=True)
class Change:
    commit: str
    timestamp: int  # committer date, seconds since the epoch (UTC)
    path: str  # the file's name in that commit


class History:
    def __init__(self, changes: dict[str, list[Change]], head: str | None) -> None:
        self.changes = changes
        self.head = head

    def of(self, path: str) -> list[Change]:
        return self.changes.get(path, [])


class HistoryUnavailable(Exception):
    """Not a git repository, or no commit yet."""


def git_head(root: Path) -> str | None:
    try:
        return git(root, "rev-parse", "--verify", "--quiet", "HEAD").decode().strip() or None
    except GitError:
        return None


def is_shallow(root: Path) -> bool:
    try:
        return git(root, "rev-parse", "--is-shallow-repository").strip() == b"true"
    except GitError:
        return False


def read_history(root: Path, cache_dir: Path | None = None) -> History:
    try:
        head = git(root, "rev-parse", "--verify", "--quiet", "HEAD").decode().strip()
    except GitError:
        raise HistoryUnavailable(f"{root} is not a git repository with commits") from None
    cached = _read_cache(cache_dir, head)
    if cached is not None:
        return History(cached, head)
    top = Path(git(root, "rev-parse", "--show-toplevel").decode().strip())
    changes = _under(parse_log(_log(top)), root.resolve().relative_to(top.resolve()).as_posix())
    _write_cache(cache_dir, head, changes)
    return History(changes, head)


def _under(changes: dict[str, list[Change]], prefix: str) -> dict[str, list[Change]]:
    """Repository paths -> paths relative to the technical file's root (its subdirectory)."""
    if prefix in ("", "."):
        return changes
    start = prefix.rstrip("/") + "/"
    return {
        path[len(start) :]: [Change(c.commit, c.timestamp, c.path) for c in entries]
        for path, entries in changes.items()
        if path.startswith(start)
    }


def _log(root: Path) -> bytes:
    """One `git log` over the whole history, through the one git runner: the repository's
    configuration cannot make it run a program (a signature check's gpg.program, say)."""
    try:
        return git(
            root,
            "log",
            "--no-merges",
            "--no-show-signature",
            "-M",
            "--name-status",
            "-z",
            "--format=%x01%H %ct",
            "HEAD",
        )
    except GitError as problem:
        raise HistoryUnavailable(f"git history could not be read: {problem}") from None


def parse_log(log: bytes) -> dict[str, list[Change]]:
    """Parse `git log --name-status -z --format=%x01%H %ct`, newest commit first."""
    changes: dict[str, list[Change]] = {}
    renamed_to: dict[str, str] = {}  # an older name -> the file's current name
    for record in log.split(b"\x01")[1:]:
        header, _, body = record.partition(b"\0")
        commit, _, stamp = header.decode().partition(" ")
        fields = [f.decode("utf-8", "surrogateescape") for f in body.strip(b"\n\0").split(b"\0")]
        index = 0
        while index < len(fields):
            status = fields[index].strip()
            if not status:
                index += 1
                continue
            if status[0] in "RC":
                old, new = fields[index + 1], fields[index + 2]
                index += 3
                current = renamed_to.get(new, new)
                changes.setdefault(current, []).append(Change(commit, int(stamp), new))
                if status[0] == "R":
                    renamed_to[old] = current
                continue
            name = fields[index + 1]
            index += 2
            current = renamed_to.get(name, name)
            if status[0] == "D" and current == name and name not in changes:
                continue  # a file deleted later and not present now
            changes.setdefault(current, []).append(Change(commit, int(stamp), name))
    return changes


def _read_cache(cache_dir: Path | None, head: str) -> dict[str, list[Change]] | None:
    """The cached history at `head`, when a sealed cache file of ours holds exactly that."""
    if cache_dir is None:
        return None
    files = CacheDirectory(cache_dir.parent, cache_dir.name)
    payload = files.read(CACHE_NAME.format(head=head), CACHE_LIMIT)
    if payload is None:
        return None
    try:
        return _decoded(json.loads(payload))
    except Exception:  # malformed data may fail in any way: all of them are a miss
        return None


def _decoded(data: object) -> dict[str, list[Change]]:
    return {
        path: [_change(array(entry, 3)) for entry in array(entries)]
        for path, entries in mapping(data).items()
    }


def _change(entry: list[object]) -> Change:
    commit, timestamp, path = entry
    return Change(text(commit), number(timestamp), text(path))


def _write_cache(cache_dir: Path | None, head: str, changes: dict[str, list[Change]]) -> None:
    if cache_dir is None:
        return
    files = CacheDirectory(cache_dir.parent, cache_dir.name)
    name = CACHE_NAME.format(head=head)
    payload = {p: [[c.commit, c.timestamp, c.path] for c in cs] for p, cs in changes.items()}
    try:
        files.write(name, json.dumps(payload, separators=(",", ":")).encode("ascii"))
    except OSError:
        return
    files.remove_others("history-", keep=name, suffix=".json")
