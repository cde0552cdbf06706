"""The opt-in variant with dangling references (`generate.py --dangling N`).

N references cite an id that resolves to nothing: a near miss of an id the same field already
cites (two digits swapped, `TR-0004:TC-012` -> `TR-0004:TC-021`, or a digit doubled when the swap
exists, `TC-0122`). Each one is added beside the real references, so every trace of the default
tree is still there and `techfile check` reports exactly N findings, all ID002 "dangling
reference", each with a "did you mean" suggestion. That keeps the cost of looking for close ids
visible in the benchmark (the default tree has no dangling reference, so it never pays it).

The places rotate through requirement and test reference fields, security fields and a SOUP
list's references, in the order of `SITES`, so N = 9 puts one in each. The choices come from a
generator of their own, so the rest of the tree and its history are those of the default tree.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from random import Random
from typing import TYPE_CHECKING, Any

from .model import Doc

if TYPE_CHECKING:
    from .technical_file import Generator


@dataclass(frozen=True)
class DanglingReference:
    """A reference that resolves to nothing, and the real id it is a near miss of."""

    path: str
    field: str  # e.g. "verified_by of SWR-014"
    value: str
    near: str


@dataclass(frozen=True)
class Site:
    """A kind of place where a reference can be cited: a list of references in a document's
    items (`items` names the item list) or in the document itself (`items` is None)."""

    doc_type: str
    items: str | None
    field: str

    def places(self, gen: Generator) -> Iterator[tuple[Doc, str, list[str]]]:
        """(document, label, the list of references) for every non-empty list of this kind."""
        for doc in gen.by_type.get(self.doc_type, []):
            if self.items is None:
                refs = doc.references if self.field == "references" else doc.data[self.field]
                if refs:
                    yield doc, self.field, refs
                continue
            for item in doc.data[self.items]:
                if item[self.field]:
                    yield doc, f"{self.field} of {item['id']}", item[self.field]


SITES = [
    Site("software-requirements", "reqs", "verified_by"),
    Site("test-report", "tests", "covers"),
    Site("security-requirements", "reqs", "verified_by"),
    Site("security-test-report", "tests", "covers"),
    Site("threat-model", "threats", "risk_refs"),
    Site("threat-model", "mitigations", "verified_by"),
    Site("security-risk-assessment", "entries", "controls"),
    Site("it-security-requirements", None, "mitigations"),
    Site("soup-list", None, "references"),
]


def add_dangling_references(gen: Generator, count: int) -> list[DanglingReference]:
    """Cite `count` ids that resolve to nothing, one site after the other; none for 0."""
    if count < 0:
        raise ValueError("--dangling must be 0 or more")
    if count == 0:
        return []
    rng = Random(f"{gen.seed}-dangling")
    ids_in = item_ids_by_document(gen)
    cited: list[DanglingReference] = []
    for k in range(count):
        site = SITES[k % len(SITES)]
        invented = {c.value for c in cited}
        cited.append(cite_near_miss(rng, site, list(site.places(gen)), ids_in, invented))
    return cited


def cite_near_miss(
    rng: Random,
    site: Site,
    places: list[tuple[Doc, str, list[str]]],
    ids_in: dict[str, set[str]],
    invented: set[str],
) -> DanglingReference:
    """Add a near miss of a real reference to its list (`invented`: the near misses cited so
    far, which are neither copied nor cited twice)."""
    if not places:
        raise ValueError(
            f"--dangling: this technical file has no {site.doc_type} document with "
            f"{site.field} to cite a dangling reference in; generate more documents"
        )
    doc, label, refs = rng.choice(places)
    real = rng.choice([r for r in refs if r not in invented])
    value = near_miss(real, taken_by(real, ids_in), invented)
    refs.append(value)
    return DanglingReference(doc.path, label, value, real)


def item_ids_by_document(gen: Generator) -> dict[str, set[str]]:
    """The ids of every item in each document, by document id ("" holds the document ids)."""
    found: dict[str, set[str]] = {"": {doc.id for doc in gen.docs}}
    for doc in gen.docs:
        found[doc.id] = {item["id"] for item in items_of(doc) if "id" in item}
    return found


def items_of(doc: Doc) -> Iterator[dict[str, Any]]:
    for value in doc.data.values():
        if isinstance(value, list):
            yield from (entry for entry in value if isinstance(entry, dict))


def taken_by(reference: str, ids_in: dict[str, set[str]]) -> set[str]:
    """The ids a near miss of `reference` must avoid: the items of the document a qualified
    `DOC:ITEM` names, else every document id and item id."""
    doc_id, _, _ = reference.rpartition(":")
    if doc_id:
        return ids_in.get(doc_id, set())
    return set().union(*ids_in.values())


def near_miss(reference: str, taken: set[str], invented: set[str]) -> str:
    """A typo of `reference` whose id (after the document part) is not in `taken` and which is
    not `invented` yet: its last two digits swapped, else its last digit doubled until it is
    free."""
    doc_id, colon, own = reference.rpartition(":")
    for candidate in typos(own):
        typo = f"{doc_id}{colon}{candidate}"
        if candidate != own and candidate not in taken and typo not in invented:
            return typo
    raise AssertionError("typos() never ends")  # pragma: no cover


def typos(identifier: str) -> Iterator[str]:
    swapped = re.sub(r"(\d)(\d)$", r"\2\1", identifier)
    yield swapped
    doubled = identifier
    while True:
        doubled += doubled[-1]
        yield doubled
