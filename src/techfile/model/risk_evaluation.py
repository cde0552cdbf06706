"""The risk management plans of a run, and where a risk-analysis row falls in a plan's matrix
before and after risk control. The RM rules judge rows with these evaluations; the report's
heat map places the rows with the same ones.
"""

from __future__ import annotations

from dataclasses import dataclass

from techfile.data.registry import ValueAliases, value_aliases
from techfile.model.document import Item
from techfile.model.plan import Level, RiskPlan, as_text, read_plan, stated_acceptability, verdict
from techfile.model.view import RunView


def configured_aliases(view: RunView) -> ValueAliases:
    """The `[values]` table of the configuration: the file's own words for levels and verdicts."""
    values = view.config.value_aliases
    pairs = (
        tuple(sorted((str(k), v) for k, v in values.items())) if isinstance(values, dict) else ()
    )
    return value_aliases(pairs)


def risk_plans(view: RunView) -> list[RiskPlan]:
    """The risk management plans, read once per run (their scales remember what they found)."""
    return list(view.shared("risk-plans", lambda: _read_plans(view)))


def _read_plans(view: RunView) -> list[RiskPlan]:
    aliases = configured_aliases(view)
    return [read_plan(document, aliases) for document in view.index.of_type("risk-management-plan")]


def as_list(value: object) -> list[str]:
    """The strings of a value that is one string or a list."""
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return [value] if isinstance(value, str) else []


def _stage_values(row: Item, stage: str) -> tuple[object, object, object]:
    """(severity, probability, stated acceptability) before or after risk control. Without
    residual values a row without controls keeps its initial risk; a residual stage that
    gives only one of the two keeps the other from before risk control."""
    severity, probability = row.get("severity"), row.get("probability")
    if stage == "initial":
        return severity, probability, row.get("acceptable")
    residual_s, residual_p = row.get("residual_severity"), row.get("residual_probability")
    stated = row.get("residual_acceptable")
    if as_text(residual_s) is None and as_text(residual_p) is None:
        if as_list(row.get("controls")):
            return None, None, stated
        return severity, probability, stated
    return (
        residual_s if as_text(residual_s) is not None else severity,
        residual_p if as_text(residual_p) is not None else probability,
        stated,
    )


@dataclass(frozen=True, slots=True)
class Evaluation:
    severity: Level | None
    probability: Level | None
    cell: str | None
    stated: str | None

    @property
    def verdict(self) -> str | None:
        return verdict(self.stated, self.cell)


def evaluate_row(plan: RiskPlan | None, row: Item, stage: str, aliases: ValueAliases) -> Evaluation:
    """The row's levels, its cell of the plan's matrix and its stated verdict at `stage`
    (`initial` or `residual`)."""
    severity_value, probability_value, stated_value = _stage_values(row, stage)
    stated = stated_acceptability(stated_value, aliases)
    if plan is None:
        return Evaluation(None, None, None, stated)
    severity = plan.severity.find(severity_value, aliases)
    probability = plan.probability_level(probability_value, row.get("probability_method"))
    return Evaluation(severity, probability, plan.cell(severity, probability), stated)
