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
            names = [name for name, _change in changes]
            yield ctx.finding(
                "PK002",
                f"{document.label()} was approved on {approval.date.isoformat()}, before "
                f"{_names(names)} changed",
                approval.location,
                clause=clause,
                key=(document.id or document.path, "changed"),
                why=f"{cited} expect the information for healthcare providers to be kept current "
                "with the device; answers approved before the documents they summarise changed "
                "may no longer describe the device the hospital receives.",
                fix="Review the answers against the changed documents "
                f"({_listed([change for _name, change in changes], '; ')}) and approve the "
                "disclosure statement again.",
            )


def _other_version(ctx: Context, document: Document, cited: str, clause: str | None) -> Finding:
    release = released(ctx)
    where = f" ({release.document.label()})" if release.document is not None else ""
    return ctx.finding(
        "PK002",
        f"{document.label()} answers for software version {stated_version(document)}, but the "
        f"released version is {release.version}{where}",
        document.location("software_version"),
        clause=clause,
        key=(document.id or document.path, "version"),
        why=f"{cited} expect the information for healthcare providers to be kept current with "
        f"the device; a hospital judging {release.version} would read answers about another "
        "version.",
        fix=f"Review every answer against {release.version}, set "
        f'`software_version: "{release.version}"` and approve it again.',
    )


def _changes_after(ctx: Context, approved: datetime.date) -> list[tuple[str, str]]:
    """Each summarised document approved after `approved`, or changed by a commit after it:
    its label, and the change in words."""
    history = ctx.history()
    found = []
    for summarised in summarised_documents(ctx):
        what = f"{summarised.label()} ({kind_name(summarised)})"
        latest = latest_approval(ctx, summarised)
        if latest is not None and latest.date is not None and latest.date > approved:
            found.append((summarised.label(), f"{what} was approved again on {latest.date}"))
            continue
        changed = _last_commit(ctx, history, summarised)
        if changed is not None and changed[0] > approved:
            day, commit, path = changed
            change = f"{what} was changed by commit {commit[:7]} of {day.isoformat()} ({path})"
            found.append((summarised.label(), change))
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


def _names(names: list[str]) -> str:
    """`SEC-REQ-001, SBOM-001 and VEX-001`, `... and 2 more`."""
    shown = names[:MAX_NAMED]
    if len(names) > MAX_NAMED:
        return f"{', '.join(shown)} and {len(names) - MAX_NAMED} more"
    return " and ".join([", ".join(shown[:-1]), shown[-1]] if len(shown) > 1 else shown)


def _listed(changes: list[str], separator: str) -> str:
    shown = separator.join(changes[:MAX_NAMED])
    more = len(changes) - MAX_NAMED
    return shown + (f"{separator}and {more} more" if more > 0 else "")
