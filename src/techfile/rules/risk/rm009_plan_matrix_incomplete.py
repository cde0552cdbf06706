"""RM009: no risk management plan gives a readable acceptability matrix, a plan's matrix leaves
pairs of levels without a verdict, or its row and column labels disagree with the plan's scales.

One defect, one finding: a label with a typing mistake (`Occasional` where the scale says
`Occassional`) is reported with the level it is most like, and the verdicts it hides are not
reported again as missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from difflib import SequenceMatcher

from techfile.model.finding import Finding, Location
from techfile.model.plan import Level, MatrixLabel, RiskPlan
from techfile.model.plan.levels import normal_form, split_id_and_name
from techfile.model.risk_evaluation import risk_plans
from techfile.rules.base import Context, rule
from techfile.rules.risk.common import line_words

SHOWN = 6
_WHY = (
    "{clauses} asks the plan for the criteria for risk acceptability; a notified body will ask "
    "how a risk that falls there is evaluated."
)


@rule("RM009")
def plan_matrix_incomplete(ctx: Context) -> Iterator[Finding]:
    plans = risk_plans(ctx)
    if not plans:
        return
    if not any(plan.has_matrix for plan in plans):
        plan = plans[0]
        yield ctx.finding(
            "RM009",
            "no risk management plan defines a risk acceptability matrix that techfile can read",
            plan.document.location(),
            key=(plan.document.id or plan.document.path, "none"),
            why=f"{ctx.page_clauses('RM009', 0)} "
            "asks the plan for the criteria for risk acceptability; "
            "a notified body will ask by which criteria each risk was judged acceptable.",
            fix=f"Add the matrix to {plan.label}: `acceptability_matrix` in its front-matter "
            "(severity level -> probability level -> acceptable, reduce-afap or unacceptable), "
            "or a table of severity against probability in its body.",
        )
        return
    for plan in plans:
        if plan.has_matrix:
            yield from _misspelt_labels(ctx, plan)
            yield from _renamed_labels(ctx, plan)
            yield from _gaps(ctx, plan)


def _where(plan: RiskPlan, line: int) -> Location:
    document = plan.document
    return Location(plan.matrix_path or document.path, line or 1, 0, document.id, None)


def _misspelt_labels(ctx: Context, plan: RiskPlan) -> Iterator[Finding]:
    """A label that names no level but is close to one: a typing mistake, one finding each,
    on the label, with the verdicts it hides."""
    for label in plan.matrix_labels:
        if label.level is not None or label.suggestion is None:
            continue
        inside = f" in the row of {label.within.label()}" if label.within else ""
        scale = plan.scale(label.axis)
        at = line_words(
            label.suggestion.line,
            scale.path or plan.document.path,
            plan.matrix_path or plan.document.path,
        )
        hidden = _hidden_by(plan, label)
        lost = f"As written, the matrix gives no verdict for {_pairs(hidden)}. " if hidden else ""
        yield ctx.finding(
            "RM009",
            f"the acceptability matrix of {plan.label} names `{label.text}`{inside} as a "
            f"{label.axis} level, which its scale lacks: did you mean "
            f"`{_spelt_like(label, label.suggestion)}`{at}?",
            _where(plan, label.line),
            key=(plan.document.id or plan.document.path, "unknown", label.text),
            why=f"{lost}{_WHY.format(clauses=ctx.page_clauses('RM009', 0))}",
            fix=f"Write the level the same way in the matrix and in the {label.axis} scale.",
        )


def _renamed_labels(ctx: Context, plan: RiskPlan) -> Iterator[Finding]:
    """Labels that name a level by its id but give it another name: one finding per matrix,
    on the first of them (typically the matrix was not updated with the scale)."""
    renamed = [label for label in plan.matrix_labels if label.level is not None]
    if not renamed:
        return
    axes = sorted({label.axis for label in renamed})
    written = ", ".join(f"`{label.text}`" for label in renamed[:SHOWN])
    scale_words = ", ".join(_spelt(label.level) for label in renamed[:SHOWN] if label.level)
    more = f" and {len(renamed) - SHOWN} more" if len(renamed) > SHOWN else ""
    yield ctx.finding(
        "RM009",
        f"the acceptability matrix of {plan.label} names its levels {written}{more}, where the "
        f"{' and '.join(axes)} scale{'s' if len(axes) > 1 else ''} of the plan "
        f"name{'' if len(axes) > 1 else 's'} them {scale_words}",
        _where(plan, renamed[0].line),
        key=(plan.document.id or plan.document.path, "renamed"),
        why=f"{ctx.page_clauses('RM009', 0)} "
        "asks the plan for the criteria for risk acceptability; a "
        "risk rated by name falls in one row of the scale and in another of the matrix, and a "
        "notified body will ask which criteria it was evaluated with.",
        fix="Make the matrix and the scale name each level the same way.",
    )


def _gaps(ctx: Context, plan: RiskPlan) -> Iterator[Finding]:
    """The pairs without a verdict that no misspelt label explains, and the labels that are
    like no level at all: one finding for the matrix, on its first line."""
    hidden = {
        (s.id, p.id)
        for label in plan.matrix_labels
        if label.level is None
        for s, p in _hidden_by(plan, label)
    }
    missing = [(s, p) for s, p in plan.missing_pairs() if (s.id, p.id) not in hidden]
    strangers = _strangers(plan)
    parts = []
    if missing:
        parts.append(f"gives no verdict for {_pairs(missing)}")
    if strangers:
        keys = ", ".join(f"`{k}`" for k in strangers[:SHOWN])
        parts.append(f"names {keys}, which the plan's scales do not define")
    if not parts:
        return
    document = plan.document
    yield ctx.finding(
        "RM009",
        f"the acceptability matrix of {plan.label} {' and '.join(parts)}",
        _where(plan, plan.matrix_line),
        key=(document.id or document.path, "incomplete"),
        why=_WHY.format(clauses=ctx.page_clauses("RM009", 0)),
        fix="Give every severity and probability pair of the plan a verdict.",
    )


def _strangers(plan: RiskPlan) -> list[str]:
    """Labels (keys) that name no level and are like none: a level the scale lacks, or a
    matrix written with other words than the scale."""
    close = {label.text for label in plan.matrix_labels if label.suggestion is not None}
    texts = [label.text for label in plan.matrix_labels if label.level is None]
    texts += [key for key in plan.unknown_matrix_keys if key not in texts]
    return [t for t in dict.fromkeys(texts) if t not in close]


def _hidden_by(plan: RiskPlan, label: MatrixLabel) -> list[tuple[Level, Level]]:
    """The missing verdicts a misspelt label accounts for: those of the level it is most
    like, in the label's row or column (in front-matter, in the row it is written in)."""
    level = label.suggestion
    if level is None:
        return []
    return [
        (s, p)
        for s, p in plan.missing_pairs()
        if (s if label.axis == "severity" else p).id == level.id
        and (label.within is None or label.within.id in (s.id, p.id))
    ]


def _pairs(pairs: list[tuple[Level, Level]]) -> str:
    shown = ", ".join(f"{s.id} \u00d7 {p.id}" for s, p in pairs[:SHOWN])
    return shown + (f" and {len(pairs) - SHOWN} more" if len(pairs) > SHOWN else "")


def _spelt_like(label: MatrixLabel, level: Level) -> str:
    """The level written the way the label is: `P3` for `P03`, `Occassional` for
    `Occasional`, `P3: Possible` for `P3: Posible`."""
    if split_id_and_name(label.text) is not None:
        return _spelt(level)
    if level.name and level.own_name:
        written = normal_form(label.text)
        by_name = SequenceMatcher(None, written, level.own_name).ratio()
        if by_name > SequenceMatcher(None, written, normal_form(level.id)).ratio():
            return level.name
    return level.id


def _spelt(level: Level | None) -> str:
    """A level as its scale writes it: `P3: Possible`, or just its id."""
    if level is None:
        return "?"
    return f"{level.id}: {level.name}" if level.own_name else level.id
