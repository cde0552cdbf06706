"""Shared by the SDL rules: whether the secure lifecycle applies, and small helpers for reading
documents and items. The data file `data/lifecycle.yaml` is read by `techfile.model.lifecycle`.
"""

from __future__ import annotations

from typing import Any

from techfile.model.document import Document, Item
from techfile.model.evidence import run_citations
from techfile.model.finding import Location
from techfile.model.lifecycle import lifecycle_data, texts
from techfile.model.register import (
    APPROVED,
    UNSTATED,
    Release,
    release,
    unstated_documents,
    unstated_notice,
)
from techfile.rules.base import Context
from techfile.rules.columns import column

RELIANCE = ("environment", "operator", "user")  # implemented_by values outside the product


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _release(ctx: Context, document: Document) -> Release:
    """The document's release, read once per run (the SDL rules ask for it often)."""
    known: dict[int, Release] = ctx.shared("sdl-release", dict)
    if id(document) not in known:
        known[id(document)] = release(ctx, document)
    return known[id(document)]


def _is_approved(ctx: Context, document: Document) -> bool:
    """Whether the document counts as released evidence: approved (in its front-matter, its
    approval record, or the document register with `approval-source = "register"`), or
    stating no status at all (techfile does not judge what the file does not state; see
    `techfile.model.register.release`)."""
    return _release(ctx, document).state in (APPROVED, UNSTATED)


def _status_text(ctx: Context, document: Document) -> str:
    """What keeps an unreleased document from counting: `status: `draft``, or `its Approval
    row is empty`."""
    found = _release(ctx, document)
    return f"status: `{found.status}`" if found.status else found.basis


def _release_location(ctx: Context, document: Document) -> Location:
    return _release(ctx, document).location


def note_unstated(ctx: Context) -> None:
    """Say once per run how many documents state no status (their approval is not judged)."""
    active = [d for d in ctx.index.documents if d.active]
    count = len(unstated_documents(ctx, active))
    notice = unstated_notice(count) if count else None
    if notice and notice not in ctx.notices:
        ctx.notices.append(notice)


def written_as(item: Item, field: str) -> str:
    """Where the document records the field for this item: `verified_by` in front-matter,
    the "Verified by" column of a table row."""
    if item.source == "table":
        return f"the {column(field)} column"
    return f"`{field}`"


def _label(document: Document) -> str:
    return f"{document.label()} ({document.path})" if document.id else document.path


def _item_name(item: Item, *fields: str) -> str:
    for field in fields:
        text = _text(item.get(field))
        if text:
            text = " ".join(text.split()).rstrip(".")
            short = text if len(text) <= 80 else text[:77].rstrip() + "..."
            return f"{item.id} ({short})"
    return str(item.id)


def _family(ctx: Context) -> str | None:
    return ctx.clauses.family_of(lifecycle_data().standard)


def lifecycle_applies(ctx: Context) -> bool:
    """Whether the technical file is one of health software the standard is for."""
    data = lifecycle_data()
    device = ctx.device
    if device.get("connected") is True or isinstance(device.get("software_safety_class"), str):
        return True
    if ctx.index.of_type(*data.applies_when_types):
        return True
    family = _family(ctx)
    for document in ctx.documents:
        for text in texts(document.meta.get("standards")):
            if family and ctx.clauses.family_of(text) == family:
                return True
    return any(c.ref.family == family for c in run_citations(ctx))


def _device_test_reports(ctx: Context) -> list[Document]:
    """Security test reports about the device: enterprise tests are left to the evidence rules."""
    return [d for d in ctx.index.of_type("security-test-report") if not ctx.tests_other_product(d)]
