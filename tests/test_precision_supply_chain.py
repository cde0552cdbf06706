"""Precision of the supply-chain rules (SC001-SC006) on other teams' real files.

The SOUP lists of OpenRegulatory's template and of a team that generated its rows into it
(fixtures/realworld/openregulatory-templates, Fabrizio250-test_ct_covid) and the CISA VEX use
cases of CycloneDX (fixtures/realworld/CycloneDX-bom-examples, CycloneDX-specification), each
copied byte for byte with its licence; every false finding fixed here is a regression test.
"""

from __future__ import annotations

import datetime
import json
import re
import shutil
from pathlib import Path

import pytest

from techfile.cli import main
from techfile.cli.options import resolve_config
from techfile.data.clauses import clause_registry
from techfile.data.pages import load_pages
from techfile.data.registry import load_data
from techfile.engine.pipeline import RunOptions
from techfile.engine.run import run
from techfile.rules.supply_chain.common import _as_date

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "realworld"
AS_OF = "2026-12-07"  # the date the corpus runs use
FABRIZIO_SOUP = "docs/md_docs/soup-list.md"
OPENREG_SOUP = "templates/techdoc/62304/soup-list.md"
CISA = FIXTURES / "CycloneDX-bom-examples" / "VEX" / "CISA-Use-Cases"
COMPOSITIONS = (
    FIXTURES / "CycloneDX-specification/tools/src/test/resources/1.6/valid-compositions-1.6.json"
)


def _run(
    root: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    select: str,
) -> list[dict[str, object]]:
    monkeypatch.chdir(root)
    capsys.readouterr()
    code = main(["check", "--no-cache", "--as-of", AS_OF, "--select", select, "--format", "json"])
    out = capsys.readouterr().out
    assert code in (0, 1), out
    findings: list[dict[str, object]] = json.loads(out)["findings"]
    # `why` and `fix` from the same run through the API (the JSON need not carry them)
    config, _ = resolve_config((str(root),), False)
    as_of = datetime.date.fromisoformat(AS_OF)
    options = RunOptions(tuple(select.split(",")), as_of=as_of, use_cache=False)
    explained = run(config, options).findings
    assert [f.message for f in explained] == [f["message"] for f in findings]
    for finding, full in zip(findings, explained, strict=True):
        finding.update(why=full.why, fix=full.fix)
    return findings


def _preset_copy(folder: str, tmp_path: Path) -> Path:
    root = tmp_path / folder
    shutil.copytree(FIXTURES / folder, root)
    (root / ".techfile.toml").write_text('preset = "openregulatory"\n', encoding="utf-8")
    return root


def _lines(findings: list[dict[str, object]], code: str) -> list[tuple[str, object]]:
    return [(str(f["path"]), f["line"]) for f in findings if f["code"] == code]


# ------------------------------------------------------------------------------ OpenRegulatory


def test_openregulatory_last_verified_at_is_the_anomaly_review(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`Last verified at | 23.10.2020` is the date the SOUP's issue tracker was last checked
    (the template's development plan says so): no "no anomaly review" (SC002), but a review
    six years old (SC004)."""
    root = _preset_copy("openregulatory-templates", tmp_path)
    findings = _run(root, monkeypatch, capsys, "SC002,SC004,FM004")
    sc002 = [f for f in findings if f["path"] == OPENREG_SOUP and f["code"] == "SC002"]
    assert sc002 and not any("anomaly review" in str(f["message"]) for f in sc002)
    assert not any(f["code"] == "FM004" and f["path"] == OPENREG_SOUP for f in findings)
    stale = [f for f in findings if f["code"] == "SC004"]
    assert len(stale) == 1
    assert stale[0]["path"] == OPENREG_SOUP and stale[0]["line"] == 47
    assert "react-native" in str(stale[0]["message"]) and "2020-10-23" in str(stale[0]["message"])
    # the one remaining SC002: the template has no manufacturer column (IEC 62304 8.1.2 b)
    assert [(f["code"], f["line"]) for f in findings if f["code"] == "SC002"] == [("SC002", 47)]
    (missing,) = [f for f in findings if f["code"] == "SC002"]
    assert str(missing["message"]).endswith("has no manufacturer")
    assert missing["fix"] == 'Fill in its "Manufacturer" cell.'  # a table row: its column


def test_dates_are_read_day_first_with_dots_and_never_guessed() -> None:
    assert _as_date("23.10.2020") == datetime.date(2020, 10, 23)
    assert _as_date("3. 1. 2021") == datetime.date(2021, 1, 3)
    assert _as_date("2024-08-03") == datetime.date(2024, 8, 3)
    assert _as_date("2024-08-03T10:00:00Z") == datetime.date(2024, 8, 3)
    assert _as_date("2020/10/23") == datetime.date(2020, 10, 23)
    assert _as_date("10/23/2020") is None  # month or day first: ambiguous
    assert _as_date("31.02.2025") is None
    assert _as_date("Unknown") is None


# ------------------------------------------------------------------------------ Fabrizio250


def test_generated_soup_list_gives_one_finding_per_defect(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """102 SC002 before: three per row, rows that are no SOUP items included. Now: one for the
    missing manufacturer column, one for the requirements column never filled in (both at the
    header row, line 45), and one per row without a version that may be the project's own
    module."""
    root = _preset_copy("Fabrizio250-test_ct_covid", tmp_path)
    findings = _run(root, monkeypatch, capsys, "SC002")
    assert _lines(findings, "SC002") == [(FABRIZIO_SOUP, line) for line in (45, 45, 67, 76, 78, 79)]
    messages = [str(f["message"]) for f in findings]
    assert sum("none of the 24 SOUP items" in m for m in messages) == 2
    assert any("names its manufacturer" in m for m in messages)
    assert any("has requirements" in m for m in messages)
    for name in ("covidx", "api", "evaluate", "monitoring"):
        (row,) = [f for f in findings if f"({name}) " in str(f["message"])]
        assert str(row["message"]).endswith("has no version")
        assert str(row["fix"]).startswith('Fill in its "Version" cell. If ')
        assert f"If {name} is your own code" in str(row["fix"]) and "not SOUP" in str(row["fix"])
    # the rows left out are named where the whole-list findings say why
    whole = [f for f in findings if "none of the 24" in str(f["message"])]
    assert all("Its 10 other rows (" in str(f["why"]) for f in whole)


@pytest.mark.parametrize(
    "name",
    [
        "itertools",
        "time",
        "sklearn",
        "PIL",
        "cv2",
        "yaml",
        "pytest",
        "locust",
        "tests",
        "utils_test",
    ],
)
def test_rows_that_are_no_soup_items_are_left_alone(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Python's standard library (part of the Python runtime), import names of listed packages
    (`sklearn` next to `scikit-learn`), test tools and the project's test modules."""
    root = _preset_copy("Fabrizio250-test_ct_covid", tmp_path)
    findings = _run(root, monkeypatch, capsys, "SC002,SC004")
    assert not any(f"({name})" in str(f["message"]) for f in findings)


def test_generated_soup_list_stale_reviews_are_one_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _preset_copy("Fabrizio250-test_ct_covid", tmp_path)
    findings = _run(root, monkeypatch, capsys, "SC004")
    assert _lines(findings, "SC004") == [(FABRIZIO_SOUP, 45)]
    message, fix = str(findings[0]["message"]), str(findings[0]["fix"])
    assert "all 20 SOUP items" in message and message.endswith("months before 2026-12-07")
    assert "2024-09-29" in fix and "2024-01-25" in fix and '"Last verified at" column' in fix


def _soup(rows: str, header: str = "| Name | Version | Manufacturer | Scope |") -> str:
    separator = "|---" * (header.count("|") - 1) + "|"
    return (
        "---\nid: SOUP-001\ntype: soup-list\ntitle: SOUP list\n---\n\n# SOUP list\n\n"
        f"{header}\n{separator}\n{rows}"
    )


def _tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def test_a_row_marked_as_not_delivered_is_no_soup_item(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = (
        "| numpy | 2.1.3 | NumPy Developers | |\n| behave | | | test |\n| mkdocs | 1.6 | | dev |\n"
    )
    root = _tree(tmp_path, {"soup.md": _soup(rows), ".techfile.toml": ""})
    findings = _run(root, monkeypatch, capsys, "SC002")
    assert not any("behave" in str(f["message"]) or "mkdocs" in str(f["message"]) for f in findings)


def test_a_stdlib_name_with_a_version_is_a_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`typing 3.7.4.3` is the PyPI backport: a SOUP item, checked like any other."""
    rows = "| numpy | 2.1.3 | NumPy Developers | |\n| typing | 3.7.4.3 | | |\n"
    root = _tree(tmp_path, {"soup.md": _soup(rows), ".techfile.toml": ""})
    findings = _run(root, monkeypatch, capsys, "SC002")
    typing = [f for f in findings if "SOUP item typing " in str(f["message"])]
    assert [(f["line"], "no manufacturer" in str(f["message"])) for f in typing] == [(12, True)]


def test_an_import_name_matches_the_sbom_by_its_published_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bom = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "metadata": {"component": {"type": "application", "bom-ref": "app", "name": "App"}},
        "components": [
            {
                "type": "library",
                "bom-ref": "skl",
                "name": "scikit-learn",
                "version": "1.5.2",
                "purl": "pkg:pypi/scikit-learn@1.5.2",
            },
        ],
    }
    sbom = "---\nid: SBOM-001\ntype: sbom\ntitle: SBOM\nfile: app.cdx.json\n---\n\n# SBOM\n"
    rows = "| sklearn | 1.5.2 | scikit-learn developers | |\n"
    root = _tree(
        tmp_path,
        {
            "soup.md": _soup(rows),
            "sbom.md": sbom,
            "app.cdx.json": json.dumps(bom),
            ".techfile.toml": "",
        },
    )
    assert _run(root, monkeypatch, capsys, "SC001") == []


def test_a_tool_in_both_the_soup_list_and_the_sbom_is_no_difference(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bom = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "metadata": {"component": {"type": "application", "bom-ref": "app", "name": "App"}},
        "components": [
            {"type": "library", "bom-ref": "np", "name": "numpy", "version": "2.1.3"},
            {"type": "library", "bom-ref": "pt", "name": "pytest", "version": "8.3.3"},
        ],
    }
    sbom = "---\nid: SBOM-001\ntype: sbom\ntitle: SBOM\nfile: app.cdx.json\n---\n\n# SBOM\n"
    rows = "| numpy | 2.1.3 | NumPy Developers | |\n| pytest | 8.3.3 | | |\n"
    root = _tree(
        tmp_path,
        {
            "soup.md": _soup(rows),
            "sbom.md": sbom,
            "app.cdx.json": json.dumps(bom),
            ".techfile.toml": "",
        },
    )
    findings = _run(root, monkeypatch, capsys, "SC001,SC002")
    assert not any("pytest" in str(f["message"]) for f in findings)
    assert not any(f["code"] == "SC001" for f in findings)


def test_soup_names_data_is_well_formed() -> None:
    data = load_data("soup-names.yaml")
    assert data["schema_version"] == 1
    assert {"itertools", "time"} <= set(data["runtime-modules"]["python"]["modules"])
    assert not {"zlib", "lzma", "readline", "curses", "sqlite3"} & set(
        data["runtime-modules"]["python"]["modules"]
    )
    assert data["import-names"]["sklearn"] == ["scikit-learn"]
    assert all(isinstance(v, list) and v for v in data["import-names"].values())


# ------------------------------------------------------------------------------ VEX


def _vex_tree(tmp_path: Path, files: dict[str, Path], extra: dict[str, str] | None = None) -> Path:
    """A small technical file naming real VEX files in vulnerability-report documents."""
    root = tmp_path / "tf"
    root.mkdir()
    for index, (name, source) in enumerate(sorted(files.items()), start=1):
        shutil.copyfile(source, root / name)
        (root / f"vr-{index}.md").write_text(
            f"---\nid: VR-{index:03d}\ntype: vulnerability-report\ntitle: VEX\nfile: {name}\n"
            "---\n\n# VEX\n",
            encoding="utf-8",
        )
    return _tree(root, {".techfile.toml": "", **(extra or {})})


def test_log4shell_exploitable_without_a_risk_assessment_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """CISA use case 1: CVE-2021-44228 (in CISA's KEV catalogue) `exploitable`, responses
    `will_not_fix` and `update`, passed silently before."""
    root = _vex_tree(tmp_path, {"affected.json": CISA / "Case-1" / "vex-affected.json"})
    findings = _run(root, monkeypatch, capsys, "SC005,SC006")
    assert [f["code"] for f in findings] == ["SC006"]
    message = str(findings[0]["message"])
    assert "CVE-2021-44228" in message and "`exploitable`" in message
    assert findings[0]["clause"] == "MDCG 2019-16 Rev.1 3.2"
    assert str(findings[0]["why"]).startswith("MDCG 2019-16 Rev.1 3.2 expects")
    assert "EN IEC 81001-5-1:2022 9.4" in str(findings[0]["why"])
    assert "`analysis.detail`" in str(findings[0]["fix"])  # a VEX entry, not a report row


def test_log4shell_traced_to_the_security_risk_assessment_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    sra = (
        "---\nid: SRA-001\ntype: security-risk-assessment\ntitle: SRA\n---\n\n# SRA\n\n"
        "| ID | Threat refs | Safety impact | Safety impact rationale |\n|---|---|---|---|\n"
        "| SRA-07 | | none | CVE-2021-44228 in the audit logger cannot reach therapy data |\n"
    )
    root = _vex_tree(
        tmp_path, {"affected.json": CISA / "Case-1" / "vex-affected.json"}, {"sra.md": sra}
    )
    assert _run(root, monkeypatch, capsys, "SC006") == []


def test_cisa_statements_per_product_are_judged_one_by_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Case 7: one CVE, four statements (one per product and status): the not_affected ones
    carry a justification, the resolved one needs nothing, the exploitable one needs a risk."""
    root = _vex_tree(
        tmp_path,
        {
            "case7.json": CISA / "Case-7" / "vex.json",
            "not-affected.json": CISA / "Case-1" / "vex-not_affected.json",
            "fixed.json": CISA / "Case-1" / "vex-fixed.json",
            "triage.json": CISA / "Case-1" / "vex-under_investigation.json",
        },
    )
    findings = _run(root, monkeypatch, capsys, "SC005,SC006,ID001")
    codes = sorted((str(f["code"]), str(f["severity"])) for f in findings)
    assert codes == [("SC005", "warning"), ("SC006", "error")]
    assert "in_triage" in str(next(f for f in findings if f["code"] == "SC005")["message"])


def test_a_vulnerability_without_affects_does_not_claim_to_be_delivered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """valid-compositions-1.6.json: ACME-12345 has no `affects` and no analysis; the message
    said it "affects no component, which is delivered with the software"."""
    root = _vex_tree(tmp_path, {"compositions.json": COMPOSITIONS})
    findings = _run(root, monkeypatch, capsys, "SC005")
    assert len(findings) == 1
    message = str(findings[0]["message"])
    assert message.endswith("names no affected component and has no analysis state")
    assert "delivered" not in message
    assert "`affects`" in str(findings[0]["fix"])


def _report(rows: str) -> str:
    return (
        "---\nid: VR-001\ntype: vulnerability-report\ntitle: Known vulnerabilities\n---\n\n"
        "# Known vulnerabilities\n\n"
        "| ID | Component | State | Justification | Response | Risk refs |\n"
        "|---|---|---|---|---|---|\n" + rows
    )


def test_not_affected_needs_a_justification_and_will_not_fix_a_rationale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = (
        "| CVE-2024-0001 | numpy 2.1.3 | not_affected | | | |\n"
        "| CVE-2024-0002 | numpy 2.1.3 | not_affected | code_not_reachable | | |\n"
        "| CVE-2024-0003 | numpy 2.1.3 | exploitable | | will_not_fix | SRA-1 |\n"
    )
    root = _tree(tmp_path, {"vr.md": _report(rows), ".techfile.toml": ""})
    findings = _run(root, monkeypatch, capsys, "SC005")
    found = sorted((str(f["item"]), str(f["severity"])) for f in findings)
    assert found == [("CVE-2024-0001", "warning"), ("CVE-2024-0003", "warning")]
    justification, rationale = findings
    assert "CISA Minimum Requirements for VEX (April 2023)" in str(justification["why"])
    assert 'its "Justification" cell' in str(justification["fix"])  # the report's column
    assert "will_not_fix" in str(rationale["message"])
    assert str(rationale["fix"]).endswith('in its "Justification" cell.')


def test_one_row_per_affected_component_is_one_risk_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = (
        "| CVE-2021-44228 | log4j-core 2.14.1 | exploitable | | update | |\n"
        "| CVE-2021-44228 | log4j-api 2.14.1 | exploitable | | update | |\n"
    )
    root = _tree(tmp_path, {"vr.md": _report(rows), ".techfile.toml": ""})
    findings = _run(root, monkeypatch, capsys, "SC005,SC006")
    assert [f["code"] for f in findings] == ["SC006"]
    assert "log4j-core 2.14.1, log4j-api 2.14.1 in VR-001." in str(findings[0]["fix"])
    assert 'the report\'s "Risk refs" column.' in str(findings[0]["fix"])


def test_one_row_per_affected_component_is_no_duplicate_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = (
        "| CVE-2021-44228 | log4j-core 2.14.1 | exploitable | | update | SRA-1 |\n"
        "| CVE-2021-44228 | log4j-api 2.14.1 | exploitable | | update | SRA-1 |\n"
    )
    soup = _soup(
        "| numpy | 2.1.3 | NumPy | |\n| numpy | 1.26.4 | NumPy | |\n",
    )
    root = _tree(tmp_path, {"vr.md": _report(rows), "soup.md": soup, ".techfile.toml": ""})
    assert _run(root, monkeypatch, capsys, "ID001") == []


# ------------------------------------------------------------------------------ pages


@pytest.mark.parametrize("code", ["SC001", "SC002", "SC003", "SC004", "SC005", "SC006"])
def test_page_clauses_name_their_edition_as_messages_do(code: str) -> None:
    """A clause in a page header is written as the registry displays it in messages
    (`IEC 62304:2006+AMD1:2015 8.1.2`, `MDCG 2019-16 Rev.1 3.2`)."""
    registry = clause_registry()
    for text in load_pages()[code].clauses:
        ref = registry.parse(text)
        if ref is not None and ref.family is not None:
            assert registry.display(ref) == text, text
        else:
            assert not re.match(r"^(EN |IEC |ISO |MDCG )", text), text
