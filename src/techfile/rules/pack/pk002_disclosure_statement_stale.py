"""PK002 disclosure-statement-stale: a disclosure statement is about another software version
than the released one, or was approved before the SBOM, VEX or security requirements it
summarises changed (their later approval, or a later commit in git history).
"""

from __future__ import annotations

import datetime
import posixpath
from collections.abc import Iterator

from techfile.intake.history import History
from techfile.model.capabilities import about_release, released, stated_version
from techfile.model.disclosure import disclosures, summarised_documents
from techfile.model.document import Document
from techfile.model.evidence_classes import kind_name
from techfile.model.finding import Finding
from techfile.model.register import latest_approval
from techfile.rules.base import Context, rule
from techfile.rules.pack.common import clauses_text

MAX_NAMED = 3  # changed documents named in one finding


@rule("PK002")
def disclosure_statement_stale(ctx: Context) -> Iterator[Finding]:
    cited = clauses_text(ctx, "PK002")
    clause = ctx.page_clause("PK002")
    for document in disclosures(ctx):
        if not about_release(ctx, document):
            yield _other_version(ctx, document, cited, clause)
            continue
        approval = latest_approval(ctx, document)
        if approval is None or approval.date is None:
            continue  # not approved yet: nothing was sent on the strength of it
        changes = _changes_after(ctx, approval.date)
        if changes:
            yield ctx.finding(
                "PK002",
                f"{document.label()} was approved on {approval.date.isoformat()}, but "
                f"{_listed(changes)} afterwards, so its answers may no longer describe the "
                f"device the hospital receives ({cited}). Review the answers against the "
                "changed documents and approve the disclosure statement again",
                approval.location,
                clause=clause,
                key=(document.id or document.path, "changed"),
            )


def _other_version(ctx: Context, document: Document, cited: str, clause: str | None) -> Finding:
    release = released(ctx)
    where = f" ({release.document.label()})" if release.document is not None else ""
    return ctx.finding(
        "PK002",
        f"{document.label()} answers for software version {stated_version(document)}, but the "
        f"released version is {release.version}{where}; a hospital judging {release.version} "
        f"would read answers about another version ({cited}). Review every answer against "
        f'{release.version}, set `software_version: "{release.version}"` and approve it again',
        document.location("software_version"),
        clause=clause,
        key=(document.id or document.path, "version"),
    )


def _changes_after(ctx: Context, approved: datetime.date) -> list[str]:
    """Each summarised document approved after `approved`, or changed by a commit after it."""
    history = ctx.history()
    found = []
    for summarised in summarised_documents(ctx):
        what = f"{summarised.label()} ({kind_name(summarised)})"
        latest = latest_approval(ctx, summarised)
        if latest is not None and latest.date is not None and latest.date > approved:
            found.append(f"{what} was approved again on {latest.date.isoformat()}")
            continue
        changed = _last_commit(ctx, history, summarised)
        if changed is not None and changed[0] > approved:
            day, commit, path = changed
            found.append(f"{what} was changed by commit {commit[:7]} of {day.isoformat()} ({path})")
    return found


def _last_commit(
    ctx: Context, history: History | None, document: Document
) -> tuple[datetime.date, str, str] | None:
    """The newest commit on or before the as-of date that changed the document or the SBOM or
    VEX file it names."""
    if history is None:
        return None
    paths = [document.path]
    named = document.meta.get("file")
    if isinstance(named, str) and named.strip():
        paths.append(posixpath.normpath(posixpath.join(posixpath.dirname(document.path), named)))
    newest: tuple[datetime.date, str, str] | None = None
    for path in paths:
        for change in history.of(path):
            day = datetime.datetime.fromtimestamp(change.timestamp, tz=datetime.UTC).date()
            if day <= ctx.as_of and (newest is None or day > newest[0]):
                newest = (day, change.commit, path)
    return newest


def _listed(changes: list[str]) -> str:
    shown = "; ".join(changes[:MAX_NAMED])
    more = len(changes) - MAX_NAMED
    return shown + (f"; and {more} more" if more > 0 else "")
