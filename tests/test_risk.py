"""RM: the risk management plan reader (model/plan/) and the RM003-RM011 rules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from techfile.cli import main
from techfile.data.registry import value_aliases
from techfile.intake.markdown import parse_body
from techfile.model.document import Document
from techfile.model.plan import (
    UNKNOWN,
    Level,
    Scale,
    contradicts,
    read_plan,
    scale_disagreements,
    stated_acceptability,
    verdict,
)

REALWORLD = Path(__file__).resolve().parents[2] / "shared" / "eval" / "realworld"
ALIASES = value_aliases((("Sehr gering", "P1"), ("Hoch", "S3")))


def _doc(meta: dict[str, Any], body: str = "") -> tuple[Document, Any]:
    parsed = parse_body(body, 1)
    document = Document(
        "risk/plan.md",
        "RMP-001",
        "risk-management-plan",
        "product",
        meta,
        {},
        headings=parsed.headings,
    )
    return document, parsed.tables


def _plan(meta: dict[str, Any], body: str = "") -> Any:
    document, tables = _doc(meta, body)
    return read_plan(document, ALIASES, tables)


FRONT_MATTER_PLAN: dict[str, Any] = {
    "severity_levels": [
        {"id": "S1", "name": "Negligible"},
        {"id": "S2", "name": "Minor"},
        {"id": "S3", "name": "Serious"},
    ],
    "probability_levels": [{"id": "1", "name": "Rare"}, {"id": "2"}, {"id": "3"}],
    "exploitability_levels": [
        {"id": "low", "probability": "1"},
        {"id": "high", "probability": "3"},
    ],
    "acceptability_matrix": {
        "S1": {"1": "acceptable", "2": "acceptable", "3": "reduce-afap"},
        "S2": {"1": "acceptable", "2": "reduce-afap", "3": "unacceptable"},
        "S3": {"1": "reduce-afap", "2": "unacceptable", "3": "Bogus"},
    },
}


# --- level matching -----------------------------------------------------------------------


def test_levels_match_by_id_name_number_and_alias() -> None:
    plan = _plan(FRONT_MATTER_PLAN)
    severity, probability = plan.severity, plan.probability
    assert severity.find("S2", ALIASES).id == "S2"
    assert severity.find("serious", ALIASES).id == "S3"
    assert severity.find("**Minor**", ALIASES).id == "S2"
    assert severity.find("S1: Negligible", ALIASES).id == "S1"
    assert severity.find(3, ALIASES).id == "S3"  # a number names S3
    assert severity.find("hoch", ALIASES).id == "S3"  # [values] alias
    assert probability.find("P2", ALIASES).id == "2"  # P2 names the numeric level 2
    assert probability.find(2.0, ALIASES).id == "2"
    assert probability.find("rare", ALIASES).id == "1"
    assert severity.find("S4", ALIASES) is None
    assert severity.find("P3", ALIASES) is None  # a probability id never names a severity
    for junk in (None, True, [], {}, "", "   ", 1.5):
        assert severity.find(junk, ALIASES) is None


def test_alias_to_a_level_id() -> None:
    plan = _plan({"probability_levels": [{"id": "P1"}, {"id": "P2"}]})
    assert plan.probability.find("Sehr gering", ALIASES).id == "P1"


def test_exploitability_counts_as_its_probability_level() -> None:
    plan = _plan(FRONT_MATTER_PLAN)
    assert plan.probability_level("high").id == "3"
    assert plan.probability_defined("low", "exploitability")
    assert not plan.probability_defined("low", None)


def test_front_matter_matrix() -> None:
    plan = _plan(FRONT_MATTER_PLAN)
    s3, p3 = plan.severity.find("S3"), plan.probability.find("3")
    assert plan.has_matrix and plan.cell(s3, plan.probability.find("2")) == "unacceptable"
    assert plan.cell(s3, p3) == UNKNOWN  # not a verdict: FM004 reports it, RM009 does not
    assert plan.missing_pairs() == []


def test_matrix_written_probability_first_and_unknown_keys() -> None:
    plan = _plan(
        {
            "severity_levels": [{"id": "S1"}, {"id": "S2"}],
            "probability_levels": [{"id": "P1"}, {"id": "P2"}],
            "acceptability_matrix": {
                "P1": {"S1": "acceptable", "S2": "acceptable"},
                "P2": {"S1": "ALARP", "S22": "unacceptable"},
            },
        }
    )
    assert plan.cell(Level("S1"), Level("P2")) == "reduce-afap"
    assert [(s.id, p.id) for s, p in plan.missing_pairs()] == [("S2", "P2")]
    assert plan.unknown_matrix_keys == ("S22",)


def test_matrix_only_plan_takes_levels_from_keys() -> None:
    plan = _plan(
        {
            "acceptability_matrix": {
                "A": {"x": "acceptable", "y": "unacceptable"},
                "B": {"x": "acceptable"},
            }
        }
    )
    assert [lv.id for lv in plan.severity.levels] == ["A", "B"]
    assert [lv.id for lv in plan.probability.levels] == ["x", "y"]
    assert [(s.id, p.id) for s, p in plan.missing_pairs()] == [("B", "y")]


@pytest.mark.parametrize(
    "meta",
    [
        {"severity_levels": "S1, S2", "acceptability_matrix": ["S1"]},
        {"severity_levels": [1, None, {"name": "Only a name"}, ["x"]], "probability_levels": {}},
        {"acceptability_matrix": {"S1": "acceptable", "S2": {"P1": 3, "P2": None}}},
        {"non_estimable_probability_criteria": [1, 2]},
    ],
)
def test_bad_plan_input_never_crashes(meta: dict[str, Any]) -> None:
    plan = _plan(meta)
    plan.missing_pairs()
    plan.severity.describe()


def test_non_estimable_criteria_from_key_or_heading() -> None:
    assert _plan(
        {"non_estimable_probability_criteria": "Rated by exploitability."}
    ).non_estimable_criteria
    assert not _plan({}).non_estimable_criteria
    body = "## Criteria when the probability of occurrence of harm cannot be estimated\n\nText.\n"
    assert _plan({}, body).non_estimable_criteria


# --- plans written as tables (read once the document model carries body tables) ------------

TABLE_PLAN = """\
# Risk management plan

| Severity | Definition |
|---|---|
| S1: Negligible | Inconvenience |
| S2: Marginal | Reversible injury |
| S3: Critical | Irreversible injury |

| Probability | Upper limit | Lower limit |
|---|---|---|
| P3: Likely | 1 | 10^-3 |
| P2: Rare | 10^-3 | 10^-6 |
| P1: Unthinkable | 10^-6 | 0 |

| Probability | S1: Negligible | S2: Marginal | S3: Critical | Event count |
|---|---|---|---|---|
| P3: Likely | acceptable | **unacceptable** | **unacceptable** | 1000 |
| P2: Rare | acceptable | acceptable | **unacceptable** | 1 |
| P1: Unthinkable | acceptable | acceptable | acceptable | 0 |
"""


def test_plan_defined_in_tables() -> None:
    plan = _plan({}, TABLE_PLAN)
    assert plan.severity.describe() == "S1 Negligible, S2 Marginal, S3 Critical"
    assert [lv.id for lv in plan.probability.levels] == ["P3", "P2", "P1"]
    assert plan.cell(plan.severity.find("S2"), plan.probability.find("P3")) == "unacceptable"
    assert plan.cell(plan.severity.find("Critical"), plan.probability.find("1")) == "acceptable"
    assert plan.missing_pairs() == []
    assert "acceptability matrix" in plan.from_tables


def test_front_matter_wins_over_tables() -> None:
    plan = _plan({"severity_levels": [{"id": "S1"}, {"id": "S2"}, {"id": "S3"}]}, TABLE_PLAN)
    assert plan.severity.describe() == "S1, S2, S3"
    assert plan.from_tables == ("probability levels", "acceptability matrix")


RISK_LEVEL_PLAN = """\
| Severity classification | Interpretation |
|---|---|
| Catastrophic | Death, several patients |
| Major | Death, one patient |
| Major | Severe injury, several patients |
| Minor | Minor injury |

| Likelihood | Interpretation |
|---|---|
| High | Very possible |
| Low | Could occur |

| Likelihood | | | |
|---|---|---|---|
| _High_ | 2 | 3 | 3 |
| _Low_ | 1 | 2 | 3 |
| **Severity** | _Minor_ | _Major_ | _Catastrophic_ |

| Risk Level | Comment |
|---|---|
| 3 | Unacceptable level of risk <br> Mandatory control |
| 2 | Acceptable where further risk reduction is impractical |
| 1 | Acceptable, no further action required |
"""


def test_names_only_scales_and_risk_level_indirection() -> None:
    """A matrix of risk levels whose header row is at the bottom, and a table of what each
    risk level means (the shape of a GSTT clinical risk management plan)."""
    plan = _plan({}, RISK_LEVEL_PLAN)
    assert [lv.id for lv in plan.severity.levels] == ["Catastrophic", "Major", "Minor"]
    assert plan.cell(plan.severity.find("minor"), plan.probability.find("low")) == "acceptable"
    assert plan.cell(plan.severity.find("Major"), plan.probability.find("High")) == "unacceptable"
    assert plan.cell(plan.severity.find("Minor"), plan.probability.find("High")) == "reduce-afap"
    assert plan.missing_pairs() == []


def test_header_row_inside_the_table_and_unreadable_risk_levels() -> None:
    body = """\
| Risk Level | Meaning |
|---|---|
| Low | Risks at this level need no further control. |
| High | Risks at this level need a benefit-risk analysis. |

| | | |
|---|---|---|
| | **Minor** | **Serious** |
| **Frequent** | Low | High |
| **Ocasional** | Low | Low |

| Probability of occurrence | Per use |
|---|---|
| Frequent | > 1e-3 |
| Occasional | < 1e-3 |

| Severity of harm | Description |
|---|---|
| Minor | First aid |
| Serious | Medical intervention |
"""
    plan = _plan({}, body)
    assert plan.cell(plan.severity.find("Serious"), plan.probability.find("Frequent")) == UNKNOWN
    # The matrix row is spelt `Ocasional`: those cells are missing, and RM009 will say so.
    assert [(s.id, p.id) for s, p in plan.missing_pairs()] == [
        ("Minor", "Occasional"),
        ("Serious", "Occasional"),
    ]


def test_scale_disagreement() -> None:
    first, _ = _doc({"severity_levels": [{"id": "S1", "name": "Minor"}, {"id": "S2"}]})
    second, _ = _doc({"severity_levels": [{"id": "S1", "name": "Marginal"}, {"id": "S2"}]})
    third, _ = _doc({"severity_levels": [{"id": "s1", "name": "minor"}, {"id": "S2"}]})
    plans = [read_plan(d, ALIASES, ()) for d in (first, second, third)]
    found = [
        (a.document is first, b.document is second, axis)
        for a, b, axis in scale_disagreements(plans)
    ]
    assert (True, True, "severity") in found
    assert len(found) == 2  # first == third; second differs from both


# --- acceptability ------------------------------------------------------------------------


def test_stated_acceptability_and_verdicts() -> None:
    assert stated_acceptability(True, ALIASES) == "acceptable"
    assert stated_acceptability("Nein", ALIASES) == "not-acceptable"
    assert stated_acceptability("**Unacceptable**", ALIASES) == "not-acceptable"
    assert stated_acceptability("ALARP", ALIASES) == "reduce-afap"
    assert stated_acceptability("Acceptable?", ALIASES) == "acceptable"
    assert stated_acceptability(["yes"], ALIASES) is None
    assert contradicts("acceptable", "unacceptable")
    assert contradicts("not-acceptable", "acceptable")
    assert not contradicts("acceptable", "reduce-afap")
    assert contradicts("acceptable", "reduce-afap", "not-acceptable")
    assert contradicts("not-acceptable", "reduce-afap", "acceptable")
    assert not contradicts("acceptable", UNKNOWN)
    assert verdict("acceptable", "unacceptable") == "not-acceptable"
    assert verdict("not-acceptable", "reduce-afap") == "not-acceptable"
    assert verdict(None, "reduce-afap") is None


def test_scale_describe_is_short() -> None:
    scale = Scale("severity", tuple(Level(f"S{i}") for i in range(1, 12)))
    assert scale.describe().endswith("S8, ...")


# --- real plans (present in the development workspace, not in a release) -------------------


def _real(relative: str) -> Any:
    path = REALWORLD / relative
    if not path.is_file():
        pytest.skip(f"{relative} is not in this checkout")
    parsed = parse_body(path.read_text(encoding="utf-8"), 1)
    document = Document(
        relative, relative, "risk-management-plan", "product", {}, {}, headings=parsed.headings
    )
    return read_plan(document, value_aliases(), parsed.tables)


def test_openregulatory_plan_tables() -> None:
    plan = _real("openregulatory-templates/templates/techdoc/14971/risk-management-plan.md")
    assert [lv.id for lv in plan.severity.levels] == ["S1", "S2", "S3", "S4"]
    assert len(plan.probability.levels) == 5 and len(plan.matrix) == 20
    assert plan.cell(plan.severity.find("S2"), plan.probability.find("P4")) == "unacceptable"


def test_opensamd_plan_and_matrix_disagree() -> None:
    plan = _real("OpenSaMD/docs/3-techdoc/14971/risk-management-plan.md")
    matrix = _real("OpenSaMD/docs/3-techdoc/14971/risk-acceptance-matrix.md")
    axes = {axis for _, _, axis in scale_disagreements([matrix, plan])}
    assert axes == {"severity", "probability"}


# --- the rules through the command line -----------------------------------------------------

PLAN = """\
---
id: RMP-001
type: risk-management-plan
title: Plan
severity_levels: [{id: S1}, {id: S2}]
probability_levels: [{id: P1}, {id: P2}]
acceptability_matrix:
  S1: {P1: acceptable, P2: reduce-afap}
  S2: {P1: reduce-afap, P2: unacceptable}
---
"""


def _check(
    tmp_path: Path, files: dict[str, str], args: list[str], capsys: pytest.CaptureFixture[str]
) -> tuple[int, str]:
    files = {".techfile.toml": 'as-of = "2026-01-15"\n', **files}
    for relative, text in files.items():
        target = tmp_path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    capsys.readouterr()
    code = main(["check", str(tmp_path), "--no-cache", *args])
    return code, capsys.readouterr().out


def _codes(out: str) -> list[str]:
    return [line.split(": ", 1)[1].split(" ", 1)[0] for line in out.splitlines()]


def test_rm007_yields_to_rm001(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = {
        ".techfile.toml": 'as-of = "2026-01-15"\n[device]\nconnected = true\n',
        "tm.md": "---\nid: TM-001\ntype: threat-model\nthreats:\n"
        "  - id: T-1\n    safety_impact: serious\n---\n",
        "ra.md": "---\nid: RA-001\ntype: risk-analysis\nrisks:\n  - id: R-1\n    hazard: H\n---\n",
    }
    _, out = _check(tmp_path, files, ["--select", "RM007"], capsys)
    assert _codes(out) == ["RM007"]
    _, out = _check(tmp_path, files, ["--select", "RM001,RM007"], capsys)
    assert _codes(out) == ["RM001"]


def test_rm007_needs_a_connected_device(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = {
        "ra.md": "---\nid: RA-001\ntype: risk-analysis\nrisks:\n  - id: R-1\n    hazard: H\n---\n"
    }
    _, out = _check(tmp_path, files, ["--select", "RM007"], capsys)
    assert out == ""


def test_rm009_no_matrix_anywhere(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = {
        "p.md": "---\nid: RMP-001\ntype: risk-management-plan\nseverity_levels: [{id: S1}]\n---\n"
    }
    _, out = _check(tmp_path, files, ["--select", "RM009"], capsys)
    assert _codes(out) == ["RM009"] and "acceptability matrix that techfile can read" in out


def test_rm004_reduce_afap_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    row = (
        "---\nid: RA-001\ntype: risk-analysis\nrisks:\n"
        "  - {id: R-1, hazard: H, severity: S1, probability: P2, acceptable: true}\n---\n"
    )
    files = {"plan.md": PLAN, "ra.md": row}
    _, out = _check(tmp_path, files, ["--select", "RM004"], capsys)
    assert out == ""
    files[".techfile.toml"] = (
        'as-of = "2026-01-15"\n[rules.RM004]\nreduce_afap = "not-acceptable"\n'
    )
    _, out = _check(tmp_path, files, ["--select", "RM004"], capsys)
    assert _codes(out) == ["RM004"]


def test_rm011_scope_all(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = {
        "ra.md": "---\nid: RA-001\ntype: risk-analysis\n"
        "risks:\n  - {id: R-1, hazard: H, controls: [RC-1]}\n"
        "controls:\n  - {id: RC-1, type: inherent-safety}\n---\n"
    }
    _, out = _check(tmp_path, files, ["--select", "RM011"], capsys)
    assert out == ""
    files[".techfile.toml"] = 'as-of = "2026-01-15"\n[rules.RM011]\nscope = "all"\n'
    _, out = _check(tmp_path, files, ["--select", "RM011"], capsys)
    assert _codes(out) == ["RM011"]


def test_bad_input_never_crashes_the_risk_rules(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {
        "plan.md": "---\nid: RMP-001\ntype: risk-management-plan\nseverity_levels: {S1: x}\n"
        "probability_levels: [P1, [P2]]\nacceptability_matrix: [S1, P1]\n---\n",
        "ra.md": "---\nid: RA-001\ntype: risk-analysis\nreferences: [RMP-001, 5]\nrisks:\n"
        "  - id: R-1\n    hazard: [a, b]\n    severity: [1, 2]\n    probability: {x: 1}\n"
        "    acceptable: {a: 1}\n    residual_acceptable: maybe\n    controls: 5\n"
        "    probability_method: 7\n  - just text\n  - id: R-2\n    controls: [RC-1, 3]\n"
        "controls:\n  - id: RC-1\n    verification: tested\n    new_risks_assessed: perhaps\n"
        "  - id: RC-2\n    verification: {implementation: 5, effectiveness: {a: b}}\n---\n",
        "tm.md": "---\nid: TM-001\ntype: threat-model\nmitigations: {M-1: x}\n---\n",
        "sra.md": "---\nid: SRA-001\ntype: security-risk-assessment\n"
        "entries:\n  - {id: E-1, exploitability: [1]}\n---\n",
        "dd.md": "---\nid: DD-001\ntype: device-description\nconnected: [yes]\n---\n",
    }
    code, out = _check(tmp_path, files, ["--select", "RM"], capsys)
    assert code in (0, 1)
    assert "Traceback" not in out


def test_example_has_no_risk_findings_but_rm001(capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    main(["check", "--example", "--select", "RM", "--no-cache"])
    assert _codes(capsys.readouterr().out) == ["RM001"]
