"""Where file contents come from: the work tree, or git (the index or a commit).

Reading through the git CLI honours GIT_INDEX_FILE, which pre-commit sets for partial
commits and which GitPython's `repo.index` ignores.
"""

from __future__ import annotations

import contextlib
import errno
import stat
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from techfile.intake.discover import (
    Candidate,
    discover,
    git_command,
    git_environment,
    is_utf8,
    matches,
    present,
    shown_name,
    undecodable_name,
)
from techfile.model.config import DEFAULT_MAX_FILE_SIZE, ConfigError
from techfile.model.diagnostics import Diagnostic

_SKIPPED = "techfile skipped the file, so no rule checked it and a citation of it leads nowhere."
_READABLE = "Make the file readable, or exclude it if it is not part of the technical file."
_SMALLER = "Split the document, exclude the file, or raise `max-file-size` in the configuration."


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
                data = read_bounded(handle, size, self.max_size)
        except FileNotFoundError:
            return unreadable("the file vanished while techfile ran")
        except PermissionError:
            return unreadable("permission to read the file was denied")
        except OSError as exc:
            if exc.errno == errno.ENAMETOOLONG:
                return unreadable(
                    "the path is longer than this system allows (PATH_MAX)", "Shorten the path."
                )
            return unreadable(f"the file could not be read ({exc.strerror or exc})")
        if len(data) > self.max_size:
            return too_large(len(data), self.max_size)
        return data

    def read_path(self, path: str) -> bytes | Diagnostic:
        """Any file under the root by relative path (data files items come from)."""
        absolute = (self.root / path).resolve()
        if not absolute.is_relative_to(self.root.resolve()):
            return unreadable(f"{path} is outside the technical file")
        if not present(absolute):  # (a path too long to look at is reported by read)
            return unreadable("the file does not exist")
        return self.read(Entry(path, None, absolute))


def read_bounded(handle: BinaryIO, expected: int, limit: int) -> bytes:
    """At most `limit` + 1 bytes of an open file whose size was `expected`. A read asks the
    allocator for all it may return first: `limit` + 1 bytes (10 MiB) for each of 65,000
    small files left each with a memory mapping of its own, past the kernel's limit."""
    data = handle.read(min(expected, limit) + 1)
    if len(data) > expected:  # it grew since its size was taken: read on, up to the limit
        data += handle.read(limit + 1 - len(data))
    return data


def _entry(candidate: Candidate) -> Entry:
    return Entry(candidate.path, None, candidate.absolute, candidate.problem)


class GitTree:
    """Files of the git index (`treeish=None`) or of a commit, read in one batch."""

    def __init__(self, root: Path, max_size: int, treeish: str | None = None) -> None:
        self.root = root
        self.max_size = max_size
        self.treeish = treeish
        self._blobs: dict[str, bytes] = {}
        self._sizes: dict[str, int] = {}  # blobs over max_size: their size (never read)
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
            if not is_utf8(path):
                found.append(Entry(shown_name(path), blob, None, undecodable_name()))
            elif mode == "120000":
                problem = unreadable("the file is a symbolic link, which techfile does not follow")
                found.append(Entry(path, blob, None, problem))
            else:
                found.append(Entry(path, blob))
        return found

    def prefetch(self, entries: list[Entry]) -> None:
        """Read the blobs of these entries in one batch (only those not known from a cache)."""
        known = self._blobs.keys() | self._sizes.keys()
        wanted = [e.key for e in entries if e.key and e.problem is None and e.key not in known]
        if wanted:
            batch = read_batch(self.root, wanted, self.max_size)
            self._blobs.update(batch.blobs)
            self._sizes.update(batch.too_large)

    def read(self, entry: Entry) -> bytes | Diagnostic:
        if entry.key and entry.key not in self._blobs and entry.key not in self._sizes:
            self.prefetch([entry])
        if entry.key in self._sizes:
            return too_large(self._sizes[entry.key], self.max_size)
        data = self._blobs.get(entry.key or "")
        return unreadable("git could not read the staged content") if data is None else data

    def read_path(self, path: str) -> bytes | Diagnostic:
        """Any file of this state by root-relative path (an SBOM a document names); rules
        may ask for hundreds, so they come from one long-lived `git cat-file --batch`."""
        # `./`: relative to the root, which need not be the repository's top level
        spec = f":./{path}" if self.treeish is None else f"{self.treeish}:./{path}"
        if self._reader is None:
            self._reader = _BatchReader(self.root)
        data = self._reader.read(spec, self.max_size)
        if data is None:
            return unreadable(f"{path} is not in git")
        return too_large(data, self.max_size) if isinstance(data, int) else data

    def _list(self) -> Iterator[tuple[str, str, str]]:
        if self.treeish is None:
            out = git(self.root, "ls-files", "-s", "-z")
            for record in out.split(b"\0"):
                if record:
                    meta, _, path = record.partition(b"\t")
                    mode, blob, stage = meta.decode("ascii", "replace").split()
                    if stage == "0":  # skip conflicted entries (stages 1-3)
                        yield path.decode("utf-8", "surrogateescape"), mode, blob
            return
        # relative to the root, like ls-files: the technical file may be a subdirectory
        out = git(self.root, "ls-tree", "-r", "-z", self.treeish)
        for record in out.split(b"\0"):
            if record:
                meta, _, path = record.partition(b"\t")
                mode, kind, blob = meta.decode("ascii", "replace").split()
                if kind == "blob":
                    yield path.decode("utf-8", "surrogateescape"), mode, blob


class _BatchReader:
    """One `git cat-file --batch` process answering blob requests one at a time."""

    def __init__(self, root: Path) -> None:
        self.process: subprocess.Popen[bytes] | None = None
        self.root = root

    def read(self, spec: str, max_size: int) -> bytes | int | None:
        """The blob's bytes; its size when over `max_size` (left unread); None if missing."""
        if "\n" in spec or "\r" in spec:
            return None
        try:
            return self._ask(spec, max_size)
        except (OSError, ValueError):
            self.close()
            return None

    def _ask(self, spec: str, max_size: int) -> bytes | int | None:
        if self.process is None:
            self.process = subprocess.Popen(
                git_command("-C", str(self.root), "cat-file", "--batch"),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=git_environment(),
            )
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(spec.encode("utf-8", "surrogateescape") + b"\n")
        self.process.stdin.flush()
        parts = self.process.stdout.readline().split()
        if len(parts) != 3 or not parts[2].isdigit():
            return None  # `<spec> missing` (or ambiguous)
        size = int(parts[2])
        if size > max_size:
            self.close()  # the content is not read: the next question starts a new process
            return size if parts[1] == b"blob" else None
        data = self.process.stdout.read(size + 1)[:-1]
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


@dataclass(frozen=True, slots=True)
class Batch:
    blobs: dict[str, bytes] = field(default_factory=dict)
    too_large: dict[str, int] = field(default_factory=dict)  # spec -> size, never read


def cat_batch(
    root: Path, specs: list[str], max_size: int = DEFAULT_MAX_FILE_SIZE
) -> dict[str, bytes]:
    """The blobs named by `specs` (blob ids or `commit:path`), in one `git cat-file --batch`.
    Specs that git does not find, and blobs over `max_size`, are left out; a spec holding a
    line break cannot be asked."""
    return read_batch(root, specs, max_size).blobs


def read_batch(root: Path, specs: list[str], max_size: int) -> Batch:
    """Blobs of at most `max_size` bytes, read in one batch; the sizes of larger ones, which
    git is asked about (`--batch-check`) but never reads."""
    wanted = sorted({s for s in specs if "\n" not in s and "\r" not in s})
    if not wanted:
        return Batch()
    sizes = _blob_sizes(root, wanted)
    small = [spec for spec in wanted if sizes.get(spec, max_size + 1) <= max_size]
    too_large = {spec: size for spec, size in sizes.items() if size > max_size}
    return Batch(_cat(root, small, max_size) if small else {}, too_large)


def _request(specs: list[str]) -> bytes:
    return b"".join(f"{spec}\n".encode("utf-8", "surrogateescape") for spec in specs)


def _blob_sizes(root: Path, specs: list[str]) -> dict[str, int]:
    """The size of each spec that names a blob (one line of `--batch-check` per spec)."""
    out = git(root, "cat-file", "--batch-check=%(objecttype) %(objectsize)", stdin=_request(specs))
    sizes: dict[str, int] = {}
    for spec, line in zip(specs, out.split(b"\n"), strict=False):
        kind, _, size = line.partition(b" ")
        if kind == b"blob" and size.isdigit():  # not `<spec> missing`, nor a tree
            sizes[spec] = int(size)
    return sizes


def _cat(root: Path, specs: list[str], max_size: int) -> dict[str, bytes]:
    out = git(root, "cat-file", "--batch", stdin=_request(specs))
    found: dict[str, bytes] = {}
    position = 0
    for spec in specs:
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
        if parts[1] == b"blob" and size <= max_size:
            found[spec] = out[position : position + size]
        position += size + 1
    return found


def git(root: Path, *args: str, stdin: bytes | None = None, config: tuple[str, ...] = ()) -> bytes:
    """Run `git ARGS` in `root` with GIT_SAFETY (and `config`, more `-c` settings): the
    repository's own configuration cannot make it run a program."""
    settings = [item for setting in config for item in ("-c", setting)]
    try:
        done = subprocess.run(
            git_command(*settings, *args),
            cwd=root,
            input=stdin,
            capture_output=True,
            env=git_environment(),
            check=False,
        )
    except OSError as exc:
        raise GitError(f"git could not be run: {exc}") from None
    if done.returncode != 0:
        raise GitError(f"git {' '.join(args[:2])} failed: {done.stderr.decode(errors='replace')}")
    return done.stdout


def filters_off(root: Path) -> tuple[str, ...]:
    """`-c` settings that turn off every filter driver the configuration defines: a diff
    against the work tree runs a clean filter (a command the repository names) to hash a file
    whose stat data changed. A driver whose name cannot be written as `-c` is refused."""
    try:
        out = git(root, "config", "-z", "--name-only", "--get-regexp", r"^filter\.")
    except GitError:
        return ()  # no filter at all (exit 1); a configuration git cannot read fails later
    names = set()
    for variable in out.decode("utf-8", "surrogateescape").split("\0"):
        section, _, rest = variable.partition(".")
        name, _, _ = rest.rpartition(".")
        if section.casefold() == "filter" and name:
            if not name.isprintable() or "=" in name:
                raise GitError(f"the repository configures a filter driver named {name!r}")
            names.add(name)
    return tuple(
        f"filter.{name}.{key}"
        for name in sorted(names)
        for key in ("clean=", "smudge=", "process=", "required=false")
    )


def history_unreadable(root: Path, problem: Exception) -> ConfigError | None:
    """After reading the history failed with `problem`: None when there is none to read (no
    repository, or no commit yet), else the error that stops the run, so the rules that read
    history are never skipped while the run passes."""
    refused = _plain_git(root, "rev-parse", "--git-dir")
    if refused is not None:
        if "not a git repository" in refused:
            return None
        return ConfigError(
            f"git refuses to read the repository at {root} ({refused}), so the rules that read "
            "git history cannot run; let git read it (e.g. `git config --global --add "
            f"safe.directory {root}`) or deselect those rules"
        )
    head = _plain_git(root, "symbolic-ref", "--quiet", "HEAD")
    if head is None and _plain_git(root, "rev-parse", "--verify", "--quiet", "HEAD") is not None:
        return None  # HEAD names a branch that has no commit yet
    said = " ".join(str(problem).replace("\\n", " ").split())[:300]
    return ConfigError(
        f"the git history of {root} cannot be read ({said}), so the rules that read it "
        "cannot run; repair or fetch the history (a full clone, not a shallow or partial one), "
        "or deselect those rules"
    )


def _plain_git(root: Path, *args: str) -> str | None:
    """None when `git ARGS` succeeds, else the first line git printed (in English)."""
    try:
        done = subprocess.run(
            git_command(*args),
            cwd=root,
            capture_output=True,
            env={**git_environment(), "LC_ALL": "C"},
            check=False,
        )
    except OSError as exc:
        return f"git could not be run: {exc}"
    if done.returncode == 0:
        return None
    lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
    return lines[0].strip() if lines else f"exit status {done.returncode}"


def too_large(size: int, limit: int) -> Diagnostic:
    message = f"the file is {size:,} bytes, more than the {limit:,} bytes of `max-file-size`"
    return Diagnostic("FM010", message, key=(str(limit),), why=_SKIPPED, fix=_SMALLER)


def unreadable(reason: str, fix: str = _READABLE) -> Diagnostic:
    return Diagnostic("FM008", reason, key=(reason,), why=_SKIPPED, fix=fix)
