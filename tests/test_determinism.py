"""Byte-identical output across hash seeds and --jobs, in every format; the tree is never
written to, whatever the command."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import snapshot
from techfile.cli import FORMAT_NAMES
from techfile.data.resources import bundled


def _run(root: Path, *args: str, seed: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONHASHSEED": seed, "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "techfile", *args],
        cwd=root,
        env=env,
        capture_output=True,
        check=False,
        timeout=120,
    )


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("det") / "example"
    shutil.copytree(bundled("examples") / "connected-samd", root)
    return root


@pytest.mark.parametrize("output_format", FORMAT_NAMES)
def test_output_is_byte_identical_across_seeds_and_jobs(example: Path, output_format: str) -> None:
    first = _run(example, "check", "--format", output_format, "--jobs", "1", "--no-cache", seed="1")
    second = _run(
        example, "check", "--format", output_format, "--jobs", "2", "--no-cache", seed="4242"
    )
    assert first.returncode == second.returncode == 1, first.stderr
    assert first.stdout == second.stdout and first.stdout


def test_cached_run_is_byte_identical(example: Path) -> None:
    cold = _run(example, "check", "--format", "json", "--no-cache", seed="7")
    _run(example, "check", "--format", "json", seed="8")  # writes the cache
    warm = _run(example, "check", "--format", "json", seed="9")
    assert cold.stdout == warm.stdout
    shutil.rmtree(example / ".techfile_cache", ignore_errors=True)


def _git(root: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def test_nothing_is_written_outside_the_cache(tmp_path: Path) -> None:
    root = tmp_path / "example"
    shutil.copytree(bundled("examples") / "connected-samd", root)
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "start")
    (root / "risk" / "risk-analysis.md").write_text(
        (root / "risk" / "risk-analysis.md").read_text("utf-8") + "\n", "utf-8"
    )
    _git(root, "add", "risk/risk-analysis.md")

    def state() -> dict[str, tuple[str, int]]:
        hashes = snapshot(root, skip=(".techfile_cache", ".git"))
        return {p: (h, (root / p).lstat().st_mtime_ns) for p, h in hashes.items()}

    before = state()
    commands = [
        ["check"],
        ["check", "--pre-commit"],
        ["check", "--format", "sarif"],
        ["waivers"],
        ["check", "--changed-since", "HEAD"],
    ]
    if _run(root, "report", "--help", seed="0").returncode == 0:
        commands.append(["report", "--output", str(tmp_path / "report.html")])
    for command in commands:
        done = _run(root, *command, seed="0")
        assert done.returncode in (0, 1), (command, done.stderr)
    assert state() == before
