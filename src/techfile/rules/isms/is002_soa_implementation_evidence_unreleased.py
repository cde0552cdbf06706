"""IS002 soa-implementation-evidence-unreleased: a control the Statement of Applicability marks
implemented names, in `implemented_by`, a document that is not in the technical file or is not
approved."""

from __future__ import annotations

from collections.abc import Iterator

from techfile.model.document import Document, Item
from techfile.model.evidence_classes import kind_name
from techfile.model.finding import Finding, Location
from techfile.model.index import Reference
from techfile.model.register import UNRELEASED, WITHDRAWN_STATE, is_approved, release
from techfile.rules.base import Context, rule
from techfile.rules.isms.common import CONTROLS, clause, controls_of, statements

CODE = "IS002"
FIELD = "implemented_by"


@rule(CODE)
def soa_implementation_evidence_unreleased(ctx: Context) -> Iterator[Finding]:
    for document in statements(ctx):
        implemented = {
            id(c.item): c.label for c in controls_of(document) if c.item.get("implemented") is True
        }
        if not implemented:
            continue
        for reference in ctx.index.references(document):
            item = reference.item
            if item is None or item.list_name != CONTROLS or id(item) not in implemented:
                continue
            if reference.field.split(".")[0] != FIELD:
                continue
            yield from _reference(ctx, document, item, implemented[id(item)], reference)


def _reference(
    ctx: Context, document: Document, item: Item, control: str, reference: Reference
) -> Iterator[Finding]:
    value = reference.value.strip()
    where = Location(document.path, reference.line, 0, document.id, item.id)
    claim = f"{control} in the SoA {document.label()} is marked implemented"
    resolution = ctx.index.resolve(reference.value, document, reference.kind, reference.lists)
    target = resolution.document
    if target is None:
        if resolution.problem != "dangling":
            return  # ambiguous, external or an anchor: ID002 and ID003 say what is wrong
        yield ctx.finding(
            CODE,
            f"{claim} by {value}, which is not in the technical file",
            where,
            key=(control, value, "unresolved"),
            why=f"{clause(ctx, CODE)} asks the SoA to say whether each control is implemented, "
            "and this claim then rests on nothing an auditor can open.",
            fix=f"Correct the reference, or add {value} to the technical file.",
        )
        return
    state = release(ctx, target)
    if state.state == UNRELEASED:
        yield ctx.finding(
            CODE,
            f"{claim} by {target.label()} ({kind_name(target)}), which is not approved "
            f"({state.basis})",
            where,
            key=(control, target.id or target.path, "unreleased"),
            why=f"{clause(ctx, CODE, 1)} asks that documented information is approved before it "
            "is used, and a document not yet approved shows a control being prepared, not one "
            "in operation.",
            fix=f"Approve {target.label()}, or mark the control partially implemented.",
        )
    elif state.state == WITHDRAWN_STATE and not is_approved(ctx, document):
        # an approved SoA's reference to a withdrawn document is DC003's
        yield ctx.finding(
            CODE,
            f"{claim} by {target.label()} ({kind_name(target)}), which is {state.status}",
            where,
            key=(control, target.id or target.path, "withdrawn"),
            why=f"{clause(ctx, CODE, 1)} asks that documented information is controlled so that "
            "the version in use is the right one; a withdrawn document no longer shows how the "
            "control operates.",
            fix="Name the document that replaced it.",
        )
