"""`check --fix` applies only the fixes that cannot change meaning, `--diff` shows them and
writes nothing, and neither touches a file it does not name."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import CliResult, snapshot

Tree = Callable[..., Path]
Run = Callable[..., CliResult]

REQUIREMENTS = """---
id: SRS-001
type: software-requirements
title: Requirements
version: 1.10
nxt_review: 2027-01-01
status: draft
requirements:
  - {id: SWR-41, text: Alarm sounds, verified_by: [SRS-001]}
---

# Requirements
"""
RISKS = """---
id: RA-001
type: risk-analysis
tilte: Risks
status: draft
references: [SRS-01, SWR-14]
---

# Risks
"""
UNTOUCHED = "---\nid: NOTES-1\ntype: qms-procedure\ntitle: Notes\nversion: 2.0\n---\n\n# Notes\n"
CODES = "FM006,FM012,ID002"


def _codes(result: CliResult) -> list[str]:
    return sorted(f["code"] for f in result.json()["findings"])


def test_diff_shows_the_fixes_and_writes_nothing(tree: Tree, techfile: Run) -> None:
    root = tree({"req.md": REQUIREMENTS, "risk.md": RISKS})
    before = snapshot(root)
    result = techfile("check", "--diff", "--no-cache", "--select", CODES, cwd=root)
    assert result.code == 1
    for line in ("-version: 1.10\n", '+version: "1.10"\n', "-nxt_review: 2027-01-01\n"):
        assert line in result.out
    assert "+next_review: 2027-01-01\n" in result.out
    assert "-tilte: Risks\n+title: Risks\n" in result.out
    assert "+references: [SRS-001, SWR-41]\n" in result.out
    assert "--- a/req.md\n+++ b/req.md\n" in result.out
    assert snapshot(root) == before


def test_fix_writes_only_what_it_names_and_leaves_those_codes_clean(
    tree: Tree, techfile: Run
) -> None:
    root = tree({"req.md": REQUIREMENTS, "risk.md": RISKS, "notes.md": UNTOUCHED})
    (root / "risk.md").chmod(0o640)
    untouched = (root / "notes.md").read_bytes()
    result = techfile("check", "--fix", "--no-cache", "--select", "FM012,ID002", cwd=root)
    assert "applied to req.md, risk.md" in result.err
    assert (root / "notes.md").read_bytes() == untouched  # its FM006 was not selected
    assert (root / "risk.md").stat().st_mode & 0o777 == 0o640
    after = techfile("check", "--format", "json", "--no-cache", "--select", CODES, cwd=root)
    assert _codes(after) == ["FM006", "FM006"]  # the versions: FM006 was not selected
    assert after.code == 0


def test_an_uncertain_suggestion_is_not_applied(tree: Tree, techfile: Run) -> None:
    """Two ids equally close to the dangling one: the finding still suggests one, but --fix
    leaves the choice to a person."""
    requirements = REQUIREMENTS.replace(
        "  - {id: SWR-41", "  - {id: SWR-15, text: Other}\n  - {id: SWR-41"
    )
    risks = RISKS.replace("[SRS-01, SWR-14]", "[SWR-14]").replace("tilte", "title")
    root = tree({"req.md": requirements, "risk.md": risks})
    before = (root / "risk.md").read_text()
    techfile("check", "--fix", "--no-cache", "--select", "ID002", cwd=root)
    assert (root / "risk.md").read_text() == before


def test_a_rename_onto_an_existing_key_is_not_applied(tree: Tree, techfile: Run) -> None:
    risks = RISKS.replace("tilte: Risks\n", "tilte: Risks\ntitle: Risk analysis\n")
    root = tree({"risk.md": risks})
    techfile("check", "--fix", "--no-cache", "--select", "FM012", cwd=root)
    text = (root / "risk.md").read_text()
    assert "tilte: Risks\n" in text and text.count("title:") == 1


def test_fix_keeps_crlf_line_ends(tree: Tree, techfile: Run) -> None:
    root = tree({"req.md": REQUIREMENTS.replace("\n", "\r\n").encode()})
    techfile("check", "--fix", "--no-cache", "--select", "FM006", cwd=root)
    data = (root / "req.md").read_bytes()
    assert b'version: "1.10"\r\n' in data and b"\n" not in data.replace(b"\r\n", b"")


def test_a_changed_file_is_left_alone(tmp_path: Path) -> None:
    """An edit applies only where the file still holds the old text at its place."""
    from techfile.data.severity import Severity
    from techfile.engine.fix import plan_fixes
    from techfile.intake.sources import WorkTree
    from techfile.model.finding import Edit, Finding, Location

    (tmp_path / "a.md").write_text("---\nversion: 1.2\n---\n", encoding="utf-8")
    stale = Edit("a.md", 2, 10, "1.10", '"1.10"')
    finding = Finding("FM006", Severity.WARNING, "m", Location("a.md", 2, 10), edits=(stale,))
    plan = plan_fixes([finding], WorkTree(tmp_path, 1 << 20))
    assert plan.after == {} and plan.skipped == [finding]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--fix", "--example"], "not on the bundled example"),
        (["--diff", "--pre-commit"], "checks the staged content"),
        (["--fix", "--diff"], "choose one"),
    ],
)
def test_fix_refuses_runs_it_cannot_fix(
    tree: Tree, techfile: Run, args: list[str], said: str
) -> None:
    root = tree({"req.md": REQUIREMENTS})
    result = techfile("check", *args, cwd=root)
    assert result.code == 2 and said in result.err
