"""DC002 changed-after-approval: git history shows the content of an approved document changed
after its approval while its `version` stayed the same.

The file is read as git holds it at each commit, in two batches: the file at the approval and
now settle most documents; only those that changed are read at every commit in between.

A change not committed yet counts as the newest change, dated the `--as-of` day: the staged
content under `--pre-commit`, the work tree's otherwise. So the commit that edits an approved
document fails the hook itself, with the document's latest approval in the message.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from techfile.intake.blobs import read_blobs
from techfile.intake.history import Change, History
from techfile.intake.parse import read_front_matter
from techfile.intake.settings import ParseSettings
from techfile.intake.sources import GitError, filters_off, git
from techfile.intake.split import split_front_matter
from techfile.intake.text import decode
from techfile.model.document import Document
from techfile.model.evidence_classes import kind_name
from techfile.model.finding import Finding
from techfile.model.register import Approval, is_approved, latest_approval, parse_date, text
from techfile.rules.base import Context, rule

# front-matter keys that record the approval or the review of a version rather than its content
APPROVAL_KEYS = frozenset({"approvals", "status", "next_review", "reviews"})
UNCOMMITTED = ""  # the commit of the change not committed yet (staged, or in the work tree)
# names only: no patch, so no external diff program or textconv filter, and none asked for
_NAMES_ONLY = ("--name-only", "--relative", "--no-renames", "--no-ext-diff", "--no-textconv", "-z")


@dataclass(frozen=True)
class _State:
    """A document as one commit holds it."""

    version: str | None
    content: tuple[Any, ...]  # front-matter without approval keys, and the body
    approval_days: frozenset[datetime.date]


@dataclass
class _Candidate:
    document: Document
    approval: Approval
    approved: datetime.date
    version: str
    before: tuple[Change, str] | None  # the last commit on or before the approval day
    after: list[tuple[Change, str]]  # commits after the approval day, oldest first
    states: dict[str, _State | None] = field(default_factory=dict)  # commit -> state


def _day(change: Change) -> datetime.date:
    return datetime.datetime.fromtimestamp(change.timestamp, tz=datetime.UTC).date()


def _noon(day: datetime.date) -> int:
    return int(datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC).timestamp())


@rule("DC002")
def changed_after_approval(ctx: Context) -> Iterator[Finding]:
    history = ctx.history()
    if history is None:
        return
    candidates = [
        candidate
        for document in ctx.documents
        if (candidate := _candidate(ctx, history, document)) is not None
    ]
    if not candidates:
        return
    settings = ctx.settings
    # First pass: the file at the approval and now. Most documents are settled by these two.
    first = [c.before for c in candidates if c.before] + [c.after[-1] for c in candidates]
    _load(ctx, candidates, [pair for pair in first if pair[0].commit != UNCOMMITTED], settings)
    unsettled = [c for c in candidates if not _settled(c)]
    # Second pass, only for documents that changed: every commit after the approval.
    unread = [pair for c in unsettled for pair in c.after if pair[0].commit not in c.states]
    # (the uncommitted change is in every candidate's states: it is never asked of git)
    _load(ctx, unsettled, unread, settings)
    clause = str(ctx.page_clause("DC002", default="techfile's policy"))
    for candidate in unsettled:
        finding = _changed(ctx, candidate, clause)
        if finding is not None:
            yield finding


def _candidate(ctx: Context, history: History, document: Document) -> _Candidate | None:
    """An approved document with commits after its approval, or None."""
    latest = latest_approval(ctx, document) if is_approved(ctx, document) else None
    version = text(document.meta.get("version"))
    if latest is None or latest.date is None or version is None:
        return None  # DC001 reports an approval without a version or a date
    newest_first = history.of(document.path)
    order = sorted(
        range(len(newest_first)), key=lambda i: (newest_first[i].timestamp, -i)
    )  # oldest first; on a tie git's order decides
    changes = [(newest_first[i], newest_first[i].path) for i in order]  # repository paths
    # commits after the as-of date have not happened yet for a check made as of it
    changes = [pair for pair in changes if _day(pair[0]) <= ctx.as_of]
    pending = _uncommitted(ctx, document) if changes else None
    if pending is not None:  # the newest change: made now, as of the check's date
        changes.append((Change(UNCOMMITTED, _noon(ctx.as_of), document.path), document.path))
    after = [pair for pair in changes if _day(pair[0]) > latest.date]
    if not after:
        return None
    before = [pair for pair in changes if _day(pair[0]) <= latest.date]
    if not before and len(after) < 2:
        return None  # the first commit is the approved text or comes after it: none changed it
    candidate = _Candidate(
        document, latest, latest.date, version, before[-1] if before else None, after
    )
    if pending is not None:
        candidate.states[UNCOMMITTED] = pending
    return candidate


def _uncommitted(ctx: Context, document: Document) -> _State | None:
    """The document as this run reads it (the index under --pre-commit, else the work tree),
    when that differs from HEAD; None when it does not, or cannot be read."""
    if document.path not in ctx.shared("dc002-uncommitted", lambda: _uncommitted_paths(ctx)):
        return None
    data = ctx.read_path(document.path) if ctx.read_path is not None else None
    return _state(document.path, data, ctx.settings) if isinstance(data, bytes) else None


def _uncommitted_paths(ctx: Context) -> frozenset[str]:
    """Root-relative paths whose staged or work-tree content differs from HEAD. The diff
    against the work tree hashes files, which would run a clean filter: filters are off."""
    try:
        staged = git(ctx.root, "diff", "--cached", *_NAMES_ONLY, "HEAD")
        worktree = git(ctx.root, "diff", *_NAMES_ONLY, "HEAD", config=filters_off(ctx.root))
    except GitError:
        return frozenset()
    names = staged.split(b"\0") + worktree.split(b"\0")
    return frozenset(name.decode("utf-8", "surrogateescape") for name in names if name)


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
    by = candidate.approval.by
    approver = f" by {by}" if isinstance(by, str) and by.strip() else ""
    return ctx.finding(
        "DC002",
        f"{document.label()} ({kind_name(document)}) was approved on "
        f"{candidate.approved.isoformat()} as version {candidate.version}{approver}, but "
        f"{_which(changed)}, and `version` is still {candidate.version}",
        document.location("version"),
        clause=clause,
        key=(document.id or document.path, candidate.version),
        why=f"{clause} expects changes to a document to be reviewed and approved, and a notified "
        "body will ask which text was approved.",
        fix="Raise the version and have the change approved, or undo the change.",
    )


def _which(changed: list[Change]) -> str:
    """`commit 5d41c2e of 2026-01-09 (and 1 later commit) changed its content`, or the change
    not committed yet."""
    committed = [change for change in changed if change.commit != UNCOMMITTED]
    pending = len(committed) < len(changed)
    if not committed:
        return "the change not committed yet (staged, or in the work tree) changes its content"
    first = committed[0]
    more = len(committed) - 1
    also = [f"{more} later commit{'s' if more > 1 else ''}"] if more else []
    also += ["the change not committed yet"] if pending else []
    listed = f" (and {', and '.join(also)})" if also else ""
    return f"commit {first.commit[:7]} of {_day(first).isoformat()}{listed} changed its content"
