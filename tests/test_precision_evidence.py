"""Precision of the evidence and standards rules (EV001-EV007, ST001-ST003) on other teams' real
files (fixtures/realworld, copied from the evaluation corpus with licence and attribution), and
the model behind them:

- standards named in the body and in table cells other than the standards column: an impossible
  edition in a checklist's rationale column (OpenRegulatory), `ISO14791` (GSTT), `ISO 14941`
  (jadczak), `ISO/TR 29471` (rdm), and documents written to FDA's 2018 draft premarket
  cybersecurity guidance (rdm, GSTT); and what the body scan must leave alone;
- clauses of EN IEC 81001-5-1:2022 that ask for a process accept process evidence, and EV002
  never says a class it does not accept is "not enough on its own";
- a supplier's SOC 2 report or certificate is not the manufacturer's organisational evidence;
- the SOC 2 report's period, and the HDS référentiel editions.
"""

from __future__ import annotations

import json
import re
import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import CliResult
from techfile.cli import main
from techfile.data.resources import bundled
from techfile.data.schemas import validator
from techfile.model.evidence_classes import same_organisation
from techfile.model.standards import body_mentions, near_miss, standards_table

Tree = Callable[..., Path]
Run = Callable[..., CliResult]
ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "realworld"
LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):\d+: (?P<code>[A-Z]+\d+) \[(?P<sev>\w+)\] ")
AS_OF = "2026-06-30"
CHECKLIST = "templates/general/checklist-mdr.md"
TECHDOC = "templates/techdoc/62304"
GSTT_SAFETY_CASE = "CSC-F-012-Clinical-Safety-Case-Report-Template.md"
GSTT_CYBER = "CSC-F-024-Cyber-Security-Template.md"
RDM_CYBER = "rdm/init_files/documents/cyber_security.md"
RDM_PLAN = "rdm/init_files/documents/risk_management_plan.md"
JADCZAK_PLAN = "docs/risk-management-plan.md"
CONFIGS = {
    "openregulatory-templates": 'preset = "openregulatory"\n',
    "GSTT-CSC-QMS-Template": 'preset = "gstt"\n',
    "innolitics-rdm": 'preset = "rdm"\n',
    # what `techfile adopt` writes for the jadczak repository
    "jadczak-risk-management": (
        'id-from = "path-stem"\n[types]\n"docs/risk-management-plan.md" = "risk-management-plan"\n'
    ),
}
TOML = 'as-of = "2026-01-15"\n'


def _real(
    folder: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    codes: str = "ST",
) -> list[re.Match[str]]:
    """The findings of `codes` on a copy of a real folder, each as a LINE match."""
    root = tmp_path / folder
    shutil.copytree(FIXTURES / folder, root)
    (root / ".techfile.toml").write_text(CONFIGS[folder], encoding="utf-8")
    monkeypatch.chdir(root)
    monkeypatch.setenv("TECHFILE_DEBUG", "1")
    capsys.readouterr()
    main(["check", "--no-cache", "--as-of", AS_OF, "--select", codes])
    found = [LINE.match(line) for line in capsys.readouterr().out.splitlines()]
    return [m for m in found if m is not None]


def _real_json(
    folder: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    codes: str,
) -> list[dict[str, Any]]:
    """The findings of `codes` on a copy of a real folder, as JSON (message, why, fix)."""
    root = tmp_path / folder
    shutil.copytree(FIXTURES / folder, root)
    (root / ".techfile.toml").write_text(CONFIGS[folder], encoding="utf-8")
    monkeypatch.chdir(root)
    capsys.readouterr()
    main(["check", "--no-cache", "--as-of", AS_OF, "--select", codes, "--format", "json"])
    findings: list[dict[str, Any]] = json.loads(capsys.readouterr().out)["findings"]
    return findings


def _json(tree: Tree, techfile: Run, files: dict[str, str], *args: str) -> list[dict[str, Any]]:
    findings: list[dict[str, Any]] = check(tree, techfile, files, "--format", "json", *args).json()[
        "findings"
    ]
    return findings


def _at(found: list[re.Match[str]], path: str) -> list[tuple[int, str, str]]:
    return [(int(m["line"]), m["code"], m["sev"]) for m in found if m["path"] == path]


def _message(found: list[re.Match[str]], path: str, line: int) -> str:
    return next(m.string for m in found if m["path"] == path and int(m["line"]) == line)


def doc(front: str, body: str = "") -> str:
    text = f"---\n{textwrap.dedent(front).strip()}\n---\n\n# Document\n"
    return text + ("\n" + textwrap.dedent(body).strip() + "\n" if body else "")


def check(tree: Tree, techfile: Run, files: dict[str, str], *args: str, config: str = "") -> Any:
    root = tree({".techfile.toml": TOML + config, **files})
    return techfile("check", "--no-cache", *args, cwd=root)


# ------------------------------------------------------------------ standards in the body


def test_openregulatory_checklist_edition_typos_in_any_column(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    found = _real("openregulatory-templates", tmp_path, monkeypatch, capsys)
    # 14.2(d) writes `ISO 14971:2919` in its Rationale column; the standards column of the
    # `performance and safety` indent row writes `ISO 14971:219`. One finding each, where the
    # user fixes it, and the many correct `IEC 62304:2006 / AMD1:2015` cells say nothing.
    assert _at(found, CHECKLIST) == [(111, "ST002", "warning"), (375, "ST002", "warning")]
    assert "ISO 14971 with the edition year 2919, which has not come yet" in _message(
        found, CHECKLIST, 111
    )
    assert "ISO 14971:219, whose edition is not a year" in _message(found, CHECKLIST, 375)
    # a mapping table headed `IEC 62304:2006 Section`: one warning per document, none where the
    # document also names the amended edition (the plan says "IEC 62304:2006/AMD1:2015")
    assert _at(found, f"{TECHDOC}/soup-list.md") == [(7, "ST001", "warning")]
    assert _at(found, f"{TECHDOC}/software-requirements-list.md") == [(18, "ST001", "warning")]
    assert _at(found, f"{TECHDOC}/software-development-maintenance-plan.md") == []


def test_gstt_transposed_number_and_the_2018_draft_guidance(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    found = _real("GSTT-CSC-QMS-Template", tmp_path, monkeypatch, capsys)
    assert _at(found, GSTT_SAFETY_CASE) == [(23, "ST002", "warning")]
    assert "cites ISO14791" in _message(found, GSTT_SAFETY_CASE, 23)
    assert "did you mean ISO 14971?" in _message(found, GSTT_SAFETY_CASE, 23)
    assert _at(found, GSTT_CYBER) == [(33, "ST001", "warning")]
    message = _message(found, GSTT_CYBER, 33)
    assert "(2018 draft)" in message and "on 2022-04-08" in message
    (st001,) = _real_json("GSTT-CSC-QMS-Template", tmp_path / "json", monkeypatch, capsys, "ST001")
    assert "the current edition is FDA Premarket Cybersecurity Guidance:2026" in st001["fix"]


def test_rdm_2018_draft_guidance_and_a_transposed_technical_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    found = _real("innolitics-rdm", tmp_path, monkeypatch, capsys)
    assert _at(found, RDM_CYBER) == [(9, "ST001", "warning")]
    assert "names in its text" in _message(found, RDM_CYBER, 9)
    assert _at(found, RDM_PLAN) == [(71, "ST002", "warning")]
    assert "did you mean ISO/TR 24971?" in _message(found, RDM_PLAN, 71)


def test_jadczak_one_typo_among_bare_citations_in_the_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    found = _real("jadczak-risk-management", tmp_path, monkeypatch, capsys)
    # The text names `ISO 14971` a dozen times without an edition, as a text should once its
    # references give it: only the `ISO 14941` of the definitions table is reported.
    assert _at(found, JADCZAK_PLAN) == [(20, "ST002", "warning")]
    assert "cites ISO 14941" in _message(found, JADCZAK_PLAN, 20)
    assert "did you mean ISO 14971?" in _message(found, JADCZAK_PLAN, 20)


def test_body_scan_reads_only_what_is_a_citation() -> None:
    table = standards_table()
    text = textwrap.dedent(
        """\
        # Plan

        Terms follow ISO 14971: Medical devices. The data centre was built en 2019, per EN 1
        and page 14971 of the binder.

        <!-- techfile: ignore[ST001] reason="GA-3 compares ISO 14971:2007 and :2019" -->
        ```text
        ISO 14971:2007
        ```
        Inline `ISO 14971:2007` is an example too.
        """
    )
    mentions = body_mentions(table, text, 1)
    assert [(m.line, m.cited.text, m.cited.unreadable) for m in mentions] == [
        (3, "ISO 14971", None)
    ]


def test_a_wrapped_guidance_title_is_read_and_its_year_decides_the_edition() -> None:
    table = standards_table()
    text = (
        "We follow the 2018 draft guidance \u201cContent of Premarket\n"
        "Submissions for Management of Cybersecurity in Medical Devices\u201d.\n\n"
        "The 2014 guidance, Content of Premarket Submissions for Management of Cybersecurity in "
        "Medical Devices, came first.\n\n"
        "Content of Premarket Submissions for Management of Cybersecurity in Medical Devices.\n"
    )
    found = [
        (m.line, m.cited.edition.ref if m.cited.edition else None)
        for m in body_mentions(table, text, 1)
    ]
    assert found == [
        (1, "FDA Premarket Cybersecurity Guidance:2018"),
        (4, "FDA Premarket Cybersecurity Guidance:2014"),
    ]  # no year, no edition: nothing to say


def test_an_edition_named_only_as_history_is_not_reported(tree: Tree, techfile: Run) -> None:
    files = {
        "rmp.md": doc(
            "id: RMP-1\ntype: risk-management-plan\nstandards: [EN ISO 14971:2019+A11:2021]",
            """
            | Version | Change |
            |---|---|
            | 2.0 | Moved from ISO 14971:2007 to ISO 14971:2019 |
            """,
        ),
        "old.md": doc(
            'id: RMP-2\ntype: risk-management-plan\nversion: "1"\nstatus: approved\n'
            "approvals: [{by: A, role: B, date: 2024-01-10}]",
            "Risks are managed to ISO 14971:2007.",
        ),
    }
    result = check(tree, techfile, files, "--select", "ST001")
    # named only in the text: a warning at most, even approved years after the replacement
    assert [line.split(":")[0] for line in result.lines] == ["old.md"]
    assert "[warning]" in result.out and "names in its text ISO 14971:2007" in result.out


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("ISO 14941", "ISO 14971"),
        ("ISO14791", "ISO 14971"),
        ("ISO/TR 29471", "ISO/TR 24971"),
        ("ISO 13845", "ISO 13485"),
        ("EN 63204", "EN 62304"),
    ],
)
def test_did_you_mean_for_a_typo(written: str, meant: str) -> None:
    table = standards_table()
    (cited,) = table.read(written)
    found = near_miss(table, cited, frozenset())
    assert found is not None and found.meant == meant


@pytest.mark.parametrize(
    "written",
    [
        "IEC 62305",  # lightning protection: the last digit is never a typo
        "ISO 13482",  # personal care robots
        "IEC/TR 80002-1",  # software risk management guidance
        "ISO 81001-1",  # health software concepts (a listed neighbour)
        "ISO/IEC 27701",  # the 27000 family is numbered in sequence in the table
        "ISO/IEC 27005",
        "IEC 80001-2-2",  # another part
        "ISO 1497",  # a digit fewer
        "IEC 14941",  # IEC does not publish ISO 14971
        "MDCG 2019-11",  # MDCG documents are numbered in sequence
        "ISO 14971",
    ],
)
def test_no_did_you_mean_for_real_or_unrelated_numbers(written: str) -> None:
    table = standards_table()
    for cited in table.read(written):
        assert near_miss(table, cited, frozenset()) is None, written


# ------------------------------------------------------------------ EN IEC 81001-5-1 accepts


def _registry() -> dict[str, dict[str, object]]:
    path = bundled("data") / "clauses" / "iec-81001-5-1.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    errors = list(validator("clause-registry.schema.json").iter_errors(data))
    assert not errors, [e.message for e in errors]
    return {str(c["id"]): c for c in data["clauses"]}


def test_every_81001_5_1_clause_records_why_it_accepts_what_it_does() -> None:
    clauses = _registry()
    missing = [cid for cid, clause in clauses.items() if not clause.get("why")]
    assert not missing
    for cid in ("6.2.1", "6.2.2", "6.3.1", "6.3.2", "6.3.3", "7.1.1", "7.5", "5.8.1"):
        assert clauses[cid]["accepts"] == ["product", "process"], cid
    for cid in ("5.8.3", "5.8.5", "5.8.5(c)", "5.8.6", "6.2.2(b)", "6.3.1(a)"):
        assert "process" in clauses[cid]["accepts"], cid
    for cid in ("5.2.1", "5.7.4", "7.2", "7.1.2", "5.8.2", "5.8.7"):
        assert clauses[cid]["accepts"] == ["product"], cid  # a property or record of the device


def test_process_evidence_meets_clauses_that_ask_for_a_process(tree: Tree, techfile: Run) -> None:
    rows = "\n".join(
        f"| {cid} | yes | {ev} |"
        for cid, ev in (
            ("5.8.1", "SOP-REL"),
            ("6.2.1", "VMP-1"),
            ("6.2.2", "VMP-1"),
            ("6.3.1", "VMP-1"),
            ("6.3.3", "SOP-REL"),
            ("7.1.1", "SOP-RM"),
            ("7.5", "SOP-RM"),
            ("5.7.4", "SOP-REL"),
        )
    )
    files = {
        "cm.md": doc(
            "id: CM-1\ntype: conformity-matrix\nstandard: EN IEC 81001-5-1:2022",
            f"| Clause | Applicable | Evidence |\n|---|---|---|\n{rows}",
        ),
        "vmp.md": doc("id: VMP-1\ntype: vulnerability-management-procedure"),
        "rm.md": doc("id: SOP-RM\ntype: qms-procedure"),
        "rel.md": doc("id: SOP-REL\ntype: qms-procedure"),
    }
    (finding,) = _json(tree, techfile, files, "--select", "EV002")
    assert "5.7.4" in finding["message"]  # penetration testing: the device
    assert "cites only SOP-REL (QMS procedure)" in finding["message"]
    assert "on its own" not in finding["why"]
    assert "SOP-REL is process evidence, which the clause does not accept" in finding["why"]


# ------------------------------------------------------------------ whose evidence


SOC2 = """\
id: SOC2-HOST
type: soc2-report
soc2_type: Type II
service_organisation: Nimbus Cloud Hosting, Inc.
period_start: 2025-01-01
period_end: 2025-12-31
opinion: unqualified
"""
DEVICE = (
    "id: DD-1\ntype: device-description\ndevice_name: GlucoTrend\nmanufacturer: GlucoTrend GmbH"
)


def _matrix(*rows: str) -> str:
    body = "\n".join(f"| {row} |" for row in rows)
    return doc(
        "id: CM-1\ntype: conformity-matrix\nstandard: EN IEC 81001-5-1:2022",
        f"| Clause | Evidence |\n|---|---|\n{body}",
    )


def test_a_suppliers_soc2_report_supports_the_supplier_clauses(tree: Tree, techfile: Run) -> None:
    files = {
        "cm.md": _matrix("5.2.3 | SOC2-HOST, SRA-1", "4.1.5 | SOC2-HOST, SUP-1"),
        "soc2.md": doc(SOC2),
        "dd.md": doc(DEVICE),
        "sra.md": doc("id: SRA-1\ntype: security-risk-assessment"),
        "sup.md": doc("id: SUP-1\ntype: qms-procedure"),
    }
    result = check(tree, techfile, files, "--select", "EV")
    assert result.out == ""


def test_a_suppliers_report_elsewhere_names_only_the_clauses_it_supports(
    tree: Tree, techfile: Run
) -> None:
    files = {"cm.md": _matrix("5.7.4 | SOC2-HOST"), "soc2.md": doc(SOC2), "dd.md": doc(DEVICE)}
    (finding,) = _json(tree, techfile, files, "--select", "EV001")
    assert "of the supplier Nimbus Cloud Hosting, Inc." in finding["message"]
    assert "describes the supplier's own controls" in finding["why"]
    assert "describes how the company runs information security" not in finding["why"]
    assert "(4.1.5, 4.3, 5.1.2, 5.2.3, 5.8.4)" in finding["fix"]
    assert "4.1.1" not in finding["fix"] and "4.1.4" not in finding["fix"]


def test_the_manufacturers_own_soc2_report_is_organisational_evidence(
    tree: Tree, techfile: Run
) -> None:
    own = SOC2.replace("Nimbus Cloud Hosting, Inc.", "GlucoTrend GmbH")
    files = {"cm.md": _matrix("5.2.3 | SOC2-HOST"), "soc2.md": doc(own), "dd.md": doc(DEVICE)}
    (finding,) = _json(tree, techfile, files, "--select", "EV001")
    assert "describes how the company runs information security" in finding["why"]
    assert "(4.1.1, 4.1.4, 5.1.2, 5.8.4)" in finding["fix"]
    unknown = {"cm.md": _matrix("5.2.3 | SOC2-HOST"), "soc2.md": doc(own)}  # no manufacturer
    (hint,) = _json(tree, techfile, unknown, "--select", "EV001")
    assert "name the supplier in its `supplier` field" in hint["fix"]


def test_a_declared_supplier_needs_no_manufacturer(tree: Tree, techfile: Run) -> None:
    cert = "id: HDS-1\ntype: hds-certificate\nsupplier: Nimbus\ncertifies: HDS:2024\n"
    files = {"cm.md": _matrix("5.2.3 | HDS-1, SRA-1"), "hds.md": doc(cert)}
    files["sra.md"] = doc("id: SRA-1\ntype: security-risk-assessment")
    assert check(tree, techfile, files, "--select", "EV,ST").out == ""


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Acme Health GmbH", "ACME Health", True),
        ("Acme Health GmbH", "Acme Health Inc.", True),
        ("Amazon Web Services, Inc.", "Acme Health GmbH", False),
        ("OVH SAS", "OVHcloud", False),
        ("", "Acme", False),
    ],
)
def test_organisation_names_compare_without_legal_forms(a: str, b: str, same: bool) -> None:
    assert same_organisation(a, b) is same


# ------------------------------------------------------------------ SOC 2 period, HDS editions


@pytest.mark.parametrize(
    ("as_of", "bridge", "reported"),
    [
        ("2026-12-31", "", False),  # 12 months after the period: still current
        ("2027-01-01", "", True),
        ("2027-03-31", "bridge_letter: {issued: 2026-04-05, covers_until: 2026-03-31}\n", False),
        ("2027-04-01", "bridge_letter: {issued: 2026-04-05, covers_until: 2026-03-31}\n", True),
    ],
)
def test_st003_soc2_report_period(
    tree: Tree, techfile: Run, as_of: str, bridge: str, reported: bool
) -> None:
    files = {"soc2.md": doc(SOC2 + bridge)}
    result = check(tree, techfile, files, "--select", "ST003", "--as-of", as_of)
    assert bool(result.out) is reported
    if reported:
        assert "[warning]" in result.out and "of Nimbus Cloud Hosting, Inc." in result.out


def test_st003_soc2_age_is_an_option(tree: Tree, techfile: Run) -> None:
    files = {"soc2.md": doc(SOC2)}
    config = "[rules.ST003]\nsoc2-max-age-months = 6\n"
    late = check(
        tree, techfile, files, "--select", "ST003", "--as-of", "2026-07-01", "--format", "json",
        config=config,
    )  # fmt: skip
    (finding,) = late.json()["findings"]
    assert "more than 6 months" in finding["why"]


def test_hds_referentiel_editions(tree: Tree, techfile: Run) -> None:
    table = standards_table()
    assert [c.edition.ref for c in table.read("HDS:2018") if c.edition] == ["HDS référentiel:2018"]
    assert [c.edition.ref for c in table.read("Référentiel HDS v2") if c.edition] == [
        "HDS référentiel:2024"
    ]
    files = {
        "cert.md": doc(
            "id: HDS-1\ntype: hds-certificate\ncertifies: HDS:2018\nexpiry_date: 2027-01-01"
        ),
        "bare.md": doc("id: HDS-2\ntype: hds-certificate\ncertifies: HDS\nexpiry_date: 2027-01-01"),
    }
    result = check(tree, techfile, files, "--select", "ST002,ST003", "--format", "json")
    # the end of validity of 2018 certificates is not verified: no ST003 before expiry
    (finding,) = result.json()["findings"]
    assert finding["path"] == "bare.md" and "HDS référentiel:2024 as current" in finding["fix"]


def test_openregulatory_standard_in_the_rationale_column(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    found = _real_json("openregulatory-templates", tmp_path, monkeypatch, capsys, "EV005")
    # the 14.2(d) row's standard slid into the Rationale column: say so, once, on the row
    (finding,) = [f for f in found if f["path"] == CHECKLIST and f["line"] == 111]
    assert "names ISO 14971:2919 only in its justification" in finding["message"]
    # the fix names the column as the checklist heads it
    assert finding["fix"] == 'Move ISO 14971:2919 to its "Applicable Standard" column.'


def test_a_clause_after_a_colon_in_the_text_is_no_edition(tree: Tree, techfile: Run) -> None:
    files = {
        "rmp.md": doc(
            "id: RMP-1\ntype: risk-management-plan\nstandards: [ISO 14971:2019]",
            "Risks are estimated per ISO 14971:5.5 and controlled per ISO 14971:7.1; see also "
            "ISO 14971:219.",
        )
    }
    result = check(tree, techfile, files, "--select", "ST002")
    (line,) = result.lines
    assert "ISO 14971:219, whose edition is not a year" in line
