"""SDL008 environment-reliance-undeclared: a threat-model mitigation that relies on the IT
environment, the operator or the user is not referenced from the IT security requirements or the
instructions for use.
"""

from __future__ import annotations

from collections.abc import Iterator

from techfile.model.document import Document
from techfile.model.finding import Finding
from techfile.rules.base import Context, rule
from techfile.rules.lifecycle.common import RELIANCE, _item_name


def _declared_items(ctx: Context) -> tuple[set[int], list[Document]]:
    """ids() of the items referenced from the IT security requirements and the IFU."""
    declaring = sorted(
        ctx.index.of_type("it-security-requirements", "ifu"),
        key=lambda d: (d.type != "it-security-requirements", d.path),
    )
    found: set[int] = set()
    for document in declaring:
        for reference in ctx.index.references(document):
            item = ctx.index.resolve(reference.value, document, "item").item
            if item is not None:
                found.add(id(item))
    return found, declaring


@rule("SDL008")
def environment_reliance_undeclared(ctx: Context) -> Iterator[Finding]:
    declared, declaring = _declared_items(ctx)
    clause = ctx.page_clause("SDL008")
    cited = ctx.page_clauses("SDL008")
    if len(declaring) == 1:
        target = f"{declaring[0].label()} does not reference it"
    elif declaring:
        target = f"neither {declaring[0].label()} nor {declaring[1].label()} references it"
    else:
        target = "the technical file has no IT security requirements or IFU document"
    for document in ctx.index.of_type("threat-model"):
        for item in document.items.get("mitigations", []):
            by = item.get("implemented_by")
            if not (isinstance(by, str) and by.strip().casefold() in RELIANCE):
                continue
            if id(item) in declared:
                continue
            reliance = by.strip().casefold()
            fix = (
                f"Reference {document.label()}:{item.id} in the `mitigations` or `references` of "
                f"{declaring[0].label()}."
                if declaring
                else "State it in the IT security requirements (`type: it-security-requirements`) "
                f"and reference {document.label()}:{item.id} there."
            )
            yield ctx.finding(
                "SDL008",
                f"mitigation {_item_name(item, 'description', 'title')} in {document.label()} "
                f"relies on the {reliance}, but {target}",
                item.location_of("implemented_by"),
                clause=clause,
                key=(item.id or "",),
                why=f"The operator or user must be told what they are to do ({cited}), and a "
                "notified body will look for it in the documentation supplied with the device.",
                fix=fix,
            )
