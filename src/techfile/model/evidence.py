"""Evidence citations: which document is cited for which clause, and from where.

A document cites itself through `evidence_for`; a GSPR checklist row or a conformity-matrix
row cites the documents in its `evidence`. Every evidence rule reads citations and rows from
here.

Rows are read the way real checklists are written: a row whose number is only a letter
(`(a)`, `b)`) continues the last numbered row above it, so `(d)` under `14.2` is `14.2(d)`;
a trailing full stop (`17.2.`) is ignored; and placeholders (`-`, `n/a`, `TBD`) are empty.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from techfile.data.clauses import MDR_FAMILY, Clause, ClauseRef, ClauseRegistry
from techfile.data.schemas import Schema, flattened, item_schema, property_schema
from techfile.model.checklist import PLACEHOLDERS, ChecklistRow, Kind, read_checklist
from techfile.model.document import Document, Item
from techfile.model.finding import Location
from techfile.model.index import Index, may_hold, values_that_may_hold

ROW_TYPES = ("gspr-checklist", "conformity-matrix")
ROW_CLAUSE_FIELD = {"gspr-checklist": "gspr", "conformity-matrix": "clause"}
CLAUSE = "x-techfile-clause"  # the schema marker of a field that holds a clause reference
# `MDR Annex II 4`, `Annex IX`, `Article 10(9)`: MDR text that is not an Annex I GSPR
_OTHER_MDR_PART = re.compile(
    r"\bannex\s+(?!i\b)[ivxlc]+\b|\bart(?:icle|\.)\s*\d|\bappendix\b", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class Citation:
    citing: Document  # the document the citation is written in
    row: Item | None  # the GSPR / conformity-matrix row, None for `evidence_for`
    location: Location
    ref: ClauseRef
    clause: Clause | None  # None when the registry does not know the clause
    evidence: Document | None  # None when the cited id does not resolve
    evidence_text: str  # the citation as written


@dataclass(frozen=True, slots=True)
class Row:
    """A GSPR checklist or conformity-matrix row with its clause read."""

    document: Document
    item: Item
    field: str  # `gspr` or `clause`
    ref: ClauseRef
    clause: Clause | None  # None when the registry does not know the clause
    continued: bool  # the number was a bare letter completed from the row above
    indents: int = 0  # rows below it without a number that carry answers (`— ...` indents)

    @property
    def applicable(self) -> bool | None:
        """`applicable` as written: True, False, or None when absent or not a yes/no."""
        value = self.item.get("applicable")
        return value if isinstance(value, bool) else None

    @property
    def evidence(self) -> list[str]:
        """The evidence entries as written, placeholders left out."""
        texts = (evidence_text(entry) for entry in as_list(self.item.get("evidence")))
        return [t for t in texts if t is not None and not is_blank(t)]

    @property
    def standards(self) -> list[str]:
        texts = (_standard_text(entry) for entry in as_list(self.item.get("standards")))
        return [t for t in texts if not is_blank(t)]

    @property
    def justification(self) -> str | None:
        value = self.item.get("justification")
        return value.strip() if isinstance(value, str) and not is_blank(value) else None

    @property
    def clause_id(self) -> str:
        return self.clause.id if self.clause is not None else self.ref.clause

    def effective_applicable(self) -> bool | None:
        """What the row says about applicability. Without a yes/no, a row that names standards
        or evidence claims conformity (applicable), a row with only a justification explains
        why it does not apply, and a row with none of them says nothing (None)."""
        if self.applicable is not None:
            return self.applicable
        if self.evidence or self.standards:
            return True
        if self.justification:
            return False
        return None


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip().casefold() in PLACEHOLDERS
    if isinstance(value, (list, dict)):
        return not value
    return False


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def clause_text(value: Any) -> str | None:
    """A clause reference is a string or a `{standard, clause}` mapping."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and value.get("clause"):
        return f"{value.get('standard', '')} {value['clause']}".strip()
    return None


def evidence_text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("doc"), str):
        return str(value["doc"])
    return None


def parse_clause(
    registry: ClauseRegistry, text: str, default_family: str | None = None
) -> ClauseRef | None:
    """`registry.parse`, minus two misreadings: a trailing full stop (`17.2.`) is dropped, and
    MDR text that is not Annex I (`MDR Annex II 4`, `Article 10`) names no known clause.
    Technical files cite the same clauses again and again, so each text is read once."""
    return _parse_clause(registry, text, default_family)


@functools.lru_cache(maxsize=65536)
def _parse_clause(
    registry: ClauseRegistry, text: str, default_family: str | None
) -> ClauseRef | None:
    cleaned = text.strip().rstrip(".").strip()
    if not cleaned:
        return None
    ref = registry.parse(cleaned, default_family=default_family)
    if ref is not None and ref.family == MDR_FAMILY and _OTHER_MDR_PART.search(cleaned):
        return ClauseRef(ref.raw, None, ref.number, ref.edition, ref.clause)
    return ref


def rows(index: Index, registry: ClauseRegistry) -> Iterator[Row]:
    """Rows of every active GSPR checklist and conformity matrix whose clause can be read."""
    for document in index.documents:
        if document.active and document.type in ROW_TYPES:
            yield from document_rows(document, registry)


def document_rows(document: Document, registry: ClauseRegistry) -> list[Row]:
    """The GSPR or clause rows of one checklist or conformity matrix, in order, as
    model/checklist.py lays them out (a lettered row completed from the numbered row above it,
    the indents below a row counted, the tables of other parts left out)."""
    field = ROW_CLAUSE_FIELD.get(document.type or "")
    if field is None:
        return []
    if document.type == "gspr-checklist":
        family: str | None = MDR_FAMILY
    else:
        family = registry.family_of(_standard_text(document.meta.get("standard")))
    layout = read_checklist(document.items.get("rows", []), field, document.headings)
    refs: dict[int, ClauseRef] = {}
    found: list[Row] = []
    for position, place in enumerate(layout.rows):
        ref = _row_ref(registry, place, refs, family)
        if ref is None:
            continue
        refs[position] = ref
        indents = sum(
            1
            for other in layout.rows
            if other.parent == position and other.kind is Kind.CONTINUATION and other.answers
        )
        lettered = place.kind is Kind.LETTERED
        found.append(Row(document, place.item, field, ref, registry.lookup(ref), lettered, indents))
    return found


def _row_ref(
    registry: ClauseRegistry, place: ChecklistRow, refs: dict[int, ClauseRef], family: str | None
) -> ClauseRef | None:
    """The clause of a numbered or lettered GSPR row (`(d)` under 14.2 is 14.2(d))."""
    if not place.is_requirement or place.name is None:
        return None
    if place.kind is Kind.NUMBERED:
        return parse_clause(registry, place.name, family)
    above = refs.get(place.parent) if place.parent is not None else None
    if above is None:
        return None
    letter = place.name.rsplit("(", 1)[-1].rstrip(")")
    base = above.clause.split("(", 1)[0]
    raw = f"{above.raw.strip()} ({letter})"
    return ClauseRef(raw, above.family, above.number, above.edition, f"{base}({letter})")


def _standard_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("standard"), str):
        return str(value["standard"])
    return ""


def citations(index: Index, registry: ClauseRegistry) -> Iterator[Citation]:
    for document in index.documents:
        if not document.active:
            continue
        yield from _self_citations(document, registry)
        if document.type in ROW_TYPES:
            yield from _row_citations(index, registry, document)


def _self_citations(document: Document, registry: ClauseRegistry) -> Iterator[Citation]:
    entries = document.meta.get("evidence_for")
    if not isinstance(entries, list):
        return
    for position, entry in enumerate(entries):
        text = clause_text(entry)
        ref = parse_clause(registry, text) if text else None
        if ref is None:
            continue
        location = document.location("evidence_for", position)
        yield Citation(
            document,
            None,
            location,
            ref,
            registry.lookup(ref),
            document,
            document.id or document.path,
        )


def _row_citations(
    index: Index, registry: ClauseRegistry, document: Document
) -> Iterator[Citation]:
    for row in document_rows(document, registry):
        if row.applicable is False:
            continue
        for cited in row.evidence:
            resolution = index.resolve(cited, document, "any")  # `DOC:ITEM` names its document
            yield Citation(
                document,
                row.item,
                row.item.location_of("evidence"),
                row.ref,
                row.clause,
                resolution.document,
                cited,
            )


def row_citations(index: Index, row: Row) -> list[Citation]:
    """The row's evidence entries, resolved (whatever the row says about applicability)."""
    return [
        Citation(
            row.document,
            row.item,
            row.item.location_of("evidence"),
            row.ref,
            row.clause,
            index.resolve(cited, row.document, "any").document,
            cited,
        )
        for cited in row.evidence
    ]


@dataclass(frozen=True, slots=True)
class ClauseMention:
    """A clause reference written anywhere a schema expects one."""

    document: Document
    item: Item | None
    field: str  # dotted path, e.g. `evidence_for`, `waivers.clause`, `gspr`
    text: str
    ref: ClauseRef
    location: Location


def clause_mentions(index: Index, registry: ClauseRegistry) -> Iterator[ClauseMention]:
    """Every clause reference in the active documents: front-matter values and item fields
    whose schema says `x-techfile-clause`, with GSPR and conformity-matrix rows read as
    `rows()` reads them."""
    for document in index.documents:
        if not document.active or document.type is None:
            continue
        schema = flattened(f"types/{document.type}.schema.json")
        for key, value in values_that_may_hold(document.meta, schema, CLAUSE):
            if key in document.items:
                continue
            for path, text in _walk_clauses(value, property_schema(schema, key), (key,)):
                ref = parse_clause(registry, text)
                if ref is not None:
                    location = document.location(*path)
                    yield ClauseMention(document, None, _dotted(path), text, ref, location)
        row_field = ROW_CLAUSE_FIELD.get(document.type)
        for row in document_rows(document, registry) if row_field else ():
            location = row.item.location_of(row.field)
            written = clause_text(row.item.get(row.field)) or row.ref.raw
            yield ClauseMention(document, row.item, row.field, written, row.ref, location)
        for list_name, items in document.items.items():
            inner = item_schema(property_schema(schema, list_name))
            if not may_hold(inner, CLAUSE):
                continue
            for position, item in enumerate(items):
                for key, value in values_that_may_hold(item.fields, inner, CLAUSE):
                    if list_name == "rows" and key == row_field:
                        continue
                    for path, text in _walk_clauses(value, property_schema(inner, key), (key,)):
                        ref = parse_clause(registry, text)
                        if ref is None:
                            continue
                        line = item.lines.get(key, item.line)
                        if item.source == "front-matter":
                            line = document.line_of(list_name, position, *path)
                        location = Location(document.path, line, 0, document.id, item.id)
                        yield ClauseMention(document, item, _dotted(path), text, ref, location)


def _walk_clauses(
    value: Any, schema: Schema, path: tuple[str | int, ...]
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if not may_hold(schema, CLAUSE):
        return
    if schema.get(CLAUSE):
        text = clause_text(value)
        if text is not None and not is_blank(text):
            yield path, text
        return
    if isinstance(value, list):
        inner = item_schema(schema)
        for position, element in enumerate(value):
            yield from _walk_clauses(element, inner, (*path, position))
    elif isinstance(value, dict):
        for key, sub in value.items():
            yield from _walk_clauses(sub, property_schema(schema, str(key)), (*path, str(key)))


def _dotted(path: tuple[str | int, ...]) -> str:
    return ".".join([str(part) for part in path if not isinstance(part, int)])


def document_status(index: Index, document: Document, from_register: bool = False) -> str | None:
    """The document's status: its front-matter `status`, or with `approval-source = "register"`
    the status of its entry in a document register (one rule for it: model/register.py)."""
    from techfile.model.register import status_in_register

    return status_in_register(index, document) if from_register else document.status


def run_citations(ctx: Any) -> list[Citation]:
    """Every citation of the run, computed once and shared by the rules that read them."""
    found: list[Citation] = ctx.shared("citations", lambda: list(citations(ctx.index, ctx.clauses)))
    return found
