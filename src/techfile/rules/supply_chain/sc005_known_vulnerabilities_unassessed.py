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
from techfile.rules.supply_chain.common import _as_date, _cell, _ref
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


def _where(entry: Assessment, field: str) -> str:
    """Where the entry records the field: `its "State" cell` in a report's table, `its
    `state`` in its front-matter, ``analysis.state`` in a CycloneDX SBOM or VEX file."""
    if entry.item is not None:
        return _cell(entry.item, field)
    return f"`analysis.{field}`"


def _why(clause: str, question: str) -> str:
    return (
        f"{clause} expects every known vulnerability of a component delivered with the software "
        f"to be analysed, and a notified body (and FDA, for a US submission) will ask {question}."
    )


def _no_state(ctx: Context, entry: Assessment, clause: str) -> Finding:
    joined = " and" if entry.affects is None else ", but"
    affects = _cell(entry.item, "component") if entry.item else "`affects`"
    record = (
        f"Record the affected component ({affects}) and the state"
        if entry.affects is None
        else "Record the state"
    )
    return ctx.finding(
        "SC005",
        f"{_subject(entry)}{joined} has no analysis state",
        entry.location,
        clause=clause,
        key=(*entry.key, "no-state"),
        related=entry.related,
        why=_why(clause, "whether the device is affected"),
        fix=f"{record} in {_where(entry, 'state')}: not_affected with a justification, "
        "exploitable/affected with a response, or resolved/fixed.",
    )


def _warning(
    ctx: Context, entry: Assessment, text: str, clause: str, topic: str, why: str, fix: str
) -> Finding:
    return ctx.finding(
        "SC005",
        f"{_subject(entry)} {text}",
        entry.location,
        severity=Severity.WARNING,
        clause=clause,
        key=(*entry.key, topic),
        related=entry.related,
        why=why,
        fix=fix,
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
            f"and is still `{entry.state}`: no decision has been recorded",
            clause,
            "triage",
            _why(clause, "whether the released device is affected"),
            f"Finish the analysis and record the state in {_where(entry, 'state')}.",
        )
    elif state in AFFECTED and not (entry.responses or (entry.item and entry.justification)):
        yield _warning(
            ctx,
            entry,
            f"and is `{entry.state}`, but no response is recorded",
            clause,
            "response",
            _why(clause, "what was decided"),
            f"Record the response in {_where(entry, 'response')} (update, workaround_available, "
            "will_not_fix with its risk rationale, …).",
        )
    elif state in NOT_AFFECTED and not (entry.justification or entry.detail):
        minimum = _ref(ctx, "vex-minimum")
        yield _warning(
            ctx,
            entry,
            f"and is `{entry.state}`, but says neither why (a justification) nor how (an impact "
            "statement)",
            clause,
            "justification",
            _why(clause, "on what the conclusion rests")
            + f" The {minimum} ask every not_affected status to give one.",
            "Record the justification (code_not_present, code_not_reachable, "
            "requires_environment, protected_by_mitigating_control, …) in "
            f"{_where(entry, 'justification')}, or the analysis detail"
            f"{'' if entry.item else ' (`analysis.detail`)'}.",
        )
    if state and state not in NOT_AFFECTED and entry.will_not_fix and not entry.rationale:
        # (a not_affected entry without a reason is reported above, once)
        yield _warning(
            ctx,
            entry,
            "and will not be fixed (`will_not_fix`), but no rationale is recorded",
            clause,
            "will-not-fix",
            _why(clause, "why leaving it is acceptable"),
            "Record the reason, with the risk assessment it rests on, in "
            f"{_where(entry, 'justification' if entry.item else 'detail')}.",
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
        f"{sbom_source.name()}, created {newest.isoformat()}",
        location,
        severity=Severity.WARNING,
        clause=clause,
        key=("older-than-sbom",),
        why=f"{clause} expects the known vulnerabilities of the software as released to be "
        "analysed; components added or updated since the report were not assessed, and a "
        "notified body will ask for an assessment of the software as released.",
        fix="Repeat the vulnerability assessment against the current SBOM.",
    )
