"""Precision of the secure-lifecycle and submission rules on other teams' real files.

SDL001 reports one finding per missing kind of evidence, and one finding (not eighteen) for a
technical file without product-security documentation, placed where the evidence is listed or
on no file, never on the configuration. Documents without a status follow one policy
(`techfile.model.register.release`): not judged by the content rules, said once per run, and
listed in one SUB001 finding at submission. The real files are the copies in fixtures/realworld
(licences and attribution beside them).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from techfile.data.clauses import clause_registry
from techfile.data.pages import load_pages
from techfile.data.resources import bundled
from techfile.engine.pipeline import RunOptions
from techfile.engine.run import run
from techfile.intake.config import load_config
from techfile.model.document import Document
from techfile.model.finding import Finding
from techfile.model.register import APPROVED, UNRELEASED, UNSTATED, approval_row
from techfile.model.table import Table

Tree = Callable[..., Path]
Run = Callable[..., Any]

REALWORLD = Path(__file__).resolve().parent.parent / "fixtures" / "realworld"
STD = "EN IEC 81001-5-1:2022"
CONNECTED = '[device]\nname = "GlucoTrend"\nconnected = true\n'
GSTT_CYBER = "CSC-F-024-Cyber-Security-Template.md"
RDM_CYBER = "rdm/init_files/documents/cyber_security.md"


def _copy(tmp_path: Path, folder: str, preset: str, extra: str = "") -> Path:
    target = tmp_path / folder
    shutil.copytree(REALWORLD / folder, target)
    (target / ".techfile.toml").write_text(f'preset = "{preset}"\n{extra}', encoding="utf-8")
    return target


def _findings(techfile: Run, root: Path, *args: str) -> list[dict[str, Any]]:
    result = techfile("check", "--no-cache", "--format", "json", *args, cwd=root)
    assert result.code in (0, 1), result.err
    found: list[dict[str, Any]] = result.json()["findings"]
    return found


def _sdl001(techfile: Run, root: Path) -> list[dict[str, Any]]:
    return _findings(techfile, root, "--select", "SDL001")


def _explained(root: Path, code: str) -> list[Finding]:
    """The rule's findings with their `why` and `fix` (the JSON of other runs may lack them)."""
    config = load_config(root, root / ".techfile.toml")
    result = run(config, RunOptions(select=(code,), use_cache=False))
    return [f for f in result.findings if f.code == code]


def doc(doc_id: str, doc_type: str, *, status: str | None = "approved", extra: str = "") -> str:
    state = f"status: {status}\n" if status else ""
    return (
        f"---\nid: {doc_id}\ntype: {doc_type}\ntitle: {doc_id}\n{state}{extra}---\n\n# {doc_id}\n"
    )


# --- a technical file without product-security documentation: one finding ----------------------


def test_openregulatory_gets_one_finding_on_the_gspr_row_of_17_2(
    tmp_path: Path, techfile: Run
) -> None:
    root = _copy(tmp_path, "openregulatory-templates", "openregulatory")
    found = _sdl001(techfile, root)
    assert len(found) == 1  # was 18, 10 of them on the ISO 27001 mapping
    finding = found[0]
    assert (finding["path"], finding["line"]) == ("templates/general/checklist-mdr.md", 150)
    message = finding["message"]
    assert message.startswith("the technical file has no product-security documentation")
    assert f"{STD} secure life cycle" in message and len(message) <= 120
    (explained,) = _explained(root, "SDL001")
    assert explained.message == message
    assert explained.why.startswith(f"{STD} asks for a record of each activity")
    assert "MDR Annex I 17.2 (" in explained.why and " and 17.4 (" in explained.why
    assert explained.fix.startswith("Start with a product security (cybersecurity) plan")
    assert "`type: security-plan`" in explained.fix and "`type: threat-model`" in explained.fix
    # the SOUP list, which states no status, is not judged: it covers clause 8
    assert "(4.1.7, 4.3, 5.1.1" in explained.why and ", 8," not in explained.why


def test_openregulatory_preset_does_not_type_the_27001_mapping_as_a_conformity_matrix(
    tmp_path: Path, techfile: Run
) -> None:
    root = _copy(tmp_path, "openregulatory-templates", "openregulatory")
    mapping = "templates/information_security/27001-mapping.md"
    everything = _findings(techfile, root)
    on_mapping = {f["code"] for f in everything if f["path"] == mapping}
    assert on_mapping == {"FM007"}  # unclassified: no type fits an ISMS mapping
    assert not any(f["code"] == "SDL001" and f["path"].endswith(".toml") for f in everything)


@pytest.mark.parametrize("folder", ["OpenSaMD", "Fabrizio250-test_ct_covid"])
def test_a_file_without_gspr_checklist_gets_one_finding_on_no_file(
    tmp_path: Path, techfile: Run, folder: str
) -> None:
    root = _copy(tmp_path, folder, "openregulatory")
    found = _sdl001(techfile, root)
    assert len(found) == 1
    assert found[0]["path"] == ""  # the technical file as a whole, not .techfile.toml
    assert "has no product-security documentation" in found[0]["message"]
    text = techfile("check", "--no-cache", "--select", "SDL001", cwd=root)
    assert text.out.count(" SDL001 ") == 1


def test_a_file_level_finding_can_be_suppressed_with_the_empty_path(
    tmp_path: Path, techfile: Run
) -> None:
    ignore = (
        '[[per-file-ignores]]\npaths = [""]\nrules = ["SDL001"]\n'
        'reason = "Security file kept elsewhere"\n'
    )
    root = _copy(tmp_path, "OpenSaMD", "openregulatory", ignore)
    assert _sdl001(techfile, root) == []


# --- a technical file with some security documentation: one finding per kind of evidence -------


def test_rdm_reports_each_missing_kind_once_and_nothing_on_the_configuration(
    tmp_path: Path, techfile: Run
) -> None:
    root = _copy(tmp_path, "innolitics-rdm", "rdm")
    found = _sdl001(techfile, root)
    assert not any(f["path"] == ".techfile.toml" for f in found)  # 18 were there before
    testing = [f for f in found if "5.7.1" in f["message"]]
    assert len(testing) == 1  # 5.7.1 to 5.7.4: one missing security test report
    assert testing[0]["message"] == (
        "no approved security test report or other document covers "
        "EN IEC 81001-5-1:2022 5.7.1, 5.7.2, 5.7.3, 5.7.4"
    )
    # CYBSEC-001 states no status: techfile does not call it unapproved, so it covers 7.3
    assert not any("security risk assessment (" in f["message"] for f in found)
    explained = _explained(root, "SDL001")
    assert [f.message for f in explained] == [f["message"] for f in found]
    assert not any("not given" in f.fix or "not given" in f.why for f in explained)
    on_cyber = [f for f in explained if f.location.path == RDM_CYBER]
    assert on_cyber and all(f.fix.startswith("If CYBSEC-001") for f in on_cyber)
    assert len(found) == len({f["message"] for f in found})


def test_documents_without_status_are_counted_once_per_run(tmp_path: Path, techfile: Run) -> None:
    root = _copy(tmp_path, "innolitics-rdm", "rdm")
    result = techfile("check", "--no-cache", "--select", "SDL001", cwd=root)
    notices = [line for line in result.err.splitlines() if "carry no status" in line]
    assert len(notices) == 1 and notices[0].startswith("techfile: 5 documents carry no status")


def test_gstt_empty_approval_row_is_not_an_approval(tmp_path: Path, techfile: Run) -> None:
    root = _copy(tmp_path, "GSTT-CSC-QMS-Template", "gstt")
    found = _sdl001(techfile, root)
    risk = [f for f in found if "security risk assessment (" in f["message"]]
    assert len(risk) == 1
    assert (risk[0]["path"], risk[0]["line"]) == (GSTT_CYBER, 30)  # the `**Approval**` row
    (explained,) = [f for f in _explained(root, "SDL001") if f.message == risk[0]["message"]]
    assert "would count once approved (its Approval row is empty)" in explained.fix
    assert not any(f["path"] == ".techfile.toml" for f in found)


def test_gstt_filled_approval_row_is_an_approval(tmp_path: Path, techfile: Run) -> None:
    root = _copy(tmp_path, "GSTT-CSC-QMS-Template", "gstt")
    cyber = root / GSTT_CYBER
    text = cyber.read_text(encoding="utf-8")
    cyber.write_text(
        text.replace(
            "| **Approval** |              |", "| **Approval** | A. Example, 2025-03-01 |"
        ),
        encoding="utf-8",
    )
    found = _sdl001(techfile, root)
    assert not any("security risk assessment (" in f["message"] for f in found)
    submission = _findings(techfile, root, "--profile", "submission", "--select", "SUB001")
    assert not any(f["path"] == GSTT_CYBER for f in submission)


def test_approval_row_reader() -> None:
    def row(*tables: Table) -> tuple[str, str, int] | None:
        found = approval_row(Document("a.md", "A-1", "ifu", "product", {}, {}, tables=tables))
        return (found[0], found[1], found[2].line) if found else None

    # GSTT's "General" table: blank header, `**Approval**` row left empty
    general = Table(27, ("", ""), ((29, ("**Author**", "A")), (30, ("**Approval**", ""))))
    assert row(general) == ("Approval", "", 30)
    filled = Table(5, ("Approved by", "Date"), ((7, ("Dr. B", "2025-01-02")),))
    assert row(filled) == ("Approved by", "Dr. B", 7)
    roles = Table(9, ("Role", "Task", "Who"), ((11, ("Approval", "signs", "QA")),))
    assert row(roles) is None  # only a key/value table or an `Approved by` column is a record
    assert {APPROVED, UNRELEASED, UNSTATED} == {"approved", "unreleased", "unstated"}


# --- kinds of evidence: merged when the fix is the same, apart when it is not --------------------


def _full_file() -> dict[str, str]:
    base = bundled("fixtures") / "SDL001-lifecycle-evidence-missing" / "pass"
    return {str(p.relative_to(base)): p.read_text(encoding="utf-8") for p in base.rglob("*.md")}


def test_one_draft_report_and_one_wrong_test_type_are_two_defects(
    tree: Tree, techfile: Run
) -> None:
    files = _full_file()
    report = "verification/security-test-report.md"
    files[report] = (
        files[report]
        .replace("status: approved", "status: draft")
        .replace(
            "test_type: [penetration-test, vulnerability-scan]", "test_type: vulnerability-scan"
        )
    )
    root = tree(files, config='as-of = "2026-01-15"\n' + CONNECTED)
    found = _explained(root, "SDL001")
    assert len(found) == 2
    draft = next(f for f in found if "would count once approved" in f.fix)
    assert draft.message.endswith("covers EN IEC 81001-5-1:2022 5.7.1, 5.7.2, 5.7.3")
    assert draft.fix.startswith("Approve STR-001") and "(status: `draft`)." in draft.fix
    kind = next(f for f in found if "names no penetration testing" in f.fix)
    assert kind.message.endswith("covers the penetration testing (EN IEC 81001-5-1:2022 5.7.4)")
    assert kind.fix.startswith("If STR-001 (verification/security-test-report.md) includes")


def test_a_file_with_security_documentation_is_not_told_it_has_none(
    tree: Tree, techfile: Run
) -> None:
    files = {"security/threat-model.md": doc("TM-001", "threat-model")}
    root = tree(files, config='as-of = "2026-01-15"\n' + CONNECTED)
    found = _sdl001(techfile, root)
    assert found and not any("no product-security documentation" in f["message"] for f in found)
    assert all(f["path"] in ("", "security/threat-model.md") for f in found)


def test_an_isms_soa_cited_for_the_standard_is_no_product_security_documentation(
    tree: Tree, techfile: Run
) -> None:
    soa = doc("ISMS-SOA-001", "isms-soa", extra=f"evidence_for:\n  - {STD} 7.2\n")
    root = tree({"isms/soa.md": soa}, config='as-of = "2026-01-15"\n' + CONNECTED)
    found = _sdl001(techfile, root)
    assert len(found) == 1 and "no product-security documentation" in found[0]["message"]


# --- SUB001: grammar and the one finding for documents without a status -----------------------


@pytest.mark.parametrize(
    ("status", "words"),
    [("draft", "is a draft, not approved"), ("in-review", "is still in review, not approved")],
)
def test_sub001_says_what_the_status_is(tree: Tree, techfile: Run, status: str, words: str) -> None:
    root = tree({"rmp.md": doc("RMP-001", "risk-management-plan", status=status)})
    found = _findings(techfile, root, "--profile", "submission", "--select", "SUB001")
    assert len(found) == 1 and words in found[0]["message"]
    assert "is no status" not in found[0]["message"]
    assert "ISO 13485:2016 4.2.4 and MDR Annex II 4" in found[0]["why"]
    assert found[0]["fix"].startswith("Approve it, with its version and approval record,")


def test_sub001_names_a_status_it_does_not_know_as_written(tree: Tree, techfile: Run) -> None:
    root = tree({"rmp.md": doc("RMP-001", "risk-management-plan", status="final")})
    found = _findings(techfile, root, "--profile", "submission", "--select", "SUB001")
    assert [f["message"] for f in found] == ["RMP-001 has the status `final`, not `approved`"]


def test_sub001_lists_documents_without_status_in_one_finding(
    tmp_path: Path, techfile: Run
) -> None:
    root = _copy(tmp_path, "openregulatory-templates", "openregulatory")
    found = _findings(techfile, root, "--profile", "submission", "--select", "SUB001")
    assert len(found) == 1
    finding = found[0]
    assert finding["message"].startswith("9 documents state no status and carry no approval")
    assert "and 4 more" in finding["message"]
    assert len(finding["related"]) == 8


def test_sub001_reports_gstt_empty_approval_rows_at_the_row(tmp_path: Path, techfile: Run) -> None:
    root = _copy(tmp_path, "GSTT-CSC-QMS-Template", "gstt")
    found = _findings(techfile, root, "--profile", "submission", "--select", "SUB001")
    rows = [f for f in found if "its Approval row is empty" in f["message"]]
    assert {(f["path"], f["line"]) for f in rows} >= {(GSTT_CYBER, 30)}
    assert all("is not approved: its Approval row is empty" in f["message"] for f in rows)


# --- the pages: editions, Table A.1, the yearly review -----------------------------------------


def test_sdl_and_sub_page_headers_name_clauses_as_the_registry_displays_them() -> None:
    registry = clause_registry()
    for code, page in load_pages().items():
        if not code.startswith(("SDL", "SUB")):
            continue
        for written in page.clauses:
            ref = registry.parse(written)
            if ref is not None and ref.family is not None:
                assert registry.display(ref) == written, f"{code}: {written}"


def test_sdl008_names_mdcg_2019_16_with_its_revision(tree: Tree, techfile: Run) -> None:
    threat_model = doc(
        "TM-1", "threat-model", extra="mitigations:\n  - {id: M-2, implemented_by: operator}\n"
    )
    root = tree({"tm.md": threat_model}, config='as-of = "2026-01-15"\n')
    found = _explained(root, "SDL008")
    assert len(found) == 1 and "MDCG 2019-16 Rev.1 3.6" in found[0].why
    assert found[0].message.endswith(
        "relies on the operator, but the technical file has no IT "
        "security requirements or IFU document"
    )


def _pentest(level: str) -> str:
    return doc(
        "STR-1",
        "security-test-report",
        extra=(
            "test_type: penetration-test\ntest_object:\n  product: GlucoTrend\n"
            f"  software_version: '1.0'\nindependence:\n  level: {level}\n  means: x\n"
        ),
    )


@pytest.mark.parametrize(
    ("level", "warned"),
    [
        ("none", True),
        ("independent-person", True),
        ("independent-department", False),
        ("independent-organisation", False),
    ],
)
def test_sdl003_warns_below_the_table_a1_level_for_penetration_tests(
    tree: Tree, techfile: Run, level: str, warned: bool
) -> None:
    root = tree({"str.md": _pentest(level)}, config='as-of = "2026-01-15"\n' + CONNECTED)
    found = _explained(root, "SDL003")
    assert bool(found) is warned
    if warned:
        assert found[0].severity.label == "warning"
        assert found[0].message.endswith(f"by testers with independence level `{level}`")
        assert found[0].why.startswith(f"Table A.1 in the informative Annex A of {STD}")


def test_sdl003_minimum_level_is_an_option(tree: Tree, techfile: Run) -> None:
    config = (
        'as-of = "2026-01-15"\n[rules.SDL003]\n'
        'penetration-test-independence = "independent-organisation"\n'
    )
    root = tree({"str.md": _pentest("independent-department")}, config=config + CONNECTED)
    found = _explained(root, "SDL003")
    assert len(found) == 1 and found[0].fix.endswith("repeated by an independent organisation.")
    assert "recommends penetration testing by an independent organisation" in found[0].why


def test_sdl004_page_states_the_yearly_review_and_its_default_matches() -> None:
    page = load_pages()["SDL004"]
    assert page.options["max-age-months"]["default"] == 12
    assert f"{STD} 7.2 requires the threat model" in page.sections["why it matters"]
    assert "at least once a year" in page.sections["why it matters"]
    assert "not been able to check" not in page.sections["why it matters"]


# --- references typed by what the page says they name: "a test or a document" ------------------

_REQUIREMENTS = """---
id: SEC-REQ-001
type: security-requirements
title: Security requirements
status: approved
requirements:
  - {id: SR-1, text: Sessions expire after 15 minutes, verified_by: [T-1]}
  - {id: SR-2, text: Readings are signed, verified_by: [TR-001]}
  - {id: SR-3, text: Logs are kept, verified_by: [TR-001:TC-1]}
---

# Security requirements
"""
_THREATS = """---
id: TM-001
type: threat-model
title: Threat model
status: approved
threats:
  - {id: T-1, title: Session hijack, safety_impact: none, safety_impact_rationale: No dosing}
mitigations:
  - {id: M-1, description: Session expiry, implemented_by: product, verified_by: [SR-1]}
  - {id: M-2, description: Signed readings, implemented_by: product, verified_by: [TC-1]}
---

# Threat model
"""
_TESTS = """---
id: TR-001
type: test-report
title: Test report
status: approved
tests:
  - {id: TC-1, title: Log retention, result: pass}
---

# Test report
"""


def test_a_verification_that_names_a_requirement_or_a_threat_is_no_test(tree: Tree) -> None:
    """SDL002/SDL007 pages: verification is "a test or a document"; a requirement or a threat
    named there verifies nothing, and the finding says what the reference resolved to."""
    files = {"req.md": _REQUIREMENTS, "tm.md": _THREATS, "tr.md": _TESTS}
    root = tree(files, config='as-of = "2026-01-15"\n' + CONNECTED)
    (requirement,) = _explained(root, "SDL007")
    assert requirement.location.item_id == "SR-1"
    assert "names T-1 (a threat of TM-001), not a test" in requirement.message
    (mitigation,) = _explained(root, "SDL002")
    assert mitigation.location.item_id == "M-1"
    assert "names SR-1 (a requirement of SEC-REQ-001), not a test" in mitigation.message
