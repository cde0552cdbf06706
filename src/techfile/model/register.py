"""Status and approvals of a document, from its front-matter or from a document register.

With `approval-source = "register"` in the configuration, a `document-register` document's
`entries` (id, version, status, approved_by, date) give the status and the approval of the
documents they name; a document the register does not list keeps its own front-matter. With
the default `approval-source = "front-matter"` the register is not consulted.

Any rule that asks "is this document approved, by whom, when?" should ask here, so that both
sources are read the same way everywhere.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any, Protocol

from techfile.model.config import Config
from techfile.model.document import Document, Item
from techfile.model.finding import Location
from techfile.model.index import Index
from techfile.model.table import Table, clean_cell

REGISTER_TYPE = "document-register"
_NAME_SEPARATORS = re.compile(r"\s*(?:;|<br\s*/?>|\n)\s*", re.IGNORECASE)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class HasIndexAndConfig(Protocol):
    """What these helpers need of a rule's context (`techfile.rules.base.Context` fits)."""

    index: Index
    config: Config


@dataclass(frozen=True, slots=True)
class Approval:
    """One approval of a document, wherever it was recorded."""

    by: str | None
    role: str | None
    date: datetime.date | None  # None when absent or not a YYYY-MM-DD date
    written_date: Any  # the date as written, for messages
    location: Location
    source: str  # "front-matter" | "register"
    position: int | None = None  # index in `approvals`; None for a register entry


def parse_date(value: Any) -> datetime.date | None:
    """A `YYYY-MM-DD` date (a string or a YAML date), else None (also for `20260101`, which
    Python would read, and for dates that do not exist)."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and _DATE.fullmatch(value.strip()):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def text(value: Any) -> str | None:
    """A non-blank string value, stripped; None for anything else."""
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def from_register(ctx: HasIndexAndConfig) -> bool:
    return ctx.config.approvals_from_register


def register_entry(ctx: HasIndexAndConfig, document: Document) -> tuple[Document, Item] | None:
    """The register entry that speaks for `document`, when the configuration says the
    register is the approval source and a register lists the document's id (the first
    register by path wins)."""
    if not from_register(ctx):
        return None
    return _entry_in(ctx.index, document)


def _entry_in(index: Index, document: Document) -> tuple[Document, Item] | None:
    if not document.id:
        return None
    wanted = document.id.strip()
    for register in index.of_type(REGISTER_TYPE):
        for entry in register.items.get("entries", []):
            if isinstance(entry.id, str) and entry.id.strip() == wanted:
                return register, entry
    return None


def effective_status(ctx: HasIndexAndConfig, document: Document) -> str | None:
    """The document's status (lower case): its register entry's when the register is the
    approval source and lists it with a status, else its front-matter `status`."""
    if from_register(ctx):
        return status_in_register(ctx.index, document)
    status = text(document.meta.get("status"))
    return status.casefold() if status else None


def status_in_register(index: Index, document: Document) -> str | None:
    """The status a document register gives `document`, else its own front-matter status."""
    found = _entry_in(index, document)
    if found is not None:
        status = text(found[1].get("status"))
        if status is not None:
            return status.casefold()
    status = text(document.meta.get("status"))
    return status.casefold() if status else None


def status_location(ctx: HasIndexAndConfig, document: Document) -> Location:
    """Where the effective status is written."""
    found = register_entry(ctx, document)
    if found is not None and text(found[1].get("status")) is not None:
        return found[1].location_of("status")
    return document.location("status") if "status" in document.meta else document.location("id")


WITHDRAWN = frozenset({"obsolete", "superseded"})


def is_withdrawn(ctx: HasIndexAndConfig, document: Document) -> bool:
    """Obsolete or superseded, by its front-matter or by its register entry. Content rules
    leave such documents out (`Context.documents` does so for the front-matter already)."""
    return effective_status(ctx, document) in WITHDRAWN or not document.active


def is_approved(ctx: HasIndexAndConfig, document: Document) -> bool:
    return effective_status(ctx, document) == "approved"


def effective_version(ctx: HasIndexAndConfig, document: Document) -> tuple[str | None, Location]:
    """The version and where it is written: the register entry's `version` when the register
    speaks for the document and gives one, else the front-matter `version`."""
    found = register_entry(ctx, document)
    if found is not None:
        version = _version_text(found[1].get("version"))
        if version is not None:
            return version, found[1].location_of("version")
    version = _version_text(document.meta.get("version"))
    where = document.location("version") if "version" in document.meta else document.location()
    return version, where


def _version_text(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return str(value)
    return text(value)


def effective_approvals(ctx: HasIndexAndConfig, document: Document) -> list[Approval]:
    """The approvals of the document's current version: one per approver named in its
    register entry (`approved_by`, names separated by `;` or `<br>`, all with the entry's
    `date`), or its front-matter `approvals` list. Entries that are not mappings are kept,
    with every field None, so that a rule can report them."""
    found = register_entry(ctx, document)
    if found is not None:
        entry = found[1]
        if any(entry.get(key) is not None for key in ("approved_by", "date")):
            return _register_approvals(entry)
    entries = document.meta.get("approvals")
    if not isinstance(entries, list):
        return []
    approvals = []
    for position, entry in enumerate(entries):
        mapping = entry if isinstance(entry, dict) else {}
        written = mapping.get("date")
        approvals.append(
            Approval(
                text(mapping.get("by")),
                text(mapping.get("role")),
                parse_date(written),
                written,
                document.location("approvals", position),
                "front-matter",
                position,
            )
        )
    return approvals


def _register_approvals(entry: Item) -> list[Approval]:
    written = entry.get("date")
    day = parse_date(written)
    names = [n for n in _NAME_SEPARATORS.split(text(entry.get("approved_by")) or "") if n]
    location = entry.location_of("approved_by") if names else entry.location
    people: list[str | None] = [*names] or [None]
    return [Approval(name, None, day, written, location, "register") for name in people]


def latest_approval(ctx: HasIndexAndConfig, document: Document) -> Approval | None:
    """The approval with the latest valid date, None when no approval has one."""
    dated = [a for a in effective_approvals(ctx, document) if a.date is not None]
    return max(dated, key=lambda a: a.date or datetime.date.min) if dated else None


def approval_date(ctx: HasIndexAndConfig, document: Document) -> datetime.date | None:
    """The latest approval date of an approved document; None when it is not approved or
    no approval is dated."""
    if not is_approved(ctx, document):
        return None
    latest = latest_approval(ctx, document)
    return latest.date if latest else None


def same_person(a: str, b: str) -> bool:
    """Names compared trimmed, with inner whitespace collapsed and case ignored."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


# --- release: one policy for every rule that asks "may a reviewer rely on this document?" ------
#
# A document states its release by its `status` (front-matter, or the register with
# `approval-source = "register"`). Without a status, an approval record techfile can read
# decides: dated `approvals` in the front-matter, or an approval row in a body table (GSTT's
# forms carry `| **Approval** | ... |` in their "General" table). A document with neither is
# *unstated*: techfile does not judge its approval (teams often approve in an eQMS), it counts
# as evidence where its type makes it evidence, and the run says once how many there are.
# Only the submission profile (SUB001) asks for their approval record.

APPROVED, UNRELEASED, WITHDRAWN_STATE, UNSTATED = "approved", "unreleased", "withdrawn", "unstated"
APPROVAL_LABELS = frozenset({"approval", "approvals", "approved by", "approver", "approvers"})
_LABEL_MARKUP = re.compile(r"[*_`:]+")


@dataclass(frozen=True, slots=True)
class Release:
    """Whether a reviewer may rely on a document, and what says so."""

    state: str  # APPROVED | UNRELEASED | WITHDRAWN_STATE | UNSTATED
    status: str | None  # the effective status as written (lower case), None when not given
    basis: str  # how a message names the record: "status `draft`", "its Approval row is empty"
    location: Location  # where that record is (the document's first line when there is none)


def release(ctx: HasIndexAndConfig, document: Document) -> Release:
    status = effective_status(ctx, document)
    if status in WITHDRAWN or not document.active:
        return Release(WITHDRAWN_STATE, status, f"status `{status}`", document.location())
    if status is not None:
        state = APPROVED if status == "approved" else UNRELEASED
        return Release(state, status, f"status `{status}`", status_location(ctx, document))
    if any(a.date is not None for a in effective_approvals(ctx, document)):
        return Release(APPROVED, None, "a dated approval", document.location("approvals"))
    row = approval_row(document)
    if row is not None:
        label, value, where = row
        if value:
            return Release(APPROVED, None, f"its {label} row ({value})", where)
        return Release(UNRELEASED, None, f"its {label} row is empty", where)
    return Release(UNSTATED, None, "no status", document.location())


def counts_as_released(ctx: HasIndexAndConfig, document: Document) -> bool:
    """Approved, or unstated (techfile does not judge what the file does not state)."""
    return release(ctx, document).state in (APPROVED, UNSTATED)


def approval_row(document: Document) -> tuple[str, str, Location] | None:
    """The approval recorded in a body table that no item list took: a row labelled
    `Approval` / `Approved by` (its other cells are the record), or a column so headed.
    Returns (label as written, the record, where), the record "" when the cells are empty."""
    for table in document.tables:
        if table.path is not None:
            continue  # a CSV file's rows are data, not the document's approval block
        found = _approval_in_column(document, table) or _approval_in_rows(document, table)
        if found is not None:
            return found
    return None


def _label_of(cell: str) -> str:
    return " ".join(_LABEL_MARKUP.sub(" ", cell).split()).casefold()


def _approval_in_rows(document: Document, table: Table) -> tuple[str, str, Location] | None:
    """A two-column key/value table (`| **Approval** | Dr. A. Smith, 2025-03-01 |`)."""
    if len(table.headers) != 2:
        return None
    lines = table.rows or ((0, table.headers),)  # a header-only table is one key/value row
    for line, cells in lines:
        if cells and _label_of(cells[0]) in APPROVAL_LABELS:
            value = "; ".join(c for c in (clean_cell(x) for x in cells[1:]) if c)
            where = Location(document.path, line or table.line, 0, document.id)
            return _LABEL_MARKUP.sub("", cells[0]).strip(), value, where
    return None


def _approval_in_column(document: Document, table: Table) -> tuple[str, str, Location] | None:
    """A table with an `Approved by` column (`| Version | Approved by | Date |`)."""
    if not table.rows:
        return None
    for position, header in enumerate(table.headers):
        if _label_of(header) not in APPROVAL_LABELS:
            continue
        values = [clean_cell(c[position]) for _, c in table.rows if position < len(c)]
        value = "; ".join(v for v in values if v)
        label = _LABEL_MARKUP.sub("", header).strip()
        return label, value, Location(document.path, table.rows[0][0], 0, document.id)
    return None


def unstated_documents(ctx: HasIndexAndConfig, documents: list[Document]) -> list[Document]:
    return [d for d in documents if release(ctx, d).state == UNSTATED]


def unstated_notice(count: int) -> str:
    """The once-per-run sentence about documents whose approval techfile did not judge."""
    documents = "document carries" if count == 1 else "documents carry"
    return (
        f"{count} {documents} no status and no approval record techfile can read; techfile did "
        "not judge their approval (README: documents without a status), and `--profile "
        "submission` lists them"
    )
