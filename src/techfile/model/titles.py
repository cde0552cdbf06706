"""Citations by title, read the way a reader reads them.

Teams that keep no ids cite each other's documents by title ("Risk Table", "Risk Management
Report"), and the title a citation gives is rarely the H1 word for word: the checklist
"Checklist: MDR General Safety and Performance Requirements" is cited as "MDR General Safety and
Performance Requirements Checklist", the risk table "Failure Mode and Effects Analysis (FMEA): Risk
Table" as "Risk Table". A reader finds both at once; so does TitleIndex, in this order, and
stops at the first tier with a match:

1. the same words: case, punctuation and whitespace aside, and the two sides of a colon in either
   order ("A: B" is "B A");
2. a title that ends with the cited words ("Risk Table");
3. a title that contains the cited words, in order and as whole words.

Tiers 2 and 3 need at least two words apart by a space (an id such as `SWR-14` is no
title), so a lone "Plan" or "Report" never picks a document. When
several documents match at the first tier with a match, the citation is ambiguous: the caller
reports it (ID003) instead of guessing.

Template instructions left in a citation ("Link Software Test ID", "(Record of User Training)",
"Insert ...", `{{...}}`, TBD) cite nothing: `is_template_text` tells them apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from techfile.model.document import Document

_NOT_WORD = re.compile(r"[^\w]+")
_INSTRUCTION = re.compile(
    r"^(?:\(.*\)|<.*>|\{\{.*\}\}|(?:link|insert)\s.*"
    r"|tbd|tbc|todo|fixme|xxx|n/?a|none|-+|\.{3}|…)$",
    re.IGNORECASE | re.DOTALL,
)
_LEFT_OVER = re.compile(
    r"^(?:\(.*\)|<.*>|\{\{.*\}\}|(?:link|insert)\s.*|tbd|tbc|todo|fixme|xxx)$",
    re.IGNORECASE | re.DOTALL,
)
MIN_PARTIAL_WORDS = 2  # a partial match (tiers 2 and 3) needs at least this many cited words


def words(text: str) -> tuple[str, ...]:
    """The words of a title, case and punctuation aside."""
    return tuple(w for w in _NOT_WORD.sub(" ", text.casefold()).split() if w != "_")


def is_template_text(text: str) -> bool:
    """A template's instruction or a placeholder written where a citation belongs."""
    return _INSTRUCTION.match(text.strip()) is not None or "{{" in text


def is_left_over_instruction(text: str) -> bool:
    """A template's instruction still standing where a citation belongs (`Link Software Test
    ID`, `(Record of User Training)`, `{{ link }}`, TBD); an answer such as `n/a` or `-` is not."""
    return _LEFT_OVER.match(text.strip()) is not None or "{{" in text


def _forms(title: str) -> set[tuple[str, ...]]:
    """The word sequences a title is known by: itself and, for "A: B", also "B A"."""
    found = {words(title)}
    head, colon, tail = title.partition(":")
    if colon and head.strip() and tail.strip():
        found.add(words(tail) + words(head))
    return {form for form in found if form}


def _ends_with(form: tuple[str, ...], cited: tuple[str, ...]) -> bool:
    return len(form) > len(cited) and form[-len(cited) :] == cited


def _contains(form: tuple[str, ...], cited: tuple[str, ...]) -> bool:
    size = len(cited)
    return any(form[i : i + size] == cited for i in range(len(form) - size + 1))


@dataclass(frozen=True, slots=True)
class TitleMatch:
    documents: tuple[Document, ...]  # one: resolved; several: ambiguous; none: not found
    tier: str = ""  # "title" | "end of title" | "part of title"


class TitleIndex:
    """The documents of a technical file by the titles a reader would cite them by."""

    def __init__(self, documents: Iterable[Document]) -> None:
        self._forms: list[tuple[Document, set[tuple[str, ...]]]] = []
        self._exact: dict[tuple[str, ...], list[Document]] = {}
        for document in documents:
            names = {document.title, document.h1 or "", document.id or ""}
            forms = set().union(*(_forms(name) for name in names if name))
            self._forms.append((document, forms))
            for form in forms:
                self._exact.setdefault(form, []).append(document)

    def match(self, cited: str) -> TitleMatch:
        if is_template_text(cited):
            return TitleMatch(())
        wanted = words(cited)
        if not wanted:
            return TitleMatch(())
        exact = _preferred(self._exact.get(wanted, []))
        if exact:
            return TitleMatch(exact, "title")
        if len(wanted) < MIN_PARTIAL_WORDS or " " not in cited.strip():
            return TitleMatch(())  # an id such as `SWR-14` is no part of a title
        for tier, test in (("end of title", _ends_with), ("part of title", _contains)):
            found = _preferred(
                [doc for doc, forms in self._forms if any(test(f, wanted) for f in forms)]
            )
            if found:
                return TitleMatch(found, tier)
        return TitleMatch(())


def _preferred(documents: list[Document]) -> tuple[Document, ...]:
    """Distinct documents, live ones only when any is live (an obsolete copy keeps its title)."""
    unique = list({id(d): d for d in documents}.values())
    live = [d for d in unique if d.active]
    return tuple(live or unique)
