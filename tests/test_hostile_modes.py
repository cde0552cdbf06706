"""The hostile corpus in every way techfile runs: a whole-tree check, the commit hook, a branch
check, the report, GitHub annotations, two workers, and a process without privileges. Each
finishes with a verdict (exit 0 or 1, never 2 or a traceback) and writes nothing into the tree."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import git, snapshot
from test_hostile import _hostile_corpus

SKIP = (".git", ".techfile_cache")
MODES = {
    "check": ("check", "--no-cache"),
    "github": ("check", "--format", "github"),
    "jobs-2": ("check", "--jobs", "2", "--no-cache"),
    "report": ("report", "--format", "markdown"),
}


def _run(root: Path, *args: str, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    command = [*prefix, sys.executable, "-m", "techfile", *args]
    return subprocess.run(
        command, cwd=root, capture_output=True, text=True, timeout=600, check=False
    )


def _assert_verdict(done: subprocess.CompletedProcess[str], mode: str) -> None:
    assert done.returncode in (0, 1), f"{mode}: exit {done.returncode}: {done.stderr[-2000:]}"
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr, mode


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The corpus staged on top of one commit; returns the root and that commit."""
    root = tmp_path_factory.mktemp("modes") / "hostile"
    _hostile_corpus(root)
    keep = {p.name: p.read_bytes() for p in root.iterdir() if p.name == ".techfile.toml"}
    aside = root.parent / "aside"
    shutil.move(root, aside)
    root.mkdir()
    for name, data in keep.items():
        (root / name).write_bytes(data)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base", date="2026-01-01T10:00:00Z")
    base = git(root, "rev-parse", "HEAD").strip()
    for entry in aside.iterdir():
        if entry.name != ".techfile.toml":
            shutil.move(entry, root / entry.name)
    git(root, "add", "-A")
    return root, base


@pytest.mark.parametrize("mode", sorted(MODES))
def test_whole_tree_modes(repository: tuple[Path, str], mode: str) -> None:
    root, _ = repository
    before = snapshot(root, SKIP)
    _assert_verdict(_run(root, *MODES[mode]), mode)
    assert snapshot(root, SKIP) == before


def test_the_commit_hook_and_the_branch_check(repository: tuple[Path, str]) -> None:
    root, base = repository
    before = snapshot(root, SKIP)
    _assert_verdict(_run(root, "check", "--pre-commit"), "--pre-commit")
    git(root, "commit", "-qm", "corpus", date="2026-01-02T10:00:00Z")
    _assert_verdict(_run(root, "check", "--changed-since", base), "--changed-since")
    assert snapshot(root, SKIP) == before


def test_without_privileges(repository: tuple[Path, str], tmp_path: Path) -> None:
    """Every capability dropped (no reading or writing past file permissions) and the tree
    owned by another user: the run cannot write its cache there, and still gives a verdict."""
    setpriv = shutil.which("setpriv")
    if os.geteuid() != 0 or setpriv is None:
        pytest.skip("needs root and util-linux setpriv to drop every capability")
    root, _ = repository
    tree = tmp_path / "foreign"
    shutil.copytree(root, tree, symlinks=True, ignore=shutil.ignore_patterns(".git"))
    for directory, _, files in os.walk(tree):
        os.lchown(directory, 65534, 65534)
        for name in files:
            os.lchown(os.path.join(directory, name), 65534, 65534)
    before = snapshot(tree)
    drop = (setpriv, "--bounding-set=-all", "--inh-caps=-all", "--no-new-privs")
    done = _run(tree, "check", prefix=drop)
    _assert_verdict(done, "unprivileged")
    assert snapshot(tree) == before
    probe = subprocess.run(
        [*drop, "sh", "-c", f"touch {tree}/probe"], capture_output=True, check=False
    )
    assert probe.returncode != 0, "the process could still write into the tree: proves nothing"
