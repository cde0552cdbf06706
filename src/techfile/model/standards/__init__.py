"""Standard editions (data/standards.yaml) and the standards a document cites.

- `table`: the table of editions and how one citation text is read against it;
- `citations`: where a document cites standards (front-matter, checklist columns, certificates,
  and the rest of the body);
- `text`: standards named in the body's running text and table cells;
- `near`: an unknown number one keystroke away from a known standard (`ISO 14941`).
"""

from __future__ import annotations

from techfile.model.standards.citations import (
    BODY,
    CERTIFICATE_TYPES,
    Citation,
    body_citations,
    citation_text,
    cited_standards,
)
from techfile.model.standards.near import KNOWN_NEIGHBOURS, NearMiss, near_miss
from techfile.model.standards.table import (
    Cited,
    Edition,
    StandardsTable,
    designation_core,
    is_european,
    squash,
    standards_table,
)
from techfile.model.standards.text import Mention, body_mentions

__all__ = [
    "BODY",
    "CERTIFICATE_TYPES",
    "KNOWN_NEIGHBOURS",
    "Citation",
    "Cited",
    "Edition",
    "Mention",
    "NearMiss",
    "StandardsTable",
    "body_citations",
    "body_mentions",
    "citation_text",
    "cited_standards",
    "designation_core",
    "is_european",
    "near_miss",
    "squash",
    "standards_table",
]
