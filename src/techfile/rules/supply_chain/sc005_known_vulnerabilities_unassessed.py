"""SC005 known-vulnerabilities-unassessed: a known vulnerability in a component delivered
with the software has no analysis state (error); is still in triage, is affected without a
response, is not_affected without a justification, or will not be fixed without a rationale
(warnings); or the vulnerability report is older than the SBOM (warning)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from techfile.data.severity import Severity
from techfile.model.finding import Finding, Location
from techfile.rules.base import Context, rule
from techfile.rules.supply_chain.common import _as_date, _ref
from techfile.rules.supply_chain.sources import Source, _same_version, sources
from techfile.rules.supply_chain.vulnerabilities import (
    AFFECTED,
    IN_TRIAGE,
    NOT_AFFECTED,
    Assessment,
    assessments,
)


def _subject(entry: Assessment) -> str:
    """`known vulnerability CVE-1 in VR-001 affects numpy 2.1.3`, or, for an entry that names
    no component, `known vulnerability ACME-1 listed in app.cdx.json names no affected
    component`."""
    if entry.affects is None:
        return (
            f"known vulnerability {entry.vuln_id} listed in {entry.where} names no affected "
            "component"
        )
    return f"known vulnerability {entry.vuln_id} in {entry.where} affects {entry.affects}"


def _no_state(ctx: Context, entry: Assessment, clause: str) -> Finding:
    delivered = " and" if entry.affects is None else ", which is delivered with the software, but"
    record = (
        "Record the affected component (`affects`) and the state"
        if entry.affects is None
        else "Record the state"
    )
    return ctx.finding(
        "SC005",
        f"{_subject(entry)}{delivered} has no analysis state; {clause} expects every known "
        "vulnerability to be analysed, and a notified body (and FDA, for a US submission) "
        f"will ask whether the device is affected. {record}: not_affected with a "
        "justification, exploitable/affected with a response, or resolved/fixed",
        entry.location,
        clause=clause,
        key=(*entry.key, "no-state"),
        related=entry.related,
    )


def _warning(ctx: Context, entry: Assessment, text: str, clause: str, topic: str) -> Finding:
    return ctx.finding(
        "SC005",
        f"{_subject(entry)} {text}",
        entry.location,
        severity=Severity.WARNING,
        clause=clause,
        key=(*entry.key, topic),
        related=entry.related,
    )


def _assessment_findings(ctx: Context, entry: Assessment) -> Iterator[Finding]:
    clause = _ref(ctx, "vulnerability-analysis")
    state = entry.normal_state
    if not state:
        yield _no_state(ctx, entry, clause)
    elif state in IN_TRIAGE:
        yield _warning(
            ctx,
            entry,
            f"and is still `{entry.state}`; no decision has been recorded, and a notified body "
            f"will ask whether the released device is affected ({clause}). Finish the analysis "
            "and record the state",
            clause,
            "triage",
        )
    elif state in AFFECTED and not (entry.responses or (entry.item and entry.justification)):
        yield _warning(
            ctx,
            entry,
            f"and is `{entry.state}`, but no response is recorded; a notified body will ask what "
            f"was decided ({clause}). Record the response (update, workaround_available, "
            "will_not_fix with its risk rationale, …)",
            clause,
            "response",
        )
    elif state in NOT_AFFECTED and not (entry.justification or entry.detail):
        minimum = _ref(ctx, "vex-minimum")
        yield _warning(
            ctx,
            entry,
            f"and is `{entry.state}`, but says neither why (a justification) nor how (an impact "
            f"statement); the {minimum} ask every not_affected status to give one, and a "
            f"notified body will ask on what the conclusion rests ({clause}). Record the "
            "justification (code_not_present, code_not_reachable, requires_environment, "
            "protected_by_mitigating_control, …) or the analysis detail",
            clause,
            "justification",
        )
    if state and state not in NOT_AFFECTED and entry.will_not_fix and not entry.rationale:
        # (a not_affected entry without a reason is reported above, once)
        yield _warning(
            ctx,
            entry,
            f"and will not be fixed (`will_not_fix`), but no rationale is recorded; a notified "
            f"body will ask why leaving it is acceptable ({clause}). Record the reason in the "
            "analysis detail (the justification column of a report), with the risk assessment "
            "it rests on",
            clause,
            "will-not-fix",
        )


@rule("SC005")
def known_vulnerabilities_unassessed(ctx: Context) -> Iterator[Finding]:
    for entry in assessments(ctx):
        yield from _assessment_findings(ctx, entry)
    yield from _older_reports(ctx)


def _older_reports(ctx: Context) -> Iterator[Finding]:
    found = sources(ctx)
    boms = [s for s in found.of("sbom") if s.file.readable and s.current(ctx)]
    newest = max((s.file.timestamp for s in boms if s.file.timestamp), default=None)
    newest_source = next((s for s in boms if s.file.timestamp == newest), None)
    if newest is None or newest_source is None:
        return
    for source in found.of("vex"):
        stamp = source.file.timestamp
        if source.file.readable and source.current(ctx) and stamp and stamp < newest:
            yield _older(ctx, source.name(), stamp, newest, newest_source, source.location)
    for document in ctx.index.of_type("vulnerability-report"):
        date = _as_date(document.meta.get("date"))
        if _same_version(document, ctx) and date and date < newest:
            yield _older(
                ctx, document.label(), date, newest, newest_source, document.location("date")
            )


def _older(
    ctx: Context,
    name: str,
    date: datetime.date,
    newest: datetime.date,
    sbom_source: Source,
    location: Location,
) -> Finding:
    clause = _ref(ctx, "vulnerability-analysis")
    return ctx.finding(
        "SC005",
        f"the vulnerability report {name} is dated {date.isoformat()}, before the SBOM "
        f"{sbom_source.name()}, created {newest.isoformat()}; components added or updated since "
        f"were not assessed, and a notified body will ask for an assessment of the software as "
        f"released ({clause}). Repeat the vulnerability assessment against the current SBOM",
        location,
        severity=Severity.WARNING,
        clause=clause,
        key=("older-than-sbom",),
    )
