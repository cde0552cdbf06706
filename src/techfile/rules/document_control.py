"""DC: document control. Is each approved document identified by a version and an approval
record, unchanged since its approval, pointing only to current documents, reviewed when due,
and approved by someone besides its author?

Status and approvals come from the front-matter, or from a document register with
`approval-source = "register"` (techfile.model.register). The clause each rule enforces is the
first one its page names; no clause number is written here.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from techfile.intake.blobs import read_blobs
from techfile.intake.history import Change
from techfile.intake.parse import ParseSettings, read_front_matter
from techfile.intake.split import split_front_matter
from techfile.intake.text import decode
from techfile.model.document import Document
from techfile.model.finding import Finding, Location
from techfile.model.index import Reference
from techfile.model.register import (
    Approval,
    effective_approvals,
    effective_status,
    effective_version,
    is_approved,
    is_withdrawn,
    latest_approval,
    parse_date,
    same_person,
    status_location,
    text,
)
from techfile.rules.base import Context, rule
from techfile.rules.evidence import kind_name

WITHDRAWN = ("obsolete", "superseded")
UNRELEASED = ("draft", "in-review")
ROW_TYPES = ("gspr-checklist", "conformity-matrix")  # their rows' evidence is EV003's
# front-matter keys that record the approval or the review of a version rather than its content
APPROVAL_KEYS = frozenset({"approvals", "status", "next_review", "reviews"})


# --- DC001 ------------------------------------------------------------------------------


@rule("DC001")
def approval_metadata_missing(ctx: Context) -> Iterator[Finding]:
    clause = str(ctx.page_clause("DC001", default="techfile's policy"))
    for document in ctx.documents:
        if not is_approved(ctx, document):
            continue
        problems: list[tuple[str, Location]] = []
        version, _ = effective_version(ctx, document)
        if version is None:
            problems.append(("has no `version`", status_location(ctx, document)))
        approvals = effective_approvals(ctx, document)
        if not approvals:
            problems.append(("records no approval (`approvals`)", status_location(ctx, document)))
        for position, approval in enumerate(approvals, start=1):
            missing = _missing(approval)
            if missing:
                problems.append(
                    (_approval_problem(approval, position, approvals, missing), approval.location)
                )
        if not problems:
            continue
        register = bool(approvals) and approvals[0].source == "register"
        if register:
            fix = "Complete the document's entry in the register: `version`, `approved_by`, `date`"
        else:
            fixes = []
            if version is None:
                fixes.append("add `version` (in quotes, so that `2.10` stays 2.10)")
            if not approvals:
                fixes.append("record each approval in `approvals` as `{by, role, date}`")
            elif len(problems) > (version is None):
                fixes.append("give each approval `by`, `role` and a `date` written YYYY-MM-DD")
            fix = _join(fixes)
            fix = fix[:1].upper() + fix[1:]
        yield ctx.finding(
            "DC001",
            f"{document.label()} ({kind_name(document)}) is approved but "
            f"{_join([p for p, _ in problems])}; "
            f"a notified body auditing document control ({clause}) will ask which version was "
            f"approved, by whom, in what role and when. {fix}",
            problems[0][1],
            clause=clause,
            key=(document.id or document.path,),
        )


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
    return f"{name}{who} {_join(parts)}"


def _join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} and {parts[-1]}"


# --- DC002 ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _State:
    """A document as one commit holds it."""

    version: str | None
    content: tuple[Any, ...]  # front-matter without approval keys, and the body
    approval_days: frozenset[datetime.date]


@dataclass
class _Candidate:
    document: Document
    approved: datetime.date
    version: str
    before: tuple[Change, str] | None  # the last commit on or before the approval day
    after: list[tuple[Change, str]]  # commits after the approval day, oldest first
    states: dict[str, _State | None] = field(default_factory=dict)  # commit -> state


def _day(change: Change) -> datetime.date:
    return datetime.datetime.fromtimestamp(change.timestamp, tz=datetime.UTC).date()


@rule("DC002")
def changed_after_approval(ctx: Context) -> Iterator[Finding]:
    history = ctx.history()
    if history is None:
        return
    candidates: list[_Candidate] = []
    for document in ctx.documents:
        latest = latest_approval(ctx, document) if is_approved(ctx, document) else None
        version = text(document.meta.get("version"))
        if latest is None or latest.date is None or version is None:
            continue  # DC001 reports an approval without a version or a date
        newest_first = history.of(document.path)
        order = sorted(
            range(len(newest_first)), key=lambda i: (newest_first[i].timestamp, -i)
        )  # oldest first; on a tie git's order decides
        changes = [(newest_first[i], newest_first[i].path) for i in order]  # repository paths
        # commits after the as-of date have not happened yet for a check made as of it
        changes = [pair for pair in changes if _day(pair[0]) <= ctx.as_of]
        after = [pair for pair in changes if _day(pair[0]) > latest.date]
        if not after:
            continue
        before = [pair for pair in changes if _day(pair[0]) <= latest.date]
        if not before and len(after) < 2:
            continue  # the first commit is the approved text or comes after it: none changed it
        candidates.append(
            _Candidate(document, latest.date, version, before[-1] if before else None, after)
        )
    if not candidates:
        return
    settings = ctx.settings
    # First pass: the file at the approval and now. Most documents are settled by these two.
    first = [c.before for c in candidates if c.before] + [c.after[-1] for c in candidates]
    _load(ctx, candidates, first, settings)
    unsettled = [c for c in candidates if not _settled(c)]
    # Second pass, only for documents that changed: every commit after the approval.
    unread = [pair for c in unsettled for pair in c.after if pair[0].commit not in c.states]
    _load(ctx, unsettled, unread, settings)
    clause = str(ctx.page_clause("DC002", default="techfile's policy"))
    for candidate in unsettled:
        finding = _changed(ctx, candidate, clause)
        if finding is not None:
            yield finding


def _load(
    ctx: Context,
    candidates: list[_Candidate],
    pairs: list[tuple[Change, str]],
    settings: ParseSettings,
) -> None:
    blobs = read_blobs(ctx.root, [(change.commit, path) for change, path in pairs])
    for candidate in candidates:
        for change, path in [*([candidate.before] if candidate.before else []), *candidate.after]:
            if change.commit in candidate.states or (change.commit, path) not in blobs:
                continue
            data = blobs[(change.commit, path)]
            candidate.states[change.commit] = _state(candidate.document.path, data, settings)


def _state(path: str, data: bytes, settings: ParseSettings) -> _State | None:
    decoded = decode(data)
    if decoded.text is None:
        return None
    meta = read_front_matter(decoded.text, settings)
    body = split_front_matter(decoded.text).body
    lines = tuple(line.rstrip() for line in body.strip().splitlines())
    front = tuple(sorted((k, repr(v)) for k, v in meta.items() if k not in APPROVAL_KEYS))
    approvals = meta.get("approvals")
    days = frozenset(
        day
        for entry in (approvals if isinstance(approvals, list) else [])
        if isinstance(entry, dict) and (day := parse_date(entry.get("date"))) is not None
    )
    return _State(text(meta.get("version")), (front, lines), days)


def _settled(candidate: _Candidate) -> bool:
    """Nothing to report, known from the file at the approval and now alone."""
    newest = candidate.states.get(candidate.after[-1][0].commit)
    if newest is None or newest.version != candidate.version:
        return True  # unreadable, or the version is being changed in the work tree
    if candidate.before is None:
        return False
    at_approval = candidate.states.get(candidate.before[0].commit)
    if at_approval is None:
        return False
    if at_approval.content == newest.content:
        return True
    # the approval is on record at the approval day and the version was raised since
    return candidate.approved in at_approval.approval_days and at_approval.version != newest.version


def _baseline(candidate: _Candidate) -> tuple[_State, int] | None:
    """The approved text and the index in `after` of the first commit after it. That is the
    file at the approval day, unless the approval was recorded later: then the first commit
    that records it (changes committed together with the approval record were approved)."""
    at_approval = None
    if candidate.before is not None:
        at_approval = candidate.states.get(candidate.before[0].commit)
    if at_approval is not None and candidate.approved in at_approval.approval_days:
        return at_approval, 0
    for position, (change, _) in enumerate(candidate.after):
        state = candidate.states.get(change.commit)
        if state is not None and candidate.approved in state.approval_days:
            return state, position + 1
    if at_approval is not None:
        return at_approval, 0
    first = candidate.states.get(candidate.after[0][0].commit)
    return (first, 1) if first is not None else None  # the file came into git after approval


def _changed(ctx: Context, candidate: _Candidate, clause: str) -> Finding | None:
    found = _baseline(candidate)
    newest = candidate.states.get(candidate.after[-1][0].commit)
    if found is None or newest is None:
        return None
    baseline, start = found
    if not (baseline.version == newest.version == candidate.version):
        return None
    if baseline.content == newest.content:
        return None
    changed = []  # commits after the approved text that changed the content
    previous = baseline
    for change, _ in candidate.after[start:]:
        state = candidate.states.get(change.commit)
        if state is not None and state.content != previous.content:
            changed.append(change)
        previous = state or previous
    if not changed:
        return None
    document = candidate.document
    first = changed[0]
    more = len(changed) - 1
    also = f" (and {more} later commit{'s' if more > 1 else ''})" if more else ""
    return ctx.finding(
        "DC002",
        f"{document.label()} ({kind_name(document)}) was approved on "
        f"{candidate.approved.isoformat()} "
        f"as version {candidate.version}, but commit {first.commit[:7]} of "
        f"{_day(first).isoformat()}{also} changed its content afterwards, and `version` is still "
        f"{candidate.version}; {clause} expects changes to a document to be reviewed and "
        "approved, and a notified body will ask which text was approved. Raise the version and "
        "have the change approved, or undo the change",
        document.location("version"),
        clause=clause,
        key=(document.id or document.path, candidate.version),
    )


# --- DC003 ------------------------------------------------------------------------------


@rule("DC003")
def reference_to_obsolete_document(ctx: Context) -> Iterator[Finding]:
    clause = str(ctx.page_clause("DC003", default="techfile's policy"))
    withdrawn = _withdrawn(ctx)
    if not withdrawn:
        return  # nothing a reference could reach is withdrawn
    for document in ctx.documents:
        if not is_approved(ctx, document):
            continue
        for target, status, locations, items in _withdrawn_targets(
            ctx, document, withdrawn
        ).values():
            refers = (
                f"is approved, and {_join(items)} in it reference{'s' if len(items) == 1 else ''}"
                if items
                else "is approved and references"
            )
            yield ctx.finding(
                "DC003",
                f"{document.label()} {refers} {target.label()} "
                f"({kind_name(target)}), which is {status}{_replacement(ctx, target)}; {clause} "
                "expects obsolete documents to be kept out of use, and a notified body will ask "
                "why a released document still relies on a withdrawn one. Reference the current "
                "document instead, and issue a new approved version",
                locations[0],
                clause=clause,
                key=(document.id or document.path, target.id or target.path),
                related=tuple(locations[1:]),
            )


def _withdrawn(ctx: Context) -> dict[int, str]:
    """id() -> status of each document of the index that is obsolete or superseded: every
    document a reference resolves to is one of the index's."""
    return {
        id(document): status
        for document in ctx.index.documents
        if (status := effective_status(ctx, document)) in WITHDRAWN
    }


def _withdrawn_targets(
    ctx: Context, document: Document, withdrawn: dict[int, str]
) -> dict[str, tuple[Document, str, list[Location], list[str]]]:
    """The withdrawn documents `document` references, by path: (target, status, where the
    references are, the ids of the items that hold them)."""
    grouped: dict[str, tuple[Document, str, list[Location], list[str]]] = {}
    for reference in ctx.index.references(document):
        if _row_evidence(document, reference):
            continue  # EV003 reports evidence cited in a GSPR or matrix row
        resolution = ctx.index.resolve(reference.value, document, reference.kind, reference.lists)
        target = resolution.document
        if target is None or target is document:
            continue
        status = withdrawn.get(id(target))
        if status is None:
            continue
        item = reference.item.id if reference.item else None
        location = Location(document.path, reference.line, 0, document.id, item)
        entry = grouped.setdefault(target.path, (target, status, [], []))
        entry[2].append(location)
        if item and item not in entry[3]:
            entry[3].append(item)
    return grouped


def _row_evidence(document: Document, reference: Reference) -> bool:
    return (
        document.type in ROW_TYPES
        and reference.item is not None
        and reference.field.split(".")[0] == "evidence"
    )


def _replacement(ctx: Context, target: Document) -> str:
    """`, replaced by X` when the technical file says which document replaced the target."""
    for key in ("superseded_by", "replaced_by"):
        value = text(target.meta.get(key))
        if value:
            return f" (replaced by {value})"
    if target.id:
        for other in ctx.documents:
            for key in ("supersedes", "replaces"):
                value = other.meta.get(key)
                names = value if isinstance(value, list) else [value]
                if target.id in [text(n) for n in names] and is_approved(ctx, other):
                    return f" (replaced by {other.label()})"
    return ""


# --- DC004 ------------------------------------------------------------------------------


@rule("DC004")
def review_overdue(ctx: Context) -> Iterator[Finding]:
    clause = str(ctx.page_clause("DC004", default="techfile's policy"))
    released = bool(ctx.index.of_type("release-record"))
    for document in ctx.documents:
        if released and document.type == "threat-model":
            continue  # SDL004 owns the yearly review of a released product's threat model
        if effective_status(ctx, document) in UNRELEASED or is_withdrawn(ctx, document):
            continue
        due = parse_date(document.meta.get("next_review"))
        if due is None or due >= ctx.as_of:
            continue
        days = (ctx.as_of - due).days
        yield ctx.finding(
            "DC004",
            f"{document.label()} ({kind_name(document)}) was due for review on {due.isoformat()} "
            f"(`next_review`), {days} day{'s' if days != 1 else ''} before "
            f"{ctx.as_of.isoformat()}; {clause} expects documents to be reviewed and, where "
            "needed, updated and approved again, and an auditor will ask for the record of that "
            "review. Review it and record the result: a new approved version, or a new approval "
            "with the next review date",
            document.location("next_review"),
            clause=clause,
            key=(document.id or document.path, due.isoformat()),
        )


# --- DC005 ------------------------------------------------------------------------------


@rule("DC005")
def self_approval(ctx: Context) -> Iterator[Finding]:
    for document in ctx.documents:
        if not is_approved(ctx, document):
            continue
        authors = _names(document.meta.get("author"))
        approvals = [a for a in effective_approvals(ctx, document) if a.by]
        if not authors or not approvals:
            continue
        if not all(any(same_person(a.by or "", name) for name in authors) for a in approvals):
            continue
        approver = approvals[0]
        location = approver.location
        if approver.source == "front-matter" and approver.position is not None:
            location = document.location("approvals", approver.position, "by")
        names = [n for n in authors if any(same_person(a.by or "", n) for a in approvals)]
        name = _join(names)
        whose = (
            "its author"
            if len(authors) == 1
            else "its authors"
            if len(names) > 1
            else "one of its authors"
        )
        listed = "register entry" if approver.source == "register" else "approvals"
        yield ctx.finding(
            "DC005",
            f"{document.label()} ({kind_name(document)}) is approved only by {whose}, {name} (its "
            f"{listed} name nobody else); techfile's policy default expects a controlled document "
            "to be reviewed and approved by someone besides its author before release, and an "
            "auditor will question an approval nobody else gave. Add an approval by a second "
            "person, or record why one person may approve this document",
            location,
            key=(document.id or document.path,),
        )


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [n for n in (part.strip() for part in value.split(";")) if n]
    if isinstance(value, list):
        return [n.strip() for n in value if isinstance(n, str) and n.strip()]
    return []
