"""Shared by the SDL rules: the data file `data/lifecycle.yaml`, whether the secure lifecycle
applies, and small helpers for reading documents and items.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from techfile.data.registry import load_data
from techfile.model.document import Document, Item
from techfile.model.evidence import document_status, run_citations
from techfile.rules.base import Context

RELIANCE = ("environment", "operator", "user")  # implemented_by values outside the product


# --- the data file -------------------------------------------------------------------------


@dataclass(frozen=True)
class Activity:
    id: str
    name: str
    clauses: tuple[str, ...]
    types: tuple[str, ...]
    test_types: tuple[str, ...]
    also_in: tuple[str, ...]
    hints: tuple[str, ...]


@dataclass(frozen=True)
class ItRequirement:
    field: str
    name: str
    headings: tuple[str, ...]


@dataclass(frozen=True)
class LifecycleData:
    standard: str
    activities: tuple[Activity, ...]
    applies_when_types: tuple[str, ...]
    failing_results: frozenset[str]
    it_requirements: tuple[ItRequirement, ...]

    def activity(self, activity_id: str) -> Activity | None:
        return next((a for a in self.activities if a.id == activity_id), None)


@functools.cache
def lifecycle_data() -> LifecycleData:
    raw = load_data("lifecycle.yaml")
    activities = tuple(
        Activity(
            id=str(entry["id"]),
            name=str(entry["name"]),
            clauses=tuple(str(c) for c in entry["clauses"]),
            types=tuple(entry.get("types", [])),
            test_types=tuple(_normalise(str(w)) for w in entry.get("test_types", [])),
            also_in=tuple(entry.get("also_in", [])),
            hints=tuple(_normalise(str(w)) for w in entry.get("hints", [])),
        )
        for entry in raw["activities"]
    )
    return LifecycleData(
        standard=str(raw["standard"]),
        activities=activities,
        applies_when_types=tuple(raw.get("applies_when_types", [])),
        failing_results=frozenset(_normalise(str(w)) for w in raw.get("failing_results", [])),
        it_requirements=tuple(
            ItRequirement(
                str(entry["field"]),
                str(entry["name"]),
                tuple(_normalise(str(h)) for h in entry["headings"]),
            )
            for entry in raw["it_requirements"]
        ),
    )


# --- shared helpers ------------------------------------------------------------------------

_NON_WORD = re.compile(r"[^0-9a-z]+")


def _normalise(text: str) -> str:
    """Lower-case words separated by single spaces: `Pen-Test_Report` -> `pen test report`."""
    return _NON_WORD.sub(" ", text.casefold()).strip()


def _has_phrase(text: str, phrases: Iterable[str]) -> bool:
    """True when one of the (normalised) phrases starts a word of the normalised text."""
    padded = " " + _normalise(text)
    return any(phrase and f" {phrase}" in padded for phrase in phrases)


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str) and v.strip()]
    return []


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


def _test_type_words(document: Document) -> str | None:
    words = _texts(document.meta.get("test_type"))
    return " ".join(words) if words else None


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
        for text in _texts(document.meta.get("standards")):
            if family and ctx.clauses.family_of(text) == family:
                return True
    return any(c.ref.family == family for c in run_citations(ctx))


def counts_by_type(activity: Activity, document: Document) -> bool:
    if document.type not in activity.types:
        return False
    if document.type == "security-test-report" and activity.test_types:
        words = _test_type_words(document)
        return words is None or _has_phrase(words, activity.test_types)
    return True


def _device_test_reports(ctx: Context) -> list[Document]:
    """Security test reports about the device: enterprise tests are left to the evidence rules."""
    return [d for d in ctx.index.of_type("security-test-report") if not ctx.tests_other_product(d)]
