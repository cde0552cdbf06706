"""Clause references and the clause registry (data/clauses/*.yaml).

Grammar of a clause reference, from left to right: an optional standard (national
prefixes `EN`, `BS EN`, `DIN EN`, `NF EN` ignored; organisation prefixes `ISO`, `IEC`,
`ISO/IEC`, `ISO/TR` ignored; edition after `:`; amendments written `+A11:2021` or
`/A11:2021`), then a clause number (`7.2`, `§ 5.1.1`, `Section 17.2`, `Annex F`, `F.2`)
with an optional lettered item (`7.2 a)`, `23.4(ab)`). The MDR's GSPRs are written
`MDR Annex I 17.2`, `Annex I, Section 17.2`, `GSPR 17.2` or `Regulation (EU) 2017/745 Annex I 17.2`.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from techfile.data.registry import load_data
from techfile.data.resources import bundled
from techfile.util.nearest import NearestIndex

MDR_FAMILY = "mdr-annex-i"
_CLAUSE_AT_END = re.compile(
    r"(?:^|\s)(?P<clause>(?:annex\s+)?(?:[A-HJ-Z]|\d+)(?:\.\d+)*)"
    r"(?:\s*\(?(?P<letter>[a-z]{1,2})\))?\s*$",
    re.IGNORECASE,
)
_NOISE_WORDS = re.compile(r"\b(?:section|clause|cl\.|sec\.|gspr)\b|§|,", re.IGNORECASE)
_MDR_HINT = re.compile(r"annex\s+i\b|\bmdr\b|2017/745|\bgspr\b", re.IGNORECASE)
_OTHER_ANNEX = re.compile(r"annex\s+(?!i\b)[ivx]+\b", re.IGNORECASE)  # MDR Annex II, XIV...
_NATIONAL = re.compile(r"^(?:(?:bs|din|nf|ön|önorm|une|sn|ds|sfs|ss|cei)\s+)?en\s+", re.IGNORECASE)
_ORG = re.compile(r"^(?:iso/iec|iso/tr|iec/tr|iso/ts|iec/ts|iso|iec|tr|en)\s+", re.IGNORECASE)
_AMD = re.compile(r"\s*[+/]\s*(?:amd|a)\s*(\d+)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ClauseRef:
    raw: str
    family: str | None  # registry key, None when the standard or edition is unknown
    number: str  # the standard's number as written, without prefixes ("81001-5-1")
    edition: str | None
    clause: str  # "7.2", "23.4(ab)", "F.1"


@dataclass(frozen=True, slots=True)
class Clause:
    family: str
    id: str
    title: str
    parent: str | None
    accepts: frozenset[str]
    supporting: frozenset[str]


@dataclass(frozen=True)
class Standard:
    family: str
    display: str  # e.g. "EN IEC 81001-5-1:2022"
    numbers: frozenset[str]
    editions: frozenset[str]
    complete: bool
    clauses: dict[str, Clause]


def core_number(text: str) -> str:
    """`BS EN ISO/IEC 27001` -> `27001`; `MDR Annex I` stays as it is."""
    text = _NATIONAL.sub("", text.strip())
    while True:
        stripped = _ORG.sub("", text)
        if stripped == text:
            return text.casefold().replace(" ", "")
        text = stripped


def normalise_edition(text: str | None) -> str | None:
    if not text:
        return None
    return _AMD.sub(lambda m: f"+A{m.group(1)}", text.strip()).replace(" ", "").casefold()


class ClauseRegistry:
    def __init__(self, standards: dict[str, Standard]) -> None:
        self.standards = standards
        self._near: dict[str, NearestIndex] = {}  # family -> its clause ids, built when asked
        self._by_number: dict[str, str] = {}
        for family, standard in standards.items():
            for number in standard.numbers:
                self._by_number[number] = family

    def parse(self, text: str, default_family: str | None = None) -> ClauseRef | None:
        """Read a clause reference; None when the text holds no clause number."""
        cleaned = " ".join(_NOISE_WORDS.sub(" ", text).split()).rstrip(".")
        match = _CLAUSE_AT_END.search(cleaned)
        if match is None:
            return None
        clause = re.sub(r"(?i)^annex\s+", "", match.group("clause")).upper()
        clause = clause if not clause[0].isalpha() else clause.upper()
        if match.group("letter"):
            clause += f"({match.group('letter').lower()})"
        standard_text = cleaned[: match.start("clause")].strip()
        if _OTHER_ANNEX.search(standard_text):
            return ClauseRef(text, None, standard_text, None, clause)  # not the GSPRs
        if _MDR_HINT.search(standard_text) or _MDR_HINT.search(text):
            return ClauseRef(text, MDR_FAMILY, "MDR Annex I", None, clause)
        if not standard_text:
            return ClauseRef(text, default_family, "", None, clause)
        number, _, edition = standard_text.partition(":")
        core = core_number(number)
        family = self._by_number.get(core)
        edition_key = normalise_edition(edition)
        if family and edition_key and edition_key not in self.standards[family].editions:
            family = None
        return ClauseRef(text, family, number.strip(), edition_key, clause)

    def family_of(self, standard_text: str) -> str | None:
        """The registry key of a standard named without a clause (`EN IEC 81001-5-1:2022`)."""
        if not standard_text.strip():
            return None
        if _MDR_HINT.search(standard_text):
            return MDR_FAMILY
        number, _, edition = standard_text.partition(":")
        family = self._by_number.get(core_number(number))
        edition_key = normalise_edition(edition)
        if family and edition_key and edition_key not in self.standards[family].editions:
            return None
        return family

    def lookup(self, ref: ClauseRef) -> Clause | None:
        if ref.family is None or ref.family not in self.standards:
            return None
        clauses = self.standards[ref.family].clauses
        if ref.clause in clauses:
            return clauses[ref.clause]
        parent, _, letter = ref.clause.partition("(")
        if letter and parent in clauses and not _has_lettered_children(clauses, parent):
            return clauses[parent]
        return None

    def is_unknown(self, ref: ClauseRef) -> bool:
        """True when the registry is complete for the standard and lacks the clause."""
        standard = self.standards.get(ref.family or "")
        return bool(standard and standard.complete and self.lookup(ref) is None)

    def suggest(self, ref: ClauseRef) -> str | None:
        """The clause of the same standard closest to `ref`. The registry is our own data (a
        few hundred clauses a standard), so this was bounded already; the index keeps each
        question bounded however large a registry grows."""
        standard = self.standards.get(ref.family or "")
        if standard is None:
            return None
        near = self._near.get(standard.family)
        if near is None:
            near = self._near[standard.family] = NearestIndex(standard.clauses)
        return near.suggest(ref.clause, cutoff=0.6)

    def display(self, ref: ClauseRef) -> str:
        standard = self.standards.get(ref.family or "")
        if standard is None:
            return ref.raw.strip()
        return f"{standard.display} {ref.clause}"


def _has_lettered_children(clauses: dict[str, Clause], parent: str) -> bool:
    return any(key.startswith(parent + "(") for key in clauses)


@functools.cache
def clause_registry() -> ClauseRegistry:
    standards: dict[str, Standard] = {}
    for path in sorted((bundled("data") / "clauses").glob("*.yaml")):
        data = load_data(f"clauses/{path.name}")
        family = data["key"]
        edition = normalise_edition(str(data["edition"]))
        editions = {edition} if edition else set()
        numbers = {core_number(str(name)) for name in data.get("names", [])}
        for equivalent in data.get("equivalent", []):
            number, _, eq_edition = str(equivalent).partition(":")
            numbers.add(core_number(number))
            if normalise_edition(eq_edition):
                editions.add(normalise_edition(eq_edition) or "")
        clauses = {
            str(entry["id"]): Clause(
                family,
                str(entry["id"]),
                str(entry.get("title", "")),
                str(entry["parent"]) if entry.get("parent") else None,
                frozenset(entry.get("accepts", [])),
                frozenset(entry.get("supporting", [])),
            )
            for entry in data["clauses"]
        }
        display = data.get("display") or (
            f"{data['standard']}:{data['edition']}" if family != MDR_FAMILY else "MDR Annex I"
        )
        standards[family] = Standard(
            family,
            display,
            frozenset(numbers),
            frozenset(editions),
            bool(data.get("complete")),
            clauses,
        )
    return ClauseRegistry(standards)
