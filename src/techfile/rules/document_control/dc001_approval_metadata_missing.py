"""DC001 approval-metadata-missing: an approved document has no version, records no approval,
or an approval lacks who approved it, in what role or when."""

from __future__ import annotations

from collections.abc import Iterator

from techfile.model.document import Document
from techfile.model.evidence_classes import kind_name
from techfile.model.finding import Finding, Location
from techfile.model.register import (
    Approval,
    effective_approvals,
    effective_version,
    is_approved,
    status_location,
)
from techfile.rules.base import Context, rule
from techfile.rules.document_control.common import join_words


@rule("DC001")
def approval_metadata_missing(ctx: Context) -> Iterator[Finding]:
    clause = str(ctx.page_clause("DC001", default="techfile's policy"))
    for document in ctx.documents:
        if not is_approved(ctx, document):
            continue
        version, _ = effective_version(ctx, document)
        approvals = effective_approvals(ctx, document)
        problems = _problems(ctx, document, version, approvals)
        if not problems:
            continue
        fix = _fix(version, approvals, problems)
        yield ctx.finding(
            "DC001",
            f"{document.label()} ({kind_name(document)}) is approved but "
            f"{join_words([p for p, _ in problems])}",
            problems[0][1],
            clause=clause,
            key=(document.id or document.path,),
            why=f"{clause} asks for documents to be approved before they are issued; a notified "
            "body auditing document control will ask which version was approved, by whom, in "
            "what role and when.",
            fix=fix,
        )


def _problems(
    ctx: Context, document: Document, version: str | None, approvals: list[Approval]
) -> list[tuple[str, Location]]:
    """What the document's approval record lacks, and where."""
    problems: list[tuple[str, Location]] = []
    if version is None:
        problems.append(("has no `version`", status_location(ctx, document)))
    if not approvals:
        problems.append(("records no approval (`approvals`)", status_location(ctx, document)))
    for position, approval in enumerate(approvals, start=1):
        missing = _missing(approval)
        if missing:
            problems.append(
                (_approval_problem(approval, position, approvals, missing), approval.location)
            )
    return problems


def _fix(
    version: str | None, approvals: list[Approval], problems: list[tuple[str, Location]]
) -> str:
    register = bool(approvals) and approvals[0].source == "register"
    if register:
        return "Complete the document's entry in the register: `version`, `approved_by`, `date`."
    fixes = []
    if version is None:
        fixes.append("add `version` (in quotes, so that `2.10` stays 2.10)")
    if not approvals:
        fixes.append("record each approval in `approvals` as `{by, role, date}`")
    elif len(problems) > (version is None):
        fixes.append("give each approval `by`, `role` and a `date` written YYYY-MM-DD")
    fix = join_words(fixes)
    return f"{fix[:1].upper()}{fix[1:]}."


def _missing(approval: Approval) -> list[str]:
    missing = []
    if approval.by is None:
        missing.append("approver" if approval.source == "register" else "`by`")
    if approval.role is None and approval.source == "front-matter":
        missing.append("`role`")
    if approval.date is None:
        missing.append("`date`" if approval.written_date in (None, "") else "valid `date`")
    return missing


def _approval_problem(
    approval: Approval, position: int, approvals: list[Approval], missing: list[str]
) -> str:
    if approval.source == "register":
        what = " and ".join(
            "names no approver (`approved_by`)" if m == "approver" else f"gives no {m}"
            for m in missing
        )
        if "valid `date`" in missing:
            what = what.replace(
                "gives no valid `date`", f"gives `{approval.written_date}`, not a YYYY-MM-DD date"
            )
        return f"its register entry {what}"
    who = f" ({approval.by})" if approval.by else ""
    name = "its approval" if len(approvals) == 1 else f"approval {position}"
    parts = []
    for m in missing:
        if m == "valid `date`":
            parts.append(f"its date `{approval.written_date}` is not a YYYY-MM-DD date")
        else:
            parts.append(f"has no {m}")
    return f"{name}{who} {join_words(parts)}"
