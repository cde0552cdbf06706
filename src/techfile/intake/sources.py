"""Where file contents come from: the work tree, or git (the index or a commit).

Reading through the git CLI honours GIT_INDEX_FILE, which pre-commit sets for partial
commits and which GitPython's `repo.index` ignores.
"""

from __future__ import annotations

import contextlib
import os
import stat
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from techfile.intake.discover import Candidate, discover, matches
from techfile.model.diagnostics import Diagnostic


@dataclass(frozen=True, slots=True)
class Entry:
    path: str
    key: str | None = None  # content key when the source knows it (git blob id)
    absolute: Path | None = None
    problem: Diagnostic | None = None


class WorkTree:
    """Files as they are on disk."""

    def __init__(self, root: Path, max_size: int) -> None:
        self.root = root
        self.max_size = max_size

    def entries(self, include: tuple[str, ...], exclude: tuple[str, ...]) -> list[Entry]:
        return [_entry(c) for c in discover(self.root, include, exclude)]

    def prefetch(self, entries: list[Entry]) -> None:
        """Nothing to do: files are read one by one."""

    def read(self, entry: Entry) -> bytes | Diagnostic:
        assert entry.absolute is not None
        try:
            status = entry.absolute.stat()
            if stat.S_ISDIR(status.st_mode):
                return unreadable("the path is a directory, not a file")
            if not stat.S_ISREG(status.st_mode):
                return unreadable("the path is not a regular file (a pipe, socket or device)")
            size = status.st_size
            if size > self.max_size:
                return too_large(size, self.max_size)
            with entry.absolute.open("rb") as handle:
                data = handle.read(self.max_size + 1)
        except FileNotFoundError:
            return unreadable("the file vanished while techfile ran")
        except PermissionError:
            return unreadable("permission to read the file was denied")
        except OSError as exc:
            return unreadable(f"the file could not be read ({exc.strerror or exc})")
        if len(data) > self.max_size:
            return too_large(len(data), self.max_size)
        return data

    def read_path(self, path: str) -> bytes | Diagnostic:
        """Any file under the root by relative path (data files items come from)."""
        absolute = (self.root / path).resolve()
        if not absolute.is_relative_to(self.root.resolve()):
            return unreadable(f"{path} is outside the technical file")
        if not absolute.exists():
            return unreadable("the file does not exist")
        return self.read(Entry(path, None, absolute))


def _entry(candidate: Candidate) -> Entry:
    return Entry(candidate.path, None, candidate.absolute, candidate.problem)


class GitTree:
    """Files of the git index (`treeish=None`) or of a commit, read in one batch."""

    def __init__(self, root: Path, max_size: int, treeish: str | None = None) -> None:
        self.root = root
        self.max_size = max_size
        self.treeish = treeish
        self._blobs: dict[str, bytes] = {}
        self._reader: _BatchReader | None = None

    def entries(self, include: tuple[str, ...], exclude: tuple[str, ...]) -> list[Entry]:
        listed = sorted(self._list())
        chosen = [
            (path, mode, blob)
            for path, mode, blob in listed
            if matches(path, include) and not matches(path, exclude)
        ]
        found = []
        for path, mode, blob in chosen:
            if mode == "120000":
                problem = unreadable("the file is a symbolic link, which techfile does not follow")
                found.append(Entry(path, blob, None, problem))
            else:
                found.append(Entry(path, blob))
        return found

    def prefetch(self, entries: list[Entry]) -> None:
        """Read the blobs of these entries in one batch (only those not known from a cache)."""
        wanted = [
            e.key for e in entries if e.key and e.problem is None and e.key not in self._blobs
        ]
        if wanted:
            self._blobs.update(self._cat(wanted))

    def read(self, entry: Entry) -> bytes | Diagnostic:
        if entry.key and entry.key not in self._blobs:
            self.prefetch([entry])
        data = self._blobs.get(entry.key or "")
        if data is None:
            return unreadable("git could not read the staged content")
        if len(data) > self.max_size:
            return too_large(len(data), self.max_size)
        return data

    def read_path(self, path: str) -> bytes | Diagnostic:
        """Any file of this state by root-relative path (an SBOM a document names); rules
        may ask for hundreds, so they come from one long-lived `git cat-file --batch`."""
        # `./`: relative to the root, which need not be the repository's top level
        spec = f":./{path}" if self.treeish is None else f"{self.treeish}:./{path}"
        if self._reader is None:
            self._reader = _BatchReader(self.root)
        data = self._reader.read(spec)
        if data is None:
            return unreadable(f"{path} is not in git")
        if len(data) > self.max_size:
            return too_large(len(data), self.max_size)
        return data

    def _list(self) -> Iterator[tuple[str, str, str]]:
        if self.treeish is None:
            out = git(self.root, "ls-files", "-s", "-z")
            for record in out.split(b"\0"):
                if record:
                    meta, _, path = record.partition(b"\t")
                    mode, blob, stage = meta.decode().split()
                    if stage == "0":  # skip conflicted entries (stages 1-3)
                        yield path.decode("utf-8", "surrogateescape"), mode, blob
            return
        # relative to the root, like ls-files: the technical file may be a subdirectory
        out = git(self.root, "ls-tree", "-r", "-z", self.treeish)
        for record in out.split(b"\0"):
            if record:
                meta, _, path = record.partition(b"\t")
                mode, kind, blob = meta.decode().split()
                if kind == "blob":
                    yield path.decode("utf-8", "surrogateescape"), mode, blob

    def _cat(self, blobs: list[str]) -> dict[str, bytes]:
        return cat_batch(self.root, blobs)


class _BatchReader:
    """One `git cat-file --batch` process answering blob requests one at a time."""

    def __init__(self, root: Path) -> None:
        self.process: subprocess.Popen[bytes] | None = None
        self.root = root

    def read(self, spec: str) -> bytes | None:
        if "\n" in spec or "\r" in spec:
            return None
        try:
            return self._ask(spec)
        except (OSError, ValueError):
            self.close()
            return None

    def _ask(self, spec: str) -> bytes | None:
        if self.process is None:
            self.process = subprocess.Popen(
                ["git", "-C", str(self.root), "cat-file", "--batch"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(spec.encode("utf-8", "surrogateescape") + b"\n")
        self.process.stdin.flush()
        parts = self.process.stdout.readline().split()
        if len(parts) != 3 or not parts[2].isdigit():
            return None  # `<spec> missing` (or ambiguous)
        data = self.process.stdout.read(int(parts[2]) + 1)[:-1]
        return data if parts[1] == b"blob" else None

    def close(self) -> None:
        if self.process is not None:
            with contextlib.suppress(OSError):
                self.process.kill()
            self.process.wait()
            self.process = None

    def __del__(self) -> None:
        self.close()


class GitError(Exception):
    """git failed; the message says what it printed."""


def cat_batch(root: Path, specs: list[str]) -> dict[str, bytes]:
    """The blobs named by `specs` (blob ids or `commit:path`), in one `git cat-file --batch`.
    Specs that git does not find are left out; a spec holding a line break cannot be asked."""
    wanted = sorted({s for s in specs if "\n" not in s and "\r" not in s})
    if not wanted:
        return {}
    request = b"".join(f"{spec}\n".encode("utf-8", "surrogateescape") for spec in wanted)
    out = git(root, "cat-file", "--batch", stdin=request)
    found: dict[str, bytes] = {}
    position = 0
    for spec in wanted:
        header_end = out.find(b"\n", position)
        if header_end < 0:
            break
        header = out[position:header_end]
        position = header_end + 1
        if header.endswith((b" missing", b" ambiguous")):
            continue
        parts = header.split()
        if len(parts) != 3 or not parts[2].isdigit():
            break  # not the answer we expected: stop rather than misread the rest
        size = int(parts[2])
        if parts[1] == b"blob":
            found[spec] = out[position : position + size]
        position += size + 1
    return found


def git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0"}
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=root,
            input=stdin,
            capture_output=True,
            env=env,
            check=False,
        )
    except OSError as exc:
        raise GitError(f"git could not be run: {exc}") from None
    if done.returncode != 0:
        raise GitError(f"git {' '.join(args[:2])} failed: {done.stderr.decode(errors='replace')}")
    return done.stdout


def too_large(size: int, limit: int) -> Diagnostic:
    return Diagnostic(
        "FM010",
        f"the file is {size:,} bytes, more than the {limit:,} bytes of `max-file-size`; "
        "techfile skipped it",
        key=(str(limit),),
    )


def unreadable(reason: str) -> Diagnostic:
    return Diagnostic("FM008", f"{reason}; techfile skipped it", key=(reason,))
