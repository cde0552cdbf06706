"""PK004 support-claim-inconsistent: the end of security support a disclosure statement states
differs from the one the technical file states, or has already passed at the as-of date.
"""

from __future__ import annotations

from collections.abc import Iterator

from techfile.model.disclosure import disclosures, file_support_end
from techfile.model.finding import Finding
from techfile.model.register import parse_date
from techfile.rules.base import Context, rule
from techfile.rules.pack.common import clauses_text


@rule("PK004")
def support_claim_inconsistent(ctx: Context) -> Iterator[Finding]:
    cited = clauses_text(ctx, "PK004")
    clause = ctx.page_clause("PK004")
    in_file = file_support_end(ctx)
    for document in disclosures(ctx):
        claimed = parse_date(document.meta.get("support_end"))
        if claimed is None:
            continue
        name = (
            f"{document.label()} tells customers that security support ends on "
            f"{claimed.isoformat()}"
        )
        if claimed < ctx.as_of:
            problem = f"{name}, which has passed as of {ctx.as_of.isoformat()}"
            effect = (
                "a hospital reading it learns that the version it runs gets no more security "
                "updates"
            )
            fix = (
                "If support was extended, state the new date; if not, tell the customers who "
                "still use this version."
            )
        elif in_file is not None and claimed != in_file.date:
            source = f"{in_file.document.label()} states {in_file.date.isoformat()}"
            earlier = claimed < in_file.date
            problem = (
                f"{name}, earlier than the technical file ({source})"
                if earlier
                else f"{name}, later than the technical file backs ({source})"
            )
            effect = (
                "hospitals plan replacement and patching on the earlier date"
                if earlier
                else "the disclosure promises support the file does not"
            )
            fix = (
                f"State {in_file.date.isoformat()}, or change the support period in "
                f"{in_file.document.label()} first."
            )
        else:
            continue
        yield ctx.finding(
            "PK004",
            problem,
            document.location("support_end"),
            clause=clause,
            key=(document.id or document.path,),
            why=f"{cited} ask the manufacturer to tell users how long the device gets security "
            f"support; {effect}.",
            fix=fix,
        )
