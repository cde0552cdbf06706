"""IS003 isms-scope-missing-or-uncertified: a Statement of Applicability lists its decisions but
the ISMS scope is stated nowhere techfile can read; or the scope it states names parts that the
scope of the organisation's own ISO/IEC 27001 certificate does not cover."""

from __future__ import annotations

import re
from collections.abc import Iterator

from techfile.model.document import Document
from techfile.model.evidence import as_list
from techfile.model.evidence_classes import supplier_of
from techfile.model.finding import Finding
from techfile.model.register import is_withdrawn
from techfile.rules.base import Context, rule
from techfile.rules.isms.common import (
    CERTIFICATE_TYPE,
    POLICY_TYPE,
    SOA_TYPE,
    clause,
    controls_of,
    statements,
    text_of,
)

CODE = "IS003"
_SCOPE_HEADING = re.compile(r"\bscope\b", re.IGNORECASE)
# A scope statement is compared part by part: split at punctuation and joining words.
_PARTS = re.compile(r"\s*(?:[,;:()]|\band\b|\bincluding\b|\bwith\b|\bas well as\b)\s*", re.I)
_WORD = re.compile(r"[a-z0-9]+")
_FILLER = frozenset(
    {"a", "an", "the", "of", "for", "in", "on", "at", "to", "by", "from", "its", "their", "our",
     "all", "any", "each", "which", "that", "this", "these", "those", "is", "are", "be", "as",
     "within", "under", "over", "into", "plus", "also", "both", "only", "such", "other", "own"}
)  # fmt: skip


@rule(CODE)
def isms_scope_missing_or_uncertified(ctx: Context) -> Iterator[Finding]:
    soas = statements(ctx)
    if not soas:
        return
    certified = _certified_words(ctx)
    stated_anywhere = _stated_anywhere(ctx)
    for document in soas:
        scope = _scope(document)
        if not scope:
            if controls_of(document) and not stated_anywhere:
                yield _missing(ctx, document)
            continue
        if certified is None:
            continue
        outside = [part for part in _parts(scope) if not _words(part) <= certified[0]]
        if outside:
            yield _broader(ctx, document, outside, certified[1])


def _scope(document: Document) -> list[str]:
    return [t for t in (text_of(v) for v in as_list(document.meta.get("scope"))) if t]


def _stated_anywhere(ctx: Context) -> bool:
    """A scope in `scope` of an SoA or ISMS policy, or in a section headed with `scope`."""
    for document in ctx.index.of_type(SOA_TYPE, POLICY_TYPE):
        if is_withdrawn(ctx, document):
            continue
        if _scope(document) or any(_SCOPE_HEADING.search(h[1]) for h in document.headings):
            return True
    return False


def _certified_words(ctx: Context) -> tuple[frozenset[str], list[Document]] | None:
    """The words of the scopes of the organisation's own ISO/IEC 27001 certificates (a
    supplier's certificate certifies the supplier), None when none states a scope."""
    words: set[str] = set()
    certificates = []
    for document in ctx.index.of_type(CERTIFICATE_TYPE):
        scope = text_of(document.meta.get("scope"))
        if scope is None or is_withdrawn(ctx, document) or supplier_of(ctx, document):
            continue
        words |= _words(scope)
        certificates.append(document)
    return (frozenset(words), certificates) if certificates else None


def _parts(scope: list[str]) -> list[str]:
    parts = []
    for text in scope:
        for part in _PARTS.split(text):
            if _words(part) and part.strip() not in parts:
                parts.append(part.strip())
    return parts


def _words(text: str) -> frozenset[str]:
    return frozenset(_stem(w) for w in _WORD.findall(text.casefold()) if w not in _FILLER)


def _stem(word: str) -> str:
    """`offices` and `office` are one word; `process` and `processes` too."""
    if word.endswith("es") and word[:-2].endswith(("ss", "sh", "ch", "x")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def _missing(ctx: Context, document: Document) -> Finding:
    return ctx.finding(
        CODE,
        f"the SoA {document.label()} decides on Annex A controls, but "
        "the scope of the ISMS is stated nowhere techfile can read",
        document.location("id"),
        key=("missing",),
        why=f"{clause(ctx, CODE)} asks for the scope as documented information, and the "
        "decisions on controls mean little without the boundaries they apply to.",
        fix=f"Add `scope:` to {document.label()}, or a section on the scope to it or to the "
        "information security policy (techfile found neither).",
    )


def _broader(
    ctx: Context, document: Document, outside: list[str], certificates: list[Document]
) -> Finding:
    names = " and ".join(f"'{part}'" for part in outside)
    labels = " and ".join(c.label() for c in certificates)
    whose = "the organisation's ISO/IEC 27001 certificate" + ("s" if len(certificates) > 1 else "")
    return ctx.finding(
        CODE,
        f"the ISMS scope in {document.label()} names {names}, which the scope of {labels}, "
        f"{whose}, does not mention",
        document.location("scope"),
        key=("broader",),
        why=f"{clause(ctx, CODE)} asks for the scope of the ISMS, and a certificate attests only "
        "what its scope names, so whoever relies on it for these parts relies on nothing.",
        fix="State the scope as the certificate does, or have the certification body extend "
        "the certificate's scope.",
    )
