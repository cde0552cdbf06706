"""Precision of ID001-ID003 on other teams' real files: citations by title resolve the way a
reader resolves them, one missing target is one finding per citing document, template
placeholders are no citations, and one broken file does not cascade into a finding per
reference. The real files are the copies in fixtures/realworld/openregulatory-templates.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from techfile.cli import main
from techfile.model.document import Document
from techfile.model.titles import TitleIndex, is_template_text

ROOT = Path(__file__).resolve().parent.parent
OPENREG = ROOT / "fixtures" / "realworld" / "openregulatory-templates"
FMEA = "Failure Mode and Effects Analysis (FMEA): Risk Table"
CHECKLIST = "templates/general/checklist-mdr.md"
RISK_TABLE = "templates/techdoc/14971/risk-table-fmea.md"
AS_OF = "2026-12-07"
TARGET = r"(?:cites|refers to) (.+?)(?:,| in \d+ places)"


def _run(
    root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], select: str
) -> list[dict[str, object]]:
    monkeypatch.chdir(root)
    capsys.readouterr()
    code = main(["check", "--no-cache", "--as-of", AS_OF, "--select", select, "--format", "json"])
    out = capsys.readouterr().out
    assert code in (0, 1), out
    findings: list[dict[str, object]] = json.loads(out)["findings"]
    return findings


@pytest.fixture
def openregulatory(tmp_path: Path) -> Path:
    root = tmp_path / "openregulatory-templates"
    shutil.copytree(OPENREG, root)
    (root / ".techfile.toml").write_text('preset = "openregulatory"\n', encoding="utf-8")
    return root


def _tree(root: Path, files: dict[str, str]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


# --------------------------------------------------------------------------- titles (ID002)


def test_citations_by_title_resolve_like_a_reader_resolves_them(
    openregulatory: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    findings = _run(openregulatory, monkeypatch, capsys, "ID002,ID003")
    messages = " ".join(str(f["message"]) for f in findings)
    # `Risk Table` is the end of "Failure Mode and Effects Analysis (FMEA): Risk Table"
    assert " Risk Table," not in messages and "cites Risk Table" not in messages
    # "MDR GSPR Checklist" is "Checklist: MDR GSPR" with the sides of the colon swapped
    assert "MDR General Safety and Performance Requirements Checklist" not in messages
    lines = {f["line"] for f in findings if f["path"] == CHECKLIST}
    assert not lines & {11, 12, 13, 346, 347, 348, 349, 350}
    assert not [f for f in findings if f["code"] == "ID003"]


def test_title_matching_tiers() -> None:
    docs = [
        Document("a.md", "Checklist: MDR GSPR", "gspr-checklist", None, {}, {}),
        Document(
            "b.md", "Failure Mode and Effects Analysis (FMEA): Risk Table", None, None, {}, {}
        ),
        Document("c.md", "Software Test Report: App", None, None, {}, {}),
        Document("d.md", "Software Test Report: Cloud", None, None, {}, {}),
    ]
    titles = TitleIndex(docs)
    assert [d.path for d in titles.match("mdr gspr  checklist").documents] == ["a.md"]
    assert [d.path for d in titles.match("checklist - MDR GSPR").documents] == ["a.md"]
    assert [d.path for d in titles.match("Risk table").documents] == ["b.md"]
    assert len(titles.match("Software Test Report").documents) == 2  # ambiguous: ID003
    assert titles.match("Report").documents == ()  # one word never picks a document
    assert titles.match("Test-Report").documents == ()  # an id-like word is no title
    assert titles.match("(Risk Table)").documents == ()  # a template's placeholder


def test_an_ambiguous_title_is_id003_not_id002(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    head = "---\nid: {id}\ntype: test-report\ntitle: '{title}'\nsoftware_version: '1'\n---\n\n"
    root = _tree(
        tmp_path / "t",
        {
            "app.md": head.format(id="TR-1", title="Software Test Report: App") + "# A\n",
            "cloud.md": head.format(id="TR-2", title="Software Test Report: Cloud") + "# C\n",
            "ra.md": "---\nid: RA-1\ntype: risk-analysis\ntitle: Risks\n"
            "references: [Software Test Report]\n---\n\n# Risks\n",
            ".techfile.toml": "",
        },
    )
    findings = _run(root, monkeypatch, capsys, "ID002,ID003")
    assert [f["code"] for f in findings] == ["ID003"]
    assert "titles of several documents (TR-1, TR-2)" in str(findings[0]["message"])


# ---------------------------------------------------------------- one finding per target


def test_one_missing_target_is_one_finding_per_citing_document(
    openregulatory: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    findings = _run(openregulatory, monkeypatch, capsys, "ID002")
    manual = [f for f in findings if "User Manual" in str(f["message"])]
    assert len(manual) == 1
    assert "cites User Manual in 34 places (lines 152, 202," in str(manual[0]["message"])
    assert manual[0]["line"] == 152
    assert len(manual[0]["related"]) == 33  # type: ignore[arg-type]
    targets = [re.search(TARGET, str(f["message"])) for f in findings]
    names = [target.group(1) for target in targets if target]
    assert len(findings) == len(names) == len(set(names)) == 18


def test_the_fingerprint_follows_the_missing_target_not_its_rows(
    openregulatory: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _run(openregulatory, monkeypatch, capsys, "ID002")
    checklist = openregulatory / CHECKLIST
    lines = checklist.read_text(encoding="utf-8").split("\n")
    # the first row that cites the User Manual (line 152) stops citing it: the finding
    # moves, its fingerprint stays
    assert "User Manual<br>" in lines[151]
    lines[151] = lines[151].replace("User Manual<br>", "")
    checklist.write_text("\n".join(lines), encoding="utf-8")
    after = _run(openregulatory, monkeypatch, capsys, "ID002")

    def manual(found: list[dict[str, object]]) -> dict[str, object]:
        return next(f for f in found if "User Manual" in str(f["message"]))

    assert manual(before)["line"] != manual(after)["line"]
    assert manual(before)["fingerprint"] == manual(after)["fingerprint"]


def test_template_placeholders_are_no_citations(
    openregulatory: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    findings = _run(openregulatory, monkeypatch, capsys, "ID002")
    assert not [f for f in findings if f["path"] == RISK_TABLE]  # `Link Software Test ID`
    assert "Record of User Training" not in " ".join(str(f["message"]) for f in findings)
    for text in ("Link Usability Test ID", "(Record of User Training)", "{{ doc }}", "TBD"):
        assert is_template_text(text)
    for text in ("Risk Table", "SWR-12", "[R-07](risk.md#r-07)", "Linker Manual"):
        assert not is_template_text(text)


def test_rows_are_named_by_their_clause(
    openregulatory: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    findings = _run(openregulatory, monkeypatch, capsys, "ID002")
    messages = " ".join(str(f["message"]) for f in findings)
    # a table row's cell is named by its column, as the checklist heads it
    assert 'the "Evidence of Conformity" cell of GSPR 17.1 in Checklist' in messages
    assert '"Evidence of Conformity" cell of MDR Annex II 4.1.1(l) in Checklist' in messages
    assert "`evidence` of" not in messages
    assert " of None" not in messages


# -------------------------------------------------------------------------- cascades


REFERRING = (
    "---\nid: TM-1\ntype: threat-model\ntitle: Threats\nthreats:\n"
    "  - id: T-1\n    title: Tampering\n    safety_impact: serious\n"
    "    safety_impact_rationale: Dose.\n    risk_refs: [{refs}]\n---\n\n# Threats\n"
)


@pytest.mark.parametrize(
    ("broken", "refs"),
    [
        # FM001: the id is salvaged, the rows are not read
        (
            "---\nid: RA-1\ntype: risk-analysis\ntitle: [unclosed\n---\n\n# R\n",
            "RA-1:R-1, RA-1:R-2",
        ),
        # FM005: a type techfile does not know
        ("---\nid: RA-1\ntype: risk-analyses\ntitle: R\n---\n\n# R\n", "RA-1:R-1, RA-1:R-2"),
        # bare entry ids written in the raw text of the unreadable file
        ("---\nid: RA-1\ntype: risk-analysis\ntitle: [x\n---\n\n| R-1 | R-2 |\n", "R-1, R-2"),
    ],
)
def test_references_into_an_unreadable_file_give_one_finding(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    broken: str,
    refs: str,
) -> None:
    files = {"ra.md": broken, "tm.md": REFERRING.format(refs=refs), ".techfile.toml": ""}
    root = _tree(tmp_path / "t", files)
    findings = _run(root, monkeypatch, capsys, "ID002,ID003")
    assert len(findings) == 1, findings
    assert findings[0]["severity"] == "info"
    assert "may point into ra.md" in str(findings[0]["message"])
