"""PK003 organisational-evidence-for-capability: a disclosure statement cites organisational
assurance (an ISO/IEC 27001 certificate or Statement of Applicability, a SOC 2 report, an HDS
certificate, a test of another product) as the evidence for a product capability.

This is EV001's logic in the disclosure's context: the evidence class comes from
`techfile.model.evidence_classes` (through the run's view), so both rules agree.
"""

from __future__ import annotations

from collections.abc import Iterator

from techfile.model.capability_answers import derived_answers
from techfile.model.disclosure import disclosure_answers, disclosures, is_organisational
from techfile.model.evidence_classes import kind_name
from techfile.model.finding import Finding
from techfile.rules.base import Context, rule
from techfile.rules.pack.common import answer_key, answer_name, clauses_text


@rule("PK003")
def organisational_evidence_for_capability(ctx: Context) -> Iterator[Finding]:
    if not disclosures(ctx):
        return  # nothing to check: no disclosure statement in the technical file
    derived = derived_answers(ctx)
    cited = clauses_text(ctx, "PK003")
    clause = ctx.page_clause("PK003")
    for document in disclosures(ctx):
        for answer in disclosure_answers(document):
            shown: set[str] = set()
            for resolution in ctx.index.resolve_field(document, answer.item, "evidence"):
                evidence = resolution.document
                if evidence is None or not is_organisational(ctx, evidence):
                    continue
                label = evidence.label()
                if label in shown:
                    continue
                shown.add(label)
                product = derived[answer.question.key].evidence if answer.question else ()
                instead = (
                    f", such as {', '.join(product[:3])}"
                    if product and not any(p.split(":")[0] == label for p in product)
                    else ""
                )
                yield ctx.finding(
                    "PK003",
                    f"{document.label()} cites {label} ({kind_name(evidence)}) as evidence for "
                    f"its answer to {answer_key(answer)}",
                    answer.item.location_of("evidence"),
                    clause=clause,
                    key=(answer.question.key if answer.question else answer.section.code, label),
                    why=f"{cited} ask for evidence about the product: a certificate or report "
                    "about the organisation shows how the company runs information security, "
                    "not what the device does, and a hospital assessing the product cannot rely "
                    f"on it for {answer_name(answer)}.",
                    fix=f"Cite product evidence{instead}, and keep {label} for the "
                    "organisational assurance part of the pack.",
                )
