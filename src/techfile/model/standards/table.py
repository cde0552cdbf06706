"""The table of editions (data/standards.yaml) and how a citation text is read against it.

A citation is matched to an edition the way the clause registry reads standards: national
prefixes (`EN`, `BS EN`, `DIN EN` ...) and organisation prefixes (`ISO`, `IEC`, `ISO/IEC`,
`ISO/TR`) are set aside (`core_number`), and `+A11:2021`, `/A11:2021` and `+AMD1:2015` are one
amendment (`normalise_edition`). So `EN ISO 14971:2012`, `BS EN ISO 14971:2012` and
`ISO 14971:2012` name the same entry. Where the table lists an international edition and its
European adoption under the same number and year (`IEC 62304:2006`, `EN 62304:2006`), a
citation with `EN` takes the European entry. A corrigendum (`/AC:2012`, `/Cor 1:2014`) does not
change the edition. Documents without a number (the FDA guidance, the HDS référentiel) are read
through the table's aliases: `HDS:2018`, `FDA Premarket Cybersecurity Guidance 2014`.
"""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass
from typing import Any

from techfile.data.clauses import core_number, normalise_edition
from techfile.data.registry import load_data

_NATIONAL_BODIES = r"BS|DIN|NF|ÖNORM|OENORM|UNE|SN|DS|SFS|SS|CEI|PD|NEN|UNI|CSA|AS|I\.S\."
_ORGANISATIONS = (
    r"ISO/IEC/IEEE|ISO/IEC|IEC/ISO|ISO/TR|ISO/TS|ISO/PAS|IEC/TR|IEC/TS|IEC/PAS|ISO|IEC|IEEE|"
    r"ANSI/AAMI|ANSI|AAMI\s+TIR|AAMI|UL|ASTM|CLSI|ETSI\s+EN|ETSI|MDCG|IMDRF|NIST\s+SP|NIST|TIR"
)
# A standard's designation: optional national body, optional EN/CEN/CLC, an organisation (or
# EN alone), then the number (`14971`, `81001-5-1`, `2019-16`).
DESIGNATION = re.compile(
    rf"(?<![\w/])(?P<prefix>(?:(?:{_NATIONAL_BODIES})\s+)?"
    rf"(?:(?:(?:EN|CEN|CLC|CENELEC)(?:/TR|/TS)?\s+(?:(?:{_ORGANISATIONS})\s*)?)|(?:{_ORGANISATIONS})\s*))"
    r"(?P<number>\d+(?:-\d+)*)(?![\w])",
    re.IGNORECASE,
)
_EDITION = re.compile(
    r"^\s*:\s*(?P<edition>\d{4}(?:\s*[+/]\s*(?:amendment|amd|am|ac|corr|cor|a)\s*\.?\s*\d*"
    r"(?:\s*:\s*\d{4})?)*)",
    re.IGNORECASE,
)
_YEAR_AFTER = re.compile(r"^\s*[(,]?\s*(?P<year>(?:19|20)\d{2})\b")
_EDITION_MARK = re.compile(
    r"^\s*:\s*\d{4}|\b(?:19|20)\d{2}\b|\b(?:rev|revision|ed|edition|version|amd|amendment)"
    r"\.?\s*\d|[+/]\s*(?:a|amd|ac|cor)\s*\d",
    re.IGNORECASE,
)
# what follows a colon when it is no year: `219` of `ISO 14971:219`. A colon followed by words
# (`ISO 14971: Medical devices ...`) is a title, not an edition.
_COLON_TEXT = re.compile(r"^\s*:\s*(?P<text>\d[^\s;,|<)]*)")
_CORRIGENDUM = re.compile(r"/(?:ac|cor|corr)\d*(?::\d{4})?", re.IGNORECASE)
_NATIONAL_EN = re.compile(
    rf"^(?:(?:{_NATIONAL_BODIES})\s+)?(?:EN|CEN|CLC|CENELEC)(?:/TR|/TS)?\s", re.IGNORECASE
)
_SQUASH = re.compile(r"[\s.(),]+")
_NATIONAL_ONLY = re.compile(
    rf"^(?:{_NATIONAL_BODIES})\s+(?!(?:EN|CEN|CLC|CENELEC)\b)", re.IGNORECASE
)
_LETTER_DIGIT = re.compile(r"(?<=[A-Za-z])(?=\d)")
_TAIL = 48  # characters after a designation in running text that may hold its edition


def squash(text: str) -> str:
    return _SQUASH.sub("", text.casefold())


@dataclass(frozen=True)
class Edition:
    """One row of data/standards.yaml."""

    ref: str
    family: str
    superseded_on: datetime.date | None
    superseded_by: str | None
    withdrawn_for_certification_on: datetime.date | None
    aliases: tuple[str, ...]
    note: str
    core: str  # the designation without prefixes and edition, e.g. `14971`

    @property
    def superseded(self) -> bool:
        return self.superseded_on is not None

    @property
    def european(self) -> bool:
        return is_european(self.ref)

    @property
    def named(self) -> bool:
        """A document without a standard number (the FDA guidance, the HDS référentiel)."""
        return not any(ch.isdigit() for ch in self.core)


@dataclass(frozen=True)
class Cited:
    """A standard as a document cites it."""

    text: str  # the citation as written (the whole entry)
    designation: str | None  # e.g. `EN ISO 14971`; None when no standard number was found
    core: str | None  # e.g. `14971`
    edition: Edition | None  # the table entry it names, None when unknown
    versioned: bool  # it names an edition (a year, a revision, an amendment)
    year: int | None = None  # the edition's year as written (`:2019`, `(2019)`)
    unreadable: str | None = None  # what follows a colon when it is no year (`219` of `:219`)


class StandardsTable:
    def __init__(self, editions: list[Edition]) -> None:
        self.editions = editions
        self._by_key: dict[tuple[str, str], list[Edition]] = {}
        self._squashed: list[tuple[str, Edition]] = []
        self._cores: dict[str, list[Edition]] = {}
        self._by_ref = {edition.ref: edition for edition in editions}
        # documents without a number: `squash(name)` -> core, for `NAME:EDITION` spellings
        self.named: dict[str, str] = {squash(e.core): e.core for e in editions if e.named}
        for edition in editions:
            self._cores.setdefault(edition.core, []).append(edition)
            for spelling in (edition.ref, *edition.aliases):
                self._add_spelling(edition, spelling)
        self._squashed.sort(key=lambda pair: -len(pair[0]))

    def _add_spelling(self, edition: Edition, spelling: str) -> None:
        key = _colon_key(spelling)
        if key is None:
            self._squashed.append((squash(spelling), edition))
            return
        if edition.named:  # `HDS:2018` names the entry whose core is `hdsréférentiel`
            self.named.setdefault(squash(spelling.partition(":")[0]), edition.core)
            key = (edition.core, key[1])
        self._by_key.setdefault(key, []).append(edition)

    def by_ref(self, ref: str) -> Edition | None:
        known = self._by_ref.get(ref)
        if known is not None:
            return known
        found = self.read(ref)
        return found[0].edition if found else None

    def current(self, core: str, european: bool | None = None) -> list[Edition]:
        """The current editions of a standard, the European adoption first when `european`
        (else the international edition first)."""
        found = [e for e in self._cores.get(core, []) if not e.superseded]
        if european is None:
            return found
        return sorted(found, key=lambda e: e.european != european)

    def cores(self) -> frozenset[str]:
        return frozenset(self._cores)

    def of_core(self, core: str) -> list[Edition]:
        return list(self._cores.get(core, []))

    def successors(self, edition: Edition) -> list[Edition]:
        """The editions that replaced this one, in order (`2014` -> `2023` -> `2025` ...)."""
        found: list[Edition] = []
        following = edition.superseded_by
        while following:
            successor = self._by_ref.get(following)
            if successor is None or successor in found or successor is edition:
                break
            found.append(successor)
            following = successor.superseded_by
        return found

    def read(self, text: str) -> list[Cited]:
        """The standards named in one citation text (usually one)."""
        stripped = " ".join(text.split())
        if not stripped:
            return []
        squashed = squash(stripped)
        for key, named in self._squashed:
            if squashed.startswith(key) and _boundary(squashed, len(key)):
                return [Cited(stripped, None, named.core, named, True)]
        matches = list(DESIGNATION.finditer(stripped))
        if not matches:
            return self._read_named(stripped)
        found = []
        for position, match in enumerate(matches):
            end = matches[position + 1].start() if position + 1 < len(matches) else len(stripped)
            found.append(self.designation(stripped, match, stripped[match.end() : end]))
        return found

    def designation(self, text: str, match: re.Match[str], tail: str) -> Cited:
        """A designation found by DESIGNATION, read with the text after it (`tail`)."""
        designation = " ".join(match.group(0).split())
        core = designation_core(designation)
        edition = self.edition(core, tail, is_european(designation))
        versioned = edition is not None or bool(_EDITION_MARK.search(tail))
        year, unreadable = _edition_facts(tail)
        return Cited(text, designation, core, edition, versioned, year, unreadable)

    def _read_named(self, text: str) -> list[Cited]:
        """A standard without a number, e.g. `FDA Premarket Cybersecurity Guidance:2014`."""
        number, colon, rest = text.partition(":")
        core = self.named.get(squash(number))
        if core is None:
            return []
        edition = self.edition(core, colon + rest, False)
        versioned = edition is not None or bool(_EDITION_MARK.search(colon + rest))
        year, unreadable = _edition_facts(colon + rest)
        return [Cited(text, number.strip(), core, edition, versioned, year, unreadable)]

    def edition(self, core: str, tail: str, european: bool) -> Edition | None:
        match = _EDITION.match(tail)
        if match:
            written = normalise_edition(match.group("edition")) or ""
            for key in (written, _CORRIGENDUM.sub("", written)):
                chosen = self._choose(self._by_key.get((core, key), []), european)
                if chosen is not None:
                    return chosen
            return None
        year = _YEAR_AFTER.match(tail)
        if year:
            return self._choose(self._by_key.get((core, year.group("year")), []), european)
        return None

    def edition_of_year(self, core: str, year: str) -> Edition | None:
        return self._choose(self._by_key.get((core, year), []), False)

    @staticmethod
    def _choose(candidates: list[Edition], european: bool) -> Edition | None:
        for edition in candidates:
            if edition.european == european:
                return edition
        return candidates[0] if candidates else None


def edition_tail(text: str, start: int, end: int) -> str:
    """The text after a designation in running text that may hold its edition: up to the next
    designation, at most `_TAIL` characters."""
    return text[start : min(end, start + _TAIL)]


def is_european(designation: str) -> bool:
    """`EN ISO 14971`, `BS EN 62304`: a European adoption."""
    return bool(_NATIONAL_EN.match(" ".join(designation.split()) + " "))


def designation_core(designation: str) -> str:
    """`PD ISO/TR 24971` -> `24971`: `core_number`, after a national body's prefix that comes
    without `EN` (`PD`, `BS`, `DIN`); `ISO14971`, written without a space, is `14971` too."""
    spaced = _LETTER_DIGIT.sub(" ", " ".join(designation.split()))
    return core_number(_NATIONAL_ONLY.sub("", spaced))


def _edition_facts(tail: str) -> tuple[int | None, str | None]:
    """The edition year written after a designation, or the digits after a colon that are no
    year (`ISO 14971:219`)."""
    match = _EDITION.match(tail) or _YEAR_AFTER.match(tail)
    if match:
        return int(match.group(1)[:4]), None
    colon = _COLON_TEXT.match(tail)
    return None, colon.group("text").rstrip(".") if colon else None


def _boundary(squashed: str, end: int) -> bool:
    """An alias matched up to `end` is not the start of a longer number (`rev.1` vs `rev.10`)."""
    return end >= len(squashed) or not (squashed[end].isdigit() and squashed[end - 1].isdigit())


def _colon_key(spelling: str) -> tuple[str, str] | None:
    """(core, normalised edition) of `NUMBER:EDITION`, None when it is not written so."""
    number, colon, rest = spelling.partition(":")
    match = _EDITION.match(colon + rest) if colon else None
    if not match or match.end() != len(colon + rest.rstrip()):
        return None
    return designation_core(number), normalise_edition(match.group("edition")) or ""


def _edition_core(ref: str) -> str:
    match = DESIGNATION.search(ref)
    if match:
        return designation_core(match.group(0))
    number = ref.partition(":")[0]
    return core_number(number)


def _date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and value:
        return datetime.date.fromisoformat(value)
    return None


@functools.cache
def standards_table() -> StandardsTable:
    data = load_data("standards.yaml")
    editions = [
        Edition(
            ref=str(entry["ref"]),
            family=str(entry["family"]),
            superseded_on=_date(entry.get("superseded_on")),
            superseded_by=entry.get("superseded_by"),
            withdrawn_for_certification_on=_date(entry.get("withdrawn_for_certification_on")),
            aliases=tuple(str(a) for a in entry.get("aliases", []) or []),
            note=str(entry.get("note", "")),
            core=_edition_core(str(entry["ref"])),
        )
        for entry in data["editions"]
    ]
    return StandardsTable(editions)
