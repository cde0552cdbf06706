"""The answer the technical file gives to each question of the capability registry.

Every answer is derived from approved documents about the released version, with the ids of
the documents and items it rests on (which resolve in the index); a question the file cannot
answer is *manual*: `answer` is None and the note says what is missing. Nothing is guessed, and
organisational documents (ISMS certificates, SOC 2 reports, HDS certificates) never count as
evidence of a product capability.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from techfile.data.capabilities import Question, capability_registry
from techfile.model.capabilities import (
    about_release,
    claims,
    released,
    stated_version,
    statements,
)
from techfile.model.document import Document
from techfile.model.register import counts_as_released, parse_date, text
from techfile.model.view import RunView

SOON_DAYS = 365  # a component whose end of support is this close counts as near it
FORMAT_WORDS = {"cyclonedx-json": "CycloneDX JSON", "spdx-json": "SPDX JSON"}


@dataclass(frozen=True)
class Derived:
    question: Question
    answer: str | None  # Yes | No | N/A | See note; None: manual
    note: str
    evidence: tuple[str, ...] = ()  # ids that resolve: SEC-REQ-001:SR-01, TR-001:TC-27, ...

    @property
    def manual(self) -> bool:
        return self.answer is None


def derived_answers(view: RunView) -> dict[str, Derived]:
    """Question key -> the file's answer, for every question of the registry (in its order)."""
    return view.shared("capability-answers", lambda: _derive_all(view))


def _derive_all(view: RunView) -> dict[str, Derived]:
    return {q.key: DERIVERS[q.answer_from](view, q) for q in capability_registry().questions()}


def _manual(question: Question, why: str = "") -> Derived:
    note = why or "The technical file does not record this; answer it by hand."
    return Derived(question, None, note)


def _usable(view: RunView, document: Document) -> bool:
    return counts_as_released(view, document) and about_release(view, document)


# --- capability sections -------------------------------------------------------------------


def _capability(view: RunView, question: Question) -> Derived:
    code = question.section
    found = claims(view).get(code, [])
    holding = [c for c in found if c.holds]
    said = [s for s in statements(view).get(code, []) if s.counts]
    if holding:
        tests = list(dict.fromkeys(t for c in holding for t in c.verification.passed))
        shown = "; ".join(f"{c.label} ({_short(c.text)})" for c in holding[:4])
        more = f" (and {len(holding) - 4} more)" if len(holding) > 4 else ""
        note = f"{shown}{more}. Verified by {', '.join(tests[:6])}."
        return Derived(question, "Yes", note, (*(c.label for c in holding), *tests))
    if said:
        statement = said[0]
        return Derived(question, statement.answer, statement.reason, (statement.document.label(),))
    if found:
        version = released(view).version
        reasons = "; ".join(f"{c.label}: {c.why_not(version)}" for c in found[:3])
        return _manual(
            question,
            f"The file claims {code} but no claim holds for the released version ({reasons}); "
            "answer by hand once it is approved and verified.",
        )
    return _manual(
        question,
        f"No approved security requirement or product mitigation carries `capability: [{code}]`, "
        "and no `capabilities_not_provided` entry names it.",
    )


def _short(words: str, limit: int = 90) -> str:
    flat = " ".join(words.split()).rstrip(".")
    return flat if len(flat) <= limit else flat[: limit - 3].rstrip() + "..."


# --- interfaces and remote access ------------------------------------------------------------

DECLARING = ("security-architecture", "it-security-requirements")


def _declared(view: RunView, key: str) -> tuple[list[dict[str, Any]], list[Document]] | None:
    """The entries of `key` in the approved documents that declare it, or None when none does."""
    entries: list[dict[str, Any]] = []
    documents: list[Document] = []
    for document in view.index.of_type(*DECLARING):
        value = document.meta.get(key)
        if not isinstance(value, list) or not _usable(view, document):
            continue
        documents.append(document)
        entries.extend(e for e in value if isinstance(e, dict))
    return (entries, documents) if documents else None


def _interfaces(view: RunView, question: Question) -> Derived:
    found = _declared(view, "interfaces")
    if found is None:
        return _manual(
            question,
            "No approved security architecture or IT security requirements list `interfaces`.",
        )
    entries, documents = found
    ids = tuple(d.label() for d in documents)
    if not entries:
        return Derived(question, "No", "The device declares no external interface.", ids)
    names = "; ".join(text(e.get("name")) or "(unnamed)" for e in entries)
    return Derived(question, "Yes", f"{len(entries)} interface(s): {names}.", ids)


def _interface_list(view: RunView, question: Question) -> Derived:
    found = _declared(view, "interfaces")
    if found is None or not found[0]:
        return _manual(question, "No interface is listed with its protocol and port.")
    entries, documents = found
    parts = []
    for entry in entries:
        facts = [
            text(entry.get(k)) or _port(entry.get(k)) for k in ("protocol", "port", "direction")
        ]
        shown = ", ".join(f for f in facts if f)
        parts.append(
            f"{text(entry.get('name')) or '(unnamed)'}: {shown}"
            if shown
            else str(entry.get("name"))
        )
    return Derived(
        question, "See note", "; ".join(parts) + ".", tuple(d.label() for d in documents)
    )


def _port(value: Any) -> str | None:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else None


def _remote_access(view: RunView, question: Question) -> Derived:
    found = _declared(view, "remote_access")
    if found is None:
        return _manual(
            question,
            "No approved security architecture or IT security requirements list `remote_access`.",
        )
    entries, documents = found
    ids = tuple(d.label() for d in documents)
    if not entries:
        return Derived(question, "No", "The device declares no remote access path.", ids)
    parts = []
    for entry in entries:
        who = text(entry.get("used_by"))
        controls = text(entry.get("controls"))
        parts.append(
            f"{text(entry.get('path')) or '(unnamed path)'}"
            + (f", used by {who}" if who else "")
            + (f"; controls: {controls}" if controls else "")
        )
    return Derived(question, "Yes", " | ".join(parts), ids)


# --- SBOM, third-party components, security testing, updates ---------------------------------


def _sboms(view: RunView) -> tuple[list[Document], list[Document]]:
    """(usable SBOM documents, SBOM documents that are not approved or about another version)."""
    found = view.index.of_type("sbom")
    usable = [d for d in found if _usable(view, d)]
    return usable, [d for d in found if d not in usable]


def _sbom(view: RunView, question: Question) -> Derived:
    usable, other = _sboms(view)
    if usable:
        version = released(view).version or "the released version"
        note = f"SBOM for {version}: " + "; ".join(_sbom_words(d) for d in usable) + "."
        return Derived(question, "Yes", note, tuple(d.label() for d in usable))
    if other:
        return _manual(question, f"{other[0].label()} is not approved or is about another version.")
    return _manual(question, "The technical file has no SBOM document (`type: sbom`).")


def _sbom_words(document: Document) -> str:
    shape = FORMAT_WORDS.get(
        text(document.meta.get("format")) or "", text(document.meta.get("format"))
    )
    where = text(document.meta.get("file"))
    return (
        f"{document.label()}"
        + (f" ({shape})" if shape else "")
        + (f", file {where}" if where else "")
    )


def _sbom_format(view: RunView, question: Question) -> Derived:
    usable, _ = _sboms(view)
    shapes = [s for d in usable if (s := text(d.meta.get("format")))]
    if not shapes:
        return _manual(question, "No approved SBOM document states its `format`.")
    words = ", ".join(dict.fromkeys(FORMAT_WORDS.get(s, s) for s in shapes))
    return Derived(question, "See note", f"{words}.", tuple(d.label() for d in usable))


def _third_party(view: RunView, question: Question) -> Derived:
    lists = [d for d in view.index.of_type("soup-list") if _usable(view, d)]
    items = [i for d in lists for i in d.items.get("items", [])]
    if not items:
        return _manual(
            question, "No approved SOUP list of the released version lists third-party components."
        )
    stated = [i for i in items if text(i.get("support_level")) or text(i.get("end_of_support"))]
    if len(stated) < len(items):
        return _manual(
            question,
            f"{len(items) - len(stated)} of {len(items)} SOUP items state neither a support level "
            "nor an end of support.",
        )
    ending = [i for i in items if _ends_soon(parse_date(i.get("end_of_support")), view.as_of)]
    note = (
        f"{len(items)} of {len(items)} third-party components record their support level and end "
        f"of support; {len(ending)} past or within {SOON_DAYS} days of it."
    )
    return Derived(question, "Yes", note, tuple(d.label() for d in lists))


def _ends_soon(day: datetime.date | None, as_of: datetime.date) -> bool:
    return day is not None and (day - as_of).days <= SOON_DAYS


def _security_testing(view: RunView, question: Question) -> Derived:
    reports = [
        d
        for d in view.index.of_type("security-test-report")
        if _usable(view, d) and not view.tests_other_product(d)
    ]
    if not reports:
        return _manual(question, "No approved security test report of the released version.")
    parts = []
    for report in reports:
        facts = [text(report.meta.get("performed_by")), _day_text(report.meta.get("date"))]
        version = stated_version(report)
        parts.append(
            f"{report.label()}"
            + (f" on {version}" if version else "")
            + f" ({', '.join(f for f in facts if f)})"
        )
    return Derived(question, "Yes", "; ".join(parts) + ".", tuple(d.label() for d in reports))


def _day_text(value: Any) -> str | None:
    day = parse_date(value)
    return day.isoformat() if day else None


def _update_channel(view: RunView, question: Question) -> Derived:
    for document in view.index.of_type("it-security-requirements"):
        value = document.meta.get("update_channel")
        words = (
            value
            if isinstance(value, str)
            else "; ".join(v for v in value if isinstance(v, str))
            if isinstance(value, list)
            else ""
        )
        if words.strip() and _usable(view, document):
            return Derived(question, "See note", " ".join(words.split()), (document.label(),))
    return _manual(question, "No approved IT security requirements state the `update_channel`.")


DERIVERS: dict[str, Callable[[RunView, Question], Derived]] = {
    "capability": _capability,
    "interfaces": _interfaces,
    "interface-list": _interface_list,
    "remote-access": _remote_access,
    "sbom": _sbom,
    "sbom-format": _sbom_format,
    "third-party-support": _third_party,
    "security-testing": _security_testing,
    "update-channel": _update_channel,
    "manual": lambda _view, question: _manual(question),
}
