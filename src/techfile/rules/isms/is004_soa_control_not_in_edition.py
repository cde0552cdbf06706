"""IS004 soa-control-not-in-edition: a Statement of Applicability that claims ISO/IEC
27001:2022 names a control by its 2013 number (A.12.6.1 for A.8.8), or a number Annex A of
2022 does not have."""

from __future__ import annotations

from collections.abc import Iterator

from techfile.data.isms import annex_a_controls, is_2013_numbering, successors_2022
from techfile.model.document import Document
from techfile.model.finding import Finding
from techfile.rules.base import Context, rule
from techfile.rules.isms.common import (
    EDITION_2022,
    SoaControl,
    claimed,
    clause,
    controls_of,
    statements,
)

CODE = "IS004"


@rule(CODE)
def soa_control_not_in_edition(ctx: Context) -> Iterator[Finding]:
    known = set(annex_a_controls())
    for document in statements(ctx):
        if claimed(document) != EDITION_2022:
            continue
        for entry in controls_of(document):
            if entry.control is None or entry.control in known:
                continue
            yield _finding(ctx, document, entry)


def _finding(ctx: Context, document: Document, entry: SoaControl) -> Finding:
    control = entry.control or entry.written
    where = f"{entry.written} in the SoA {document.label()}"
    successors = successors_2022(control) if is_2013_numbering(control) else ()
    fix = "Write the 2022 control number."
    if successors:
        names = " or ".join(row.target for row in successors)
        was = successors[0].note.split(".")[0].removeprefix("2013: ")
        told = (
            "is a control number of ISO/IEC 27001:2013, not of the 2022 edition the SoA claims "
            f"(did you mean {names}?)"
        )
        fix = (
            f"Write the 2022 control number: {control} ({was}) is {names} in the 2022 edition, "
            "which renumbered and merged the controls."
        )
    elif is_2013_numbering(control):
        told = (
            "is numbered as in ISO/IEC 27001:2013, which had no such control, while the SoA "
            "claims the 2022 edition"
        )
    else:
        told = (
            "is not a control of ISO/IEC 27001:2022 Annex A (A.5.1 to A.8.34), which the SoA claims"
        )
    return ctx.finding(
        CODE,
        f"{where} {told}",
        entry.item.location_of("control"),
        key=(control, "not-in-edition"),
        why=f"{clause(ctx, CODE)} asks for a decision on each control of the Annex A the SoA "
        "follows, and an auditor cannot match this entry to one.",
        fix=fix,
    )
