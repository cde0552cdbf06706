"""The git commit a report was made from, and which of the files it read differ from it.

A report is a record of the state it shows: the input hash says which bytes were read, the
commit says where a reader finds them again. When the work tree differs from the commit in
the files the report read (changed, staged, untracked or deleted since), the commit alone
does not identify them, and the report says so. git runs with the same safety settings as
every other read of git here (`sources.git`), with filter drivers off: comparing the work
tree with HEAD runs a clean filter, a command the repository names, on a file whose stat data
changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from techfile.intake.sources import GitError, filters_off, git


@dataclass(frozen=True, slots=True)
class SourceCommit:
    """HEAD of the repository the technical file is in, or why there is none."""

    sha: str = ""  # the full commit id; "" when there is no commit to name
    date: str = ""  # its committer date, YYYY-MM-DD
    differing: tuple[str, ...] = ()  # root-relative files that are not as in the commit
    absent: str = ""  # why there is no commit ("not in a git repository", ...)


def source_commit(root: Path, inputs: Iterable[str]) -> SourceCommit:
    """The commit at HEAD, with the `inputs` (root-relative paths the report read) that are
    not as committed and the tracked files deleted from the work tree since."""
    try:
        git(root, "rev-parse", "--is-inside-work-tree")
    except GitError as problem:
        said = str(problem)
        if "not a git repository" in said:
            return SourceCommit(absent="not in a git repository")
        return SourceCommit(absent=f"git cannot read the repository ({_first_line(said)})")
    try:
        line = git(root, "log", "-1", "--no-show-signature", "--format=%H %cI", "HEAD")
    except GitError:
        return SourceCommit(absent="the repository has no commit yet")
    sha, _, when = line.decode("ascii", "replace").strip().partition(" ")
    try:
        differing = _differing(root, set(inputs))
    except GitError as problem:
        return SourceCommit(sha, when[:10], absent=f"not compared ({_first_line(str(problem))})")
    return SourceCommit(sha, when[:10], differing)


def _differing(root: Path, inputs: set[str]) -> tuple[str, ...]:
    config = filters_off(root)
    out = git(
        root,
        "diff",
        "HEAD",
        "--name-status",
        "-z",
        "--relative",
        "--no-renames",
        "--no-ext-diff",
        "--ignore-submodules=all",
        "--",
        ".",
        config=config,
    )
    fields = out.decode("utf-8", "surrogateescape").split("\0")
    differing = set()
    for status, path in zip(fields[0::2], fields[1::2], strict=False):
        if status == "D" or path in inputs:
            differing.add(path)
    tracked = git(root, "ls-files", "-z", "--", ".", config=config)
    known = set(tracked.decode("utf-8", "surrogateescape").split("\0"))
    differing.update(path for path in inputs if path not in known)
    return tuple(sorted(differing))


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return " ".join(lines[:2])[:200] if lines else "no message"
