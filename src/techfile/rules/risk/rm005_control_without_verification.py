"""RM005: a risk control names no verification of its implementation or of its effectiveness."""

from __future__ import annotations

from collections.abc import Iterator

from techfile.model.finding import Finding
from techfile.rules.base import Context, rule
from techfile.rules.risk.common import cited, has_value, in_table, its_column, row_name


@rule("RM005")
def control_without_verification(ctx: Context) -> Iterator[Finding]:
    for document in ctx.index.of_type("risk-analysis"):
        for control in document.items.get("controls", []):
            verification = control.get("verification")
            if isinstance(verification, str) and verification.strip():
                continue  # not the {implementation, effectiveness} mapping: FM004 reports it
            given = verification if isinstance(verification, dict) else {}
            missing = [
                part
                for part in ("implementation", "effectiveness")
                if not has_value(given.get(part))
            ]
            if not missing:
                continue
            what, ask = _missing_words(missing)
            fields = [f"verification.{part}" for part in missing]
            if in_table(control):
                fix = " and ".join(its_column(document, control, f) for f in fields)
            else:
                fix = " and ".join(f"`{f}`" for f in fields)
            yield ctx.finding(
                "RM005",
                f"risk control {row_name(control)} in {document.label()} has {what}; a notified "
                f"body will ask for {ask}{cited(ctx, 'RM005')}. Name the evidence in {fix}",
                control.location_of("verification"),
                key=(control.id or str(control.line), *missing),
            )


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
