"""PK001 disclosure-answer-contradicts-file: an answer of a disclosure statement says Yes where
the technical file has no approved, verified requirement for the capability in the released
version, or says No (or N/A) where the file shows the device provides it.
"""

from __future__ import annotations

from collections.abc import Iterator

from techfile.model.capabilities import Claim, claims, released
from techfile.model.capability_answers import Derived, derived_answers
from techfile.model.disclosure import DisclosureAnswer, disclosure_answers, disclosures
from techfile.model.finding import Finding
from techfile.rules.base import Context, rule
from techfile.rules.pack.common import answer_key, answer_name, clauses_text

NEGATIVE = ("No", "N/A")


@rule("PK001")
def disclosure_answer_contradicts_file(ctx: Context) -> Iterator[Finding]:
    if not disclosures(ctx):
        return  # nothing to check: no disclosure statement in the technical file
    derived = derived_answers(ctx)
    cited = clauses_text(ctx, "PK001")
    clause = ctx.page_clause("PK001")
    for document in disclosures(ctx):
        for answer in disclosure_answers(document):
            if answer.question is None or answer.answer not in ("Yes", *NEGATIVE):
                continue
            found = derived[answer.question.key]
            found_text = (
                _capability_message(ctx, answer)
                if answer.question.answer_from == "capability"
                else _fact_message(answer, found)
            )
            if found_text is None:
                continue
            problem, fix = found_text
            yield ctx.finding(
                "PK001",
                problem,
                answer.item.location_of("answer"),
                clause=clause,
                key=(answer.question.key, answer.answer or ""),
                why=f"{cited} ask that what the manufacturer tells users matches the technical "
                f"file; a hospital relies on the answer to {answer_name(answer)} to judge the "
                "device as a supplier's product.",
                fix=fix,
            )


def _capability_message(ctx: Context, answer: DisclosureAnswer) -> tuple[str, str] | None:
    assert answer.question is not None
    code = answer.section.code
    all_claims = claims(ctx).get(code, [])
    holding = [c for c in all_claims if c.holds]
    version = released(ctx).version or "the released version"
    name = f"{answer.document.label()} answers {answer.answer} to {answer_key(answer)}"
    if answer.answer == "Yes" and not holding:
        return (
            f"{name}, but no approved requirement or mitigation with `capability: [{code}]` "
            f"passed a test of {version}",
            f"Answer `See note` until one is{_why(all_claims, version)}, or add "
            f"`capability: [{code}]` to the approved, verified requirement that provides it.",
        )
    if answer.answer in NEGATIVE and holding:
        first = holding[0]
        return (
            f"{name}, but {first.label} provides {code}, is approved and is verified by "
            f"{', '.join(first.verification.passed[:3])} in {version}",
            f"Answer Yes and cite {first.label}, or take {code} out of its `capability` if it "
            "does not provide it.",
        )
    return None


def _why(all_claims: list[Claim], version: str) -> str:
    """Why the candidates do not count yet: what to mend before answering Yes."""
    if not all_claims:
        return ""
    shown = "; ".join(f"{c.label}: {c.why_not(version)}" for c in all_claims[:3])
    return f" ({shown})"


def _fact_message(answer: DisclosureAnswer, found: Derived) -> tuple[str, str] | None:
    name = f"{answer.document.label()} answers {answer.answer} to {answer_key(answer)}"
    evidence = f" in {', '.join(found.evidence[:3])}" if found.evidence else ""
    contradicts = (answer.answer == "Yes" and found.answer in NEGATIVE) or (
        answer.answer in NEGATIVE and found.answer == "Yes"
    )
    if not contradicts:
        return None
    return (
        f"{name}, but the technical file answers {found.answer}{evidence}",
        f"Correct the answer, or the technical file if it is the file that is wrong (it says: "
        f'"{found.note}").',
    )
