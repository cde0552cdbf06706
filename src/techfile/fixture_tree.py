"""Turn a shipped rule fixture into a technical file on disk, for the tests and `self-test`.

A fixture is a folder of files. Two things cannot be shipped as files inside a wheel, so a
fixture describes them and they are made here: `.links.yaml` (symbolic links, e.g. one that
points nowhere) and `.history.yaml` (git commits with dates, for the history rules).

`self-test --fixtures DIR` may be pointed at fixtures from a pull request, so every name a
fixture gives stays inside the target: an absolute name, a `..`, a `.git` or a symbolic link
in the fixture folder is refused (FixtureError), and files are written through no link.
"""

from __future__ import annotations

import os
import stat
import subprocess
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from techfile.model.config import CACHE_DIR
from techfile.util.safe_write import make_private_dir, write_bytes_atomically

DESCRIPTIONS = (".links.yaml", ".history.yaml")


class FixtureError(ValueError):
    """A fixture names a place outside its technical file, or holds a symbolic link."""


def materialise(case: Path, target: Path) -> Path:
    """Copy fixture `case` to `target`, replay its history and make its links."""
    if case.is_symlink():
        raise FixtureError(f"{case} is a symbolic link")
    target.mkdir(parents=True, exist_ok=True)
    history = _description(case, ".history.yaml")
    if history is not None:
        for entry in history["commits"]:
            _commit(target, case, entry)
    for path in sorted(case.rglob("*")):
        rel = path.relative_to(case)
        if rel.parts[0] in (CACHE_DIR, *DESCRIPTIONS):
            continue
        if path.is_symlink():
            raise FixtureError(f"{rel} is a symbolic link; describe links in .links.yaml")
        if path.is_file():
            _write_inside(target, rel.as_posix(), path.read_bytes())
    links = _description(case, ".links.yaml")
    for name, points_to in (links or {}).items():
        _link_inside(target, str(name), str(points_to))
    return target


def read_fixture_file(case: Path, name: str) -> bytes:
    """A file of the fixture folder, refused if it or a folder on its way is a link."""
    path = case
    for part in _inside(name).parts:
        path = path / part
        if path.is_symlink():
            raise FixtureError(f"{name} in {case} is (below) a symbolic link")
    if not stat.S_ISREG(path.stat().st_mode):
        raise FixtureError(f"{name} in {case} is not a regular file")
    return path.read_bytes()


def _description(case: Path, name: str) -> Any:
    if not os.path.lexists(case / name):
        return None
    return yaml.safe_load(read_fixture_file(case, name).decode("utf-8"))


def _inside(name: str) -> PurePosixPath:
    """`name` as a path relative to a fixture's root, refused if it could leave it."""
    rel = PurePosixPath(name)
    if not name or rel.is_absolute() or not rel.parts or "\0" in name:
        raise FixtureError(f"{name!r} is not a relative path")
    if ".." in rel.parts or any(part.casefold() == ".git" for part in rel.parts):
        raise FixtureError(f"{name!r} leaves the technical file or enters its .git")
    return rel


def _directories_inside(root: Path, rel: PurePosixPath) -> Path:
    """Make the folders of `rel` below `root` (none may be a link); returns the last one."""
    directory = root
    for part in rel.parent.parts:
        directory = make_private_dir(directory / part, confined_to=root)
    return directory


def _write_inside(root: Path, name: str, data: bytes) -> None:
    rel = _inside(name)
    directory = _directories_inside(root, rel)
    write_bytes_atomically(directory / rel.name, data, confined_to=root)


def _link_inside(root: Path, name: str, points_to: str) -> None:
    rel = _inside(name)
    lands = os.path.normpath(rel.parent / points_to)
    if os.path.isabs(points_to) or lands == ".." or lands.startswith("../"):
        raise FixtureError(f"the link {name!r} points outside the technical file: {points_to!r}")
    directory = _directories_inside(root, rel)
    os.symlink(points_to, directory / rel.name)  # fails if anything has the name already


def git(root: Path, *args: str, date: str | None = None) -> str:
    """git without the user's configuration; `date` is the author and committer date."""
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.com",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.com",
    }
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    no_programs = ["-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false"]
    done = subprocess.run(
        ["git", *no_programs, *args], cwd=root, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def commit(
    root: Path,
    date: str,
    files: Mapping[str, str | None] | None = None,
    renames: Mapping[str, str] | None = None,
    message: str = "change",
    source: Path | None = None,
) -> None:
    """Rename, write and commit files at `date`. A file given as None is copied from
    `source` (a fixture folder)."""
    if not (root / ".git").exists():
        git(root, "init", "-q")
    for old, new in (renames or {}).items():
        _directories_inside(root, _inside(new))
        git(root, "mv", "--", str(_inside(old)), str(_inside(new)))
    for rel, content in (files or {}).items():
        if content is None:
            assert source is not None, rel
            data = read_fixture_file(source, rel)
        else:
            data = content.encode("utf-8")
        _write_inside(root, rel, data)
        git(root, "add", "--", rel)
    git(root, "commit", "-q", "--allow-empty", "-m", message, date=date)


def _commit(target: Path, case: Path, entry: dict[str, Any]) -> None:
    commit(
        target,
        str(entry["date"]),
        entry.get("files"),
        entry.get("renames"),
        str(entry.get("message", "change")),
        source=case,
    )
