"""Shared by the SDL rules: whether the secure lifecycle applies, and small helpers for reading
documents and items. The data file `data/lifecycle.yaml` is read by `techfile.model.lifecycle`.
"""

from __future__ import annotations

from typing import Any

from techfile.model.document import Document, Item
from techfile.model.evidence import document_status, run_citations
from techfile.model.lifecycle import lifecycle_data, texts
from techfile.rules.base import Context

RELIANCE = ("environment", "operator", "user")  # implemented_by values outside the product


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _page_clauses_text(ctx: Context, code: str) -> str:
    """`EN IEC 81001-5-1:2022 5.8.1 and 5.8.5`; `MDR Annex I 17.4 and 23.4(ab); MDCG ...`."""
    page = ctx.pages.get(code)
    groups: dict[str, list[str]] = {}
    for text in page.clauses if page else ():
        standard, _, number = text.rpartition(" ")
        groups.setdefault(standard, []).append(number)
    return "; ".join(
        f"{standard} {' and '.join(numbers)}".strip() for standard, numbers in groups.items()
    )


def _is_approved(ctx: Context, document: Document) -> bool:
    """Approved in its front-matter, or in the document register when the configuration says
    `approval-source = "register"`."""
    from_register = ctx.config.get("approval-source") == "register"
    status = document_status(ctx.index, document, from_register)
    return (status or "").casefold() == "approved"


def _status_text(ctx: Context, document: Document) -> str:
    from_register = ctx.config.get("approval-source") == "register"
    status = document_status(ctx.index, document, from_register)
    return f"`{status}`" if status else "not given"


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
