"""Smoke test of the benchmark harness (benchmarks/generate.py and benchmarks/run.py) on N=40."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"
N = 40

pytestmark = pytest.mark.skipif(
    subprocess.run(["git", "--version"], capture_output=True).returncode != 0,
    reason="git is not installed",
)


def _generate(out: Path, seed: int = 7) -> None:
    subprocess.run(
        [
            sys.executable,
            str(BENCH / "generate.py"),
            str(out),
            "--docs",
            str(N),
            "--seed",
            str(seed),
            "--commits",
            "60",
        ],
        check=True,
        capture_output=True,
    )


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


def _git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), *args], check=True, capture_output=True, text=True
    ).stdout.strip()


def _techfile() -> list[str]:
    sibling = Path(sys.executable).with_name("techfile")
    return [str(sibling)] if sibling.exists() else [sys.executable, "-m", "techfile"]


def test_generator_is_deterministic_and_techfile_classifies_everything(tmp_path: Path) -> None:
    first, second, other = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    _generate(first)
    _generate(second)
    _generate(other, seed=8)

    files = _files(first)
    assert files == _files(second)
    assert _git(first, "rev-parse", "HEAD^{tree}") == _git(second, "rev-parse", "HEAD^{tree}")
    assert _git(first, "rev-parse", "HEAD") == _git(second, "rev-parse", "HEAD")
    assert _git(first, "rev-list", "--count", "HEAD") == "60"
    assert _git(first, "status", "--porcelain") == ""
    assert files != _files(other)

    markdown = [path for path in files if path.endswith(".md")]
    assert len(markdown) == N
    assert any(path.endswith(".cdx.json") for path in files)
    assert b'as-of = "' in files[".techfile.toml"] and b"[device]" in files[".techfile.toml"]

    result = subprocess.run(
        [*_techfile(), "check"],
        cwd=first,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert result.returncode in (0, 1), result.stderr
    match = re.search(r"(\d+) of (\d+) Markdown files classified", result.stderr)
    assert match, result.stderr
    assert (int(match.group(1)), int(match.group(2))) == (N, N), result.stderr


def test_runner_prints_the_tables(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(BENCH / "run.py"),
            "--docs",
            str(N),
            "--repeat",
            "1",
            "--commits",
            "30",
            "--keep",
            str(tmp_path / "trees"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "| N | floor s | cold/floor | warm/floor | pre-commit/floor |" in out
    row = re.search(rf"^\| {N} \| [0-9.]+ \| [0-9.]+x \|", out, re.MULTILINE)
    assert row, out
    assert "CPU:" in out and "Python:" in out
    assert "--jobs auto" in out
    # the pre-commit edit was undone: the kept tree is clean again
    kept = next((tmp_path / "trees").iterdir())
    assert _git(kept, "status", "--porcelain") == ""
