"""RM007: a connected device's ISO 14971 risk file holds no security risk at all."""

from __future__ import annotations

from collections.abc import Iterator

from techfile.model.finding import Finding
from techfile.rules.base import Context, rule
from techfile.rules.columns import column_name, in_table
from techfile.rules.risk.common import is_security_row


def _connected(ctx: Context) -> bool:
    for document in ctx.index.of_type("device-description"):
        if document.meta.get("connected") is True:
            return True
    return ctx.device.get("connected") is True


def _device_name(ctx: Context) -> str:
    for document in ctx.index.of_type("device-description"):
        name = document.meta.get("device_name")
        if isinstance(name, str) and name.strip():
            return name.strip()
    name = ctx.device.get("name")
    return str(name) if name else ""


def _connected_device(ctx: Context) -> str:
    name = _device_name(ctx)
    return f"{name} is a connected device" if name else "The device is connected"


@rule("RM007")
def no_security_risks_in_risk_file(ctx: Context) -> Iterator[Finding]:
    documents = ctx.index.of_type("risk-analysis")
    if not documents or not _connected(ctx):
        return
    rows = [row for document in documents for row in document.items.get("risks", [])]
    if any(is_security_row(row) for row in rows):
        return
    first = documents[0]
    names = ", ".join(d.label() for d in documents)
    tabled = bool(rows) and in_table(rows[0])
    if tabled:
        marked = f"`security` in the {column_name(ctx, rows[0], 'source')} column"
        refs = f"the {column_name(ctx, rows[0], 'threat_refs')} column"
    else:
        marked, refs = "`source: security`", "`threat_refs`"
    yield ctx.finding(
        "RM007",
        f"{_connected_device(ctx)}, but no row of the ISO 14971 risk file ({names}) is a "
        "security risk",
        first.location("risks") if "risks" in first.meta else first.location(),
        key=(first.id or first.path,),
        why=f"{ctx.page_clauses('RM007', 0, 1)} expect the security risks that can lead to harm to "
        "be analysed in the ISO 14971 risk file; a notified body will look for them there.",
        fix=f"Carry them over from the threat model, or mark the rows that already cover them "
        f"with {marked} or name their threats in {refs}.",
    )
