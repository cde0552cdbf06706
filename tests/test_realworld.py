"""Real-world conventions: the presets `openregulatory`, `rdm` and `gstt` on material other teams
wrote (fixtures/realworld, copied from the evaluation corpus with licence and attribution).

The assertions about items, values and findings run on the copies in fixtures/realworld and
never skip. The runs over the whole corpus (`shared/eval/realworld`) skip when it is absent.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import NO_CORPUS, REALWORLD
from techfile.cli import main
from techfile.data.registry import column_aliases, value_aliases
from techfile.data.resources import bundled
from techfile.engine.load import load_files
from techfile.intake.cache import ParseCache
from techfile.intake.config import load_config, parse_settings, with_preset
from techfile.intake.external import attach_external
from techfile.intake.items import header_fields
from techfile.intake.parse import ParseSettings, parse_bytes
from techfile.intake.sources import WorkTree
from techfile.model.document import Document
from techfile.model.plan import read_plan

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "realworld"
PRESETS = ("openregulatory", "rdm", "gstt")
MATCHING = {
    "openregulatory-templates": "openregulatory",
    "OpenSaMD": "openregulatory",
    "Fabrizio250-test_ct_covid": "openregulatory",
    "GSTT-CSC-QMS-Template": "gstt",
    "innolitics-rdm": "rdm",
}
RISK_TABLE = "templates/techdoc/14971/risk-table-fmea.md"
OPENSAMD_TABLE = "docs/3-techdoc/14971/risk-table-fmea"
RDM = "rdm/init_files"
SDS_STUB = (
    "---\nid: SDS-001\nrevision: 1\ntitle: Software Design Specification\n---\n\n"
    "# SOUP Software Items\n"
)


def _copy(source: Path, target: Path, config: str | None) -> Path:
    shutil.copytree(source, target)
    if config is not None:
        (target / ".techfile.toml").write_text(config, encoding="utf-8")
    return target


def _load(root: Path) -> dict[str, Document]:
    """Every document of a technical file as the rules see it (items from CSV and YAML
    files attached), by path."""
    source = root / ".techfile.toml"
    config = load_config(root, source if source.is_file() else None)
    settings = parse_settings(config)
    tree = WorkTree(config.root, config.max_file_size)
    parsed = load_files(
        tree, config.include, config.exclude, settings, ParseCache(root, "test", False)
    )
    attach_external(parsed, config.items_from, settings, tree.read_path)
    return {p.path: p.document for p in parsed if p.document is not None}


def _diagnostics(root: Path) -> dict[str, list[str]]:
    source = root / ".techfile.toml"
    config = load_config(root, source if source.is_file() else None)
    settings = parse_settings(config)
    tree = WorkTree(config.root, config.max_file_size)
    parsed = load_files(
        tree, config.include, config.exclude, settings, ParseCache(root, "test", False)
    )
    return {p.path: [d.code for d in p.diagnostics] for p in parsed}


def _check(
    root: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    *args: str,
) -> tuple[int, list[str], str]:
    monkeypatch.chdir(root)
    monkeypatch.setenv("TECHFILE_DEBUG", "1")  # an internal error raises instead of exit 2
    capsys.readouterr()
    code = main(["check", "--no-cache", "--as-of", "2026-06-30", *args])
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err


def _items(document: Document, name: str) -> dict[str, Any]:
    return {item.id: item for item in document.items.get(name, []) if item.id is not None}


# ------------------------------------------------------------------------------ the presets


@pytest.mark.parametrize("name", PRESETS)
def test_preset_is_a_valid_configuration_fragment(name: str) -> None:
    path = bundled("data") / "presets" / f"{name}.toml"
    text = path.read_text(encoding="utf-8")
    # validates against schemas/config.schema.json, and every [types] target is a known type
    merged = with_preset({}, name)
    assert merged["types"], "a preset maps at least one path to a type"
    assert text.count("#") >= 10, "every mapping is explained in a comment"


def test_team_configuration_wins_over_the_preset_and_lists_are_joined(tmp_path: Path) -> None:
    (tmp_path / ".techfile.toml").write_text(
        'preset = "openregulatory"\nid-from = "path-stem"\n'
        '[types]\n"**/soup-list.md" = "sbom"\n'
        '[[items-from]]\ndocument = "x.md"\nlist = "risks"\nfile = "./x.csv"\n',
        encoding="utf-8",
    )
    config = load_config(tmp_path, tmp_path / ".techfile.toml")
    assert config.id_from == "path-stem"
    assert config.type_globs["**/soup-list.md"] == "sbom"
    assert len(config.items_from) == 4  # the preset's three and the team's one


# ------------------------------------------------------------------------------ provenance


@pytest.mark.parametrize("folder", sorted(p.name for p in FIXTURES.iterdir() if p.is_dir()))
def test_fixture_copies_are_byte_identical_and_attributed(folder: str) -> None:
    base = FIXTURES / folder
    attribution = (base / "ATTRIBUTION.md").read_text(encoding="utf-8")
    assert "Repository: https://github.com/" in attribution
    assert re.search(r"Commit: `[0-9a-f]{40}`", attribution)
    assert "Licence:" in attribution
    assert any((base / name).is_file() for name in ("LICENSE", "LICENSE.md", "LICENSE.txt"))
    rows = re.findall(r"^\| `([^`]+)` \| [^|]+ \| `([0-9a-f]{16})` \|$", attribution, re.M)
    assert rows
    for rel, digest in rows:
        assert hashlib.sha256((base / rel).read_bytes()).hexdigest()[:16] == digest, rel


# ------------------------------------------------------------------------------ OpenRegulatory


@pytest.fixture
def openregulatory(tmp_path: Path) -> Path:
    return _copy(
        FIXTURES / "openregulatory-templates", tmp_path / "or", 'preset = "openregulatory"\n'
    )


def test_openregulatory_types_and_ids_come_from_paths_and_h1(openregulatory: Path) -> None:
    documents = _load(openregulatory)
    types = {path: d.type for path, d in documents.items()}
    assert types == {
        "ATTRIBUTION.md": None,
        "templates/general/checklist-mdr.md": "gspr-checklist",
        # an ISMS mapping, not the device's conformity matrix
        "templates/information_security/27001-mapping.md": None,
        "templates/information_security/information-security-controls.md": "isms-soa",
        "templates/information_security/sop-information-security-risk-assessment.md": (
            "qms-procedure"
        ),
        "templates/qms/software-validation/software-list.md": None,
        "templates/techdoc/14971/risk-management-plan.md": "risk-management-plan",
        "templates/techdoc/14971/risk-management-report.md": "risk-management-report",
        RISK_TABLE: "risk-analysis",
        "templates/techdoc/62304/software-development-maintenance-plan.md": (
            "software-development-plan"
        ),
        "templates/techdoc/62304/software-requirements-list.md": "software-requirements",
        "templates/techdoc/62304/soup-list.md": "soup-list",
        "templates/techdoc/62366/list-of-hazard-related-use-scenarios.md": None,
        "templates/techdoc/list-of-known-anomalies.md": None,
    }
    assert documents[RISK_TABLE].id == "Failure Mode and Effects Analysis (FMEA): Risk Table"
    # the GSPR checklist cites documents by title; with the H1 as id, such a citation resolves
    assert documents["templates/techdoc/14971/risk-management-report.md"].id == (
        "Risk Management Report"
    )


def test_openregulatory_risk_table_reads_hazards_and_residual_columns(openregulatory: Path) -> None:
    table = _load(openregulatory)[RISK_TABLE]
    risks = table.items["risks"]
    # four tables number their rows from 1; only the hazards table is the risks
    assert len(risks) == 1
    risk = risks[0]
    assert (risk.id, risk.line, risk.path) == ("1", 97, RISK_TABLE)
    assert risk.get("hazard") == "Wrong Covid prediction"
    assert risk.get("hazardous_situation") == "User thinks he is healthy, but has Covid"
    assert risk.get("harm") == "Disease progression"
    # `| P | S | Acceptable? |` twice: before risk control, then (second group) residual
    assert (risk.get("probability"), risk.get("severity"), risk.get("acceptable")) == (
        "P4",
        "S2",
        False,
    )
    assert (
        risk.get("residual_probability"),
        risk.get("residual_severity"),
        risk.get("residual_acceptable"),
    ) == ("P3", "S2", True)
    assert risk.get("controls") == ["1"]  # `Risk Control ID(s)`
    controls = table.items["controls"]
    assert len(controls) == 1
    control = controls[0]
    assert (control.id, control.line) == ("1", 118)
    assert control.get("description") == "Check prediction algorithm with test data"
    assert control.get("type") == "protective-measure"
    assert control.get("verification") == {
        "implementation": ["Link Software Test ID"],
        "effectiveness": ["Link Usability Test ID"],
    }


def test_openregulatory_plan_scales_and_matrix_are_read(openregulatory: Path) -> None:
    plan = read_plan(
        _load(openregulatory)["templates/techdoc/14971/risk-management-plan.md"], value_aliases()
    )
    assert [lv.id for lv in plan.severity.levels] == ["S1", "S2", "S3", "S4"]
    assert [lv.id for lv in plan.probability.levels] == ["P5", "P4", "P3", "P2", "P1"]
    assert plan.matrix[("S2", "P4")] == "unacceptable"
    assert plan.matrix[("S2", "P3")] == "acceptable"


def test_openregulatory_risk_row_agrees_with_its_matrix(
    openregulatory: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _check(openregulatory, monkeypatch, capsys, "--select", "RM003,RM004,RM009")
    assert (code, out) == (0, [])


def test_openregulatory_soup_list(openregulatory: Path) -> None:
    items = _load(openregulatory)["templates/techdoc/62304/soup-list.md"].items["items"]
    assert len(items) == 1
    item = items[0]
    assert item.id == "react-native"  # a SOUP item is named by its package name
    assert item.line == 47
    assert item.fields["id"] == "1"
    assert item.get("name") == "react-native"
    assert item.get("version") == "0.61"  # text, as written
    assert item.get("language") == "JavaScript"
    assert item.get("software_system") == "Mobile App"
    assert item.get("risk_level") == "Low"
    assert item.get("last_verified") == "23.10.2020"
    assert item.get("requirements") == "* Runs JS on Android / iOS"


def test_generated_openregulatory_soup_list(tmp_path: Path) -> None:
    """A SOUP list with tool-generated rows in the OpenRegulatory template (another team)."""
    root = _copy(
        FIXTURES / "Fabrizio250-test_ct_covid", tmp_path / "fab", 'preset = "openregulatory"\n'
    )
    documents = _load(root)
    assert documents["docs/md_docs/software-list.md"].type is None  # QMS tools, not SOUP
    items = documents["docs/md_docs/soup-list.md"].items["items"]
    assert len(items) == 34
    by_name = {item.get("name"): item for item in items}
    assert by_name["numpy"].get("version") == "2.0.2"
    assert by_name["opencv-python"].get("version") == "4.10.0.84"
    assert by_name["PyYAML"].get("software_system") == "OS Independent"
    assert "risk_level" not in by_name["torch"].fields  # `N/A` is an empty cell


def test_openregulatory_gspr_checklist_rows(openregulatory: Path) -> None:
    checklist = _load(openregulatory)["templates/general/checklist-mdr.md"]
    rows = checklist.items["rows"]
    assert len(rows) == 267  # every chapter's table continues the first one's list
    first = rows[0]
    assert first.get("gspr") == "1"  # `**No.**`: bold headers are read
    assert first.get("applicable") is True
    assert first.get("evidence") == [  # a `<br>` list
        "Intended Use",
        "Risk Management Report",
        "Clinical Evaluation Report",
    ]


# ------------------------------------------------------------------------------ OpenSaMD


@pytest.fixture
def opensamd(tmp_path: Path) -> Path:
    return _copy(FIXTURES / "OpenSaMD", tmp_path / "samd", 'preset = "openregulatory"\n')


def test_opensamd_risks_are_merged_from_the_csv_tables(opensamd: Path) -> None:
    table = _load(opensamd)[f"{OPENSAMD_TABLE}/index.md"]
    assert table.type == "risk-analysis"
    risks = _items(table, "risks")
    assert sorted(risks, key=int) == [str(n) for n in range(1, 9)]
    first = risks["1"]
    # hazard-to-harm.csv, pulled in by a MyST {csv-table} directive
    assert (first.path, first.line) == (f"{OPENSAMD_TABLE}/hazard-to-harm.csv", 2)
    assert first.get("hazard") == "Avoidance organ under-contoured"
    assert first.get("harm") == "Death or serious disablement"
    # analysis-without-risk-controls.csv ([[items-from]] of the preset)
    assert (first.get("probability"), first.get("severity"), first.get("acceptable")) == (
        "P2",
        "S5",
        False,
    )
    # analysis-with-external-controls.csv: its own columns, not the residual risk
    assert first.get("probability_after_external_controls") == "P1"
    # analysis-with-all-controls.csv: the residual risk
    assert (
        first.get("residual_probability"),
        first.get("residual_severity"),
        first.get("residual_acceptable"),
    ) == ("P1", "S5", True)
    assert "3" in first.get("controls")
    last = risks["8"]
    assert last.get("hazard") == "Leakage of Patient Information"
    assert (last.get("probability"), last.get("severity")) == ("P3", "S3")
    assert (last.get("residual_probability"), last.get("residual_severity")) == ("P3", "S2")
    assert last.get("controls") == ["4"]
    assert "controls" not in risks["6"].fields  # no control at any stage
    controls = _items(table, "controls")
    assert sorted(controls) == ["1", "2", "3", "4"]
    assert (
        controls["3"].get("type") == "information-for-safety"
    )  # "Internal measure - Information for safety"
    assert controls["4"].get("type") == "protective-measure"
    assert controls["4"].path == f"{OPENSAMD_TABLE}/risk-control-measures.csv"


def test_opensamd_controls_of_every_stage_are_kept(opensamd: Path) -> None:
    risks = _items(_load(opensamd)[f"{OPENSAMD_TABLE}/index.md"], "risks")
    assert risks["1"].get("controls") == ["1", "2", "3"]


def test_opensamd_scale_disagreement_is_found(
    opensamd: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The plan says S1-S4 and P1-P5; the separate risk acceptance matrix S1-S5 and P1-P6,
    and the risk table uses S5: a real inconsistency in a real technical file."""
    code, out, _ = _check(opensamd, monkeypatch, capsys, "--select", "RM003")
    assert code == 1
    plan = "docs/3-techdoc/14971/risk-management-plan.md"
    disagreements = [line for line in out if "define different" in line]
    assert len(disagreements) == 2, out
    severity = next(line for line in disagreements if "severity scales" in line)
    assert severity.startswith(f"{plan}:1:1: RM003 [error]")
    # the two scales, to choose one from, are in the fix (JSON carries it)
    _, report, _ = _check(opensamd, monkeypatch, capsys, "--select", "RM003", "--format", "json")
    fixes = {f["message"]: f["fix"] for f in json.loads("\n".join(report))["findings"]}
    severity_fix = next(fix for message, fix in fixes.items() if "severity scales" in message)
    assert "S4 Catastrophic" in severity_fix and "S5 Death" in severity_fix
    probability_fix = next(fix for message, fix in fixes.items() if "probability scales" in message)
    assert "P5 Certain" in probability_fix and "P6 Almost certain" in probability_fix


def test_opensamd_without_the_preset_checks_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _copy(FIXTURES / "OpenSaMD", tmp_path / "bare", None)
    (root / ".techfile.toml").write_text("", encoding="utf-8")
    code, out, err = _check(root, monkeypatch, capsys)
    assert code == 0
    assert all(" FM007 " in line for line in out)
    assert "0 of 7 Markdown files classified" in err


# ------------------------------------------------------------------------------ GSTT


@pytest.fixture
def gstt(tmp_path: Path) -> Path:
    return _copy(FIXTURES / "GSTT-CSC-QMS-Template", tmp_path / "gstt", 'preset = "gstt"\n')


def test_gstt_ids_versions_and_types(gstt: Path) -> None:
    documents = _load(gstt)
    summary = {path: (d.type, d.id) for path, d in documents.items() if path != "ATTRIBUTION.md"}
    assert summary == {
        "CSC-F-009-Clinical-Risk-Management-Plan-Template.md": ("risk-management-plan", "CRMP-001"),
        "CSC-F-012-Clinical-Safety-Case-Report-Template.md": ("risk-management-report", "CSCR-001"),
        "CSC-F-013-Hazard-Log-Template.md": ("risk-analysis", "HZ-001"),
        "CSC-F-016-System-Architecture-Diagram-Template.md": (None, "SAD-001"),
        # a blank line before the closing `---`
        "CSC-F-020-Verification-And-Validation-Plan-Template.md": (None, "VVP-001"),
        "CSC-F-022-Unresolved-Anomalies-Template.md": (None, "UA-001"),
        "CSC-F-024-Cyber-Security-Template.md": ("security-risk-assessment", "CYBSEC-001"),
        "CSC-I-002-Third-Party-Software.md": (None, "CSC-I-002-Third-Party-Software"),
        "CSC-PR-009-Third-Party-Software-Validation.md": (
            "qms-procedure",
            "CSC-PR-009-Third-Party-Software-Validation",
        ),
    }
    hazard_log = documents["CSC-F-013-Hazard-Log-Template.md"]
    assert hazard_log.meta["template_id"] == "CSC F.013"  # kept as written
    assert "record_id" not in hazard_log.meta and hazard_log.line_of("id") == 8
    assert "version" in hazard_log.meta  # record_version, empty in the form
    for codes in _diagnostics(gstt).values():
        assert not {"FM001", "FM002", "FM003", "FM013"} & set(codes)


def test_gstt_plan_reads_its_levels_and_risk_level_matrix(gstt: Path) -> None:
    plan = read_plan(
        _load(gstt)["CSC-F-009-Clinical-Risk-Management-Plan-Template.md"], value_aliases()
    )
    assert [lv.id for lv in plan.severity.levels] == [
        "Catastrophic",
        "Major",
        "Considerable",
        "Significant",
        "Minor",
    ]
    assert [lv.id for lv in plan.probability.levels] == [
        "Very High",
        "High",
        "Medium",
        "Low",
        "Very Low",
    ]
    assert plan.has_matrix
    assert plan.matrix[("Catastrophic", "Very High")] == "unacceptable"  # risk level 5
    assert plan.matrix[("Minor", "Very Low")] == "acceptable"  # risk level 1


def test_gstt_hazard_log_columns_map_onto_risks(gstt: Path) -> None:
    text = (gstt / "CSC-F-013-Hazard-Log-Template.md").read_text(encoding="utf-8")
    header = next(line for line in text.splitlines() if line.startswith("| Hazard ID"))
    headers = tuple(cell.strip() for cell in header.strip().strip("|").split("|"))
    assert header_fields(headers, "risks", column_aliases()) == [
        "id",
        "hazard",
        "cause",  # Possible causes
        "hazardous_situation",  # Effect
        "harm",
        "severity",
        "probability",  # Likelihood
        "initial_risk",  # the risk level 1-5 of the plan's matrix, kept under its own name
        "controls",
        "residual_probability",  # Final Likelihood
        "final_risk",
        "comment",
    ]


def test_gstt_template_rows_are_not_risks(gstt: Path) -> None:
    assert _load(gstt)["CSC-F-013-Hazard-Log-Template.md"].items.get("risks", []) == []


# ------------------------------------------------------------------------------ rdm


@pytest.fixture
def rdm(tmp_path: Path) -> Path:
    root = _copy(FIXTURES / "innolitics-rdm", tmp_path / "rdm", 'preset = "rdm"\n')
    # rdm renders data/soup.yml into the software design specification, which the corpus does
    # not hold: a stub with front-matter only stands in for it
    (root / RDM / "documents" / "software_design_specification.md").write_text(
        SDS_STUB, encoding="utf-8"
    )
    return root


def test_rdm_front_matter_and_types(rdm: Path) -> None:
    documents = _load(rdm)
    summary = {
        path.removeprefix(f"{RDM}/documents/"): (d.type, d.id, d.meta.get("version"))
        for path, d in documents.items()
        if path.startswith(RDM)
    }
    assert summary == {
        "cyber_security.md": ("security-risk-assessment", "CYBSEC-001", "1"),
        "risk_assessment.md": ("risk-analysis", "RA-001", "1"),
        "risk_management_plan.md": ("risk-management-plan", "RMP-001", "1"),
        "risk_management_report.md": ("risk-management-report", "RMR-001", "1"),
        "software_design_specification.md": ("soup-list", "SDS-001", "1"),
        "software_requirements_specification.md": ("software-requirements", "SRS-001", "1"),
        "unresolved_anomalies.md": (None, "UA-001", "1"),
    }
    # Jinja placeholders in the body are kept as written (and reported only by the
    # submission profile)
    placeholders = [
        text for _, text in documents[f"{RDM}/documents/cyber_security.md"].placeholders
    ]
    assert "{{device.name}}" in placeholders


def test_rdm_risks_come_from_the_yaml_data_file(rdm: Path) -> None:
    risks = _load(rdm)[f"{RDM}/documents/risk_assessment.md"].items["risks"]
    assert len(risks) == 1
    risk = risks[0]
    assert (risk.path, risk.line, risk.source) == (f"{RDM}/data/risk.yml", 37, "data-file")
    assert risk.get("hazard") == "Incorrect information"
    assert (
        risk.get("hazardous_situation") == "The oncologist is presented with incorrect tumor sizes"
    )
    assert risk.get("harm") == "An inappropriate therapy is given to the patient"
    assert (risk.get("severity"), risk.get("probability")) == ("Catastrophic", "Low")
    assert risk.get("residual_severity") is None  # `null` in the file
    assert risk.location_of("severity").line == 45


def test_rdm_soup_and_requirements_come_from_the_yaml_data_files(rdm: Path) -> None:
    documents = _load(rdm)
    soup = documents[f"{RDM}/documents/software_design_specification.md"].items["items"]
    assert [(item.line, item.get("version")) for item in soup] == [(1, "5.3.1"), (9, "3.3.5")]
    assert soup[0].get("manufacturer") == "Basler AG"
    assert soup[0].get("requirements") == "Linux kernel version 3.x or higher\n"
    assert "manufacturer" not in soup[1].fields  # FFTW names none
    requirements = _items(
        documents[f"{RDM}/documents/software_requirements_specification.md"], "requirements"
    )
    assert sorted(requirements) == ["r-1", "r-2", "r-3-1", "r-3-2"]
    assert requirements["r-2"].get("title") == "Second Example Requirement"
    assert requirements["r-2"].path == f"{RDM}/data/requirements.yml"
    assert requirements["r-2"].line == 10


def test_rdm_data_file_keys_are_mapped_like_columns(rdm: Path) -> None:
    documents = _load(rdm)
    soup = documents[f"{RDM}/documents/software_design_specification.md"].items["items"]
    assert [item.get("name") for item in soup] == ["Example Camera SDK", "FFTW"]
    assert soup[1].get("anomaly_review") == {"source": "https://github.com/FFTW/fftw3/issues"}
    risk = documents[f"{RDM}/documents/risk_assessment.md"].items["risks"][0]
    assert risk.get("cause", "").startswith("- A software defect")
    requirement = _items(
        documents[f"{RDM}/documents/software_requirements_specification.md"], "requirements"
    )["r-3-1"]
    assert requirement.get("text") == "Requirements should be verifiable (e.g., testable)."


# ------------------------------------------------------------------------------ SBOM files


def _sbom_cases() -> list[Path]:
    folders = ("CycloneDX-specification", "spdx-tools-python")
    return sorted(p for f in folders for p in (FIXTURES / f).rglob("*.json"))


def _load_sbom(path: Path) -> Any:
    """The SBOM reader of the supply-chain rules (its signature changed once: take either)."""
    from techfile.intake import sbom

    first = next(iter(inspect.signature(sbom.load).parameters))
    if first == "raw":
        return sbom.load(path.read_bytes(), path, path.name)
    return sbom.load(path, path.name, 10 * 1024 * 1024)


@pytest.mark.parametrize("path", _sbom_cases(), ids=lambda p: p.name)
def test_sbom_fixture_is_classified_as_its_name_says(path: Path) -> None:
    from techfile.intake import sbom

    expected = "invalid" if path.name.startswith("invalid-") else "valid"
    loaded = _load_sbom(path)
    assert loaded.readable, loaded.problem
    result = sbom.validate(loaded)
    assert result.checked, result.note
    assert ("invalid" if result.errors else "valid") == expected, (
        f"{result.first_path}: {result.first_message}"
    )


def test_sbom_fixtures_cover_both_verdicts_and_utf16() -> None:
    names = [p.name for p in _sbom_cases()]
    assert sum(n.startswith("valid-") for n in names) >= 30
    assert sum(n.startswith("invalid-") for n in names) >= 25
    assert "SPDXJSONExample-UTF-16.spdx.json" in names


# ------------------------------------------------------------------------------ the whole corpus


def _corpus_runs() -> list[tuple[str, str | None]]:
    if REALWORLD is None:
        return [(".", None)]
    runs: list[tuple[str, str | None]] = [(".", None), *((".", p) for p in PRESETS)]
    for folder in sorted(p.name for p in REALWORLD.iterdir() if p.is_dir()):
        runs.append((folder, None))
        if folder in MATCHING:
            runs.append((folder, MATCHING[folder]))
    return runs


@pytest.mark.skipif(REALWORLD is None, reason=NO_CORPUS)
@pytest.mark.parametrize(("folder", "preset"), _corpus_runs(), ids=lambda v: str(v))
def test_check_never_crashes_on_the_corpus(
    folder: str,
    preset: str | None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert REALWORLD is not None
    config = f'preset = "{preset}"\n' if preset else ""
    root = _copy(REALWORLD / folder, tmp_path / "tf", config)
    code, out, err = _check(root, monkeypatch, capsys)
    assert code in (0, 1), err
    assert "Traceback" not in err and "internal error" not in err
    place = r"(?:[^:]+:\d+:\d+|\(technical file\))"  # a document's line, or the file as a whole
    assert all(re.match(rf"^{place}: [A-Z]+\d+ \[", line) for line in out), out[:3]


@pytest.mark.skipif(REALWORLD is None, reason=NO_CORPUS)
def test_every_corpus_file_parses_and_reads_as_sbom_without_raising() -> None:
    """Every file, whatever its kind, through the Markdown parser and the SBOM reader."""
    from techfile.intake import sbom

    assert REALWORLD is not None
    settings = ParseSettings(type_globs=(("**", "risk-analysis"),))
    count = 0
    for path in sorted(p for p in REALWORLD.rglob("*") if p.is_file()):
        data = path.read_bytes()
        parse_bytes(path.name, data, settings)
        parse_bytes(path.name, data, ParseSettings())
        loaded = _load_sbom(path)
        if loaded.readable:
            sbom.validate(loaded)
        count += 1
    assert count >= 170


@pytest.mark.skipif(REALWORLD is None, reason=NO_CORPUS)
@pytest.mark.parametrize("folder", sorted(MATCHING))
def test_fixture_copies_match_the_corpus(folder: str) -> None:
    assert REALWORLD is not None
    if not (FIXTURES / folder).is_dir():
        pytest.skip(f"{folder} is not copied into fixtures/realworld")
    for copied in (FIXTURES / folder).rglob("*"):
        if not copied.is_file() or copied.name == "ATTRIBUTION.md":
            continue
        original = REALWORLD / folder / copied.relative_to(FIXTURES / folder)
        if copied.name == "LICENSE" and not original.exists():
            continue  # OpenSaMD's licence text, which the corpus did not copy
        assert original.read_bytes() == copied.read_bytes(), copied
