"""git history: one batched pass, renames followed, detached HEAD, no repository, and a
10,000-commit repository read with a few git calls, and a long log parsed in linear time."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from techfile.intake.history import HistoryUnavailable, read_history

ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.org",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.org",
}


def _git(root: Path, *args: str, date: str | None = None) -> str:
    env = {**os.environ, **ENV}
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    return subprocess.run(
        ["git", *args], cwd=root, env=env, check=True, capture_output=True, text=True
    ).stdout


def test_renames_are_followed_to_the_current_name(tmp_path: Path) -> None:
    _git(tmp_path, "init", "-q")
    (tmp_path / "old.md").write_text("v1\n")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "one", date="2025-01-01T10:00:00Z")
    _git(tmp_path, "mv", "old.md", "new.md")
    _git(tmp_path, "commit", "-qm", "rename", date="2025-02-01T10:00:00Z")
    (tmp_path / "new.md").write_text("v2\n")
    _git(tmp_path, "commit", "-qam", "edit", date="2025-03-01T10:00:00Z")
    history = read_history(tmp_path)
    changes = history.of("new.md")
    assert [c.path for c in changes] == ["new.md", "new.md", "old.md"]
    assert changes[0].timestamp > changes[-1].timestamp
    assert history.of("old.md") == []


def test_detached_head_and_a_root_in_a_subdirectory(tmp_path: Path) -> None:
    _git(tmp_path, "init", "-q")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text("v1\n")
    (tmp_path / "code.py").write_text("x = 1\n")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "one")
    (tmp_path / "docs" / "a.md").write_text("v2\n")
    _git(tmp_path, "commit", "-qam", "two")
    _git(tmp_path, "checkout", "-q", "--detach", "HEAD~1")
    history = read_history(tmp_path / "docs")
    assert set(history.changes) == {"a.md"} and len(history.of("a.md")) == 1


def test_not_a_repository(tmp_path: Path) -> None:
    with pytest.raises(HistoryUnavailable):
        read_history(tmp_path)


def test_cache_by_head(tmp_path: Path) -> None:
    _git(tmp_path, "init", "-q")
    (tmp_path / "a.md").write_text("v1\n")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "one")
    cache = tmp_path / ".techfile_cache"
    first = read_history(tmp_path, cache)
    assert list(cache.glob("history-*.json"))
    assert read_history(tmp_path, cache).changes == first.changes


def test_ten_thousand_commits_in_a_few_git_calls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _git(tmp_path, "init", "-q")
    lines = []
    for number in range(10_000):
        content = f"revision {number}"
        lines += [
            "commit refs/heads/master",
            f"mark :{number + 1}",
            f"committer t <t@example.org> {1_700_000_000 + number * 60} +0000",
            "data 2",
            f"c{number % 10}",
            *([f"from :{number}"] if number else []),
            f"M 100644 inline docs/doc-{number % 400:03d}.md",
            f"data {len(content)}",
            content,
        ]
    stream = "\n".join(lines) + "\n"
    subprocess.run(
        ["git", "fast-import", "--quiet"],
        cwd=tmp_path,
        input=stream.encode(),
        check=True,
        env={**os.environ, **ENV},
    )
    _git(tmp_path, "checkout", "-q", "master")
    calls = _count_git_calls(tmp_path / "bin", monkeypatch)
    history = read_history(tmp_path)
    assert sum(len(c) for c in history.changes.values()) == 10_000
    # one `git log` for the whole history (and a few rev-parse), never one per file or commit
    assert len(calls.read_text().splitlines()) <= 5, calls.read_text()


def _count_git_calls(bin_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Put a `git` first on PATH that logs each call and runs the real one; returns the log."""
    real = shutil.which("git")
    assert real is not None
    bin_dir.mkdir()
    calls = bin_dir / "calls"
    calls.touch()
    wrapper = bin_dir / "git"
    wrapper.write_text(f'#!/bin/sh\necho "$*" >> "{calls}"\nexec "{real}" "$@"\n')
    wrapper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    return calls


PARSE_SCRIPT = """
from techfile.intake.history import parse_log
records = []
for number in range(200_000):
    edit = f"M\\0docs/doc-{number % 5_000:04d}.md\\0"
    names = f"{edit}R100\\0old/x-{number}.md\\0new/y-{number}.md\\0"
    records.append(f"\\x01{number:040x} {1_700_000_000 + number}\\0\\n{names}".encode())
changes = parse_log(b"".join(records))
assert sum(len(c) for c in changes.values()) == 400_000, len(changes)
"""


def test_parsing_a_long_log_is_linear() -> None:
    """200,000 commits: linear parsing takes about a second; a pass over what was parsed for
    each commit would take hours, far past the timeout."""
    subprocess.run([sys.executable, "-c", PARSE_SCRIPT], check=True, timeout=120)
