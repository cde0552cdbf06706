"""RM005: a risk control names no verification of its implementation or of its effectiveness."""

from __future__ import annotations

from collections.abc import Iterator

from techfile.model.document import Document, item_kind
from techfile.model.finding import Finding
from techfile.model.lifecycle import texts
from techfile.rules.base import Context, rule
from techfile.rules.columns import columns_words, in_table
from techfile.rules.risk.common import has_value, row_name


@rule("RM005")
def control_without_verification(ctx: Context) -> Iterator[Finding]:
    for document in ctx.index.of_type("risk-analysis"):
        for control in document.items.get("controls", []):
            verification = control.get("verification")
            if isinstance(verification, str) and verification.strip():
                continue  # not the {implementation, effectiveness} mapping: FM004 reports it
            given = verification if isinstance(verification, dict) else {}
            missing, misdirected = [], []
            for part in ("implementation", "effectiveness"):
                wrong = _not_evidence(ctx, document, given.get(part))
                if not has_value(given.get(part)) or wrong is not None:
                    missing.append(part)
                    misdirected += wrong or []
            if not missing:
                continue
            what, ask = _missing_words(missing)
            if misdirected:
                what += f" ({', '.join(misdirected)}: not a test or a document)"
            fields = [f"verification.{part}" for part in missing]
            if in_table(control):
                where = columns_words(ctx, document, control, fields)
            else:
                where = " and ".join(f"`{f}`" for f in fields)
            yield ctx.finding(
                "RM005",
                f"risk control {row_name(control)} in {document.label()} has {what}",
                control.location_of("verification"),
                key=(control.id or str(control.line), *missing),
                why=f"{ctx.page_clauses('RM005', 0)} asks to verify that each risk control is "
                f"implemented and effective; a notified body will ask for {ask}.",
                fix=f"Name the evidence in {where}.",
            )


def _not_evidence(ctx: Context, document: Document, value: object) -> list[str] | None:
    """The references of a verification part that name something other than a test or a
    document (`R-3 is a risk of RA-001`), when none of its references does; None otherwise.
    The page says a verification is "a test or a document"; a reference that does not resolve
    still counts here, as ID002 reports it."""
    wrong = []
    for text in texts(value):
        target = ctx.index.resolve(text, document, "any").item
        if target is None or target.list_name == "tests":
            return None
        wrong.append(f"{text} is {item_kind(target)}")
    return wrong or None


def _missing_words(missing: list[str]) -> tuple[str, str]:
    """(what is missing, what a notified body asks for)."""
    if len(missing) == 2:
        return (
            "no verification of implementation or of effectiveness",
            "the tests or documents showing that the control is in the device and that "
            "it reduces the risk",
        )
    if missing[0] == "implementation":
        return (
            "no verification of implementation",
            "the test or document showing that the control is actually in the device",
        )
    return (
        "no verification of effectiveness",
        "the test or document showing that the control reduces the risk, not only "
        "that it is implemented",
    )
