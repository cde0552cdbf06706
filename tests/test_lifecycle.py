"""The SDL rules (EN IEC 81001-5-1 secure lifecycle): data file, edge cases, ownership."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from techfile.data.clauses import clause_registry
from techfile.data.pages import load_pages
from techfile.data.registry import type_registry
from techfile.data.resources import bundled
from techfile.data.schemas import validator
from techfile.engine.pipeline import RunOptions
from techfile.engine.run import run
from techfile.fixture_tree import materialise
from techfile.intake.config import load_config
from techfile.model.finding import Finding
from techfile.model.lifecycle import has_phrase as _has_phrase
from techfile.model.lifecycle import lifecycle_data
from techfile.rules.lifecycle.sdl004_threat_model_review_overdue import _add_months
from techfile.rules.lifecycle.sdl005_security_test_not_on_product_version import _version_key

Tree = Callable[..., Path]
Run = Callable[..., Any]

CONNECTED = '[device]\nname = "GlucoTrend"\nconnected = true\n'
STD = "EN IEC 81001-5-1:2022"


def doc(
    doc_id: str, doc_type: str, *, status: str = "approved", extra: str = "", body: str = ""
) -> str:
    return (
        f"---\nid: {doc_id}\ntype: {doc_type}\ntitle: {doc_id}\nstatus: {status}\n{extra}---\n\n"
        f"# {doc_id}\n{body}"
    )


def codes(result: Any, code: str) -> list[str]:
    return [line for line in result.lines if f" {code} " in line]


def explained(root: Path, code: str) -> list[Finding]:
    """The rule's findings with their `why` and `fix`, which the text format does not show."""
    config = load_config(root, root / ".techfile.toml")
    result = run(config, RunOptions(select=(code,), use_cache=False))
    return [f for f in result.findings if f.code == code]


# --- the data file ----------------------------------------------------------------------


def test_data_file_validates_against_its_schema() -> None:
    data = yaml.safe_load((bundled("data") / "lifecycle.yaml").read_text(encoding="utf-8"))
    errors = list(validator("lifecycle.schema.json").iter_errors(data))
    assert not errors, [e.message for e in errors]


def test_data_file_names_known_clauses_and_types() -> None:
    data = lifecycle_data()
    registry = clause_registry()
    family = registry.family_of(data.standard)
    assert family is not None
    clauses = registry.standards[family].clauses
    types = type_registry().types
    ids = [a.id for a in data.activities]
    assert len(ids) == len(set(ids))
    for activity in data.activities:
        for clause in activity.clauses:
            assert clause in clauses, f"{activity.id}: {clause}"
        for type_name in (*activity.types, *activity.also_in):
            assert type_name in types, f"{activity.id}: {type_name}"
        assert not set(activity.types) & set(activity.also_in), activity.id
    for type_name in data.applies_when_types:
        assert type_name in types
    assert data.activity("penetration-testing") is not None  # SDL003 reads its words
    schema = yaml.safe_load(
        (bundled("schemas") / "types" / "it-security-requirements.schema.json").read_text()
    )
    fields = set(schema["properties"])
    for part in data.it_requirements:
        assert part.field in fields


def test_sdl001_page_lists_exactly_the_data_clauses() -> None:
    data = lifecycle_data()
    expected = {f"{data.standard} {c}" for a in data.activities for c in a.clauses}
    assert set(load_pages()["SDL001"].clauses) == expected


def test_helpers() -> None:
    import datetime

    assert _add_months(datetime.date(2024, 2, 29), 12) == datetime.date(2025, 2, 28)
    assert _add_months(datetime.date(2025, 10, 31), 4) == datetime.date(2026, 2, 28)
    assert _version_key("v4.2.0+1187") == "4.2.0"
    assert _version_key(" 4.2.0 ") == "4.2.0"
    assert _version_key("very-1") == "very-1"
    assert _has_phrase("Protection against unauthorized access", ["unauthori"])
    assert not _has_phrase("Cybersecurity measures", ["security"])  # word starts only
    assert _has_phrase("6 IT network characteristics", ["network"])


# --- bad input never crashes ---------------------------------------------------------------


def test_wrong_value_types_do_not_crash(tree: Tree, techfile: Run) -> None:
    root = tree(
        {
            "tm.md": doc(
                "TM-1",
                "threat-model",
                extra=(
                    "approvals: oops\nreviews: [1, {date: 5}, {date: not-a-date}]\n"
                    "mitigations:\n  - id: M-1\n    implemented_by: [user]\n    verified_by: 7\n"
                    "  - id: M-2\n    implemented_by: 3\n  - {id: M-3, implemented_by: user}\n"
                ),
            ),
            "str.md": doc(
                "STR-1",
                "security-test-report",
                extra=(
                    "test_object: just a string\nindependence: 5\ntest_type: {a: 1}\n"
                    "findings:\n  - {id: F-1, status: 3}\n  - {id: F-2, status: [open]}\n"
                    "delta_rationale: [1]\n"
                ),
            ),
            "str2.md": doc(
                "STR-2",
                "security-test-report",
                extra="test_object: {product: [1], software_version: {a: 1}}\nindependence: []\n",
            ),
            "itsec.md": doc(
                "ITSEC-1", "it-security-requirements", extra="hardware: 5\nmitigations: 4\n"
            ),
            "ifu.md": doc("IFU-1", "ifu", extra="references: {a: b}\n"),
            "sr.md": doc("SR-DOC", "security-requirements", extra="requirements: [1, {id: R}]\n"),
            "rel.md": doc("REL-1", "release-record"),
            "cm.md": doc(
                "CM-1",
                "conformity-matrix",
                extra="standard: 5\nrows:\n  - {clause: 7, evidence: 3}\n  - {clause: [x]}\n",
            ),
            "dd.md": doc("DD-1", "device-description", extra="software_version: [1]\n"),
        },
        config='as-of = "2026-01-15"\n' + CONNECTED,
    )
    result = techfile("check", "--select", "SDL", "--no-cache", cwd=root)
    assert result.code in (0, 1), result.err


# --- SDL001 ---------------------------------------------------------------------------------


def test_sdl001_is_silent_for_a_file_without_software(tree: Tree, techfile: Run) -> None:
    root = tree(
        {"ifu.md": doc("IFU-1", "ifu"), "rmp.md": doc("RMP-1", "risk-management-plan")},
        config='as-of = "2026-01-15"\n',
    )
    result = techfile("check", "--select", "SDL001", cwd=root)
    assert not codes(result, "SDL001")


def test_sdl001_runs_when_a_document_names_the_standard(tree: Tree, techfile: Run) -> None:
    root = tree(
        {"ifu.md": doc("IFU-1", "ifu", extra=f"standards: ['{STD}']\n")},
        config='as-of = "2026-01-15"\n',
    )
    result = techfile("check", "--select", "SDL001", cwd=root)
    found = codes(result, "SDL001")  # no product-security documentation: one finding says so
    assert len(found) == 1 and "has no product-security documentation" in found[0]


def _full_file() -> dict[str, str]:
    return {
        str(p.relative_to(base)): p.read_text(encoding="utf-8")
        for base in [bundled("fixtures") / "SDL001-lifecycle-evidence-missing" / "pass"]
        for p in base.rglob("*.md")
    }


def test_sdl001_full_file_passes_and_each_removal_is_named(tree: Tree, techfile: Run) -> None:
    files = _full_file()
    root = tree(files, config='as-of = "2026-01-15"\n' + CONNECTED)
    assert not codes(techfile("check", "--select", "SDL001", cwd=root), "SDL001")
    files.pop("security/vulnerability-management.md")
    root = tree(files, config='as-of = "2026-01-15"\n' + CONNECTED)
    found = codes(techfile("check", "--select", "SDL001", cwd=root), "SDL001")
    assert len(found) == 1
    assert "vulnerability handling" in found[0] and "9.2, 9.3, 9.4, 9.5" in found[0]


def test_sdl001_lettered_citation_counts_and_parent_does_not(tree: Tree, techfile: Run) -> None:
    files = _full_file()
    files.pop("verification/security-test-report.md")
    files["verification/fuzz.md"] = doc(
        "FUZZ-1",
        "test-report",
        extra=f"evidence_for:\n  - {STD} 5.7.3(a)\n  - {STD} 5.7\n",
    )
    root = tree(files, config='as-of = "2026-01-15"\n' + CONNECTED)
    found = codes(techfile("check", "--select", "SDL001", cwd=root), "SDL001")
    text = "\n".join(found)
    assert "5.7.3" not in text  # 5.7.3(a) covers vulnerability testing
    # citing 5.7 covers no subclause; the three testing gaps share their fix: one finding
    assert len(found) == 1 and "covers EN IEC 81001-5-1:2022 5.7.1, 5.7.2, 5.7.4 (" in text
    (finding,) = explained(root, "SDL001")
    assert "5.7.4 ask for a record of the security requirements testing" in finding.why
    assert finding.fix.startswith("If FUZZ-1 (verification/fuzz.md) holds it, list `EN IEC")


def test_sdl001_enterprise_test_does_not_count(tree: Tree, techfile: Run) -> None:
    files = _full_file()
    files["verification/security-test-report.md"] = files[
        "verification/security-test-report.md"
    ].replace("product: GlucoTrend", "product: Northwind office network")
    root = tree(files, config='as-of = "2026-01-15"\n' + CONNECTED)
    found = codes(techfile("check", "--select", "SDL001", cwd=root), "SDL001")
    assert len(found) == 1  # one report of another product: one defect for the four clauses
    assert "5.7.1, 5.7.2, 5.7.3, 5.7.4 (" in found[0]
    (finding,) = explained(root, "SDL001")
    assert finding.fix.startswith("Test GlucoTrend itself: STR-001")
    assert "tested `Northwind office network`, not GlucoTrend" in finding.fix


def test_sdl001_register_approval_source(tree: Tree, techfile: Run) -> None:
    files = _full_file()
    files["security/threat-model.md"] = files["security/threat-model.md"].replace(
        "status: approved", "status: draft"
    )
    register = doc(
        "REG-1",
        "document-register",
        body=(
            "\n| ID | Version | Status | Approved by | Date |\n|---|---|---|---|---|\n"
            "| TM-001 | 2.0 | approved | Ines Kovac | 2025-12-01 |\n"
        ),
    )
    files["register.md"] = register
    config = 'as-of = "2026-01-15"\napproval-source = "register"\n' + CONNECTED
    root = tree(files, config=config)
    assert not codes(techfile("check", "--select", "SDL001", cwd=root), "SDL001")
    root = tree(files, config='as-of = "2026-01-15"\n' + CONNECTED)
    found = codes(techfile("check", "--select", "SDL001", cwd=root), "SDL001")
    assert len(found) == 1 and "covers the threat model (EN IEC 81001-5-1:2022 7.2) (" in found[0]
    (finding,) = explained(root, "SDL001")
    assert finding.fix.startswith("Approve TM-001 (security/threat-model.md), which would count")


def test_sdl001_obsolete_documents_do_not_count(tree: Tree, techfile: Run) -> None:
    files = _full_file()
    files["security/threat-model.md"] = files["security/threat-model.md"].replace(
        "status: approved", "status: obsolete"
    )
    root = tree(files, config='as-of = "2026-01-15"\n' + CONNECTED)
    found = codes(techfile("check", "--select", "SDL001", cwd=root), "SDL001")
    assert len(found) == 1 and "threat model" in found[0]
    (finding,) = explained(root, "SDL001")
    assert finding.fix and "TM-001" not in finding.fix  # an obsolete document is not suggested


def test_sdl001_yields_to_ev001_on_the_matrix_row(tree: Tree, techfile: Run) -> None:
    files = _full_file()
    files.pop("security/threat-model.md")
    files["isms/soa.md"] = doc("ISMS-SOA-001", "isms-soa")
    files["regulatory/cm.md"] = doc(
        "CM-1",
        "conformity-matrix",
        extra=f"standard: {STD}\n",
        body="\n| Clause | Evidence |\n|---|---|\n| 7.2 | ISMS-SOA-001 |\n",
    )
    root = tree(files, config='as-of = "2026-01-15"\n' + CONNECTED)
    alone = codes(techfile("check", "--select", "SDL001", cwd=root), "SDL001")
    assert len(alone) == 1 and alone[0].startswith("regulatory/cm.md:13:")
    both = techfile("check", "--select", "SDL001,EV001", cwd=root)
    assert not codes(both, "SDL001")
    assert len(codes(both, "EV001")) == 1


# --- SDL004 / SDL005 / SDL008 / SDL009 --------------------------------------------------------


def _old_threat_model() -> str:
    return doc(
        "TM-1",
        "threat-model",
        extra="approvals:\n  - {by: A, role: B, date: 2025-05-01}\n",
    )


def test_sdl004_needs_a_release_record(tree: Tree, techfile: Run) -> None:
    root = tree({"tm.md": _old_threat_model()}, config='as-of = "2026-06-15"\n')
    assert not codes(techfile("check", "--select", "SDL004", cwd=root), "SDL004")
    root = tree(
        {"tm.md": _old_threat_model(), "rel.md": doc("REL-1", "release-record")},
        config='as-of = "2026-06-15"\n',
    )
    assert len(codes(techfile("check", "--select", "SDL004", cwd=root), "SDL004")) == 1


def test_sdl004_max_age_option(tree: Tree, techfile: Run) -> None:
    files = {"tm.md": _old_threat_model(), "rel.md": doc("REL-1", "release-record")}
    root = tree(files, config='as-of = "2026-01-15"\n')
    assert not codes(techfile("check", "--select", "SDL004", cwd=root), "SDL004")
    root = tree(files, config='as-of = "2026-01-15"\n[rules.SDL004]\nmax-age-months = 6\n')
    found = codes(techfile("check", "--select", "SDL004", cwd=root), "SDL004")
    assert len(found) == 1 and "more than 6 months" in found[0]


def test_sdl005_cited_enterprise_test_yields_to_ev001(tree: Tree, techfile: Run) -> None:
    report = doc(
        "STR-9",
        "security-test-report",
        extra=(
            f"evidence_for:\n  - {STD} 5.7.4\n"
            "test_object:\n  product: Northwind office network\n  software_version: '1'\n"
        ),
    )
    root = tree({"str.md": report}, config='as-of = "2026-01-15"\n' + CONNECTED)
    alone = codes(techfile("check", "--select", "SDL005", cwd=root), "SDL005")
    assert len(alone) == 1 and alone[0].startswith("str.md:7:")  # at the evidence_for entry
    both = techfile("check", "--select", "SDL005,EV001", cwd=root)
    assert not codes(both, "SDL005") and len(codes(both, "EV001")) == 1


def test_sdl005_without_a_known_version_checks_only_the_test_object(
    tree: Tree, techfile: Run
) -> None:
    report = doc(
        "STR-1",
        "security-test-report",
        extra="test_object:\n  product: GlucoTrend\n  software_version: '0.1'\n",
    )
    root = tree({"str.md": report}, config='as-of = "2026-01-15"\n' + CONNECTED)
    assert not codes(techfile("check", "--select", "SDL005", cwd=root), "SDL005")


@pytest.mark.parametrize(
    ("reference", "declared"),
    [
        ("TM-1:M-2", True),
        ("M-2", True),
        ("tm.md#m-2", True),
        ("'[M-2](tm.md#m-2)'", True),
        ("TM-1", False),  # the whole threat model is not enough
        ("tm.md", False),
    ],
)
def test_sdl008_reference_forms(tree: Tree, techfile: Run, reference: str, declared: bool) -> None:
    threat_model = doc(
        "TM-1",
        "threat-model",
        extra="mitigations:\n  - id: M-2\n    description: Patched browsers\n"
        "    implemented_by: operator\n",
    )
    itsec = doc(
        "ITSEC-1",
        "it-security-requirements",
        extra=f"references:\n  - {reference}\n",
        body="\nM-2: keep browsers patched.\n",
    )
    root = tree({"tm.md": threat_model, "itsec.md": itsec}, config='as-of = "2026-01-15"\n')
    found = codes(techfile("check", "--select", "SDL008", cwd=root), "SDL008")
    assert bool(found) is not declared


def test_sdl008_without_any_declaring_document(tree: Tree, techfile: Run) -> None:
    threat_model = doc(
        "TM-1",
        "threat-model",
        extra="mitigations:\n  - {id: M-2, implemented_by: environment}\n",
    )
    root = tree({"tm.md": threat_model}, config='as-of = "2026-01-15"\n')
    found = codes(techfile("check", "--select", "SDL008", cwd=root), "SDL008")
    assert len(found) == 1 and "has no IT security requirements or IFU document" in found[0]


def test_sdl009_reads_the_ifu_alone_only_for_software(tree: Tree, techfile: Run) -> None:
    ifu = doc("IFU-1", "ifu", body="\n## Hardware\n\nAny PC.\n")
    root = tree({"ifu.md": ifu}, config='as-of = "2026-01-15"\n')
    assert not codes(techfile("check", "--select", "SDL009", cwd=root), "SDL009")
    root = tree({"ifu.md": ifu}, config='as-of = "2026-01-15"\n' + CONNECTED)
    found = codes(techfile("check", "--select", "SDL009", cwd=root), "SDL009")
    assert len(found) == 1
    assert "IT network characteristics, IT security measures or protection" in found[0]
    (finding,) = explained(root, "SDL009")
    assert finding.fix.startswith("Add a section for each to IFU-1 (for example `## IT network")
    assert "front-matter" not in finding.fix  # the IFU has no such fields


def test_sdl009_the_title_heading_does_not_count(tree: Tree, techfile: Run) -> None:
    itsec = doc(
        "ITSEC-1",
        "it-security-requirements",
        extra="hardware: Any PC\nnetwork: [HTTPS outbound]\n",
        body="\n## Access control\n\nPersonal accounts.\n",
    )
    root = tree({"itsec.md": itsec}, config='as-of = "2026-01-15"\n')
    found = codes(techfile("check", "--select", "SDL009", cwd=root), "SDL009")
    # the H1 "ITSEC-1" is the title; nothing covers the IT security measures
    assert len(found) == 1 and "say nothing about IT security measures (" in found[0]


def test_the_example_has_no_lifecycle_findings(techfile: Run) -> None:
    result = techfile("check", "--example", "--select", "SDL")
    assert result.out == ""


def test_sdl001_yields_to_ev003_for_a_draft_cited_in_the_matrix(tree: Tree, techfile: Run) -> None:
    files = _full_file()
    files["security/threat-model.md"] = files["security/threat-model.md"].replace(
        "status: approved", "status: draft"
    )
    files["regulatory/cm.md"] = doc(
        "CM-1",
        "conformity-matrix",
        extra=f"standard: {STD}\n",
        body="\n| Clause | Evidence |\n|---|---|\n| 7.2 | TM-001 |\n",
    )
    root = tree(files, config='as-of = "2026-01-15"\n' + CONNECTED)
    alone = explained(root, "SDL001")
    assert len(alone) == 1 and "would count once approved" in alone[0].fix
    both = techfile("check", "--select", "SDL001,EV003", cwd=root)
    assert not codes(both, "SDL001") and len(codes(both, "EV003")) == 1


@pytest.mark.parametrize(
    "case",
    sorted([*bundled("fixtures").glob("SDL*/fail"), *bundled("fixtures").glob("DC0*/fail")]),
    ids=lambda p: p.parent.name.split("-", 1)[0],
)
def test_findings_say_what_why_and_fix_apart(case: Path, tmp_path: Path) -> None:
    """The message says what is wrong (no advice, no notified body); `why` starts from the
    clause the finding names; `fix` says what to do. Each a sentence of its own."""
    code = case.parent.name.split("-", 1)[0]
    found = explained(materialise(case, tmp_path / "case"), code)
    assert found
    for finding in found:
        assert not finding.message.endswith(".") and "notified body" not in finding.message
        assert finding.why.endswith("."), finding.why
        assert "notified body" in finding.why or "auditor" in finding.why, finding.why
        assert finding.clause is None or finding.clause in finding.why
        assert finding.fix[:1].isupper() and finding.fix.endswith(".")
