"""The status of each ISO/IEC 27001:2022 clause and Annex A control, and the coverage figures.

A target takes the first status that applies, strongest first:

1. not applicable: the Statement of Applicability excludes the control;
2. reusable: an approved QMS document (a procedure or record, evidence class `process`) says it
   implements an ISO 13485 clause that the crosswalk relates to the target as `equivalent` or
   `partial` (then with what is still needed);
3. declared: the ISMS says it is done: the SoA marks the control implemented, or a document
   cites the ISO/IEC 27001 clause or control itself;
4. supports: a document gives evidence the crosswalks relate to the target as `supports`,
   product evidence (EN IEC 81001-5-1, IEC 62304) or a QMS clause that only helps;
5. gap: nothing.

The direction is one way: QMS and product evidence may count towards ISMS requirements; nothing
here lets ISMS evidence count for a product requirement (EV001 reports that).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from techfile.data.isms import (
    ISMS_27001,
    QMS_13485,
    Crosswalk,
    CrosswalkRow,
    IsmsEntry,
    crosswalks_into,
    isms_entries,
    standard_display,
)
from techfile.model.view import RunView
from techfile.overlap.data import (
    DECLARED,
    GAP,
    ISMS,
    NOT_APPLICABLE,
    PRODUCT,
    QMS,
    REUSABLE,
    SOA,
    STATUSES,
    SUPPORTS,
    DocumentRef,
    GroupFigure,
    SoaDecision,
    Source,
    TargetRow,
)
from techfile.overlap.documents import document_ref
from techfile.overlap.evidence import Citations, Cited

THEME_TITLES = {
    "organisational": "Organisational controls (A.5)",
    "people": "People controls (A.6)",
    "physical": "Physical controls (A.7)",
    "technological": "Technological controls (A.8)",
}


class Measure:
    def __init__(self, view: RunView, cited: Citations, soa: dict[str, SoaDecision]) -> None:
        self.view = view
        self.cited = cited
        self.soa = soa
        self.walks = crosswalks_into(ISMS_27001)
        self.refs: dict[str, DocumentRef] = {}

    def ref(self, cited: Cited) -> DocumentRef:
        key = cited.document.path
        if key not in self.refs:
            self.refs[key] = document_ref(self.view, cited.document)
        return self.refs[key]

    def row(self, entry: IsmsEntry) -> TargetRow:
        decision = self.soa.get(entry.id) if entry.is_control else None
        sources = self._crosswalked(entry.id) + self._declared(entry) + _implementing(decision)
        status, reason = _status(sources, decision)
        still = tuple(
            dict.fromkeys(
                s.note
                for s in sources
                if s.counts and s.kind == QMS and s.relationship == "partial"
            )
        )
        return TargetRow(
            id=entry.id,
            title=entry.title,
            group=entry.theme if entry.is_control and entry.theme else entry.id.split(".")[0],
            is_control=entry.is_control,
            status=status,
            reason=reason,
            sources=tuple(sorted(sources, key=_source_order)),
            still_needed=still if status == REUSABLE and not _has_equivalent(sources) else (),
            soa=decision,
        )

    def _crosswalked(self, target: str) -> list[Source]:
        found = []
        for walk in self.walks:
            for row in walk.rows_to(target):
                for cited in self.cited.of(row.source_registry, row.source):
                    found.append(self._source(walk, row, cited))
        return _merged(found)

    def _source(self, walk: Crosswalk, row: CrosswalkRow, cited: Cited) -> Source:
        ref = self.ref(cited)
        from_qms = row.source_registry == QMS_13485
        relationship, note = row.relationship, row.note
        if relationship == "partial":
            note = row.still_needed or note
        if from_qms and ref.evidence_class != "process" and relationship in REUSING:
            # the QMS clause is cited by a product or ISMS document, not a QMS procedure
            relationship = "supports"
            note = f"Cited by a {ref.type}, not a QMS procedure. {row.note}"
        return Source(
            document=ref,
            kind=QMS if from_qms else PRODUCT,
            via=f"{self._display(walk, row.source_registry)} {row.source} ({cited.how})",
            relationship=relationship,
            confidence=row.confidence,
            note=note,
        )

    def _display(self, walk: Crosswalk, registry_key: str) -> str:
        """How the source standard of a crosswalk row is written: `ISO 13485:2016`."""
        if registry_key == walk.source_registry:
            return walk.source_standard
        standard = self.view.clauses.standards.get(registry_key)
        return standard.display if standard else standard_display(registry_key)

    def _declared(self, entry: IsmsEntry) -> list[Source]:
        """Documents citing the ISO/IEC 27001 clause itself (for a clause also one above it;
        for a control only the control: citing Annex A as a whole implements no control)."""
        found = []
        for cited in self.cited.of(ISMS_27001, entry.id, parents=not entry.is_control):
            found.append(
                Source(
                    document=self.ref(cited),
                    kind=ISMS,
                    via=f"ISO/IEC 27001:2022 {cited.clause} ({cited.how})",
                    relationship="declares",
                    confidence="",
                    note="",
                )
            )
        return found


def _implementing(decision: SoaDecision | None) -> list[Source]:
    """The documents the SoA names as implementing an implemented control."""
    if decision is None or decision.implemented != "yes":
        return []
    return [
        Source(
            document=ref,
            kind=SOA,
            via=f"implemented_by of {decision.soa}",
            relationship="implements",
            confidence="",
            note="",
        )
        for _text, ref in decision.implemented_by
        if ref is not None
    ]


REUSING = ("equivalent", "partial")


def _merged(sources: list[Source]) -> list[Source]:
    """One source per document, kind and relationship; the ways it is linked joined."""
    merged: dict[tuple[str, str, str], Source] = {}
    for source in sources:
        key = (source.document.path, source.kind, source.relationship)
        earlier = merged.get(key)
        if earlier is None:
            merged[key] = source
            continue
        merged[key] = replace(
            earlier,
            via=_joined(earlier.via, source.via),
            note=_joined(earlier.note, source.note, " "),
            confidence=max(earlier.confidence, source.confidence, key=CONFIDENCE.index),
        )
    return list(merged.values())


CONFIDENCE = ["", "low", "medium", "high"]


def _joined(first: str, second: str, separator: str = "; ") -> str:
    parts = first.split(separator) if first else []
    return first if second in parts or not second else separator.join([*parts, second])


def _has_equivalent(sources: list[Source]) -> bool:
    return any(s.counts and s.kind == QMS and s.relationship == "equivalent" for s in sources)


def _status(sources: list[Source], decision: SoaDecision | None) -> tuple[str, str]:
    counting = [s for s in sources if s.counts]
    if decision is not None and decision.applicable is False:
        return NOT_APPLICABLE, f"excluded in the Statement of Applicability {decision.soa}"
    reusable = [s for s in counting if s.kind == QMS and s.relationship in REUSING]
    if reusable:
        names = _names(reusable)
        if _has_equivalent(sources):
            return REUSABLE, f"the QMS already meets it: {names}"
        return REUSABLE, f"the QMS gives the vehicle, more is needed: {names}"
    declared = [s for s in counting if s.kind == ISMS]
    if decision is not None and decision.implemented == "yes" and decision.counts:
        return DECLARED, f"implemented, says the Statement of Applicability {decision.soa}"
    if declared:
        return DECLARED, f"cited as implemented by {_names(declared)}"
    supports = [s for s in counting if s.relationship == "supports"]
    if supports:
        return SUPPORTS, f"evidence that helps, not what is asked: {_names(supports)}"
    return GAP, _gap_reason(sources, decision)


def _gap_reason(sources: list[Source], decision: SoaDecision | None) -> str:
    if any(not s.counts for s in sources):
        return "only documents that are not approved give something towards it"
    if decision is not None and decision.applicable and decision.implemented not in ("", "yes"):
        return f"applicable, implemented: {decision.implemented} ({decision.soa})"
    if any(s.relationship == "none" for s in sources):
        return "nothing in the repository; the QMS process cited is deliberately not equated"
    return "nothing in the repository gives it"


def _names(sources: list[Source]) -> str:
    return ", ".join(dict.fromkeys(s.document.label for s in sources))


_ORDER = {QMS: 0, ISMS: 1, SOA: 2, PRODUCT: 3}
_RELATION_ORDER = {
    "equivalent": 0,
    "partial": 1,
    "declares": 2,
    "implements": 2,
    "supports": 3,
    "none": 4,
}


def _source_order(source: Source) -> tuple[int, int, str, str]:
    return (
        _RELATION_ORDER.get(source.relationship, 5),
        _ORDER.get(source.kind, 9),
        source.document.label,
        source.via,
    )


def targets() -> tuple[list[IsmsEntry], list[IsmsEntry]]:
    """The leaves of Clauses 4 to 10, and the 93 controls, in registry order."""
    entries = isms_entries(ISMS_27001)
    clauses = [e for e in entries if e.leaf and not e.is_control and e.id[0].isdigit()]
    controls = [e for e in entries if e.is_control]
    return clauses, controls


def figures(
    rows: tuple[TargetRow, ...], keys: list[str], titles: dict[str, str]
) -> list[GroupFigure]:
    return [figure(key, titles.get(key, key), [r for r in rows if r.group == key]) for key in keys]


def figure(key: str, title: str, rows: list[TargetRow]) -> GroupFigure:
    counts = Counter(r.status for r in rows)
    partial = sum(1 for r in rows if r.status == REUSABLE and r.still_needed)
    return GroupFigure(key, title, len(rows), {s: counts.get(s, 0) for s in STATUSES}, partial)


def clause_group_titles() -> dict[str, str]:
    entries = isms_entries(ISMS_27001)
    return {e.id: f"{e.id} {e.title}" for e in entries if e.parent is None and e.id[0].isdigit()}
