"""SUB002 on a template's instructions left where a citation belongs: ID002 does not take
`Link Software Test ID` for a citation, so the submission gate reports it, once per
instruction and document, on OpenRegulatory's own risk table."""

from __future__ import annotations

import shutil
from pathlib import Path

from techfile.cli import main
from techfile.model.titles import is_left_over_instruction

ROOT = Path(__file__).resolve().parents[1]


def test_instructions_are_told_from_answers() -> None:
    for text in ("Link Software Test ID", "(Record of User Training)", "{{ test }}", "TBD"):
        assert is_left_over_instruction(text), text
    for text in ("n/a", "-", "none", "TR-001", "Risk Table", "User Manual"):
        assert not is_left_over_instruction(text), text


def test_the_submission_gate_reports_each_instruction_once(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    root = tmp_path / "or"
    shutil.copytree(ROOT / "fixtures" / "realworld" / "openregulatory-templates", root)
    (root / ".techfile.toml").write_text('preset = "openregulatory"\n', encoding="utf-8")
    monkeypatch.chdir(root)
    capsys.readouterr()
    code = main(["check", "--no-cache", "--profile", "submission", "--select", "SUB002"])
    lines = capsys.readouterr().out.splitlines()
    found = [
        (line.split(":", 1)[0], line.split("`")[1])
        for line in lines
        if "template's instruction" in line
    ]
    assert code == 1
    assert ("templates/techdoc/14971/risk-table-fmea.md", "Link Software Test ID") in found
    assert len(found) == len(set(found))  # one finding per instruction and document
