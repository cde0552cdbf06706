"""Turn a shipped rule fixture into a technical file on disk, for the tests and `self-test`.

A fixture is a folder of files. Two things cannot be shipped as files inside a wheel, so a
fixture describes them and they are made here: `.links.yaml` (symbolic links, e.g. one that
points nowhere) and `.history.yaml` (git commits with dates, for the history rules).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from techfile.model.config import CACHE_DIR

DESCRIPTIONS = (".links.yaml", ".history.yaml")


def materialise(case: Path, target: Path) -> Path:
    """Copy fixture `case` to `target`, replay its history and make its links."""
    target.mkdir(parents=True, exist_ok=True)
    history = case / ".history.yaml"
    if history.is_file():
        for entry in yaml.safe_load(history.read_text(encoding="utf-8"))["commits"]:
            _commit(target, case, entry)
    for path in sorted(case.rglob("*")):
        rel = path.relative_to(case)
        if rel.parts[0] in (CACHE_DIR, *DESCRIPTIONS) or not path.is_file():
            continue
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target / rel)
    links = case / ".links.yaml"
    if links.is_file():
        for name, points_to in yaml.safe_load(links.read_text(encoding="utf-8")).items():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            os.symlink(points_to, target / name)
    return target


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
    done = subprocess.run(
        ["git", *args], cwd=root, env=env, capture_output=True, text=True, check=True
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
        (root / new).parent.mkdir(parents=True, exist_ok=True)
        git(root, "mv", old, new)
    for rel, content in (files or {}).items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if content is None:
            assert source is not None, rel
            shutil.copyfile(source / rel, target)
        else:
            target.write_text(content, encoding="utf-8")
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
