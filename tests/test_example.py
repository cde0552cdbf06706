"""The bundled example shows exactly its two deliberate defects, and nothing once fixed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from techfile.cli import main
from techfile.data.resources import bundled

T06_RISK_ROW = (
    "| R-15 | ECG recording modified in transit by an attacker | Manipulated recording is "
    'analysed and classified as "No signs of AF" | Missed AF leading to ischaemic stroke | '
    "security | S4 | P2 | No | RC-24 | S4 | P1 | Yes | TM-001:T-06 |"
)


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    code = main(args)
    return code, capsys.readouterr().out


def test_example_shows_exactly_the_two_headline_findings(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out = _run(["check", "--example"], capsys)
    lines = out.splitlines()
    assert code == 1
    assert [line.split(" ")[1] for line in lines] == ["EV001", "RM001"]
    ev001, rm001 = lines
    assert ev001.startswith("regulatory/conformity-matrix.md:53:")
    assert "ISMS-SOA-001" in ev001 and "EN IEC 81001-5-1:2022 7.2" in ev001
    assert "which needs product evidence" in ev001
    assert rm001.startswith("security/threat-model.md:79:")
    assert "T-06" in rm001 and "no ISO 14971 risk-analysis row" in rm001
    _, report = _run(["check", "--example", "--format", "json", "--select", "RM001"], capsys)
    (finding,) = json.loads(report)["findings"]
    assert "MDCG 2019-16 Rev.1 3.2" in finding["why"]
    assert "T-06 (Tampering with ECG recordings" in finding["fix"]


def _insert_after(path: Path, anchor: str, new_line: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith(anchor))
    lines.insert(index + 1, new_line)
    path.write_text("\n".join(lines), encoding="utf-8")


def fixed_copy(tmp_path: Path) -> Path:
    """The fixes of examples/DEFECTS.md, applied by content rather than by line number."""
    root = tmp_path / "connected-samd"
    shutil.copytree(bundled("examples") / "connected-samd", root)
    matrix = root / "regulatory" / "conformity-matrix.md"
    text = matrix.read_text(encoding="utf-8")
    assert "| 7.2 | ISMS-SOA-001 |" in text
    matrix.write_text(text.replace("| 7.2 | ISMS-SOA-001 |", "| 7.2 | TM-001 |"), "utf-8")
    _insert_after(root / "risk" / "risk-analysis.md", "| R-14 |", T06_RISK_ROW)
    threat_model = root / "security" / "threat-model.md"
    text = threat_model.read_text(encoding="utf-8")
    anchor = "    mitigations: [M-07, M-08, M-16]"
    assert text.count(anchor) == 1
    threat_model.write_text(
        text.replace(anchor, '    risk_refs: ["RA-001:R-15"]\n' + anchor), "utf-8"
    )
    _insert_after(
        root / "security" / "security-risk-assessment.md",
        '    safety_impact_rationale: A modified recording can be classified "No signs of AF".',
        '    risk_refs: ["RA-001:R-15"]',
    )
    return root


def test_fixed_example_is_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = fixed_copy(tmp_path)
    code, out = _run(["check", str(root), "--fail-on", "info", "--no-cache"], capsys)
    assert (code, out) == (0, "")


def test_fixed_example_is_clean_under_the_submission_profile(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = fixed_copy(tmp_path)
    code, out = _run(["check", str(root), "--profile", "submission", "--no-cache"], capsys)
    assert (code, out) == (0, "")


def test_fixing_only_the_soa_citation_leaves_rm001(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "connected-samd"
    shutil.copytree(bundled("examples") / "connected-samd", root)
    matrix = root / "regulatory" / "conformity-matrix.md"
    matrix.write_text(
        matrix.read_text("utf-8").replace("| 7.2 | ISMS-SOA-001 |", "| 7.2 | TM-001 |"), "utf-8"
    )
    code, out = _run(["check", str(root), "--no-cache"], capsys)
    assert code == 1
    assert [line.split(" ")[1] for line in out.splitlines()] == ["RM001"]
