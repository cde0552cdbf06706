"""PK005 customer-responsibility-missing: a threat-model mitigation that relies on the IT
environment, the operator or the user is missing from a disclosure statement's customer
responsibilities, so the hospital reading the disclosure is not told it must provide it.
"""

from __future__ import annotations

from collections.abc import Iterator

from techfile.model.disclosure import disclosures, reliances, responsibility_targets
from techfile.model.finding import Finding, Location
from techfile.rules.base import Context, rule
from techfile.rules.pack.common import clauses_text


@rule("PK005")
def customer_responsibility_missing(ctx: Context) -> Iterator[Finding]:
    relied = reliances(ctx)
    if not relied:
        return
    cited = clauses_text(ctx, "PK005")
    clause = ctx.page_clause("PK005")
    for document in disclosures(ctx):
        listed = responsibility_targets(ctx, document)
        entries = document.items.get("customer_responsibilities", [])
        tabled = bool(entries) and entries[0].source == "table"
        where = (
            Location(document.path, entries[0].table or entries[0].line, 0, document.id)
            if tabled
            else document.location("customer_responsibilities")
        )
        for reliance in relied:
            if id(reliance.item) in listed:
                continue
            description = reliance.item.get("description")
            what = f" ({' '.join(description.split())})" if isinstance(description, str) else ""
            told = (
                f" (the customer is told in {', '.join(d.label() for d in reliance.told_in)})"
                if reliance.told_in
                else ""
            )
            add = (
                f"Add a row for {reliance.label}{what} to the customer responsibilities table of "
                f"{document.label()}"
                if tabled
                else f"Add {reliance.label}{what} to `customer_responsibilities`"
            )
            yield ctx.finding(
                "PK005",
                f"mitigation {reliance.label} relies on the {reliance.by}, but the customer "
                f"responsibilities of {document.label()} do not list it",
                where,
                clause=clause,
                key=(reliance.label,),
                why=f"{cited} ask the manufacturer to tell users what they must provide for the "
                "device's security; a hospital that answers its supplier assessment from the "
                "disclosure would not know it must provide this measure.",
                fix=f"{add}, with the document that tells the customer{told}.",
            )
