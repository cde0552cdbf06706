"""Whether a waiver's `item` and `clause` name a finding's item and clause.

docs/model.md promises one reading of ids and clauses everywhere: an item is named by its id,
by `DOC-ID:ITEM-ID`, or (for what a whole document says) by the document's id; a clause by any
spelling the clause registry reads as the same clause (`GSPR 17.2`, `MDR Annex I 17.2`,
`Annex I, Section 17.2`). Matching is exact: `5.1.1` never names `5.1.12`.
"""

from __future__ import annotations

import functools

from techfile.data.clauses import clause_registry
from techfile.model.finding import Location


def names_item(location: Location, item: str) -> bool:
    wanted = item.strip()
    if location.item_id is not None:
        if wanted == location.item_id:
            return True
        if location.doc_id and wanted == f"{location.doc_id}:{location.item_id}":
            return True
    return location.doc_id is not None and wanted == location.doc_id


def names_clause(finding_clause: str | None, waiver_clause: str) -> bool:
    """A clause written without its standard (`17.2`) names that clause of any standard."""
    if not finding_clause:
        return False
    found, wanted = _clause_key(finding_clause), _clause_key(waiver_clause)
    if wanted[0] == "" and wanted[1] == found[1]:
        return True
    return found == wanted


@functools.lru_cache(maxsize=4096)
def _clause_key(text: str) -> tuple[str | None, str]:
    """(standard, clause): the standard is "" when the text names none, None when techfile
    does not know it (then the whole text has to agree)."""
    ref = clause_registry().parse(text)
    if ref is None:
        return (None, " ".join(text.split()).casefold())
    if ref.family is None:
        if ref.number:
            return (None, " ".join(text.split()).casefold())
        return ("", ref.clause)
    return (ref.family, ref.clause)
