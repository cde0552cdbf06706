"""Evidence family (EV001-EV007): data file, one defect one finding, device facts, odd input."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import CliResult
from techfile.data.clauses import MDR_FAMILY, clause_registry
from techfile.data.pages import load_pages
from techfile.data.resources import bundled
from techfile.data.schemas import validator
from techfile.rules.evidence.ev006_cybersecurity_gspr_rows_missing import required_rows

Tree = Callable[..., Path]
Run = Callable[..., CliResult]
TOML = 'as-of = "2026-01-15"\n'


def doc(front: str, body: str = "") -> str:
    text = f"---\n{textwrap.dedent(front).strip()}\n---\n\n# Document\n"
    return text + ("\n" + textwrap.dedent(body).strip() + "\n" if body else "")


def codes(result: CliResult) -> list[str]:
    return [line.split(": ", 1)[1].split(" ", 1)[0] for line in result.lines]


def check(tree: Tree, techfile: Run, files: dict[str, str], config: str = "", *args: str) -> Any:
    root = tree({".techfile.toml": TOML + config, **files})
    return techfile("check", "--no-cache", *args, cwd=root)


def found(
    tree: Tree, techfile: Run, files: dict[str, str], config: str = "", *args: str
) -> list[dict[str, Any]]:
    """The findings as JSON: what is wrong (`message`), why (`why`) and what to do (`fix`)."""
    result = check(tree, techfile, files, config, "--format", "json", *args)
    findings: list[dict[str, Any]] = result.json()["findings"]
    return findings


# --- shared documents ---------------------------------------------------------------------

ISMS_SOA = doc(
    """
    id: ISMS-SOA-001
    type: isms-soa
    title: Statement of Applicability
    status: approved
    """
)
ISMS_CERT = doc(
    """
    id: ISMS-CERT-001
    type: isms-certificate
    title: ISO/IEC 27001 certificate
    status: approved
    """
)
SOP = doc(
    """
    id: SOP-001
    type: qms-procedure
    title: Software development procedure
    status: approved
    """
)
ARCH = doc(
    """
    id: SEC-ARCH-001
    type: security-architecture
    title: Security architecture
    status: approved
    """
)


def matrix(rows: str, standard: str = "EN IEC 81001-5-1:2022") -> str:
    return doc(
        f"""
        id: CM-001
        type: conformity-matrix
        title: Conformity matrix
        standard: {standard}
        status: approved
        """,
        "| Clause | Evidence |\n|---|---|\n" + textwrap.dedent(rows).strip(),
    )


def checklist(rows: str, doc_id: str = "GSPR-001") -> str:
    return doc(
        f"""
        id: {doc_id}
        type: gspr-checklist
        title: GSPR checklist
        status: approved
        """,
        "| GSPR | Applicable | Standards | Evidence | Justification |\n|---|---|---|---|---|\n"
        + textwrap.dedent(rows).strip(),
    )


# --- the data file ------------------------------------------------------------------------


def test_gspr_requirements_file_validates_and_names_known_clauses() -> None:
    path = bundled("data") / "gspr-requirements.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    errors = [e.message for e in validator("gspr-requirements.schema.json").iter_errors(data)]
    assert not errors
    mdr = clause_registry().standards[MDR_FAMILY]
    ids = [row["gspr"] for row in data["rows"]]
    assert len(ids) == len(set(ids))
    for gspr in ids:
        assert gspr in mdr.clauses, gspr
    types = yaml.safe_load((bundled("data") / "types.yaml").read_text(encoding="utf-8"))["types"]
    assert set(data["software_document_types"]) <= set(types)


def test_ev006_page_names_every_required_row() -> None:
    clauses = set(load_pages()["EV006"].clauses)
    _, required = required_rows()
    assert {f"MDR Annex I {row.gspr}" for row in required} <= clauses


def test_ev007_page_names_only_clauses_that_take_support() -> None:
    registry = clause_registry()
    for text in load_pages()["EV007"].clauses:
        ref = registry.parse(text)
        assert ref is not None
        clause = registry.lookup(ref)
        assert clause is not None, text
        assert "organisational-supporting" in clause.accepts or clause.supporting, text


def test_no_rule_of_the_family_holds_a_gspr_list() -> None:
    package = Path(__file__).parent.parent / "src/techfile/rules/evidence"
    source = "".join(path.read_text() for path in sorted(package.glob("*.py")))
    for gspr in ("14.2(d)", "17.4", "18.8", "23.4(ab)", "5.1.2", "4.1.5"):
        assert gspr not in source


# --- one defect, one finding --------------------------------------------------------------


def test_organisational_only_row_gives_ev001_not_ev002(tree: Tree, techfile: Run) -> None:
    files = {"cm.md": matrix("| 7.2 | ISMS-SOA-001 |"), "soa.md": ISMS_SOA}
    assert codes(check(tree, techfile, files, "", "--select", "EV")) == ["EV001"]
    assert codes(check(tree, techfile, files, "", "--select", "EV002")) == ["EV002"]


def test_support_only_row_gives_ev002_not_ev007(tree: Tree, techfile: Run) -> None:
    files = {"cm.md": matrix("| 5.1.2 | ISMS-CERT-001 |"), "cert.md": ISMS_CERT}
    result = found(tree, techfile, files, "", "--select", "EV")
    assert [f["code"] for f in result] == ["EV002"]
    assert "cites only ISMS-CERT-001" in result[0]["message"]
    assert "ISMS-CERT-001 counts here only as support" in result[0]["why"]
    assert codes(check(tree, techfile, files, "", "--select", "EV007")) == ["EV007"]


def test_support_beside_process_evidence_is_silent(tree: Tree, techfile: Run) -> None:
    files = {
        "cm.md": matrix("| 5.1.2 | ISMS-CERT-001, SOP-001 |\n| 4.1.1 | ISMS-SOA-001, SOP-001 |"),
        "cert.md": ISMS_CERT,
        "soa.md": ISMS_SOA,
        "sop.md": SOP,
    }
    assert codes(check(tree, techfile, files, "", "--select", "EV")) == []


def test_empty_gspr_row_gives_ev002_not_ev005(tree: Tree, techfile: Run) -> None:
    files = {"gspr.md": checklist("| 17.2 | Yes | EN 62304:2006/A1:2015 | | |")}
    assert codes(check(tree, techfile, files, "", "--select", "EV002,EV005")) == ["EV002"]
    assert codes(check(tree, techfile, files, "", "--select", "EV005")) == ["EV005"]


def test_process_only_evidence_and_missing_standards_reports_the_evidence(
    tree: Tree, techfile: Run
) -> None:
    files = {"gspr.md": checklist("| 17.2 | Yes | | SOP-001 | |"), "sop.md": SOP}
    assert codes(check(tree, techfile, files, "", "--select", "EV002,EV005")) == ["EV002"]


def test_connected_device_not_applicable_188_is_ev006_only(tree: Tree, techfile: Run) -> None:
    files = {"gspr.md": checklist("| 18.8 | No | | | |")}
    config = '[device]\nsoftware_safety_class = "B"\nconnected = true\n'
    result = found(tree, techfile, files, config, "--select", "EV005,EV006")
    assert {f["code"] for f in result} == {"EV006"}  # the missing rows and the 18.8 row; no EV005
    marked = [f for f in result if "is marked not applicable" in f["message"]]
    assert len(marked) == 1 and "18.8" in marked[0]["message"]
    assert "the device is connected" in marked[0]["why"]
    assert 'its "Applicable" column' in marked[0]["fix"]  # the table's own header


def test_unknown_clause_is_ev004_and_not_ev002(tree: Tree, techfile: Run) -> None:
    files = {"cm.md": matrix("| 5.9 | SOP-001 |"), "sop.md": SOP}
    assert codes(check(tree, techfile, files, "", "--select", "EV")) == ["EV004"]


# --- EV002 --------------------------------------------------------------------------------


def test_dangling_evidence_is_left_to_id002(tree: Tree, techfile: Run) -> None:
    files = {"cm.md": matrix("| 5.7.4 | SOP-001, PENTEST-LOST |"), "sop.md": SOP}
    assert codes(check(tree, techfile, files, "", "--select", "EV002")) == []


def test_pentest_of_another_product_is_not_product_evidence(tree: Tree, techfile: Run) -> None:
    report = doc(
        """
        id: STR-9
        type: security-test-report
        title: Pentest
        status: approved
        test_object: {product: Office network}
        """
    )
    files = {"cm.md": matrix("| 5.7.4 | STR-9 |"), "str.md": report}
    config = '[device]\nname = "GlucoTrend"\n'
    assert codes(check(tree, techfile, files, config, "--select", "EV")) == ["EV001"]
    files["str.md"] = report.replace("Office network", "GlucoTrend")
    assert codes(check(tree, techfile, files, config, "--select", "EV")) == []


def test_matrix_of_unknown_standard_is_not_judged(tree: Tree, techfile: Run) -> None:
    files = {"cm.md": matrix("| A.8.25 | SOP-001 |", "ISO/IEC 27001:2022"), "sop.md": SOP}
    assert codes(check(tree, techfile, files, "", "--select", "EV")) == []


# --- EV003 --------------------------------------------------------------------------------


def test_register_status_wins_with_approval_source_register(tree: Tree, techfile: Run) -> None:
    register = doc(
        """
        id: REG-001
        type: document-register
        title: Document register
        status: approved
        """,
        "| ID | Status |\n|---|---|\n| SEC-ARCH-001 | draft |",
    )
    files = {
        "gspr.md": checklist("| 17.2 | Yes | EN 62304:2006/A1:2015 | SEC-ARCH-001 | |"),
        "arch.md": ARCH,
        "register.md": register,
    }
    assert codes(check(tree, techfile, files, "", "--select", "EV003")) == []
    config = 'approval-source = "register"\n'
    assert codes(check(tree, techfile, files, config, "--select", "EV003")) == ["EV003"]


# --- EV006 --------------------------------------------------------------------------------

FULL_ROWS = """
| 14.2(d) | Yes | EN IEC 81001-5-1:2022 | SEC-ARCH-001 | |
| 17.1 | Yes | EN 62304:2006/A1:2015 | SEC-ARCH-001 | |
| 17.2 | Yes | EN 62304:2006/A1:2015 | SEC-ARCH-001 | |
| 17.4 | Yes | EN IEC 81001-5-1:2022 | SEC-ARCH-001 | |
| 18.8 | Yes | EN IEC 81001-5-1:2022 | SEC-ARCH-001 | |
| 23.4(ab) | Yes | EN IEC 81001-5-1:2022 | SEC-ARCH-001 | |
"""


def test_device_without_software_needs_no_rows(tree: Tree, techfile: Run) -> None:
    files = {"gspr.md": checklist("| 1 | Yes | ISO 14971:2019 | SEC-ARCH-001 | |"), "a.md": ARCH}
    assert codes(check(tree, techfile, files, "", "--select", "EV006")) == []
    config = '[device]\nsoftware_safety_class = "A"\n'
    assert codes(check(tree, techfile, files, config, "--select", "EV006")) == ["EV006"] * 6


def test_no_checklist_is_not_a_missing_row(tree: Tree, techfile: Run) -> None:
    config = '[device]\nsoftware_safety_class = "A"\n'
    assert codes(check(tree, techfile, {"a.md": ARCH}, config, "--select", "EV006")) == []


@pytest.mark.parametrize(
    ("config", "description", "missing"),
    [
        ('software_version = "1.0"\n', "", []),
        ('software_version = "1.0"\ninteroperates = true\n', "", ["14.5"]),
        (
            'software_version = "1.0"\n',
            "interoperates: true\nmobile_platforms: true",
            ["14.5", "17.3"],
        ),
        ('software_version = "1.0"\nmobile_platforms = false\n', "mobile_platforms: false", []),
    ],
)
def test_conditional_rows_follow_device_facts(
    tree: Tree, techfile: Run, config: str, description: str, missing: list[str]
) -> None:
    files = {"gspr.md": checklist(FULL_ROWS), "a.md": ARCH}
    if description:
        files["dd.md"] = doc(f"id: DD-001\ntype: device-description\n{description}")
    result = check(tree, techfile, files, "[device]\n" + config, "--select", "EV006")
    assert [line.split("MDR Annex I ", 1)[1].split(" ", 1)[0] for line in result.lines] == missing


def test_rows_of_several_checklists_count_together(tree: Tree, techfile: Run) -> None:
    rows = FULL_ROWS.strip().splitlines()
    files = {
        "gspr-1.md": checklist("\n".join(rows[:3])),
        "gspr-2.md": checklist("\n".join(rows[3:]), "GSPR-002"),
        "a.md": ARCH,
    }
    config = '[device]\nsoftware_version = "1.0"\nconnected = true\n'
    assert codes(check(tree, techfile, files, config, "--select", "EV")) == []


def test_lettered_rows_continue_the_numbered_row_above(tree: Tree, techfile: Run) -> None:
    rows = FULL_ROWS.replace("| 14.2(d) |", "| 14.2 | | | | |\n| (d) |")
    rows = rows.replace("| 23.4(ab) |", "| 23.4 | | | | |\n| (ab) |")
    files = {"gspr.md": checklist(rows), "a.md": ARCH}
    config = '[device]\nsoftware_version = "1.0"\n'
    assert codes(check(tree, techfile, files, config, "--select", "EV")) == []


# --- odd input never crashes --------------------------------------------------------------


def test_values_of_any_type_do_not_crash(tree: Tree, techfile: Run) -> None:
    odd = doc(
        """
        id: GSPR-009
        type: gspr-checklist
        title: Odd checklist
        status: 7
        evidence_for: [{clause: 5}, null, 17, {standard: [1], clause: "17.2"}, "", "MDR Annex I"]
        waivers: "none"
        rows:
          - gspr: 17.2
            applicable: maybe
            evidence: {doc: 5}
            standards: "EN 62304"
            justification: [1, 2]
          - gspr: [17.4]
            applicable: true
            evidence: 12
          - gspr: "(b)"
          - "not a mapping"
          - gspr: "23.4"
          - gspr: "(zz)"
            applicable: false
            justification: ""
          - gspr: ""
            evidence: [null, {doc: GSPR-009}, [x]]
        """
    )
    matrix_doc = doc(
        """
        id: CM-009
        type: conformity-matrix
        title: Odd matrix
        standard: [EN IEC 81001-5-1:2022]
        rows:
          - clause: "5.1.1"
            evidence: CM-009
          - clause: {standard: EN IEC 81001-5-1:2022, clause: "7.2"}
            evidence: [ISMS-SOA-001]
        """
    )
    device = doc("id: DD-9\ntype: device-description\nconnected: maybe\nsoftware_version: 3")
    files = {"odd.md": odd, "cm.md": matrix_doc, "dd.md": device, "soa.md": ISMS_SOA}
    config = '[device]\nsoftware_safety_class = "B"\n'
    result = check(tree, techfile, files, config, "--select", "EV")
    assert result.code in (0, 1), result.err
    assert "EV004" in codes(result)  # 23.4(zz) does not exist


def test_obsolete_checklist_is_left_out(tree: Tree, techfile: Run) -> None:
    files = {
        "gspr.md": checklist("| 17.5 | Yes | | ISMS-SOA-001 | |").replace(
            "status: approved", "status: obsolete"
        ),
        "soa.md": ISMS_SOA,
    }
    config = '[device]\nsoftware_safety_class = "B"\n'
    assert codes(check(tree, techfile, files, config, "--select", "EV")) == []


def test_item_qualified_evidence_names_its_document(tree: Tree, techfile: Run) -> None:
    report = doc(
        """
        id: TR-001
        type: test-report
        title: Verification report
        status: draft
        """,
        "| ID | Title | Result |\n|---|---|---|\n| TC-12 | FHIR export | pass |",
    )
    files = {"gspr.md": checklist("| 14.5 | Yes | EN 62304:2006/A1:2015 | TR-001:TC-12 | |")}
    files["tr.md"] = report
    result = check(tree, techfile, files, "", "--select", "EV")
    assert codes(result) == ["EV003"]  # accepted as product evidence, but not released


def test_require_standards_can_be_switched_off(tree: Tree, techfile: Run) -> None:
    files = {"gspr.md": checklist("| 17.2 | Yes | | SEC-ARCH-001 | |"), "a.md": ARCH}
    assert codes(check(tree, techfile, files, "", "--select", "EV005")) == ["EV005"]
    config = "[rules.EV005]\nrequire-standards = false\n"
    assert codes(check(tree, techfile, files, config, "--select", "EV005")) == []


ANNEX_II_AFTER_ANNEX_I = """---
id: GSPR-001
type: gspr-checklist
title: GSPR checklist
status: approved
---

# GSPR checklist

| No. | Requirement | Applicable | Rationale | Applicable standard | Evidence of conformity |
|---|---|---|---|---|---|
| 23.4 | Instructions for use | | | | |
| (a) | Particulars of 23.2 | Yes | | IEC 62304:2006 | |
| (b) | Intended purpose | Yes | | IEC 62304:2006 | |

## Annex II 1.1 Device description

| No. | Requirement | Applicable | Rationale | Applicable standard | Evidence of conformity |
|---|---|---|---|---|---|
| (a) | Product or trade name | Yes | | | |
| (b) | Basic UDI-DI | Yes | | | |

## Annex II 1.2 Previous generations

| No. | Requirement | Applicable | Rationale | Applicable standard | Evidence of conformity |
|---|---|---|---|---|---|
| (a) | Overview of previous generations | Yes | | | |
"""


def test_lettered_rows_after_a_heading_continue_no_row_above(tree, techfile) -> None:
    """OpenRegulatory's MDR checklist follows Annex I with Annex II sections numbered (a),
    (b), ...: they are neither 23.4(a) again (ID001, EV005) nor ids of their own."""
    root = tree({"gspr.md": ANNEX_II_AFTER_ANNEX_I})
    result = techfile("check", "--select", "ID001,EV005", "--format", "json", cwd=root)
    findings = json.loads(result.out)["findings"]
    assert [(f["code"], f["line"]) for f in findings] == [("EV005", 13), ("EV005", 14)]
