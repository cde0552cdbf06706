"""Standard editions (data/standards.yaml) and the standards a document cites.

A citation is matched to an edition the way the clause registry reads standards: national
prefixes (`EN`, `BS EN`, `DIN EN` ...) and organisation prefixes (`ISO`, `IEC`, `ISO/IEC`,
`ISO/TR`) are set aside (`core_number`), and `+A11:2021`, `/A11:2021` and `+AMD1:2015` are one
amendment (`normalise_edition`). So `EN ISO 14971:2012`, `BS EN ISO 14971:2012` and
`ISO 14971:2012` name the same entry. Where the table lists an international edition and its
European adoption under the same number and year (`IEC 62304:2006`, `EN 62304:2006`), a
citation with `EN` takes the European entry. A corrigendum (`/AC:2012`, `/Cor 1:2014`) does not
change the edition. Spellings without a colon (`MDCG 2019-16 rev.1`, the FDA guidance titles)
match the table's aliases.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from techfile.data.clauses import core_number, normalise_edition
from techfile.data.registry import load_data
from techfile.model.document import Document
from techfile.model.finding import Location

CERTIFICATE_TYPES = ("isms-certificate", "qms-certificate", "hds-certificate")

_NATIONAL_BODIES = r"BS|DIN|NF|ÖNORM|OENORM|UNE|SN|DS|SFS|SS|CEI|PD|NEN|UNI|CSA|AS|I\.S\."
_ORGANISATIONS = (
    r"ISO/IEC/IEEE|ISO/IEC|IEC/ISO|ISO/TR|ISO/TS|ISO/PAS|IEC/TR|IEC/TS|IEC/PAS|ISO|IEC|IEEE|"
    r"ANSI/AAMI|ANSI|AAMI\s+TIR|AAMI|UL|ASTM|CLSI|ETSI\s+EN|ETSI|MDCG|IMDRF|NIST\s+SP|NIST|TIR"
)
# A standard's designation: optional national body, optional EN/CEN/CLC, an organisation (or
# EN alone), then the number (`14971`, `81001-5-1`, `2019-16`).
_DESIGNATION = re.compile(
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
_COLON_TEXT = re.compile(r"^\s*:\s*(?P<text>[^\s;,]+)")
_CORRIGENDUM = re.compile(r"/(?:ac|cor|corr)\d*(?::\d{4})?", re.IGNORECASE)
_NATIONAL_EN = re.compile(
    rf"^(?:(?:{_NATIONAL_BODIES})\s+)?(?:EN|CEN|CLC|CENELEC)(?:/TR|/TS)?\s", re.IGNORECASE
)
_SQUASH = re.compile(r"[\s.(),]+")
_NATIONAL_ONLY = re.compile(
    rf"^(?:{_NATIONAL_BODIES})\s+(?!(?:EN|CEN|CLC|CENELEC)\b)", re.IGNORECASE
)


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


@dataclass(frozen=True)
class Citation:
    """Where a document cites a standard."""

    document: Document
    field: str  # `standards`, `rows.standards`, `standard`, `certifies`
    text: str
    location: Location


class StandardsTable:
    def __init__(self, editions: list[Edition]) -> None:
        self.editions = editions
        self._by_key: dict[tuple[str, str], list[Edition]] = {}
        self._squashed: list[tuple[str, Edition]] = []
        self._cores: dict[str, list[Edition]] = {}
        for edition in editions:
            self._cores.setdefault(edition.core, []).append(edition)
            for spelling in (edition.ref, *edition.aliases):
                key = _colon_key(spelling)
                if key is not None:
                    self._by_key.setdefault(key, []).append(edition)
                else:
                    self._squashed.append((squash(spelling), edition))
        self._squashed.sort(key=lambda pair: -len(pair[0]))
        # designations without a number (the FDA guidance): `squash(name)` -> core
        self._named = {
            squash(e.core): e.core for e in editions if not any(ch.isdigit() for ch in e.core)
        }

    def by_ref(self, ref: str) -> Edition | None:
        found = self.read(ref)
        return found[0].edition if found else None

    def current(self, core: str, european: bool | None = None) -> list[Edition]:
        """The current editions of a standard, the European adoption first when `european`
        (else the international edition first)."""
        found = [e for e in self._cores.get(core, []) if not e.superseded]
        if european is None:
            return found
        return sorted(found, key=lambda e: e.european != european)

    def read(self, text: str) -> list[Cited]:
        """The standards named in one citation text (usually one)."""
        stripped = " ".join(text.split())
        if not stripped:
            return []
        squashed = squash(stripped)
        for key, named in self._squashed:
            if squashed.startswith(key) and _boundary(squashed, len(key)):
                return [Cited(stripped, None, named.core, named, True)]
        matches = list(_DESIGNATION.finditer(stripped))
        if not matches:
            return self._read_named(stripped)
        found = []
        for position, match in enumerate(matches):
            end = matches[position + 1].start() if position + 1 < len(matches) else len(stripped)
            tail = stripped[match.end() : end]
            designation = " ".join(match.group(0).split())
            core = designation_core(designation)
            european = is_european(designation)
            edition = self._edition(core, tail, european)
            versioned = edition is not None or bool(_EDITION_MARK.search(tail))
            year, unreadable = _edition_facts(tail)
            found.append(Cited(stripped, designation, core, edition, versioned, year, unreadable))
        return found

    def _read_named(self, text: str) -> list[Cited]:
        """A standard without a number, e.g. `FDA Premarket Cybersecurity Guidance:2014`."""
        number, colon, rest = text.partition(":")
        core = self._named.get(squash(number))
        if core is None:
            return []
        edition = self._edition(core, colon + rest, False)
        versioned = edition is not None or bool(_EDITION_MARK.search(colon + rest))
        year, unreadable = _edition_facts(colon + rest)
        return [Cited(text, number.strip(), core, edition, versioned, year, unreadable)]

    def _edition(self, core: str, tail: str, european: bool) -> Edition | None:
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

    @staticmethod
    def _choose(candidates: list[Edition], european: bool) -> Edition | None:
        for edition in candidates:
            if edition.european == european:
                return edition
        return candidates[0] if candidates else None


def is_european(designation: str) -> bool:
    """`EN ISO 14971`, `BS EN 62304`: a European adoption."""
    return bool(_NATIONAL_EN.match(" ".join(designation.split()) + " "))


def designation_core(designation: str) -> str:
    """`PD ISO/TR 24971` -> `24971`: `core_number`, after a national body's prefix that comes
    without `EN` (`PD`, `BS`, `DIN`)."""
    return core_number(_NATIONAL_ONLY.sub("", " ".join(designation.split())))


def _edition_facts(tail: str) -> tuple[int | None, str | None]:
    """The edition year written after a designation, or the text after a colon that is no
    year (`ISO 14971:219`)."""
    match = _EDITION.match(tail) or _YEAR_AFTER.match(tail)
    if match:
        return int(match.group(1)[:4]), None
    colon = _COLON_TEXT.match(tail)
    return None, colon.group("text") if colon else None


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
    match = _DESIGNATION.search(ref)
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


# --- where documents cite standards --------------------------------------------------------


def citation_text(value: Any) -> str | None:
    """A standard reference: a string, or a mapping `{standard, edition}` (also `ref`/`name`
    for the standard and `version`/`year` for the edition)."""
    if isinstance(value, str):
        return value if value.strip() else None
    if not isinstance(value, dict):
        return None
    name = next(
        (value[k] for k in ("standard", "ref", "name") if isinstance(value.get(k), str)), ""
    )
    if not name.strip():
        return None
    edition = next(
        (value[k] for k in ("edition", "version", "year") if isinstance(value.get(k), (str, int))),
        None,
    )
    if edition is not None and str(edition).strip() and ":" not in name:
        return f"{name.strip()}:{str(edition).strip()}"
    return name.strip()


def _listed(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def cited_standards(document: Document, certificates: bool = False) -> Iterator[Citation]:
    """Every standard the document cites: its `standards` list, a GSPR checklist's row
    `standards`, a conformity matrix's `standard`, and with `certificates` a certificate's
    `certifies`."""
    for position, entry in enumerate(_listed(document.meta.get("standards"))):
        text = citation_text(entry)
        if text is not None:
            path: tuple[str | int, ...] = ("standards", position)
            if not isinstance(document.meta.get("standards"), list):
                path = ("standards",)
            yield Citation(document, "standards", text, document.location(*path))
    if document.type == "gspr-checklist":
        for item in document.items.get("rows", []):
            for entry in _listed(item.get("standards")):
                text = citation_text(entry)
                if text is not None:
                    yield Citation(document, "rows.standards", text, item.location_of("standards"))
    if document.type == "conformity-matrix":
        text = citation_text(document.meta.get("standard"))
        if text is not None:
            yield Citation(document, "standard", text, document.location("standard"))
    if certificates and document.type in CERTIFICATE_TYPES:
        text = citation_text(document.meta.get("certifies"))
        if text is not None:
            yield Citation(document, "certifies", text, document.location("certifies"))
