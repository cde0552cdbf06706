"""Find the files of a technical file: git's view when there is one, else a directory walk."""

from __future__ import annotations

import functools
import os
import re
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from techfile.model.config import CACHE_DIR
from techfile.model.diagnostics import Diagnostic


@dataclass(frozen=True, slots=True)
class Candidate:
    path: str  # root-relative, POSIX
    absolute: Path
    problem: Diagnostic | None = None


@functools.lru_cache(maxsize=512)
def glob_regex(pattern: str) -> re.Pattern[str]:
    """Compile a path glob where `**` spans directories and `*` stays inside one."""
    out = ""
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if pattern.startswith("**/", index):
            out += "(?:.*/)?"
            index += 3
            continue
        if pattern.startswith("**", index):
            out += ".*"
            index += 2
            continue
        out += {"*": "[^/]*", "?": "[^/]"}.get(char, re.escape(char))
        index += 1
    return re.compile(out)


def matches(path: str, patterns: Iterable[str]) -> bool:
    return _any_of(tuple(patterns)).fullmatch(path) is not None


@functools.lru_cache(maxsize=64)
def _any_of(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One regex for a list of globs: thousands of paths are matched against the same lists."""
    if not patterns:
        return re.compile(r"(?!)")
    return re.compile("|".join(f"(?:{glob_regex(p).pattern})" for p in patterns))


def discover(root: Path, include: tuple[str, ...], exclude: tuple[str, ...]) -> list[Candidate]:
    listed = _git_files(root)
    paths = listed if listed is not None else _walk(root)
    found: list[Candidate] = []
    chosen = [p for p in sorted(set(paths)) if matches(p, include) and not matches(p, exclude)]
    real_files = {(root / p).resolve() for p in chosen if not (root / p).is_symlink()}
    for rel in chosen:
        if not _is_utf8(rel):
            found.append(_undecodable_name(root, rel))
            continue
        candidate = _check_link(root, rel)
        alias = candidate.problem is None and candidate.absolute.is_symlink()
        if alias and candidate.absolute.resolve() in real_files:
            continue  # a second name for a file that is read under its own name
        found.append(candidate)
    return found


def _is_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _undecodable_name(root: Path, rel: str) -> Candidate:
    shown = rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return Candidate(
        shown,
        root / rel,
        Diagnostic(
            "FM009",
            "the file name is not valid UTF-8, so it cannot be cited or shown reliably; "
            "techfile skipped the file (rename it)",
            key=("file-name",),
        ),
    )


def _git_files(root: Path) -> list[str] | None:
    """Tracked and untracked-but-not-ignored files, so `.gitignore` is honoured."""
    if not (root / ".git").exists():
        return None
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=root,
            capture_output=True,
            check=False,
        )
    except OSError:
        return None
    if out.returncode != 0:
        return None
    names = out.stdout.decode("utf-8", "surrogateescape").split("\0")
    # --cached also lists files deleted from the work tree but not yet from the index
    return [name for name in names if name and os.path.lexists(root / name)]


def _walk(root: Path) -> list[str]:
    found: list[str] = []
    for directory, subdirs, files in os.walk(root, followlinks=False):
        subdirs[:] = sorted(d for d in subdirs if d not in (".git", CACHE_DIR))
        base = Path(directory).relative_to(root).as_posix()
        for name in files:
            found.append(name if base == "." else f"{base}/{name}")
    return found


def _check_link(root: Path, rel: str) -> Candidate:
    absolute = root / rel
    if not absolute.is_symlink():
        return Candidate(rel, absolute)
    try:
        target = absolute.resolve(strict=True)
    except (OSError, RuntimeError):
        return Candidate(
            rel,
            absolute,
            Diagnostic(
                "FM008",
                "the file is a symbolic link that loops or points to nothing; techfile skipped it",
                key=("link",),
            ),
        )
    if not target.is_relative_to(root.resolve()):
        return Candidate(
            rel,
            absolute,
            Diagnostic(
                "FM008",
                "the file is a symbolic link to a place outside the technical file "
                f"({target}); techfile reads only what is inside the root, so it skipped it",
                key=("escape",),
            ),
        )
    return Candidate(rel, absolute)
