"""Precision of the RM rules on other teams' real files (fixtures/realworld, copied from the
evaluation corpus with licence and attribution): a plan whose scales and matrix live in a data
file (rdm), a matrix that names levels differently from its scale (OpenSaMD), a misspelt level
(jadczak), a scale that defines a level by several rows (GSTT, DCB0129), and fixes named in the
form the document uses (a table's column and cell, not a front-matter key).
"""

from __future__ import annotations

import datetime
import re
import shutil
from pathlib import Path

import pytest

from techfile.cli import main
from techfile.data.clauses import clause_registry
from techfile.data.pages import load_pages
from techfile.data.registry import column_aliases, normalise_header, value_aliases
from techfile.data.resources import bundled
from techfile.engine.load import load_files
from techfile.engine.pipeline import RunOptions
from techfile.engine.run import run
from techfile.fixture_tree import materialise
from techfile.intake.cache import ParseCache
from techfile.intake.config import load_config, parse_settings
from techfile.intake.external import attach_external
from techfile.intake.markdown import parse_body
from techfile.intake.parse import ParsedFile
from techfile.intake.sources import WorkTree
from techfile.model.document import Document
from techfile.model.finding import Finding
from techfile.model.plan import RiskPlan, read_plan
from techfile.rules.columns import COLUMN_HEADERS

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "realworld"
RDM = "rdm/init_files"
RDM_PLAN = f"{RDM}/documents/risk_management_plan.md"
RDM_DATA = f"{RDM}/data/risk.yml"
OPENSAMD_PLAN = "docs/3-techdoc/14971/risk-management-plan.md"
JADCZAK_PLAN = "docs/risk-management-plan.md"
GSTT_PLAN = "CSC-F-009-Clinical-Risk-Management-Plan-Template.md"
JADCZAK_CONFIG = (  # what `techfile adopt` writes for the jadczak repository
    'id-from = "path-stem"\n[types]\n"docs/risk-management-plan.md" = "risk-management-plan"\n'
)
LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):\d+: (?P<code>[A-Z]+\d+) ")


def _copy(folder: str, tmp_path: Path, config: str) -> Path:
    root = tmp_path / folder
    shutil.copytree(FIXTURES / folder, root)
    (root / ".techfile.toml").write_text(config, encoding="utf-8")
    return root


def _parsed(root: Path) -> list[ParsedFile]:
    """Every file as the rules see it, with what [[items-from]] attaches."""
    config = load_config(root, root / ".techfile.toml")
    settings = parse_settings(config)
    tree = WorkTree(config.root, config.max_file_size)
    parsed = load_files(
        tree, config.include, config.exclude, settings, ParseCache(root, "test", False)
    )
    attach_external(parsed, config.items_from, settings, tree.read_path)
    return parsed


def _plan(root: Path, path: str) -> RiskPlan:
    document = next(p.document for p in _parsed(root) if p.path == path)
    assert document is not None
    return read_plan(document, value_aliases())


def _check(
    root: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    codes: str,
) -> list[str]:
    monkeypatch.chdir(root)
    monkeypatch.setenv("TECHFILE_DEBUG", "1")
    capsys.readouterr()
    exit_code = main(["check", "--no-cache", "--as-of", "2026-06-30", "--select", codes])
    out = capsys.readouterr().out.splitlines()
    assert exit_code in (0, 1), out
    return out


def _findings(root: Path, codes: str, as_of: str | None = "2026-06-30") -> list[Finding]:
    """The findings with their `why` and `fix`, which the text output does not show."""
    config = load_config(root, root / ".techfile.toml")
    day = datetime.date.fromisoformat(as_of) if as_of else None
    options = RunOptions(tuple(codes.split(",")), as_of=day, use_cache=False)
    return run(config, options).findings


# ------------------------------------------------------------------------------ rdm


@pytest.fixture
def rdm(tmp_path: Path) -> Path:
    return _copy("innolitics-rdm", tmp_path, 'preset = "rdm"\n')


def test_rdm_plan_reads_its_scales_and_matrix_from_the_data_file(rdm: Path) -> None:
    """The plan renders data/risk.yml with Jinja loops; the preset says where the parts are."""
    plan = _plan(rdm, RDM_PLAN)
    assert [lv.id for lv in plan.severity.levels] == [
        "Negligible",
        "Minor",
        "Serious",
        "Critical",
        "Catastrophic",
    ]
    assert [lv.id for lv in plan.probability.levels] == [
        "Extremely Low",
        "Low",
        "Medium",
        "High",
        "Extremely High",
    ]
    assert plan.severity.levels[0].line == 20 and plan.severity.path == RDM_DATA
    assert plan.has_matrix and plan.missing_pairs() == []
    assert (plan.matrix_path, plan.matrix_line) == (RDM_DATA, 30)
    # risk levels: Low "Acceptable", Medium "... as low as reasonably practicable", High
    # "Unacceptable. ..."
    assert plan.matrix[("Negligible", "Extremely High")] == "acceptable"
    assert plan.matrix[("Catastrophic", "Low")] == "reduce-afap"  # the example risk's cell
    assert plan.matrix[("Catastrophic", "High")] == "unacceptable"
    assert plan.matrix_labels == () and plan.duplicate_levels == ()


def test_rdm_plan_matrix_is_no_longer_reported(
    rdm: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before: `risk_management_plan.md:1: RM009 no risk management plan defines a risk
    acceptability matrix that techfile can read`, on every rdm project."""
    assert _check(rdm, monkeypatch, capsys, "RM003,RM004,RM006,RM009") == []


def test_rdm_matrix_gap_points_into_the_data_file(
    rdm: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = rdm / RDM_DATA
    text = data.read_text(encoding="utf-8")
    data.write_text(text.replace("    - [Low, Medium, Medium, High, High]\n", ""), "utf-8")
    out = _check(rdm, monkeypatch, capsys, "RM009")
    assert len(out) == 1, out
    assert out[0].startswith(f"{RDM_DATA}:30:1: RM009 [error]")
    assert "gives no verdict for Catastrophic \u00d7 Extremely Low" in out[0]


def test_rdm_matrix_without_its_level_lists_is_a_configuration_problem(tmp_path: Path) -> None:
    root = _copy(
        "innolitics-rdm",
        tmp_path,
        '[types]\n"**/documents/risk_management_plan.md" = "risk-management-plan"\n'
        '[[items-from]]\ndocument = "**/documents/risk_management_plan.md"\n'
        'list = "acceptability_matrix"\nfile = "../data/risk.yml"\n'
        'key = "risk_acceptability_matrix"\n',
    )
    parsed = next(p for p in _parsed(root) if p.path == RDM_PLAN)
    assert [d.code for d in parsed.diagnostics] == ["FM008"]
    assert "severity_levels and probability_levels" in parsed.diagnostics[0].message


# ------------------------------------------------------------------------------ OpenSaMD


@pytest.fixture
def opensamd(tmp_path: Path) -> Path:
    return _copy("OpenSaMD", tmp_path, 'preset = "openregulatory"\n')


def test_opensamd_matrix_names_levels_differently_from_its_scale(
    opensamd: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The scale (lines 86-90) says P3 Possible, P2 Unlikely, P1 Rare; the matrix rows (lines
    105-107) say P3 Unlikely, P2 Rare, P1 Unthinkable: one defect, one finding, on the first
    disagreeing row."""
    out = _check(opensamd, monkeypatch, capsys, "RM009")
    assert len(out) == 1, out
    assert out[0].startswith(f"{OPENSAMD_PLAN}:105:1: RM009 [error]")
    assert "`P3: Unlikely`, `P2: Rare`, `P1: Unthinkable`" in out[0]
    assert "P3: Possible, P2: Unlikely, P1: Rare" in out[0]
    # the separate risk acceptance matrix agrees with its own scales
    assert "risk-acceptance-matrix.md" not in out[0]


def test_opensamd_plans_still_disagree_once_per_axis(
    opensamd: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _check(opensamd, monkeypatch, capsys, "RM003")
    assert sum("define different" in line for line in out) == 2
    assert not any("twice" in line or "two levels" in line for line in out)


def test_opensamd_csv_controls_name_the_columns_to_fill(
    opensamd: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The controls are rows of risk-control-measures.csv: the fix names the columns to add,
    not the front-matter keys `verification.implementation` and `verification.effectiveness`."""
    found = _findings(opensamd, "RM005")
    assert len(found) == 4
    for finding in found:
        assert finding.location.path == (
            "docs/3-techdoc/14971/risk-table-fmea/risk-control-measures.csv"
        )
        # the CSV has no such columns (ID, Description, Type, Probability/Severity Reduction)
        assert (
            'new "Verification of implementation" and "Verification of effectiveness" columns'
            in finding.fix
        )
        assert "`verification." not in finding.fix and "verification" in finding.message


# ------------------------------------------------------------------------------ jadczak


def test_jadczak_misspelt_level_gets_a_did_you_mean(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The scale spells `Occassional` (line 117), the matrix `Occasional` (line 105). Before:
    `gives no verdict for Negligible x Occassional, ...` on the matrix header."""
    root = _copy("jadczak-risk-management", tmp_path, JADCZAK_CONFIG)
    out = _check(root, monkeypatch, capsys, "RM003,RM009")
    assert len(out) == 1, out
    assert out[0].startswith(f"{JADCZAK_PLAN}:105:1: RM009 [error]")
    assert "names `Occasional` as a probability level" in out[0]
    assert "did you mean `Occassional` (line 117)?" in out[0]
    (finding,) = _findings(root, "RM003,RM009")
    assert "Catastrophic \u00d7 Occassional" in finding.why  # what the typing mistake hides


# ------------------------------------------------------------------------------ GSTT


def test_gstt_levels_defined_by_several_rows_are_one_level(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """DCB0129's severity table defines Major, Considerable and Significant by two rows each
    (single patient / several patients): same level, several criteria, no duplicate."""
    root = _copy("GSTT-CSC-QMS-Template", tmp_path, 'preset = "gstt"\n')
    plan = _plan(root, GSTT_PLAN)
    assert [lv.id for lv in plan.severity.levels] == [
        "Catastrophic",
        "Major",
        "Considerable",
        "Significant",
        "Minor",
    ]
    assert plan.duplicate_levels == () and plan.matrix_labels == ()
    assert _check(root, monkeypatch, capsys, "RM003,RM009") == []


# ------------------------------------------------------------------------------ messages


@pytest.mark.parametrize("field", sorted(COLUMN_HEADERS))
def test_every_column_a_fix_names_is_read_by_techfile(field: str) -> None:
    header = normalise_header(COLUMN_HEADERS[field])
    lists = [name for name, headers in column_aliases().items() if field in headers.get(header, ())]
    assert lists, f"{COLUMN_HEADERS[field]!r} is not a header techfile reads as {field}"


def test_rm004_fix_names_the_column_and_the_cell_the_table_uses(tmp_path: Path) -> None:
    """A table with two "Acceptable?" columns (before and after risk control) written in words:
    the fix names which of the two columns, and the word the table uses for the verdict."""
    case = bundled("fixtures") / "RM004-acceptability-contradicts-matrix" / "fail"
    root = materialise(case, tmp_path / "case")
    table = root / "risk" / "risk-analysis.md"
    text = table.read_text(encoding="utf-8")
    text = text.replace("| Acceptable |", "| Acceptable? |").replace("| No |", "| Not acceptable |")
    table.write_text(text.replace("| Yes |", "| Acceptable |"), encoding="utf-8")
    by_row = {(f.location.item_id, f.key[-1]): f for f in _findings(root, "RM004", as_of=None)}
    assert set(by_row) == {("R-10", "initial"), ("R-02", "residual"), ("R-04", "initial"),
                           ("R-05", "residual")}  # fmt: skip
    assert "says `Not acceptable` after risk control" in by_row["R-02", "residual"].message
    assert 'write `Acceptable` in its second "Acceptable?" column' in by_row["R-02", "residual"].fix
    assert 'write `Acceptable` in its first "Acceptable?" column' in by_row["R-04", "initial"].fix
    r05 = by_row["R-05", "residual"].fix
    assert 'write `Not acceptable` in its second "Acceptable?" column' in r05
    assert "`residual_acceptable" not in r05
    # the row in front-matter is named by its key
    assert "set `acceptable: false`" in by_row["R-10", "initial"].fix
    assert "ISO 14971:2019 6" in by_row["R-10", "initial"].why
    assert "ISO 14971:2019 7.3" in by_row["R-02", "residual"].why


def test_rm008_fix_names_the_columns_as_the_table_heads_them(tmp_path: Path) -> None:
    case = bundled("fixtures") / "RM008-risk-chain-incomplete" / "fail"
    found = _findings(materialise(case, tmp_path / "case"), "RM008", as_of=None)
    r04 = next(f for f in found if f.location.item_id == "R-04")
    assert r04.message.endswith("has no hazardous situation, harm or severity")
    assert r04.fix == 'Fill in its "Hazardous situation", "Harm" and "S" columns.'


def test_rm011_page_and_clause_agree_on_81001_5_1_7_4() -> None:
    page = load_pages()["RM011"]
    assert "EN IEC 81001-5-1:2022 7.4" in page.clauses
    registry = clause_registry()
    ref = registry.parse("EN IEC 81001-5-1:2022 7.4")
    assert ref is not None
    clause = registry.lookup(ref)
    assert clause is not None and clause.title == "Controlling security risks"
    text = " ".join(page.sections["why it matters"].split())
    assert "does not itself spell out" not in text
    assert "determines whether a control introduces new security risks" in text


# ------------------------------------------------------------------------------ the general case


def _body_plan(body: str) -> RiskPlan:
    parsed = parse_body(body, 1)
    document = Document("plan.md", "RMP-001", "risk-management-plan", "product", {}, {})
    return read_plan(document, value_aliases(), parsed.tables)


SCALES = """\
| Severity | Definition |
|---|---|
| S1: Minor | First aid |
| S2: Serious | Medical intervention |

| Probability | Per use |
|---|---|
| P1: Remote | < 10^-6 |
| P2: Possible | > 10^-6 |

"""


def test_labels_with_rates_or_longer_names_agree_with_the_scale() -> None:
    plan = _body_plan(
        SCALES
        + "| Probability | S1 | S2: Serious harm |\n|---|---|---|\n"
        + "| P1 (< 10^-6) | acceptable | acceptable |\n"
        + "| P2 (> 10^-6) | acceptable | unacceptable |\n"
    )
    assert plan.matrix_labels == () and plan.missing_pairs() == []


def test_one_name_given_to_two_ids_is_a_duplicate() -> None:
    plan = _body_plan(
        "| Severity | Definition |\n|---|---|\n| S3: Major | a |\n| S4: Major | b |\n"
    )
    assert [(d.first.id, d.second.id, d.same_id) for d in plan.duplicate_levels] == [
        ("S3", "S4", False)
    ]
    assert plan.duplicate_levels[0].second.line == 4


def test_a_matrix_in_other_words_than_its_scale_is_one_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Labels like no level (no "did you mean") are listed in the one finding about the
    matrix's gaps, not one finding each."""
    (tmp_path / ".techfile.toml").write_text("", encoding="utf-8")
    (tmp_path / "plan.md").write_text(
        "---\nid: RMP-001\ntype: risk-management-plan\n"
        "severity_levels: [{id: S1}, {id: S2}]\nprobability_levels: [{id: P1}, {id: P2}]\n---\n\n"
        "| Probability | S1 | S2 |\n|---|---|---|\n"
        "| Rarely | acceptable | acceptable |\n| Often | acceptable | unacceptable |\n",
        encoding="utf-8",
    )
    out = _check(tmp_path, monkeypatch, capsys, "RM009")
    assert len(out) == 1, out
    assert "gives no verdict for S1 \u00d7 P1" in out[0]
    assert "names `Rarely`, `Often`, which the plan's scales do not define" in out[0]


# ------------------------------------------------------ references typed by what they name


def test_rm005_a_verification_naming_a_risk_or_a_requirement_is_no_verification(
    tmp_path: Path,
) -> None:
    """RM005's page: a verification is "a test or a document"; a risk row or a requirement
    named there verifies nothing, and the finding says what the reference resolved to."""
    (tmp_path / ".techfile.toml").write_text("", encoding="utf-8")
    (tmp_path / "ra.md").write_text(
        "---\nid: RA-001\ntype: risk-analysis\ntitle: Risks\n---\n\n# Risks\n\n"
        "<!-- techfile: items=risks -->\n| ID | Hazard | Harm | S | P |\n|---|---|---|---|---|\n"
        "| R-1 | Stale data | Wrong dose | S2 | P2 |\n\n"
        "<!-- techfile: items=controls -->\n"
        "| ID | Description | Type | Verification of implementation | "
        "Verification of effectiveness |\n|---|---|---|---|---|\n"
        "| RC-1 | Reject stale data | inherent-safety | R-1 | TR-001:TC-1 |\n"
        "| RC-2 | Warn on stale data | information-for-safety | TR-001:TC-1 | TR-001 |\n",
        encoding="utf-8",
    )
    (tmp_path / "tr.md").write_text(
        "---\nid: TR-001\ntype: test-report\ntitle: Tests\ntests:\n"
        "  - {id: TC-1, title: Stale data rejected, result: pass}\n---\n\n# Tests\n",
        encoding="utf-8",
    )
    (found,) = _findings(tmp_path, "RM005")
    assert found.location.item_id == "RC-1"
    assert "no verification of implementation (R-1 is a risk of RA-001: not a test" in (
        found.message
    )
