"""Shared test helpers: write a small technical file to disk, run the CLI on it.

def test_something(tree, techfile):
    root = tree({"risk.md": "---\\nid: RA-1\\n...", "bad.md": b"\\xff"})
    result = techfile("check", "--format", "json", cwd=root)
    assert result.code == 1 and result.json()["findings"]
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from techfile.cli import main

Files = Mapping[str, "str | bytes"]


def write_tree(root: Path, files: Files) -> Path:
    """Write `files` (root-relative POSIX path -> content) under `root`.

    Text is written as UTF-8 exactly as given (no newline translation, no BOM); bytes are
    written verbatim, so encodings, BOMs and line ends are under the test's control.
    """
    root.mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return root


def snapshot(root: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """Every entry under `root` -> a digest: file content, symlink target or `dir`.

    Symlinks are never followed. Top-level names in `skip` (e.g. `.techfile_cache`) are left
    out.
    """
    found: dict[str, str] = {}
    for directory, subdirs, files in os.walk(root, followlinks=False):
        base = Path(directory)
        for name in sorted(subdirs + files):
            path = base / name
            rel = path.relative_to(root).as_posix()
            if rel.split("/", 1)[0] in skip:
                continue
            if path.is_symlink():
                found[rel] = f"link:{os.readlink(path)}"
            elif path.is_dir():
                found[rel] = "dir"
            else:
                try:
                    found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
                except OSError as exc:  # unreadable on purpose: record its mode instead
                    found[rel] = f"unreadable:{exc.errno}:{oct(path.lstat().st_mode)}"
    return found


@dataclass(frozen=True)
class CliResult:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()


@pytest.fixture
def tree(tmp_path: Path) -> Callable[..., Path]:
    """Factory: `tree(files, config="")` writes a technical file and returns its root.

    An (empty) `.techfile.toml` is written unless `files` holds one or `config=None`, so
    the root is pinned to the tree and never found by walking up from the temp directory.
    Each call makes a new root under tmp_path.
    """
    count = 0

    def make(files: Files, config: str | None = "") -> Path:
        nonlocal count
        count += 1
        root = tmp_path / f"tree{count}"
        contents = dict(files)
        if config is not None and ".techfile.toml" not in contents:
            contents[".techfile.toml"] = config
        return write_tree(root, contents)

    return make


@pytest.fixture
def techfile(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[..., CliResult]:
    """Run `techfile.cli.main(args)` in-process from `cwd`; returns exit code, stdout, stderr.

    TECHFILE_DEBUG is set so that an internal error propagates and fails the test with its
    traceback instead of becoming exit code 2.
    """
    monkeypatch.setenv("TECHFILE_DEBUG", "1")

    def run(*args: str, cwd: Path | None = None) -> CliResult:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        capsys.readouterr()
        code = main(list(args))
        out, err = capsys.readouterr()
        return CliResult(code, out, err)

    return run


def run_subprocess(
    *args: str,
    cwd: Path,
    env: Mapping[str, str] | None = None,
    timeout: float = 60,
    **popen: Any,
) -> CliResult:
    """Run `python -m techfile ARGS` in a child process (for ttys, hangs, other users)."""
    popen.setdefault("stdout", subprocess.PIPE)
    popen.setdefault("stderr", subprocess.PIPE)
    done = subprocess.run(
        [sys.executable, "-m", "techfile", *args],
        cwd=cwd,
        env=dict(os.environ if env is None else env),
        timeout=timeout,
        check=False,
        **popen,
    )
    out = done.stdout.decode("utf-8", "replace") if done.stdout is not None else ""
    err = done.stderr.decode("utf-8", "replace") if done.stderr is not None else ""
    return CliResult(done.returncode, out, err)


def git(root: Path, *args: str, date: str | None = None) -> str:
    """Run git in `root` without the user's configuration; `date` is the author and
    committer date of a commit."""
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


def replay_history(case: Path, target: Path) -> Path:
    """A fixture folder with a `.history.yaml` as a git repository: its commits replayed,
    then its files copied over, so that the work tree is the folder as it is."""
    history = yaml.safe_load((case / ".history.yaml").read_text(encoding="utf-8"))
    target.mkdir(parents=True, exist_ok=True)
    for entry in history["commits"]:
        commit(
            target,
            str(entry["date"]),
            entry.get("files"),
            entry.get("renames"),
            str(entry.get("message", "change")),
            source=case,
        )
    for path in case.rglob("*"):
        rel = path.relative_to(case)
        if path.is_file() and rel.parts[0] not in (".techfile_cache", ".history.yaml"):
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target / rel)
    return target
