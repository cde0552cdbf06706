"""The ISMS data of `techfile overlap` and of the IS rules: the ISO/IEC 27001:2022 and
ISO 13485:2016 clause registries (data/isms/), the crosswalks (data/crosswalks/) and the reading
of Annex A control ids.

These registries are loaded here, into a clause registry of their own, and never into
`clause_registry()`: a registry in data/clauses/ makes every citation of its standard resolve,
and the evidence rules would then judge ISMS documents cited for ISMS clauses (data/NOTES.md,
"Why data/isms/ and not data/clauses/"). Nothing here changes what the other rules see.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from techfile.data.clauses import (
    Clause,
    ClauseRegistry,
    Standard,
    core_number,
    normalise_edition,
)
from techfile.data.registry import load_data
from techfile.data.resources import bundled

TARGETS = {"iso-iec-27001:2022": "ISO/IEC 27001:2022"}  # what `techfile overlap` measures
DEFAULT_TARGET = "iso-iec-27001:2022"

ISMS_27001 = "iso-iec-27001"
QMS_13485 = "iso-13485"
ANNEX_A_2013_TO_2022 = "iso-iec-27001-2013--2022-annex-a"
THEME_ORDER = ("organisational", "people", "physical", "technological")
RELATIONSHIPS = ("equivalent", "partial", "supports", "none")

# `A.8.8`, `A 8.8`, `Annex A 8.8`, `A.08.08`, and in a Statement of Applicability also the bare
# `8.8` (an SoA lists nothing but Annex A controls). Two numbers: the 2022 numbering (themes 5
# to 8); three: the 2013 numbering (domains 5 to 18).
_CONTROL = re.compile(
    r"^\s*(?:annex\s*)?(?:a\s*[.\s]?\s*)?(?P<numbers>\d{1,2}(?:\s*\.\s*\d{1,2}){1,2})\.?\s*$",
    re.IGNORECASE,
)
_EDITION = re.compile(r"27001\s*:\s*(?P<year>\d{4})")
# EN ISO/IEC 27001:2023 adopts the 2022 text; EN ISO/IEC 27001:2017 adopted the 2013 text.
_EDITION_OF_YEAR = {"2022": "2022", "2023": "2022", "2024": "2022", "2013": "2013", "2017": "2013"}
_STILL_NEEDED = re.compile(r"Still needed:\s*(?P<rest>.+)$", re.DOTALL)


@dataclass(frozen=True, slots=True)
class IsmsEntry:
    """A clause, heading or Annex A control of an ISMS registry, in registry order."""

    id: str
    title: str
    parent: str | None
    theme: str | None  # organisational | people | physical | technological (controls only)
    leaf: bool  # no entry names it as its parent

    @property
    def is_control(self) -> bool:
        return self.theme is not None and self.leaf


@dataclass(frozen=True, slots=True)
class CrosswalkRow:
    source: str  # the `from` clause id
    source_registry: str  # registry key of `from` (the file's, or the row's `from_registry`)
    target: str  # the `to` clause id
    relationship: str  # equivalent | partial | supports | none
    confidence: str  # high | medium | low
    note: str

    @property
    def still_needed(self) -> str | None:
        """For a `partial` row: what the note says is still needed."""
        match = _STILL_NEEDED.search(self.note)
        return " ".join(match.group("rest").split()) if match else None


@dataclass(frozen=True)
class Crosswalk:
    key: str
    title: str
    source_standard: str  # e.g. "ISO 13485:2016"
    source_registry: str | None
    target_registry: str | None
    provenance: str
    verification: str
    rows: tuple[CrosswalkRow, ...]
    unmatched_to: tuple[str, ...]

    def rows_to(self, target: str) -> tuple[CrosswalkRow, ...]:
        return tuple(row for row in self.rows if row.target == target)

    def rows_from(self, source: str) -> tuple[CrosswalkRow, ...]:
        return tuple(row for row in self.rows if row.source == source)


def _registry_files() -> list[str]:
    return [p.name for p in sorted((bundled("data") / "isms").glob("*.yaml"))]


@functools.cache
def _registry_data() -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for name in _registry_files():
        data = load_data(f"isms/{name}")
        found[str(data["key"])] = data
    return found


def _standard(data: dict[str, Any]) -> Standard:
    """A Standard as `clause_registry()` builds one from data/clauses/, from a data/isms/ file."""
    family = str(data["key"])
    edition = normalise_edition(str(data["edition"]))
    editions = {edition} if edition else set()
    numbers = {core_number(str(name)) for name in data.get("names", [])}
    for equivalent in data.get("equivalent", []):
        number, _, eq_edition = str(equivalent).partition(":")
        numbers.add(core_number(number))
        normalised = normalise_edition(eq_edition)
        if normalised:
            editions.add(normalised)
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
    display = f"{data['standard']}:{data['edition']}"
    return Standard(
        family,
        display,
        frozenset(numbers),
        frozenset(editions),
        bool(data.get("complete")),
        clauses,
    )


@functools.cache
def isms_clause_registry() -> ClauseRegistry:
    """A clause registry of ISO/IEC 27001:2022 and ISO 13485:2016 only (data/isms/): reads
    `ISO/IEC 27001:2022 6.1.3` or `ISO 13485:2016 4.2.4`, beside, never inside, the registry
    the rules read."""
    return ClauseRegistry({key: _standard(data) for key, data in _registry_data().items()})


def standard_display(key: str) -> str:
    """`ISO/IEC 27001:2022` for `iso-iec-27001`."""
    standard = isms_clause_registry().standards.get(key)
    return standard.display if standard else key


@functools.cache
def isms_entries(key: str) -> tuple[IsmsEntry, ...]:
    """The entries of a data/isms/ registry, in the order of the file."""
    data = _registry_data()[key]
    parents = {str(e["parent"]) for e in data["clauses"] if e.get("parent")}
    return tuple(
        IsmsEntry(
            str(entry["id"]),
            str(entry.get("title", "")),
            str(entry["parent"]) if entry.get("parent") else None,
            str(entry["theme"]) if entry.get("theme") else None,
            str(entry["id"]) not in parents,
        )
        for entry in data["clauses"]
    )


@functools.cache
def annex_a_controls() -> tuple[str, ...]:
    """The ids of the 93 controls of ISO/IEC 27001:2022 Annex A, in registry order."""
    return tuple(entry.id for entry in isms_entries(ISMS_27001) if entry.is_control)


@functools.cache
def crosswalks() -> dict[str, Crosswalk]:
    """Every data/crosswalks/ file, by key."""
    found: dict[str, Crosswalk] = {}
    for path in sorted((bundled("data") / "crosswalks").glob("*.yaml")):
        data = load_data(f"crosswalks/{path.name}")
        source = data["from"]
        own = source.get("registry")
        rows = tuple(
            CrosswalkRow(
                str(row["from"]),
                str(row.get("from_registry") or own or ""),
                str(row["to"]),
                str(row["relationship"]),
                str(row["confidence"]),
                " ".join(str(row["note"]).split()),
            )
            for row in data["rows"]
        )
        found[str(data["key"])] = Crosswalk(
            key=str(data["key"]),
            title=str(data["title"]),
            source_standard=f"{source['standard']}:{source['edition']}",
            source_registry=str(own) if own else None,
            target_registry=data["to"].get("registry"),
            provenance=" ".join(str(data["provenance"]).split()),
            verification=" ".join(str(data["verification"]).split()),
            rows=rows,
            unmatched_to=tuple(str(i) for i in data.get("unmatched_to", [])),
        )
    return found


def crosswalks_into(target_registry: str) -> list[Crosswalk]:
    """The crosswalks whose rows lead to clauses of this registry from another standard (the
    renumbering of the standard itself, whose `from` has no registry, is not one of them)."""
    return [
        walk
        for walk in crosswalks().values()
        if walk.target_registry == target_registry
        and walk.source_registry is not None
        and walk.source_registry != target_registry
    ]


# --- Annex A control ids ---------------------------------------------------------------------


def control_id(text: object) -> str | None:
    """An Annex A control id as written (`A.8.8`, `A 8.8`, `8.8`, `A.12.6.1`), normalised to
    `A.8.8` / `A.12.6.1`; None when the text is no control id of either numbering."""
    if not isinstance(text, str):
        return None
    match = _CONTROL.match(text)
    if match is None:
        return None
    numbers = [str(int(part)) for part in re.split(r"\s*\.\s*", match.group("numbers"))]
    return "A." + ".".join(numbers)


def is_2013_numbering(control: str) -> bool:
    """Three numbers (`A.12.6.1`): the numbering of ISO/IEC 27001:2013 Annex A."""
    return control.count(".") == 3


def successors_2022(control_2013: str) -> tuple[CrosswalkRow, ...]:
    """The ISO/IEC 27001:2022 controls a 2013 control became (ISO/IEC 27002:2022 Annex B): one
    row for a renumbered control, two for A.18.2.3, none for an id 2013 did not have."""
    walk = crosswalks().get(ANNEX_A_2013_TO_2022)
    return walk.rows_from(control_2013) if walk else ()


def claimed_edition(texts: list[str]) -> str | None:
    """The ISO/IEC 27001 edition a document claims (`2022` or `2013`) from texts that name
    the standard (its `standards`, title, table headers), None when they name none or both."""
    found: set[str] = set()
    for text in texts:
        for match in _EDITION.finditer(text):
            edition = _EDITION_OF_YEAR.get(match.group("year"))
            if edition:
                found.add(edition)
    return found.pop() if len(found) == 1 else None
