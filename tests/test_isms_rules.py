"""The IS rules (the ISMS Statement of Applicability and scope): their pages name ISO/IEC 27001
clauses that parse with the registry of data/isms/ without that registry reaching the other
rules, the 2013 -> 2022 control numbers are suggested from the data, and each rule stays quiet
where another rule owns the defect."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import CliResult
from techfile.data.clauses import clause_registry
from techfile.data.isms import (
    ISMS_27001,
    annex_a_controls,
    claimed_edition,
    control_id,
    isms_clause_registry,
    successors_2022,
)
from techfile.data.pages import load_pages
from techfile.data.resources import bundled
from techfile.engine.pipeline import RunOptions
from techfile.engine.run import run
from techfile.fixture_tree import materialise
from techfile.intake.config import load_config
from techfile.model.finding import Finding

Tree = Callable[..., Path]
Run = Callable[..., CliResult]
IS_PAGES = sorted(
    (p for p in load_pages().values() if p.code.startswith("IS")), key=lambda p: p.code
)
ROOT = Path(__file__).resolve().parent.parent


def soa(rows: str = "", front: str = "", edition: str = "ISO/IEC 27001:2022") -> str:
    standards = f"standards:\n  - {edition}\n" if edition else ""
    table = (
        f"\n| Control | Applicable | Implemented | Implemented by | Justification |\n"
        f"|---|---|---|---|---|\n{rows}\n"
        if rows
        else ""
    )
    return (
        f"---\nid: ISMS-SOA-001\ntype: isms-soa\ntitle: Statement of Applicability\n"
        f"status: approved\n{standards}{front}---\n\n# Statement of Applicability\n{table}"
    )


def doc(doc_id: str, doc_type: str, extra: str = "", body: str = "") -> str:
    return f"---\nid: {doc_id}\ntype: {doc_type}\ntitle: {doc_id}\n{extra}---\n\n# {doc_id}\n{body}"


def codes(result: CliResult, prefix: str = "IS") -> list[str]:
    return [line for line in result.lines if f" {prefix}" in line]


def findings(root: Path, code: str) -> list[Finding]:
    """The findings with their `why` and `fix`, which the text output does not show."""
    config = load_config(root, root / ".techfile.toml")
    return run(config, RunOptions((code,), use_cache=False)).findings


# --- pages and clauses -----------------------------------------------------------------------


def test_the_family_has_four_rules_with_pages_and_fixtures() -> None:
    assert [p.code for p in IS_PAGES] == ["IS001", "IS002", "IS003", "IS004"]
    for page in IS_PAGES:
        for case in ("pass", "fail"):
            assert (
                bundled("fixtures") / f"{page.code}-{page.name}" / case / "expected.txt"
            ).is_file()


@pytest.mark.parametrize("page", IS_PAGES, ids=lambda p: p.code)
def test_page_clauses_are_clauses_of_the_isms_registry(page: object) -> None:
    """The pages cite ISO/IEC 27001:2022 clauses; they must parse and exist in the registry of
    data/isms/, which the run's own registry does not load."""
    registry = isms_clause_registry()
    assert page.clauses  # type: ignore[attr-defined]
    for text in page.clauses:  # type: ignore[attr-defined]
        ref = registry.parse(text)
        assert ref is not None and ref.family == ISMS_27001, text
        assert registry.lookup(ref) is not None, f"{text} is not a clause of ISO/IEC 27001:2022"


def test_every_page_citing_27001_or_13485_names_a_real_clause() -> None:
    """Pages of other families cite ISO 13485 too (EV003, FM012: 4.2.4); the run's registry
    cannot check them, the ISMS registry can."""
    registry = isms_clause_registry()
    checked = 0
    for page in load_pages().values():
        for text in page.clauses:
            ref = registry.parse(text)
            if ref is not None and ref.family in registry.standards:
                assert registry.lookup(ref) is not None, f"{page.code}: {text}"
                checked += 1
    assert checked >= 6


def test_the_rules_registry_still_does_not_know_27001() -> None:
    """Loading the ISMS registry for pages and overlap leaves the EV rules' registry alone
    (data/NOTES.md, 'Why data/isms/ and not data/clauses/')."""
    isms_clause_registry()
    registry = clause_registry()
    assert ISMS_27001 not in registry.standards and "iso-13485" not in registry.standards
    ref = registry.parse("ISO/IEC 27001:2022 6.1.2")
    assert ref is not None and ref.family is None


def test_findings_take_their_clauses_from_the_pages(tree: Tree) -> None:
    root = tree({"isms/soa.md": soa("| A.5.1 | | | | |")})
    assert all(load_pages()["IS001"].clauses[0] in f.why for f in findings(root, "IS001"))
    for path in (ROOT / "src" / "techfile" / "rules" / "isms").glob("*.py"):
        assert "6.1.3" not in path.read_text(encoding="utf-8"), path.name


# --- control numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("A.8.8", "A.8.8"),
        ("8.8", "A.8.8"),
        ("A 8.8", "A.8.8"),
        ("Annex A 8.8", "A.8.8"),
        ("A.08.08", "A.8.8"),
        ("A.12.6.1", "A.12.6.1"),
        ("12.6.1", "A.12.6.1"),
        ("A.5", None),
        ("Annex A", None),
        ("Access control", None),
    ],
)
def test_control_numbers_are_read_as_written(written: str, read: str | None) -> None:
    assert control_id(written) == read


def test_2013_numbers_map_to_their_2022_controls() -> None:
    assert [r.target for r in successors_2022("A.12.6.1")] == ["A.8.8"]
    assert [r.target for r in successors_2022("A.18.2.3")] == ["A.5.36", "A.8.8"]
    assert successors_2022("A.19.1.1") == ()
    assert len(annex_a_controls()) == 93


def test_editions_are_read_from_what_the_soa_says() -> None:
    assert claimed_edition(["ISO/IEC 27001:2022"]) == "2022"
    assert claimed_edition(["EN ISO/IEC 27001:2023"]) == "2022"
    assert claimed_edition(["ISO 27001:2023 Section"]) == "2022"
    assert claimed_edition(["ISO/IEC 27001:2013"]) == "2013"
    assert claimed_edition(["ISO/IEC 27001:2013", "ISO/IEC 27001:2022"]) is None
    assert claimed_edition(["Statement of Applicability"]) is None


# --- IS004: the 2013 -> 2022 suggestion ------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "suggestion"),
    [
        ("A.12.6.1", "did you mean A.8.8?"),
        ("12.6.1", "did you mean A.8.8?"),
        ("A.18.2.3", "did you mean A.5.36 or A.8.8?"),
        ("A.9.4.1", "did you mean A.8.3?"),
    ],
)
def test_a_2013_number_gets_its_2022_successor(
    tree: Tree, techfile: Run, written: str, suggestion: str
) -> None:
    root = tree({"isms/soa.md": soa(f"| {written} | yes | yes | | |")})
    found = codes(techfile("check", "--select", "IS004", cwd=root))
    assert len(found) == 1
    assert suggestion.lower() in found[0].lower() and suggestion.split()[-1] in found[0]
    assert "ISO/IEC 27001:2013" in found[0]
    (finding,) = findings(root, "IS004")
    assert "6.1.3 d)" in finding.why and suggestion.split()[-1].rstrip("?") in finding.fix


def test_an_soa_of_another_or_no_edition_is_not_renumbered(tree: Tree, techfile: Run) -> None:
    old = tree({"isms/soa.md": soa("| A.12.6.1 | yes | yes | | |", edition="ISO/IEC 27001:2013")})
    assert codes(techfile("check", "--select", "IS004", cwd=old)) == []
    unsaid = tree({"isms/soa.md": soa("| A.12.6.1 | yes | yes | | |", edition="")})
    assert codes(techfile("check", "--select", "IS004", cwd=unsaid)) == []


def test_the_edition_can_come_from_the_title(tree: Tree, techfile: Run) -> None:
    text = soa("| A.12.6.1 | yes | yes | | |", edition="").replace(
        "title: Statement of Applicability", "title: SoA (ISO/IEC 27001:2022)"
    )
    root = tree({"isms/soa.md": text})
    assert len(codes(techfile("check", "--select", "IS004", cwd=root))) == 1


# --- IS001 -------------------------------------------------------------------------------------


def test_an_soa_kept_elsewhere_is_not_checked(tree: Tree, techfile: Run) -> None:
    root = tree({"isms/soa.md": soa()})
    assert codes(techfile("check", "--select", "IS", cwd=root)) == []


def test_the_successor_of_a_2013_number_is_not_reported_missing(tree: Tree, techfile: Run) -> None:
    root = tree({"isms/soa.md": soa("| A.12.6.1 | yes | yes | | |")})
    missing = [line for line in codes(techfile("check", "--select", "IS001", cwd=root))]
    assert len(missing) == 1 and "no entry for 92 of the 93 controls" in missing[0]
    assert "A.8.7, A.8.9" in missing[0] or "A.8.1 to A.8.7, A.8.9 to A.8.34" in missing[0]


def test_entries_in_the_front_matter_are_read_too(tree: Tree, techfile: Run) -> None:
    entries = "".join(
        f'  - {{control: "{c}", applicable: yes, implemented: yes}}\n' for c in annex_a_controls()
    )
    entries = entries.replace(
        '{control: "A.7.8", applicable: yes, implemented: yes}',
        '{control: "A.7.8", applicable: no}',
    )
    root = tree({"isms/soa.md": soa(front=f"scope: GlucoTrend\nsoa_controls:\n{entries}")})
    found = codes(techfile("check", "--select", "IS", cwd=root))
    assert len(found) == 1 and "A.7.8" in found[0] and "without a justification" in found[0]


def test_a_template_placeholder_is_fm004s(tree: Tree, techfile: Run) -> None:
    root = tree({"isms/soa.md": soa("| A.5.1 | yes / no | | | |")})
    alone = techfile("check", "--select", "IS001", cwd=root).lines
    assert any("neither yes nor no" in line for line in alone)
    both = techfile("check", "--select", "IS001,FM004", cwd=root).lines
    row = [line for line in both if line.startswith("isms/soa.md:14:")]
    assert [line.split(" ")[1] for line in row] == ["FM004"]


# --- IS002 -------------------------------------------------------------------------------------


def test_a_dangling_implementation_is_reported_once(tree: Tree, techfile: Run) -> None:
    root = tree({"isms/soa.md": soa("| A.8.8 | yes | yes | SOP-NOWHERE | |")})
    alone = codes(techfile("check", "--select", "IS002", cwd=root))
    assert len(alone) == 1 and "not in the technical file" in alone[0]
    both = techfile("check", "--select", "IS002,ID002", cwd=root).lines
    assert [line.split(" ")[1] for line in both] == ["ID002"]


def test_an_approved_soa_naming_an_obsolete_document_is_dc003s(tree: Tree, techfile: Run) -> None:
    root = tree(
        {
            "isms/soa.md": soa("| A.8.8 | yes | yes | SOP-OLD | |"),
            "qms/old.md": doc("SOP-OLD", "qms-procedure", "status: obsolete\n"),
        }
    )
    assert codes(techfile("check", "--select", "IS002", cwd=root)) == []
    assert codes(techfile("check", "--select", "DC003", cwd=root), "DC003")


def test_only_controls_marked_implemented_are_followed(tree: Tree, techfile: Run) -> None:
    root = tree(
        {
            "isms/soa.md": soa(
                "| A.8.8 | yes | planned | SOP-DRAFT | |\n| A.8.9 | no | no | SOP-DRAFT | x |"
            ),
            "qms/draft.md": doc("SOP-DRAFT", "qms-procedure", "status: draft\n"),
        }
    )
    assert codes(techfile("check", "--select", "IS002", cwd=root)) == []


# --- IS003 -------------------------------------------------------------------------------------

CERT = doc(
    "ISMS-CERT-001",
    "isms-certificate",
    "status: approved\ncertifies: ISO/IEC 27001:2022\nexpiry_date: 2028-01-31\n"
    "scope: Development and operation of the GlucoTrend service\n",
)


def test_missing_scope_is_reported_when_the_soa_decides(tree: Tree, techfile: Run) -> None:
    root = tree({"isms/soa.md": soa("| A.5.1 | yes | yes | | |"), "isms/cert.md": CERT})
    found = codes(techfile("check", "--select", "IS003", cwd=root))
    assert len(found) == 1 and "stated nowhere" in found[0]
    (finding,) = findings(root, "IS003")
    assert "4.3" in finding.why and "`scope:`" in finding.fix


def test_a_scope_section_of_the_policy_states_it(tree: Tree, techfile: Run) -> None:
    policy = doc("ISP-001", "isms-policy", body="\n## 2 Scope of the ISMS\n\nAll of it.\n")
    root = tree({"isms/soa.md": soa("| A.5.1 | yes | yes | | |"), "isms/policy.md": policy})
    assert codes(techfile("check", "--select", "IS003", cwd=root)) == []


def test_words_of_the_certificate_in_another_order_are_inside(tree: Tree, techfile: Run) -> None:
    inside = soa(front="scope: Operation and development of GlucoTrend services\n")
    root = tree({"isms/soa.md": inside, "isms/cert.md": CERT})
    assert codes(techfile("check", "--select", "IS003", cwd=root)) == []
    wider = soa(front="scope: [Operation of the GlucoTrend service, Corporate IT]\n")
    root = tree({"isms/soa.md": wider, "isms/cert.md": CERT})
    found = codes(techfile("check", "--select", "IS003", cwd=root))
    assert len(found) == 1 and "'Corporate IT'" in found[0] and "ISMS-CERT-001" in found[0]


def test_a_suppliers_certificate_is_not_the_organisations(tree: Tree, techfile: Run) -> None:
    supplier = CERT.replace("ISMS-CERT-001", "HOST-CERT").replace(
        "status: approved\n", "status: approved\nsupplier: Nimbus Hosting\n"
    )
    wider = soa(front="scope: Corporate IT\n")
    root = tree({"isms/soa.md": wider, "suppliers/cert.md": supplier})
    assert codes(techfile("check", "--select", "IS003", cwd=root)) == []


# --- on real material --------------------------------------------------------------------------


def test_the_example_is_clean_under_the_is_rules(techfile: Run) -> None:
    result = techfile("check", "--example", "--select", "IS")
    assert (result.code, result.out) == (0, "")


def test_the_openregulatory_controls_template_is_an_undecided_soa(
    tmp_path: Path, techfile: Run
) -> None:
    root = tmp_path / "or"
    shutil.copytree(ROOT / "fixtures" / "realworld" / "openregulatory-templates", root)
    (root / ".techfile.toml").write_text('preset = "openregulatory"\n', encoding="utf-8")
    lines = techfile("check", "--select", "IS", "--no-cache", cwd=root).lines
    found = [line.split(" ")[1] for line in lines]
    # the template's applicability column is one gap: one finding naming all 93 controls
    assert found.count("IS001") == 1
    assert "93 of the 93 controls" in next(line for line in lines if " IS001 " in line)
    assert found.count("IS003") == 1 and found.count("IS004") == 0
    # the fix names the column as the template heads it, not the key `applicable`
    (undecided,) = findings(root, "IS001")
    assert 'in its "Applicable?" column' in undecided.fix and "`applicable`" not in undecided.fix


# --- what, why and how to fix ------------------------------------------------------------------


@pytest.mark.parametrize(
    "case", sorted(bundled("fixtures").glob("IS0*/fail")), ids=lambda p: p.parent.name
)
def test_every_finding_says_what_why_and_how_to_fix_apart(case: Path, tmp_path: Path) -> None:
    code = case.parent.name.split("-", 1)[0]
    found = findings(materialise(case, tmp_path / "case"), code)
    assert found
    for finding in found:
        assert not finding.message.endswith(".") and "auditor" not in finding.message
        assert "ISO/IEC 27001:2022" in finding.why and finding.why.endswith(".")
        assert finding.fix.endswith("."), finding


def test_a_table_soa_is_told_its_columns(tree: Tree) -> None:
    root = tree({"isms/soa.md": soa("| A.5.1 | | | | |\n| A.5.2 | no | | | |")})
    by_control = {f.key[0]: f for f in findings(root, "IS001") if f.key[0] != "missing"}
    assert 'the "Applicable" column is empty' in by_control["A.5.1"].message
    assert 'Enter yes or no in its "Applicable" column' in by_control["A.5.1"].fix
    assert by_control["A.5.2"].fix == 'Give the reason in its "Justification" column.'
    front = tree(
        {"isms/soa.md": soa(front="soa_controls:\n  - {control: A.5.1, applicable: false}\n")}
    )
    (unjustified,) = [f for f in findings(front, "IS001") if f.key[0] == "A.5.1"]
    assert unjustified.fix == "Give the reason in `justification`."
