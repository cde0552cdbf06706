"""`techfile check --show-files`: every file the run read or left out, how it was classified and
its id, on standard output, sorted; the exit code is the check's."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import CliResult
from techfile.fixture_tree import commit, git
from test_security_output import assert_inert

Run = Callable[..., CliResult]
RISK = (
    "---\nid: RA-1\ntype: risk-analysis\n---\n\n# Risks\n\n"
    "```{csv-table} Controls\n:file: controls.csv\n```\n"
)
FILES: dict[str, str | bytes] = {
    "docs/a.md": "---\nid: DOC-A\ntype: ifu\ntitle: A\nreferences:\n  - NOPE-1\n---\n# A\n",
    "notes/c.md": "# Notes\n",
    "risk/risk.md": RISK,
    "risk/controls.csv": "ID,Description,Type\nRC-1,Alarm on low signal,protective-measure\n",
    "README.md": "# About\n",
    "drafts/d.md": "---\nid: DRAFT-1\ntype: ifu\n---\n",
    "bad.md": b"---\nid: \xff\n---\n",
}
CONFIG = 'as-of = "2026-01-15"\nexclude = ["drafts/**"]\n'
EXPECTED = {
    "README.md": ("excluded", ""),
    "bad.md": ("unreadable", ""),
    "docs/a.md": ("ifu", "DOC-A"),
    "drafts/d.md": ("excluded", ""),
    "notes/c.md": ("unclassified", ""),
    "risk/controls.csv": ("data", ""),
    "risk/risk.md": ("risk-analysis", "RA-1"),
}


@pytest.fixture
def listed(tree: Callable[..., Path]) -> Path:
    return tree(FILES, config=CONFIG)


def _table(out: str) -> dict[str, tuple[str, str]]:
    rows = {}
    for line in out.splitlines():
        path, kind, *ident = re.split(r" {2,}", line)
        rows[path] = (kind, ident[0] if ident else "")
    return rows


def test_lists_every_file_with_its_classification(listed: Path, techfile: Run) -> None:
    result = techfile("check", "--show-files", "--no-cache", cwd=listed)
    assert _table(result.out) == EXPECTED
    assert [line.split("  ")[0] for line in result.lines] == sorted(EXPECTED)
    assert "ID002" not in result.out  # the list replaces the findings
    assert result.code == techfile("check", "--no-cache", cwd=listed).code == 1
    assert "techfile: " in result.err  # the summary still goes to standard error


def test_exit_code_is_the_checks(listed: Path, techfile: Run) -> None:
    result = techfile("check", "--show-files", "--select", "FM007", "--no-cache", cwd=listed)
    assert result.code == 0 and _table(result.out) == EXPECTED


def test_a_stored_result_still_lists_the_files(listed: Path, techfile: Run) -> None:
    techfile("check", cwd=listed)  # stores the run's result
    techfile("check", cwd=listed)
    assert _table(techfile("check", "--show-files", cwd=listed).out) == EXPECTED


def test_paths_are_relative_to_the_cwd_and_quiet_is_quiet(listed: Path, techfile: Run) -> None:
    result = techfile("check", "--show-files", "-q", "--no-cache", cwd=listed / "docs")
    rows = _table(result.out)
    assert rows["a.md"] == ("ifu", "DOC-A")
    assert rows["../risk/controls.csv"] == ("data", "")
    assert all((listed / "docs" / path).exists() for path in rows)
    assert result.err == ""


def test_the_staged_state_with_pre_commit(listed: Path, techfile: Run) -> None:
    commit(listed, "2026-01-10T10:00:00", {})
    (listed / "docs/new.md").write_text("---\nid: DOC-N\ntype: ifu\ntitle: N\n---\n# N\n")
    git(listed, "add", "docs/new.md")
    (listed / "docs/untracked.md").write_text("---\nid: DOC-U\ntype: ifu\n---\n")
    result = techfile("check", "--show-files", "--pre-commit", "--no-cache", cwd=listed)
    rows = _table(result.out)
    assert rows["docs/new.md"] == ("ifu", "DOC-N")
    assert "docs/untracked.md" not in rows


def test_hostile_names_and_ids_are_escaped(tree: Callable[..., Path], techfile: Run) -> None:
    hostile = "::error::x\x1b[31m"
    root = tree({f"{hostile}.md": '---\nid: "::warning::y\\e[1m"\ntype: ifu\n---\n'})
    out = techfile("check", "--show-files", "--no-cache", cwd=root).out
    assert_inert(out)
    assert ":\\:error::x\\x1b[31m.md" in out and "\\x1b[1m" in out
