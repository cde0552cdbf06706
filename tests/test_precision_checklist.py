"""Precision of FM004 and EV005 on a real GSPR checklist (OpenRegulatory's MDR checklist, copied
in fixtures/realworld with its licence and attribution), and the one reading of a checklist row
behind both (model/checklist.py):

- the unnumbered rows under 10.4.1, 22.2, 22.3, 23.4(r), (s) and (v) continue the requirement
  above them: no FM004 asks them for a number, and they are named `10.4.1, indent 1` ...;
- a lettered row's id is its full clause (`3(b)`, `11.1(b)`, `23.4(b)`), so findings on the
  (b) rows of different requirements are different findings in a baseline;
- the Annex II tables appended after Annex I are not GSPR rows; with the document's headings
  they are named after their sections (`4.6.1(b)`);
- what is still reported: a row that gives answers and that no reader can place.
"""

from __future__ import annotations

import json
import re
import shutil
import textwrap
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import CliResult
from techfile.cli import main
from techfile.intake.config import load_config, parse_settings
from techfile.intake.items import name_checklist_rows
from techfile.intake.parse import parse_bytes
from techfile.model.checklist import Kind, heading_label, read_checklist
from techfile.model.document import Document, Item

Tree = Callable[..., Path]
Run = Callable[..., CliResult]
ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "fixtures" / "realworld" / "openregulatory-templates"
CHECKLIST = "templates/general/checklist-mdr.md"
AS_OF = "2026-06-30"
HEADER = (
    "| No. | Requirement | Applicable | Rationale | Standard | Evidence |\n"
    "|---|---|---|---|---|---|\n"
)
LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):\d+: (?P<code>[A-Z]+\d+) \[\w+\] (?P<text>.*)$")


@pytest.fixture
def real(tmp_path: Path) -> Path:
    root = tmp_path / "openregulatory"
    shutil.copytree(REAL, root)
    (root / ".techfile.toml").write_text('preset = "openregulatory"\n', encoding="utf-8")
    return root


def _document(root: Path, path: str = CHECKLIST) -> Document:
    config = load_config(root, root / ".techfile.toml")
    parsed = parse_bytes(path, (root / path).read_bytes(), parse_settings(config))
    assert parsed.document is not None
    return parsed.document


def _check(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> list[re.Match[str]]:
    capsys.readouterr()
    main(["check", "--no-cache", "--as-of", AS_OF, *args, str(root)])
    found = [LINE.match(line) for line in capsys.readouterr().out.splitlines()]
    return [m for m in found if m is not None and m["path"] == CHECKLIST]


def _by_line(document: Document) -> dict[int, Item]:
    return {item.line: item for item in document.items["rows"]}


# ------------------------------------------------------------------ FM004 on the real checklist


def test_no_fm004_on_the_indents_and_the_appended_annex_ii_tables(
    real: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # 35 `rows[32] lacks the required key gspr` before: lines 51-54 (10.4.1), 204-209 (22.2,
    # 22.3), 276-290 (23.4(r), (s), (v)) and 330-391 (the Annex II sections). Every one is a
    # row the checklist answers under the requirement above it, or a lead-in of a section.
    monkeypatch.chdir(real)
    assert _check(real, capsys, "--select", "FM004") == []


def test_fm004_and_ev005_read_the_same_rows(
    real: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(real)
    found = _check(real, capsys, "--select", "EV002,EV005,FM004")
    # EV005 judges numbered and lettered GSPR rows only: 14.2(d) (a standard in the rationale
    # column) and 23.2(a)-(c) (no standard); EV002 the rows with no evidence at all. Not the
    # indents, not an Annex II row, and no FM004 on the rows EV005 reads as indents.
    assert [(int(m["line"]), m["code"]) for m in found] == [
        (111, "EV005"),
        (222, "EV002"),
        (227, "EV005"),
        (228, "EV005"),
        (229, "EV005"),
        (236, "EV002"),
        (243, "EV002"),
    ]
    assert "MDR Annex I 23.2(a) in" in found[2]["text"]


# ------------------------------------------------------------------ item ids: the full clause


def test_lettered_rows_are_named_by_their_full_clause(real: Path) -> None:
    rows = _by_line(_document(real))
    assert rows[11].id == "3(b)"
    assert rows[18].id == "4(b)"
    assert rows[74].id == "11.1(b)"
    assert rows[259].id == "23.4(b)"
    assert rows[296].id == "23.4(ab)"
    assert rows[55].id == "10.4.1(a)"  # after the indents of 10.4.1
    assert rows[11].get("gspr") == "(b)"  # the cell keeps what the author wrote
    assert rows[9].id == "3"


def test_rows_without_a_number_continue_the_row_above(real: Path) -> None:
    rows = _by_line(_document(real))
    assert [rows[line].id for line in (51, 52, 53, 54)] == [
        "10.4.1, indent 1",
        "10.4.1, indent 2",
        "10.4.1, indent 3",
        "10.4.1, continued",  # `shall only contain the following substances ...`
    ]
    assert [rows[line].id for line in (204, 205, 206, 208, 209)] == [
        "22.2, indent 1",
        "22.2, indent 2",
        "22.2, indent 3",
        "22.3, indent 1",
        "22.3, indent 2",
    ]
    assert rows[277].id == "23.4(r), indent 2"
    assert rows[284].id == "23.4(s), indent 6"
    assert rows[290].id == "23.4(v), continued"  # `If in accordance with the point (d) ...`


def test_every_annex_i_row_has_its_own_id(real: Path) -> None:
    document = _document(real)
    annex_i = [item for item in document.items["rows"] if item.line < 298]
    ids = Counter(item.id for item in annex_i)
    assert None not in ids
    assert [name for name, count in ids.items() if count > 1] == []


def test_the_appended_annex_ii_tables_are_named_after_their_sections(real: Path) -> None:
    document = _document(real)
    checklist = read_checklist(document.items["rows"], "gspr", document.headings)
    by_line = {row.item.line: row for row in checklist.rows}
    annex_ii = [row for row in checklist.rows if row.item.line > 298]
    assert annex_ii and not any(row.gspr for row in annex_ii)
    assert not any(row.is_requirement for row in annex_ii)
    assert by_line[306].name == "4.1.1(a)"  # `### 4.1.1) Device Description and Specification`
    assert by_line[357].name == "4.5(a)"
    assert by_line[368].name == "4.6.1(a)"  # both cite the Clinical Evaluation Report
    assert by_line[373].name == "4.6.1(b), indent 4"
    assert by_line[376].name == "4.6.1(b), continued"
    assert by_line[346].name == "4.4"  # the section's lead-in, with its own answer
    assert by_line[330].kind is Kind.LEAD_IN and not by_line[330].answers
    # and with the headings, intake gives every row that has a name a name of its own
    name_checklist_rows(document.items["rows"], "gspr", document.headings)
    named = Counter(item.id for item in document.items["rows"] if item.id is not None)
    assert [name for name, count in named.items() if count > 1] == []


def test_headings_of_requirements_and_of_indents(real: Path) -> None:
    document = _document(real)
    checklist = read_checklist(document.items["rows"], "gspr", document.headings)
    by_line = {row.item.line: row for row in checklist.rows}
    for line in (20, 203, 257, 275, 287):  # 5, 22.2, 23.4, 23.4(r), 23.4(v)
        assert checklist.has_points(by_line[line]), line
    for line in (7, 23, 202, 259):  # 1, 6, 22.1, 23.4(b)
        assert not checklist.has_points(by_line[line]), line


# ------------------------------------------------------------------ the issue: a baseline


def test_a_new_citation_on_a_b_row_is_not_hidden_by_the_baseline(
    real: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # In a copy after `techfile baseline write`, a dangling `Risk Table` added to 11.1(b) gave
    # `0 findings`: 3(b), 4(b) and 23.4(b) were all item `(b)` and cited `Risk Table` already.
    # `Risk Table` now resolves by title (the FMEA Risk Table); `User Manual` is really missing
    # and cited on (b) rows too (23.4(b)): one grouped finding, whose places the baseline counts.
    monkeypatch.chdir(real)
    capsys.readouterr()
    assert main(["baseline", "write", "--reason", "adopting techfile"]) == 0
    path = real / CHECKLIST
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[258].startswith("| (b) | the device's intended purpose")
    assert lines[258].endswith("| User Manual |")  # 23.4(b) cites it already
    baseline = json.loads((real / ".techfile-baseline.json").read_text(encoding="utf-8"))
    accepted = [
        e["count"] for e in baseline["findings"] if " cites User Manual in " in e["message"]
    ]
    assert len(accepted) == 1 and accepted[0] > 30  # one finding, 34 places
    assert lines[73].startswith("| (b) | allow easy and safe handling,")
    lines[73] = "| (b) | allow easy and safe handling, | Yes |  | ISO 14971:2019 | User Manual |"
    path.write_text("\n".join(lines), encoding="utf-8")
    found = _check(real, capsys)
    assert [(int(m["line"]), m["code"]) for m in found] == [(74, "ID002")]
    assert f"cites User Manual in {accepted[0] + 1} places (lines 74, 152, " in found[0]["text"]


def _blank_evidence(root: Path, *rows: int) -> None:
    """Empty the evidence cell of the checklist rows at these lines (1-based)."""
    path = root / CHECKLIST
    lines = path.read_text(encoding="utf-8").split("\n")
    for row in rows:
        assert lines[row - 1].startswith("| (b) |"), lines[row - 1]
        lines[row - 1] = lines[row - 1].rsplit("|", 2)[0] + "|  |"
    path.write_text("\n".join(lines), encoding="utf-8")


def test_findings_on_lettered_rows_have_their_own_fingerprints(
    real: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The (b) rows of 3, 4 and 23.4 cited `Risk Table` (now resolved by title) and `User
    # Manual` (now one finding for the document): without evidence, each is its own EV002.
    _blank_evidence(real, 11, 18, 259)
    monkeypatch.chdir(real)
    capsys.readouterr()
    main(["check", "--no-cache", "--as-of", AS_OF, "--format", "json", str(real)])
    findings = [f for f in json.loads(capsys.readouterr().out)["findings"]]
    annex_i = [f for f in findings if f["path"] == CHECKLIST and f["line"] < 298]
    fingerprints = Counter(f["fingerprint"] for f in annex_i)
    assert len(annex_i) >= 21
    assert [fp for fp, count in fingerprints.items() if count > 1] == []
    items = {f["line"]: (f["code"], f["item"]) for f in annex_i}
    assert (items[11], items[18], items[259]) == (
        ("EV002", "3(b)"),
        ("EV002", "4(b)"),
        ("EV002", "23.4(b)"),
    )


# ------------------------------------------------------------------ the general case


def _checklist(table: str, front: str = "") -> str:
    head = "id: GSPR-001\ntype: gspr-checklist\ntitle: GSPR checklist\nstatus: approved\n"
    return f"---\n{head}{front}---\n\n# GSPR checklist\n\n{HEADER}{textwrap.dedent(table)}"


def _fm004(tree: Tree, techfile: Run, text: str) -> list[str]:
    root = tree({"gspr.md": text, ".techfile.toml": 'as-of = "2026-01-15"\n'})
    result = techfile("check", "--no-cache", "--select", "FM004", cwd=root)
    return [line for line in result.lines if " FM004 " in line]


def _fm004_json(tree: Tree, techfile: Run, text: str) -> list[dict[str, Any]]:
    """The FM004 findings as JSON: what is wrong, why, and what to do."""
    root = tree({"gspr.md": text, ".techfile.toml": 'as-of = "2026-01-15"\n'})
    result = techfile("check", "--no-cache", "--select", "FM004", "--format", "json", cwd=root)
    return [f for f in result.json()["findings"] if f["code"] == "FM004"]


def test_a_row_with_answers_and_nothing_above_it_is_reported(tree: Tree, techfile: Run) -> None:
    text = _checklist(
        "| | Risks acceptable against benefits | Yes | | ISO 14971:2019 | RMP-001 |\n"
        "| 8 | Risks acceptable against benefits | Yes | | ISO 14971:2019 | RMP-001 |\n"
        "| | — and its indent | Yes | | ISO 14971:2019 | RMP-001 |\n"
    )
    found = _fm004(tree, techfile, text)
    assert len(found) == 1 and found[0].startswith("gspr.md:12:1: FM004 [error] this row of")
    assert "gives answers but no GSPR number" in found[0]
    (finding,) = _fm004_json(tree, techfile, text)
    assert "MDR Annex II asks for technical documentation that is unambiguous" in finding["why"]
    # the fix names the column as the checklist heads it
    assert 'Write its GSPR number in the "No." column' in finding["fix"]


def test_a_lead_in_without_answers_is_not(tree: Tree, techfile: Run) -> None:
    text = _checklist(
        "| | The following requirements apply: | | | | |\n"
        "| 8 | Risks | Yes | | ISO 14971:2019 | RMP-001 |\n"
    )
    assert _fm004(tree, techfile, text) == []


def test_a_letter_with_no_numbered_row_above_it_is_reported(tree: Tree, techfile: Run) -> None:
    text = _checklist(
        "| (a) | Ergonomic features | Yes | | IEC 62366-1:2015 | SRS-001 |\n"
        "| 8 | Risks | Yes | | ISO 14971:2019 | RMP-001 |\n"
    )
    found = _fm004(tree, techfile, text)
    assert len(found) == 1 and "is numbered only (a), and no numbered row stands above" in found[0]


def test_a_checklist_without_numbers_is_one_finding(tree: Tree, techfile: Run) -> None:
    text = _checklist("".join(f"| | Requirement {n} | Yes | | | SRS-001 |\n" for n in range(8)))
    found = _fm004(tree, techfile, text)
    assert len(found) == 1 and "no row of the checklist in GSPR-001 has a GSPR number" in found[0]


def test_front_matter_rows_are_a_list_not_a_layout(tree: Tree, techfile: Run) -> None:
    front = (
        "rows:\n"
        "  - gspr: '17.2'\n    applicable: true\n"
        "  - applicable: true\n    evidence: [SRS-001]\n"  # continues nothing
        "  - gspr: [17.4]\n    applicable: true\n"  # not text: the schema's finding, only
    )
    text = f"---\nid: GSPR-001\ntype: gspr-checklist\ntitle: T\nstatus: approved\n{front}---\n"
    found = _fm004(tree, techfile, text)
    assert len(found) == 2
    assert "gives answers but no GSPR number" in found[0]
    assert "should be text" in found[1]


def test_a_table_split_by_a_page_break_continues(tree: Tree, techfile: Run) -> None:
    # a table with numbered rows continues the lettered rows of the one before it; a table in
    # which no row is numbered is another part of the MDR, with or without a heading above it
    text = _checklist(
        "| 23.4 | The instructions for use shall contain: | | | | |\n"
        "| (a) | the particulars | Yes | | IEC 62304:2006 | IFU-001 |\n"
        "\n<div style='page-break-after: always'></div>\n\n"
        f"{HEADER}"
        "| (b) | the intended purpose | Yes | | IEC 62304:2006 | IFU-001 |\n"
        "| 23.5 | a requirement of the next table | Yes | | IEC 62304:2006 | IFU-001 |\n"
    )
    root = tree({"gspr.md": text})
    config = load_config(root, root / ".techfile.toml")
    parsed = parse_bytes("gspr.md", (root / "gspr.md").read_bytes(), parse_settings(config))
    assert parsed.document is not None
    assert [item.id for item in parsed.document.items["rows"]] == [
        "23.4",
        "23.4(a)",
        "23.4(b)",
        "23.5",
    ]


def test_section_labels_of_headings() -> None:
    def label(text: str) -> str | None:
        found: str | None = heading_label(((3, text, 10),), 12)
        return found

    assert label("4.1.1) Device Description and Specification") == "4.1.1"
    assert label("Annex II 1.1 Device description") == "Annex II 1.1"
    assert label("Annex II: Technical Documentation") == "Annex II"
    assert label("Device description") == "Device description"
    assert heading_label(((3, "2.1) Chemical", 20),), 12) is None  # below the table
