"""IS001 soa-applicability-undecided: an Annex A control of the Statement of Applicability has
no applicability decision, is excluded without a justification, or is included without saying
whether it is implemented; or controls of the edition the SoA follows have no entry at all."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from techfile.data.isms import annex_a_controls, is_2013_numbering, successors_2022
from techfile.model.document import Document, Item
from techfile.model.finding import Finding, Location
from techfile.rules.base import Context, rule
from techfile.rules.columns import column_name, field_words, in_table
from techfile.rules.isms.common import (
    EDITION_2022,
    SoaControl,
    clause,
    controls_of,
    numbering,
    statements,
    text_of,
)

CODE = "IS001"


# A column left as the template had it is one defect, not one per control: when at least this
# many entries, and at least half of the SoA, share a problem, they give one finding.
GROUPED_AT = 5


@rule(CODE)
def soa_applicability_undecided(ctx: Context) -> Iterator[Finding]:
    for document in statements(ctx):
        controls = controls_of(document)
        found = [f for entry in controls for f in _entry(ctx, document, entry)]
        yield from _grouped(ctx, document, found, len(controls))
        if controls and numbering(document, controls) == EDITION_2022:
            yield from _missing(ctx, document, controls)


# problem -> (what the entries lack, why, fix); the fields are named as the SoA writes them
_SHARED_GAP = {
    "undecided": (
        "have no applicability decision",
        "{enforced} asks the SoA to say for every Annex A control whether it is included or "
        "excluded, and a certification auditor starts from that decision.",
        "Enter yes or no in {applicable}, with the justification in {justification}.",
    ),
    "unjustified": (
        "are excluded without a justification",
        "{enforced} asks for the justification of every excluded control, and an auditor will "
        "ask why the risk assessment needs no such control.",
        "Give the reason in {justification}.",
    ),
    "implementation-unstated": (
        "are applicable, but the SoA does not say whether they are implemented",
        "{enforced} asks the SoA to say, beside each decision, whether the control is "
        "implemented; an auditor cannot tell a control in operation from one still planned.",
        "Enter yes, no, or how far it is (partially, planned) in {implemented}.",
    ),
}


def _grouped(
    ctx: Context, document: Document, found: list[Finding], entries: int
) -> Iterator[Finding]:
    by_problem: dict[str, list[Finding]] = {}
    for finding in found:
        by_problem.setdefault(str(finding.key[-1]), []).append(finding)
    for problem, findings in by_problem.items():
        if len(findings) < GROUPED_AT or 2 * len(findings) < entries:
            yield from findings
            continue
        labels = [str(f.key[0]) for f in findings]
        lack, why, _fix = _SHARED_GAP[problem]
        # on the table's header: the column is the defect, and a value one row holds is FM004's
        header = replace(findings[0].location, line=controls_table_line(document, findings))
        yield ctx.finding(
            CODE,
            f"{len(findings)} of the {entries} controls in the SoA "
            f"{document.label()} ({_short_list(labels)}) {lack}",
            header,
            key=("all", problem),
            related=tuple(f.location for f in findings[1:]),
            why=why.format(enforced=clause(ctx, CODE)),
            fix=findings[0].fix,
        )


def controls_table_line(document: Document, findings: list[Finding]) -> int:
    items = document.items.get("soa_controls", [])
    table = next((i.table for i in items if i.table), 0)
    return table or findings[0].location.line


def _short_list(labels: list[str]) -> str:
    if all(re.fullmatch(r"A\.\d+\.\d+", label) for label in labels):
        return _listed(labels)
    shown = ", ".join(labels[:5])
    return shown if len(labels) <= 5 else f"{shown} and {len(labels) - 5} more"


def _entry(ctx: Context, document: Document, entry: SoaControl) -> Iterator[Finding]:
    item = entry.item
    applicable = item.get("applicable")
    where = f"{entry.label} in the SoA {document.label()}"
    problem = None
    if not isinstance(applicable, bool):
        written = text_of(applicable)
        said = f"says `{written}`, which is neither yes nor no" if written else "is empty"
        problem, field_name = "undecided", "applicable"
        message = f"{where} has no applicability decision ({_named(ctx, item, field_name)} {said})"
    elif applicable is False and text_of(item.get("justification")) is None:
        problem, field_name = "unjustified", "justification"
        message = f"{where} is excluded (not applicable) without a justification"
    elif applicable is True and _unstated(item.get("implemented")):
        problem, field_name = "implementation-unstated", "implemented"
        message = f"{where} is applicable, but the SoA does not say whether it is implemented"
    if problem is None:
        return
    _lack, why, fix = _SHARED_GAP[problem]
    yield ctx.finding(
        CODE,
        message,
        item.location_of(field_name),
        key=(entry.label, problem),
        why=why.format(enforced=clause(ctx, CODE)),
        fix=fix.format(**{f: field_words(ctx, document, item, f) for f in _FIELDS}),
    )


_FIELDS = ("applicable", "justification", "implemented")


def _named(ctx: Context, item: Item, field_name: str) -> str:
    """`the "Applicable?" column` of a table row, `` `applicable` `` otherwise."""
    return (
        f"the {column_name(ctx, item, field_name)} column" if in_table(item) else f"`{field_name}`"
    )


def _unstated(value: object) -> bool:
    return not isinstance(value, bool) and text_of(value) is None


def _missing(ctx: Context, document: Document, controls: list[SoaControl]) -> Iterator[Finding]:
    listed = {c.control for c in controls if c.control}
    # a control written with its 2013 number is IS004's; its successors are not missing too
    renamed = {
        row.target
        for control in listed
        if is_2013_numbering(control)
        for row in successors_2022(control)
    }
    missing = [c for c in annex_a_controls() if c not in listed and c not in renamed]
    if not missing:
        return
    total = len(annex_a_controls())
    first = controls[0].item
    yield ctx.finding(
        CODE,
        f"the SoA {document.label()} has no entry for {len(missing)} of "
        f"the {total} controls of ISO/IEC 27001:2022 Annex A ({_listed(missing)})",
        Location(document.path, first.table or first.line, 0, document.id),
        key=("missing",),
        why=f"{clause(ctx, CODE)} asks for a decision on every Annex A control, so an auditor "
        "cannot tell whether these were considered or forgotten.",
        fix="Add an entry for each, applicable or excluded with its justification.",
    )


def _listed(controls: list[str]) -> str:
    """`A.5.2 to A.5.37, A.6.1, A.6.3`: runs of consecutive controls of one theme shortened."""
    runs: list[list[str]] = []
    for control in controls:
        theme, _, number = control.rpartition(".")
        last = runs[-1][-1] if runs else ""
        last_theme, _, last_number = last.rpartition(".")
        if runs and theme == last_theme and int(number) == int(last_number) + 1:
            runs[-1].append(control)
        else:
            runs.append([control])
    return ", ".join(
        run[0]
        if len(run) == 1
        else f"{run[0]}, {run[1]}"
        if len(run) == 2
        else f"{run[0]} to {run[-1]}"
        for run in runs
    )
