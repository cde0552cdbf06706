"""RM011: a security control (or, with `scope = "all"`, any risk control) has no record that the
risks arising from it were assessed."""

from __future__ import annotations

from collections.abc import Iterator

from techfile.model.document import Document, Item
from techfile.model.finding import Finding
from techfile.model.risk_trace import resolved_items
from techfile.rules.base import Context, rule
from techfile.rules.columns import column_name, has_column, in_table, record
from techfile.rules.risk.common import is_security_row, row_name


@rule("RM011")
def security_control_side_effects_unassessed(ctx: Context) -> Iterator[Finding]:
    scope = ctx.options("RM011").get("scope", "security")
    seen: set[int] = set()
    for document, control, what in _candidates(ctx, scope):
        if id(control) in seen:
            continue
        seen.add(id(control))
        value = control.get("new_risks_assessed")
        if value is True or (isinstance(value, str) and value.strip()):
            continue  # a string is a schema violation, reported as FM004
        yield ctx.finding(
            "RM011",
            f"{what} {row_name(control)} in {document.label()} "
            f"{_state(ctx, document, control, value)}",
            control.location_of("new_risks_assessed"),
            key=(control.id or str(control.line),),
            why=f"{ctx.page_clauses('RM011', 0, 1, 2)} "
            "ask whether a risk control itself introduces "
            "new hazardous situations or security risks; a notified body will ask whether this "
            "one does, as an account lockout that keeps a clinician from a result or an update "
            "that interrupts therapy would.",
            fix="Assess the risks arising from it and "
            f"{record(ctx, document, control, 'new_risks_assessed', 'true', 'Yes')}.",
        )


def _state(ctx: Context, document: Document, control: Item, value: object) -> str:
    """What the control records about the assessment, in the words of its form."""
    if in_table(control):
        header = column_name(ctx, control, "new_risks_assessed")
        if value is False:
            return f"says no in its {header} column"
        if has_column(ctx, document, control, "new_risks_assessed"):
            return f"leaves its {header} column empty"
        return f"has no record that the risks arising from it were assessed (no {header} column)"
    if value is False:
        return "is marked `new_risks_assessed: false`"
    return "has no record (`new_risks_assessed`) that the risks arising from it were assessed"


def _candidates(ctx: Context, scope: object) -> list[tuple[Document, Item, str]]:
    """The controls to look at, each with what it is in words: the threat models' mitigations,
    the risk controls of security risk rows, and (scope `all`) every other risk control."""
    candidates: list[tuple[Document, Item, str]] = []
    for document in ctx.index.of_type("threat-model"):
        for mitigation in document.items.get("mitigations", []):
            candidates.append((document, mitigation, "security control"))
    for document in ctx.index.of_type("risk-analysis"):
        security_controls: set[int] = set()
        for row in document.items.get("risks", []):
            if is_security_row(row):
                security_controls.update(
                    id(c) for c in resolved_items(ctx, document, row, "controls")
                )
        for control in document.items.get("controls", []):
            if id(control) in security_controls:
                candidates.append((document, control, "security risk control"))
            elif scope == "all":
                candidates.append((document, control, "risk control"))
    return candidates
