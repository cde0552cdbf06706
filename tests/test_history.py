"""git history: one batched pass, renames followed, detached HEAD, no repository, and a
10,000-commit repository read within twice the time of one plain `git log --name-only`."""

from __future__ import annotations

import os
import subprocess
import time
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


def test_ten_thousand_commits_within_twice_a_plain_git_log(tmp_path: Path) -> None:
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
    started = time.perf_counter()
    subprocess.run(
        ["git", "log", "--name-only", "HEAD"], cwd=tmp_path, check=True, capture_output=True
    )
    plain = time.perf_counter() - started
    started = time.perf_counter()
    history = read_history(tmp_path)
    ours = time.perf_counter() - started
    assert sum(len(c) for c in history.changes.values()) == 10_000
    assert ours <= 2 * plain + 0.3, f"history {ours:.2f} s vs git log {plain:.2f} s"
