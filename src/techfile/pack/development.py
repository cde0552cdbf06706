"""Secure development evidence (EN IEC 81001-5-1 activity coverage, the same rows as the
readiness report, from `data/lifecycle.yaml` through `techfile.report.coverage`), the last
penetration test, the threat-model review; and the organisational assurance register."""

from __future__ import annotations

import datetime

from techfile.model.capabilities import stated_version
from techfile.model.document import Document
from techfile.model.evidence_classes import kind_name, supplier_of
from techfile.model.lifecycle import has_phrase, lifecycle_data, normalise, texts
from techfile.model.register import counts_as_released, latest_approval, parse_date, text
from techfile.model.view import RunView
from techfile.pack.data import ActivityRow, Certificate, Development, Fact
from techfile.report.coverage import coverage
from techfile.report.words import STATE_WORDS

CERTIFICATE_TYPES = ("isms-certificate", "soc2-report", "hds-certificate", "qms-certificate")
PENETRATION = (normalise("penetration"), normalise("pentest"), normalise("pen test"))
SHOWN_ROLES = ("satisfies", "pending", "supporting")


def development(view: RunView) -> Development:
    family = view.clauses.family_of(lifecycle_data().standard)
    rows: list[ActivityRow] = []
    for section in coverage(view):
        if view.clauses.family_of(section.standard) != family:
            continue
        for row in section.rows:
            evidence = tuple(e.label for e in row.evidence if e.role in SHOWN_ROLES)
            rows.append(
                ActivityRow(row.reference, row.name, row.state, STATE_WORDS[row.state], evidence)
            )
    return Development(tuple(rows), _pentests(view), _threat_model_reviews(view))


def _pentests(view: RunView) -> tuple[Fact, ...]:
    found = []
    for report in view.index.of_type("security-test-report"):
        if view.tests_other_product(report):
            continue  # an enterprise test: organisational, not about the device
        kinds = " ".join(texts(report.meta.get("test_type")))
        if kinds and not has_phrase(kinds, PENETRATION):
            continue
        found.append((parse_date(report.meta.get("date")) or datetime.date.min, report))
    facts = []
    for day, report in sorted(found, key=lambda pair: (pair[0], pair[1].path), reverse=True):
        facts.append(Fact(report.label(), _pentest_words(view, report, day), (report.label(),)))
    return tuple(facts)


def _pentest_words(view: RunView, report: Document, day: datetime.date) -> str:
    independence = report.meta.get("independence")
    level = text(independence.get("level")) if isinstance(independence, dict) else None
    parts = [
        f"tested {day.isoformat()}" if day != datetime.date.min else "test date not stated",
        f"version {stated_version(report)}" if stated_version(report) else "version not stated",
        f"by {text(report.meta.get('performed_by'))}"
        if text(report.meta.get("performed_by"))
        else "",
        f"independence: {level}" if level else "independence not stated",
        "" if counts_as_released(view, report) else "report not approved",
    ]
    return "; ".join(p for p in parts if p)


def _threat_model_reviews(view: RunView) -> tuple[Fact, ...]:
    facts = []
    for model in view.index.of_type("threat-model"):
        days = []
        approval = latest_approval(view, model)
        if approval is not None and approval.date is not None:
            days.append((approval.date, "approved"))
        reviews = model.meta.get("reviews")
        for entry in reviews if isinstance(reviews, list) else []:
            day = parse_date(entry.get("date")) if isinstance(entry, dict) else None
            if day is not None and day <= view.as_of:
                days.append((day, "reviewed"))
        if days:
            day, how = max(days)
            planned = text(model.meta.get("next_review")) or "not planned"
            words = f"last {how} {day.isoformat()}; next review {planned}"
        else:
            words = "no approval or review date recorded"
        facts.append(Fact(model.label(), words, (model.label(),)))
    return tuple(facts)


# --- organisational assurance ----------------------------------------------------------------

KIND_WORDS = {
    "isms-certificate": "ISO/IEC 27001 certificate",
    "soc2-report": "SOC 2 report",
    "hds-certificate": "HDS certificate",
    "qms-certificate": "ISO 13485 certificate",
}


def certificates(view: RunView) -> tuple[Certificate, ...]:
    found = []
    for document in view.index.of_type(*CERTIFICATE_TYPES):
        supplier = supplier_of(view, document)
        holder = f"supplier: {supplier}" if supplier else "the manufacturer"
        validity, state = _validity(view, document)
        issuer = text(document.meta.get("issuer")) or text(document.meta.get("service_auditor"))
        standard = _standard(document)
        found.append(
            Certificate(
                document=document.label(),
                kind=KIND_WORDS.get(document.type or "", kind_name(document)),
                standard=standard,
                holder=holder,
                scope=" ".join((text(document.meta.get("scope")) or "not stated").split()),
                issuer=issuer or "not stated",
                validity=validity,
                state=state,
            )
        )
    return tuple(found)


def _standard(document: Document) -> str:
    value = document.meta.get("certifies")
    if isinstance(value, dict):
        parts = [text(value.get("standard")), text(value.get("edition"))]
        return ":".join(p for p in parts if p)
    if document.type == "soc2-report":
        kind = text(document.meta.get("soc2_type"))
        return f"SOC 2 {kind}" if kind else "SOC 2"
    return text(value) or "not stated"


def _validity(view: RunView, document: Document) -> tuple[str, str]:
    if document.type == "soc2-report":
        start = parse_date(document.meta.get("period_start"))
        end = parse_date(document.meta.get("period_end"))
        if end is None:
            return "period not stated", "unknown"
        period = (
            f"period {start.isoformat()} to {end.isoformat()}"
            if start
            else f"as of {end.isoformat()}"
        )
        if (view.as_of - end).days > 365:
            return f"{period} (ended over 12 months before {view.as_of.isoformat()})", "stale"
        return period, "valid"
    expiry = parse_date(document.meta.get("expiry_date"))
    if expiry is None:
        return "expiry not stated", "unknown"
    if expiry < view.as_of:
        return f"expired on {expiry.isoformat()}", "expired"
    return f"valid until {expiry.isoformat()}", "valid"
