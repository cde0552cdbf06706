"""Which document says it implements which clause: read from the run's view, never from files.

Three ways a document says so, all read the same way for every standard:

- its own `evidence_for` (`ISO 13485:2016 4.2.4`, `EN IEC 81001-5-1:2022 5.1.1`);
- a conformity-matrix row that cites it for a clause;
- a table of its body headed `| <standard> Section | Document Section |`, the OpenRegulatory
  templates' way of saying which sections of a standard a document fulfils (`ISO
  13485:2016 Section`, `ISO 27001:2023 Section`): the number at the start of each row's cell.

ISO 13485 and ISO/IEC 27001 clauses are read with the registry of data/isms/
(`isms_clause_registry`); the product standards with the run's own clause registry.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from techfile.data.clauses import ClauseRegistry
from techfile.data.isms import isms_clause_registry
from techfile.model.document import Document
from techfile.model.evidence import citations
from techfile.model.table import Table, clean_cell
from techfile.model.view import RunView

_SECTION_HEADER = re.compile(r"^(?P<standard>.*\d.*?)\s+sections?$", re.IGNORECASE)
_LEADING_CLAUSE = re.compile(r"^\s*(?:annex\s+)?(?P<clause>(?:[A-HJ-Z]\.)?\d+(?:\.\d+)*)\b")


@dataclass(frozen=True, slots=True)
class Cited:
    """A document that says it implements a clause."""

    document: Document
    family: str  # registry key
    clause: str  # the registry's clause id
    how: str  # "evidence_for", "row of CM-001", "section table"
    line: int


class Citations:
    """Every citation of the run, by (registry key, clause)."""

    def __init__(self, found: list[Cited]) -> None:
        self.by_clause: dict[tuple[str, str], list[Cited]] = defaultdict(list)
        seen: set[tuple[str, str, str]] = set()
        for cited in sorted(found, key=lambda c: (c.document.path, c.line, c.clause)):
            key = (cited.family, cited.clause, cited.document.path)
            if key not in seen:  # one document, one clause: the first way it says so
                seen.add(key)
                self.by_clause[(cited.family, cited.clause)].append(cited)

    def of(self, family: str, clause: str, *, parents: bool = True) -> list[Cited]:
        """Citations of the clause, and with `parents` of the clauses above it (a procedure
        that implements 8.2 implements 8.2.4)."""
        found = list(self.by_clause.get((family, clause), ()))
        if parents:
            parts = clause.split(".")
            for depth in range(len(parts) - 1, 0, -1):
                found += self.by_clause.get((family, ".".join(parts[:depth])), ())
        return found


def read_citations(view: RunView) -> Citations:
    isms = isms_clause_registry()
    found: list[Cited] = []
    for registry in (view.clauses, isms):
        for citation in citations(view.index, registry):
            if citation.clause is None or citation.evidence is None:
                continue
            how = (
                "evidence_for"
                if citation.row is None
                else f"row {citation.ref.clause} of {citation.citing.label()}"
            )
            found.append(
                Cited(
                    citation.evidence,
                    citation.clause.family,
                    citation.clause.id,
                    how,
                    citation.location.line,
                )
            )
    for document in view.index.documents:
        if document.active:
            for table in document.tables:
                found += _section_table(document, table, (isms, view.clauses))
    return Citations(found)


def _section_table(
    document: Document, table: Table, registries: tuple[ClauseRegistry, ...]
) -> list[Cited]:
    """`| ISO 13485:2016 Section | Document Section |`: the clauses in the first such column."""
    for column, header in enumerate(table.headers):
        match = _SECTION_HEADER.match(clean_cell(header))
        if match is None:
            continue
        standard = match.group("standard")
        registry = next((r for r in registries if r.family_of(standard)), None)
        if registry is None:
            return []
        found = []
        for line, cells in table.rows:
            number = (
                _LEADING_CLAUSE.match(clean_cell(cells[column])) if column < len(cells) else None
            )
            ref = registry.parse(f"{standard} {number.group('clause')}") if number else None
            clause = registry.lookup(ref) if ref else None
            if clause is not None:
                found.append(Cited(document, clause.family, clause.id, "section table", line))
        return found
    return []
