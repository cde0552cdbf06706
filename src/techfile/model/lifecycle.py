"""The secure development lifecycle of EN IEC 81001-5-1 as `data/lifecycle.yaml` describes it:
its activities, the document types that count as evidence of each, and the words used to read
test reports. The SDL rules and the report's coverage table both read it from here.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from techfile.data.registry import load_data
from techfile.model.document import Document


@dataclass(frozen=True)
class Activity:
    id: str
    name: str
    clauses: tuple[str, ...]
    types: tuple[str, ...]
    test_types: tuple[str, ...]
    also_in: tuple[str, ...]
    hints: tuple[str, ...]
    evidence: str | None = None  # the kind of evidence, when activities share one


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
    security_documentation: tuple[str, ...] = ()
    regulation: tuple[str, ...] = ()
    first_documents: tuple[str, ...] = ()

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
            test_types=tuple(normalise(str(w)) for w in entry.get("test_types", [])),
            also_in=tuple(entry.get("also_in", [])),
            hints=tuple(normalise(str(w)) for w in entry.get("hints", [])),
            evidence=str(entry["evidence"]) if entry.get("evidence") else None,
        )
        for entry in raw["activities"]
    )
    return LifecycleData(
        standard=str(raw["standard"]),
        activities=activities,
        applies_when_types=tuple(raw.get("applies_when_types", [])),
        failing_results=frozenset(normalise(str(w)) for w in raw.get("failing_results", [])),
        it_requirements=tuple(
            ItRequirement(
                str(entry["field"]),
                str(entry["name"]),
                tuple(normalise(str(h)) for h in entry["headings"]),
            )
            for entry in raw["it_requirements"]
        ),
        security_documentation=tuple(str(t) for t in raw.get("security_documentation", [])),
        regulation=tuple(str(c) for c in raw.get("regulation", [])),
        first_documents=tuple(str(a) for a in raw.get("first_documents", [])),
    )


def counts_by_type(activity: Activity, document: Document) -> bool:
    """A document of one of the activity's types (a security test report only when its
    test_type is one the activity names, or it names none): evidence by its type alone."""
    if document.type not in activity.types:
        return False
    if document.type == "security-test-report" and activity.test_types:
        words = stated_test_type(document)
        return words is None or has_phrase(words, activity.test_types)
    return True


# --- reading words -------------------------------------------------------------------------

_NON_WORD = re.compile(r"[^0-9a-z]+")


def normalise(text: str) -> str:
    """Lower-case words separated by single spaces: `Pen-Test_Report` -> `pen test report`."""
    return _NON_WORD.sub(" ", text.casefold()).strip()


def has_phrase(text: str, phrases: Iterable[str]) -> bool:
    """True when one of the (normalised) phrases starts a word of the normalised text."""
    padded = " " + normalise(text)
    return any(phrase and f" {phrase}" in padded for phrase in phrases)


def texts(value: Any) -> list[str]:
    """The non-blank strings of a value that is one string or a list."""
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str) and v.strip()]
    return []


def stated_test_type(document: Document) -> str | None:
    """The report's `test_type`, its words joined (None when it states none)."""
    words = texts(document.meta.get("test_type"))
    return " ".join(words) if words else None
