"""SDL001: the documents and files an SDL001 message names as the likely fix, a document that
nearly counts first.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from techfile.data.clauses import Clause, ClauseRef
from techfile.data.registry import type_registry
from techfile.model.device import tested_product
from techfile.model.document import INACTIVE_STATUSES, Document
from techfile.model.finding import Location
from techfile.model.lifecycle import Activity, counts_by_type
from techfile.model.lifecycle import has_phrase as _has_phrase
from techfile.model.lifecycle import normalise as _normalise
from techfile.model.lifecycle import stated_test_type as _test_type_words
from techfile.rules.base import Context
from techfile.rules.lifecycle.common import (
    _is_approved,
    _label,
    _release_location,
    _status_text,
    _text,
)

SUGGESTIONS = 2  # at most this many likely files are named in one SDL001 message


Cited = dict[str, set[int]]  # clause id -> id() of the documents citing it or one of its items


def _cites(document: Document, clause: Clause, cited: Cited) -> bool:
    return id(document) in cited.get(clause.id, ())


def _ref(ctx: Context, clause: Clause) -> ClauseRef:
    return ClauseRef(clause.id, clause.family, "", None, clause.id)


@dataclass(frozen=True)
class _Suggestion:
    text: str
    location: Location
    holder: str | None = None  # "if HOLDER holds it, list the clause": merged when repeated
    unapproved: bool = False
    kind: str = ""  # which of the five kinds of fix below: activities with equal fixes merge

    @property
    def signature(self) -> tuple[str, str, bool]:
        return self.kind, self.location.path, self.unapproved


def _suggestion_text(suggestions: list[_Suggestion], entries: str) -> str:
    """The fix: one sentence for each of the likeliest files (one for several holders)."""
    shown = suggestions[:SUGGESTIONS]
    holders = [s for s in shown if s.holder]
    if len(holders) == len(shown) > 1 and len({s.unapproved for s in holders}) == 1:
        names = " or ".join(str(s.holder) for s in holders)
        approve = " and approve it" if holders[0].unapproved else ""
        return f"If {names} holds it, list `{entries}` in its `evidence_for`{approve}."
    return " ".join(f"{s.text[:1].upper()}{s.text[1:]}." for s in shown)


def _suggestions(
    ctx: Context, activity: Activity, missing: list[Clause], cited: Cited
) -> list[_Suggestion]:
    found: list[_Suggestion] = []
    named: set[str] = set()
    clause = missing[0]
    display = "`, `".join(ctx.clauses.display(_ref(ctx, c)) for c in missing)

    def add(
        document: Document, text: str, location: Location, kind: str, holder: bool = False
    ) -> None:
        if document.path not in named:
            named.add(document.path)
            unapproved = holder and not _is_approved(ctx, document)
            label = _label(document) if holder else None
            found.append(_Suggestion(text, location, label, unapproved, kind))

    def holds(document: Document) -> None:
        approve = "" if _is_approved(ctx, document) else " and approve it"
        add(
            document,
            f"if {_label(document)} holds it, list `{display}` in its `evidence_for`{approve}",
            document.location("evidence_for")
            if "evidence_for" in document.meta
            else document.location(),
            "holder",
            holder=True,
        )

    # 1. would count, but is not approved
    for document in ctx.documents:
        relevant = counts_by_type(activity, document) or _cites(document, clause, cited)
        accepted = ctx.evidence_class(document) in clause.accepts
        if relevant and accepted and not _is_approved(ctx, document):
            add(
                document,
                f"approve {_label(document)}, which would count once approved "
                f"({_status_text(ctx, document)})",
                _release_location(ctx, document),
                "unapproved",
            )
    # 2. a security test of something other than the device
    for document in ctx.documents:
        if counts_by_type(activity, document) and ctx.tests_other_product(document):
            add(
                document,
                f"test {ctx.device_name()} itself: {_label(document)} tested "
                f"`{tested_product(document)}`, not {ctx.device_name()}, so it is not evidence "
                "for the device",
                document.location("test_object", "product"),
                "other-product",
            )
    # 3. a security test report whose test type names other testing
    for document in ctx.documents:
        if (
            document.type in activity.types
            and not counts_by_type(activity, document)
            and ctx.evidence_class(document) in clause.accepts
        ):
            add(
                document,
                f"if {_label(document)} includes {activity.name}, say so in its `test_type`, "
                f"which names no {activity.name} ({_test_type_words(document)}), or list "
                f"`{display}` in its `evidence_for`",
                document.location("test_type"),
                "test-type",
            )
    if found:
        return found  # a document that nearly counts is the clearest fix
    # 4. a document of a type that often holds the activity, without the citation; those
    #    whose name, title or headings mention the activity first
    holders = [d for d in ctx.documents if d.type in activity.also_in]
    holders.sort(key=lambda d: not _mentions(activity, d))
    for document in holders:
        accepted = ctx.evidence_class(document) in clause.accepts
        if accepted and not _cites(document, clause, cited):
            holds(document)
    # 5. files whose name, title or headings suggest the activity
    for document in ctx.index.documents:
        if document.status in INACTIVE_STATUSES or document.path in named:
            continue
        suggested_type = _looks_like(activity, document) if document.type is None else None
        if suggested_type:
            add(
                document,
                f"give {document.path} `type: {suggested_type}`: it looks like a "
                f"{suggested_type.replace('-', ' ')} but has no document type techfile knows",
                document.location(),
                "untyped",
            )
        elif (
            document.type is not None
            and ctx.evidence_class(document) in clause.accepts
            and _mentions(activity, document)
        ):
            holds(document)
    return found


def _looks_like(activity: Activity, document: Document) -> str | None:
    """The activity's document type an unclassified file looks like, by name or first heading."""
    registry = type_registry()
    stem = _normalise(PurePosixPath(document.path).stem)
    heading = _normalise(document.h1 or "")
    for type_name in activity.types:
        doc_type = registry.types.get(type_name)
        if doc_type is None:
            continue
        names = {_normalise(type_name), *(_normalise(a) for a in doc_type.aliases)}
        if stem in names or any(n and f" {n}" in f" {stem}" for n in names if " " in n):
            return type_name
        if heading and _has_phrase(heading, [_normalise(p) for p in doc_type.h1]):
            return type_name
    if document.type is None and _mentions(activity, document) and len(activity.types) == 1:
        return activity.types[0]
    return None


def _mentions(activity: Activity, document: Document) -> bool:
    texts = [
        PurePosixPath(document.path).stem,
        _text(document.meta.get("title")) or "",
        document.h1 or "",
        *(text for level, text, _ in document.headings if level >= 1),
    ]
    return any(_has_phrase(text, activity.hints) for text in texts if text)
