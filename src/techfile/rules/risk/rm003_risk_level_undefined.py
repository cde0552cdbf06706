"""RM003: a risk row, or an assessment entry's exploitability, names a level its risk management
plan does not define; or two plans define the same scale differently."""

from __future__ import annotations

from collections.abc import Iterator

from techfile.data.registry import ValueAliases
from techfile.model.document import Document, Item
from techfile.model.finding import Finding, Location
from techfile.model.plan import RiskPlan, as_text, plan_for, scale_disagreements
from techfile.model.risk_evaluation import configured_aliases, risk_plans
from techfile.rules.base import Context, rule
from techfile.rules.columns import record
from techfile.rules.risk.common import line_words, risk_plan_rows, row_name

LEVEL_FIELDS = (
    ("severity", "severity", "severity"),
    ("probability", "probability", "probability"),
    ("residual_severity", "severity", "residual severity"),
    ("residual_probability", "probability", "residual probability"),
)
_WHY = (
    "{clauses} ask the risk management plan to define the levels each {what} is estimated "
    "with; a notified body cannot tell how this {what} was evaluated."
)


@rule("RM003")
def risk_level_undefined(ctx: Context) -> Iterator[Finding]:
    aliases = configured_aliases(ctx)
    for document, row, plan in risk_plan_rows(ctx):
        if plan is None:
            continue
        method = row.get("probability_method")
        for field_name, axis, _words in LEVEL_FIELDS:
            value = row.get(field_name)
            text = as_text(value)
            scale = plan.scale(axis)
            if text is None or not scale:
                continue
            if axis == "probability":
                known = plan.probability_defined(value, method)
            else:
                known = scale.find(value, aliases) is not None
            if known:
                continue
            yield _undefined(ctx, document, row, plan, field_name, aliases)
    yield from _exploitability_undefined(ctx, aliases)
    yield from _plans_disagree(ctx)
    yield from _duplicate_levels(ctx)


def _undefined(
    ctx: Context,
    document: Document,
    row: Item,
    plan: RiskPlan,
    field_name: str,
    aliases: ValueAliases,
) -> Finding:
    _field, axis, words = next(f for f in LEVEL_FIELDS if f[0] == field_name)
    text = as_text(row.get(field_name))
    kind = f"not a {axis} level"
    if axis == "probability" and row.get("probability_method") == "exploitability":
        kind = "neither a probability nor an exploitability level" if plan.exploitability else kind
    also = _by_exploitability(ctx, document, row, plan, axis, str(text), aliases)
    return ctx.finding(
        "RM003",
        f"{words} `{text}` of risk {row_name(row)} in {document.label()} is {kind} of the risk "
        f"management plan {plan.label}",
        row.location_of(field_name),
        key=(row.id or str(row.line), field_name),
        why=_WHY.format(clauses=ctx.page_clauses("RM003", 0, 1), what="risk"),
        fix=f"Use a level the plan defines ({plan.scale(axis).describe()}), or map this text to "
        f"one under `[values]` in the configuration.{also}",
    )


def _by_exploitability(
    ctx: Context,
    document: Document,
    row: Item,
    plan: RiskPlan,
    axis: str,
    text: str,
    aliases: ValueAliases,
) -> str:
    """The exploitability levels, when the row is rated by them or names one of them."""
    if axis != "probability" or not plan.exploitability:
        return ""
    if row.get("probability_method") == "exploitability":
        return f" Its exploitability levels are {plan.exploitability.describe()}."
    if plan.exploitability.find(text, aliases) is None:
        return ""
    say = record(ctx, document, row, "probability_method", "exploitability")
    return (
        f" `{text}` is one of its exploitability levels: if the risk is rated by "
        f"exploitability, {say}."
    )


def _exploitability_undefined(ctx: Context, aliases: ValueAliases) -> Iterator[Finding]:
    plans = risk_plans(ctx)
    for document in ctx.index.of_type("security-risk-assessment"):
        plan = plan_for(plans, document, ctx.index)
        if plan is None or not plan.exploitability:
            continue
        for entry in document.items.get("entries", []):
            text = as_text(entry.get("exploitability"))
            if text is None or plan.exploitability.find(text, aliases) is not None:
                continue
            yield ctx.finding(
                "RM003",
                f"exploitability `{text}` of {row_name(entry)} in {document.label()} is not an "
                f"exploitability level of the risk management plan {plan.label}",
                entry.location_of("exploitability"),
                key=(entry.id or str(entry.line), "exploitability"),
                why=_WHY.format(clauses=ctx.page_clauses("RM003", 0, 1), what="security risk"),
                fix=f"Use a level the plan defines ({plan.exploitability.describe()}), or map "
                "this text to one under `[values]` in the configuration.",
            )


def _plans_disagree(ctx: Context) -> Iterator[Finding]:
    for first, second, axis in scale_disagreements(risk_plans(ctx)):
        document = second.document
        yield ctx.finding(
            "RM003",
            f"{second.label} and {first.label} define different {axis} scales",
            document.location(f"{axis}_levels")
            if f"{axis}_levels" in document.meta
            else document.location(),
            key=(first.document.id or first.document.path, axis),
            why=f"{ctx.page_clauses('RM003', 0, 1)} ask for one set of levels the risks are "
            "estimated with; a notified body will ask which one the risk table is evaluated with.",
            fix=f"Keep one scale in one document and refer to it from the other ({second.label}: "
            f"{second.scale(axis).describe()}; {first.label}: {first.scale(axis).describe()}).",
        )


def _duplicate_levels(ctx: Context) -> Iterator[Finding]:
    """A scale whose rows give one id two names, or one name two ids: a risk rated with that
    value could be either level. Reported on the second row, where the scale is corrected."""
    for plan in risk_plans(ctx):
        document = plan.document
        for duplicate in plan.duplicate_levels:
            first, second = duplicate.first, duplicate.second
            path = duplicate.path or document.path
            at = line_words(first.line, path, path)
            if duplicate.same_id:
                what = (
                    f"defines `{first.id}` twice, as `{first.id}: {first.name}`{at} and as "
                    f"`{second.id}: {second.name}`"
                )
                value = first.id
            else:
                what = (
                    f"gives the name `{second.name}` to two levels, {first.id}{at} and {second.id}"
                )
                value = second.name or second.id
            yield ctx.finding(
                "RM003",
                f"the {duplicate.axis} scale of {plan.label} {what}",
                Location(path, second.line or 1, 0, document.id, None),
                key=(document.id or document.path, duplicate.axis, first.id, second.id),
                why=f"{ctx.page_clauses('RM003', 0)} asks the plan to define the levels risks are "
                f"estimated with; a risk rated `{value}` could be either, and a notified body "
                "cannot tell how it was evaluated.",
                fix="Give each level one id and one name.",
            )
