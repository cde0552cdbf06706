"""Standards family (ST001-ST003): the editions table, how citations are read, dates and
boundaries, the document register, odd input."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import CliResult
from techfile.data.resources import bundled
from techfile.data.schemas import validator
from techfile.engine.pipeline import RunOptions
from techfile.engine.run import run
from techfile.fixture_tree import materialise
from techfile.intake.config import load_config
from techfile.model.finding import Finding
from techfile.model.standards import standards_table

Tree = Callable[..., Path]
Run = Callable[..., CliResult]
TOML = 'as-of = "2026-01-15"\n'


def doc(front: str, body: str = "") -> str:
    text = f"---\n{textwrap.dedent(front).strip()}\n---\n\n# Document\n"
    return text + ("\n" + textwrap.dedent(body).strip() + "\n" if body else "")


def approved(day: str, extra: str = "", doc_id: str = "RMP-1") -> str:
    head = (
        f'id: {doc_id}\ntype: risk-management-plan\nversion: "1"\nstatus: approved\n'
        f"approvals: [{{by: A, role: B, date: {day}}}]\n"
    )
    return doc(head + textwrap.dedent(extra))


def check(tree: Tree, techfile: Run, files: dict[str, str], *args: str, config: str = "") -> Any:
    root = tree({".techfile.toml": TOML + config, **files})
    return techfile("check", "--no-cache", *args, cwd=root)


def findings(root: Path, code: str) -> list[Finding]:
    """The findings with their `why` and `fix`, which the text output does not show."""
    config = load_config(root, root / ".techfile.toml")
    return run(config, RunOptions((code,), use_cache=False)).findings


def codes(result: CliResult) -> list[str]:
    return [line.split(": ", 1)[1].split(" ", 1)[0] for line in result.lines]


def severities(result: CliResult) -> list[str]:
    return [line.split(" [", 1)[1].split("]", 1)[0] for line in result.lines]


# --- the data file ---------------------------------------------------------------------------


def test_standards_yaml_validates() -> None:
    data = yaml.safe_load((bundled("data") / "standards.yaml").read_text(encoding="utf-8"))
    errors = list(validator("standards.schema.json").iter_errors(data))
    assert not errors, [e.message for e in errors]


def test_every_spelling_reads_back_to_its_own_entry() -> None:
    table = standards_table()
    for edition in table.editions:
        for spelling in (edition.ref, *edition.aliases):
            found = table.read(spelling)
            assert [c.edition for c in found] == [edition], spelling


def test_every_successor_is_in_the_table() -> None:
    table = standards_table()
    for edition in table.editions:
        if edition.superseded_by is not None:
            successor = table.by_ref(edition.superseded_by)
            assert successor is not None, edition.superseded_by
            assert successor.family == edition.family and successor is not edition


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        ("EN ISO 14971:2012", "EN ISO 14971:2012"),
        ("BS EN ISO 14971:2012", "EN ISO 14971:2012"),
        ("DIN EN ISO 14971:2012", "EN ISO 14971:2012"),
        ("ISO 14971:2012", "EN ISO 14971:2012"),
        ("ISO 14971:2007", "ISO 14971:2007"),
        ("ISO 14971 (2007)", "ISO 14971:2007"),
        ("EN ISO 14971:2019/A11:2021", "EN ISO 14971:2019+A11:2021"),
        ("EN ISO 14971:2019 + A11:2021", "EN ISO 14971:2019+A11:2021"),
        ("IEC 62304:2006", "IEC 62304:2006"),
        ("EN 62304:2006", "EN 62304:2006"),
        ("EN 62304:2006/A1:2015", "IEC 62304:2006+AMD1:2015"),
        ("IEC 62304:2006/Amd 1:2015", "IEC 62304:2006+AMD1:2015"),
        ("EN ISO 13485:2012/AC:2014", "EN ISO 13485:2012"),
        ("ISO 27001:2013", "ISO/IEC 27001:2013"),
        ("PD ISO/TR 24971:2013", "ISO/TR 24971:2013"),
        ("MDCG 2019-16 Rev. 1", "MDCG 2019-16 rev.1"),
        ("MDCG 2019-16 (December 2019)", "MDCG 2019-16:2019"),
        ("FDA Cybersecurity Guidance 2023", "FDA Premarket Cybersecurity Guidance:2023"),
        ("ISO 14971:2007 7.2", "ISO 14971:2007"),
    ],
)
def test_citations_are_matched_like_the_clause_registry(text: str, ref: str) -> None:
    found = standards_table().read(text)
    assert [c.edition.ref if c.edition else None for c in found] == [ref]


@pytest.mark.parametrize(
    ("text", "versioned"),
    [
        ("ISO 14971", False),
        ("ISO 14971 7.2", False),
        ("IEC 62304 Ed. 1.1", True),
        ("MDCG 2019-16", False),
        ("AAMI TIR57", False),
        ("AAMI TIR57:2016", True),
        ("FDA Premarket Cybersecurity Guidance", False),
        ("ISO 14971 (2019)", True),
        ("IEC 60601-1:2005+AMD1:2012", True),
    ],
)
def test_which_citations_name_an_edition(text: str, versioned: bool) -> None:
    found = standards_table().read(text)
    assert len(found) == 1 and found[0].versioned is versioned


@pytest.mark.parametrize("text", ["MDR", "Regulation (EU) 2017/745", "internal SOP-12", "", "  "])
def test_regulations_and_free_text_are_not_standards(text: str) -> None:
    assert standards_table().read(text) == []


def test_one_entry_several_standards() -> None:
    found = standards_table().read("EN ISO 14971:2012; IEC 62304:2006 and ISO 13485")
    assert [(c.core, c.edition.ref if c.edition else None) for c in found] == [
        ("14971", "EN ISO 14971:2012"),
        ("62304", "IEC 62304:2006"),
        ("13485", None),
    ]


# --- ST001 -----------------------------------------------------------------------------------


def test_st001_error_warning_and_grace(tree: Tree, techfile: Run) -> None:
    # EN ISO 14971:2012 was replaced on 2019-12-18 according to the table
    cases = {
        "after.md": approved("2019-12-17", "standards: [EN ISO 14971:2012]", "A"),
        "same-day.md": approved("2019-12-18", "standards: [EN ISO 14971:2012]", "B"),
        "grace.md": approved("2020-01-18", "standards: [EN ISO 14971:2012]", "C"),
        "late.md": approved("2020-01-19", "standards: [EN ISO 14971:2012]", "D"),
        "draft.md": doc("id: E\ntype: risk-management-plan\nstandards: [EN ISO 14971:2012]"),
        "in-draft.md": doc(
            "id: F\ntype: risk-management-plan\nstatus: draft\nstandards: [EN ISO 14971:2012]"
        ),
    }
    result = check(tree, techfile, cases, "--select", "ST001")
    by_file = {line.split(":")[0]: line for line in result.lines}
    assert sorted(by_file) == sorted(cases)
    assert "[error]" in by_file["late.md"] and "1 month" not in by_file["late.md"]
    root = tree({".techfile.toml": TOML, **cases})
    why = {f.location.path: f.why for f in findings(root, "ST001")}
    for name in ("after.md", "same-day.md", "grace.md", "draft.md"):
        assert "[warning]" in by_file[name] and "gap assessment" in why[name], name
    assert "gap assessment" not in why["late.md"] and "withdrawn one" in why["late.md"]
    assert "after its approval on 2019-12-17" in by_file["after.md"]
    assert "within `grace-days`" in by_file["grace.md"]
    assert "records no status or approval" in by_file["draft.md"]  # no `status:` given
    assert "it is not approved yet" in by_file["in-draft.md"]  # `status: draft`
    strict = check(
        tree, techfile, cases, "--select", "ST001", config="[rules.ST001]\ngrace-days = 0\n"
    )
    errors = sorted(line.split(":")[0] for line in strict.lines if "[error]" in line)
    assert errors == ["grace.md", "late.md"]


def test_st001_waits_for_the_supersession_date(tree: Tree, techfile: Run) -> None:
    files = {
        "p.md": approved("2025-07-01", "standards: [FDA Premarket Cybersecurity Guidance:2025]")
    }
    assert check(tree, techfile, files, "--select", "ST001").out == ""
    later = check(tree, techfile, files, "--select", "ST001", "--as-of", "2026-02-04")
    assert codes(later) == ["ST001"] and "[warning]" in later.out


def test_st001_register_gives_the_approval_date(tree: Tree, techfile: Run) -> None:
    files = {
        "p.md": doc("id: RMP-1\ntype: risk-management-plan\nstandards: [ISO 14971:2007]"),
        "reg.md": doc(
            "id: REG-1\ntype: document-register",
            "| ID | Status | Approved by | Date |\n|---|---|---|---|\n"
            "| RMP-1 | approved | A | 2021-05-01 |",
        ),
    }
    result = check(
        tree, techfile, files, "--select", "ST001", config='approval-source = "register"\n'
    )
    assert severities(result) == ["error"] and "approval on 2021-05-01" in result.out
    plain = check(tree, techfile, files, "--select", "ST001")
    assert severities(plain) == ["warning"] and "records no status or approval" in plain.out


def test_st001_groups_rows_and_reads_mappings(tree: Tree, techfile: Run) -> None:
    files = {
        "gspr.md": doc(
            "id: GSPR-1\ntype: gspr-checklist",
            """
            | GSPR | Applicable | Standards | Evidence |
            |---|---|---|---|
            | 1 | yes | ISO 14971:2007 | RMP-1 |
            | 2 | yes | EN ISO 14971:2019+A11:2021 | RMP-1 |
            | 3 | yes | ISO 14971:2007; IEC 62304:2006 | RMP-1 |
            """,
        ),
        "p.md": approved(
            "2025-01-01", "standards:\n  - {standard: IEC 80001-1, edition: '2010'}\n  - 7\n"
        ),
    }
    result = check(tree, techfile, files, "--select", "ST001")
    assert [line.split(":")[:2] for line in result.lines] == [
        ["gspr.md", "10"],
        ["gspr.md", "12"],
        ["p.md", "8"],
    ]
    assert "ISO 14971:2007 (in 2 rows)" in result.lines[0]
    assert "IEC 62304:2006," in result.lines[1]
    assert "IEC 80001-1:2010" in result.lines[2]


# --- ST002 -----------------------------------------------------------------------------------


def test_st002_odd_values_never_crash(tree: Tree, techfile: Run) -> None:
    files = {
        "a.md": doc("id: A\ntype: risk-management-plan\nstandards: ISO 14971"),
        "b.md": doc("id: B\ntype: risk-management-plan\nstandards: [null, 3, [x], {edition: 1}]"),
        "c.md": doc("id: C\ntype: conformity-matrix\nstandard: {standard: IEC 62304}"),
        "d.md": doc("id: D\ntype: qms-certificate\ncertifies: [ISO 13485]\nexpiry_date: 7"),
    }
    result = check(tree, techfile, files, "--select", "ST")
    assert result.code in (0, 1)
    assert [line.split(":")[0] for line in result.lines] == ["a.md", "c.md"]


def test_st002_typos_in_the_edition(tree: Tree, techfile: Run) -> None:
    files = {
        "a.md": doc(
            "id: A\ntype: risk-management-plan\nstandards: [ISO 14971:219, IEC 62304:2106]"
        ),
        "b.md": doc("id: B\ntype: risk-management-plan\nstandards: ['ISO 14971:2026']"),
    }
    result = check(tree, techfile, files, "--select", "ST002")
    assert len(result.lines) == 2
    assert "ISO 14971:219, whose edition is not a year" in result.out
    assert "IEC 62304 with the edition year 2106, which has not come yet" in result.out


def test_st002_names_the_current_edition_in_the_same_style(tree: Tree) -> None:
    files = {"a.md": doc("id: A\ntype: risk-management-plan\nstandards: [EN ISO 14971]")}
    (finding,) = findings(tree({".techfile.toml": TOML, **files}), "ST002")
    assert finding.message == "A (risk management plan) cites EN ISO 14971 without an edition"
    assert "lists EN ISO 14971:2019+A11:2021 and EN ISO 14971:2019 as current" in finding.fix


# --- ST003 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [("2025-10-31", []), ("2025-11-01", ["withdrawn"]), ("2027-01-01", ["expired"])],
)
def test_st003_boundaries(tree: Tree, techfile: Run, as_of: str, expected: list[str]) -> None:
    files = {
        "cert.md": doc(
            "id: C\ntype: isms-certificate\ncertifies: ISO/IEC 27001:2013\nexpiry_date: 2026-12-31"
        ),
        "old.md": doc("id: O\ntype: isms-certificate\nstatus: superseded\nexpiry_date: 2020-01-01"),
    }
    result = check(tree, techfile, files, "--select", "ST003", "--as-of", as_of)
    found = ["expired" if "expired on" in line else "withdrawn" for line in result.lines]
    assert found == expected
    if expected == ["expired"]:
        assert "it also certifies ISO/IEC 27001:2013" in result.out


def test_st003_valid_on_its_expiry_day(tree: Tree, techfile: Run) -> None:
    files = {"c.md": doc("id: C\ntype: qms-certificate\nexpiry_date: 2026-01-15")}
    assert check(tree, techfile, files, "--select", "ST003").out == ""
    late = check(tree, techfile, files, "--select", "ST003", "--as-of", "2026-01-16")
    assert codes(late) == ["ST003"] and late.lines[0].startswith("c.md:4:")


# --- what, why and how to fix ----------------------------------------------------------------


@pytest.mark.parametrize(
    "case", sorted(bundled("fixtures").glob("ST0*/fail")), ids=lambda p: p.parent.name
)
def test_every_finding_says_what_why_and_how_to_fix_apart(case: Path, tmp_path: Path) -> None:
    code = case.parent.name.split("-", 1)[0]
    found = findings(materialise(case, tmp_path / "case"), code)
    assert found
    for finding in found:
        assert not finding.message.endswith(".") and "notified body" not in finding.message
        assert "notified body" in finding.why and finding.why.endswith(".")
        assert finding.fix.endswith("."), finding
        if code != "ST003":  # ST003 enforces no clause: its page names none
            assert "MDR Annex I 1" in finding.why


# --- the bundled example ---------------------------------------------------------------------


def test_example_has_no_document_control_or_standards_findings(techfile: Run) -> None:
    result = techfile("check", "--example", "--select", "DC,ST")
    assert result.out == "" and result.code == 0
