"""RM009: no risk management plan gives a readable acceptability matrix, or a plan's matrix
leaves pairs of levels without a verdict."""

from __future__ import annotations

from collections.abc import Iterator

from techfile.model.finding import Finding, Location
from techfile.model.plan import RiskPlan
from techfile.model.risk_evaluation import risk_plans
from techfile.rules.base import Context, rule
from techfile.rules.risk.common import cited


@rule("RM009")
def plan_matrix_incomplete(ctx: Context) -> Iterator[Finding]:
    plans = risk_plans(ctx)
    if not plans:
        return
    if not any(plan.has_matrix for plan in plans):
        plan = plans[0]
        yield ctx.finding(
            "RM009",
            f"no risk management plan defines a risk acceptability matrix that techfile can read "
            f"(`acceptability_matrix` in the front-matter of {plan.label}); a notified body will "
            "ask by which criteria each risk was judged acceptable"
            f"{cited(ctx, 'RM009')}. Add `acceptability_matrix` (severity level -> "
            "probability level -> acceptable, reduce-afap or unacceptable)",
            plan.document.location(),
            key=(plan.document.id or plan.document.path, "none"),
        )
        return
    for plan in plans:
        if not plan.has_matrix:
            continue
        parts = _gaps(plan)
        if not parts:
            continue
        document = plan.document
        yield ctx.finding(
            "RM009",
            f"the acceptability matrix of {plan.label} {' and '.join(parts)}; a notified body "
            "will ask how a risk that falls there is evaluated"
            f"{cited(ctx, 'RM009')}. Give every severity and probability pair of the plan a "
            "verdict",
            Location(document.path, plan.matrix_line or 1, 0, document.id, None),
            key=(document.id or document.path, "incomplete"),
        )


def _gaps(plan: RiskPlan) -> list[str]:
    """What the plan's matrix lacks or names wrongly, in words (empty: nothing)."""
    parts = []
    missing = plan.missing_pairs()
    if missing:
        shown = ", ".join(f"{s.id} \u00d7 {p.id}" for s, p in missing[:6])
        more = f" and {len(missing) - 6} more" if len(missing) > 6 else ""
        parts.append(f"gives no verdict for {shown}{more}")
    if plan.unknown_matrix_keys:
        keys = ", ".join(f"`{k}`" for k in plan.unknown_matrix_keys[:6])
        parts.append(f"names {keys}, which the plan's scales do not define")
    return parts
