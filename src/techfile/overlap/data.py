"""What the overlap report shows: the plain values `gather` builds from one run and the HTML,
Markdown, JSON and CSV renderers lay out. Nothing here reads files or runs rules."""

from __future__ import annotations

from dataclasses import dataclass

# Statuses, strongest first: a target takes the first that applies (measure.py).
NOT_APPLICABLE, REUSABLE, DECLARED, SUPPORTS, GAP = (
    "not-applicable",
    "reusable",
    "declared",
    "supports",
    "gap",
)
STATUSES = (REUSABLE, DECLARED, SUPPORTS, GAP, NOT_APPLICABLE)
# How a document is linked to a target.
QMS, PRODUCT, ISMS, SOA = "qms", "product", "isms", "soa"


@dataclass(frozen=True)
class Header:
    target: str  # "ISO/IEC 27001:2022"
    device_name: str
    as_of: str
    tool_version: str
    input_hash: str
    input_files: int
    files: int
    classified: int
    root_name: str


@dataclass(frozen=True)
class DocumentRef:
    """A document of the repository as the report names it."""

    label: str  # id, else path
    title: str
    path: str
    type: str  # the type in words
    evidence_class: str  # process | product | organisational | unknown
    version: str  # as written, "" when none
    approval: str  # approved | approval not stated | not approved (draft) | withdrawn (...)
    counts: bool  # approved, or without a status (techfile does not judge eQMS approvals)


@dataclass(frozen=True)
class Source:
    """One document that gives something towards a target, and how."""

    document: DocumentRef
    kind: str  # qms | product | isms | soa
    via: str  # "ISO 13485:2016 4.2.4 (evidence_for)", "SoA ISMS-SOA-001 line 30"
    relationship: str  # equivalent | partial | supports | none | declares | implements
    confidence: str  # high | medium | low; "" for declarations
    note: str  # the crosswalk's note, or what the SoA says

    @property
    def counts(self) -> bool:
        return self.document.counts


@dataclass(frozen=True)
class SoaDecision:
    """What a Statement of Applicability says about a control."""

    soa: str  # the SoA's label
    line: int
    applicable: bool | None
    implemented: str  # yes | no | the word written | "" when not said
    justification: str
    implemented_by: tuple[tuple[str, DocumentRef | None], ...]  # as written, and resolved
    counts: bool  # the SoA is approved or without a status


@dataclass(frozen=True)
class TargetRow:
    """A clause of 4 to 10 or an Annex A control, with its status and what gives it."""

    id: str  # "7.5.2", "A.8.8"
    title: str  # our paraphrase (data/isms/iso-iec-27001.yaml)
    group: str  # "7" for a clause, the theme for a control
    is_control: bool
    status: str  # one of STATUSES
    reason: str  # the status in a sentence
    sources: tuple[Source, ...]
    still_needed: tuple[str, ...]  # what partial crosswalk rows say is still needed
    soa: SoaDecision | None


@dataclass(frozen=True)
class GroupFigure:
    """Coverage of one clause group (4 to 10) or Annex A theme."""

    key: str  # "4" ... "10", or organisational | people | physical | technological
    title: str
    total: int
    counts: dict[str, int]  # status -> number of targets
    partial: int  # reusable targets whose QMS relationship is only partial

    @property
    def applicable(self) -> int:
        return self.total - self.counts.get(NOT_APPLICABLE, 0)

    @property
    def covered(self) -> int:
        return self.counts.get(REUSABLE, 0) + self.counts.get(DECLARED, 0)

    @property
    def percent(self) -> int:
        """Covered share of the applicable targets, rounded down."""
        return self.covered * 100 // self.applicable if self.applicable else 0


@dataclass(frozen=True)
class IsFinding:
    code: str
    severity: str
    clause: str
    message: str
    path: str
    line: int


@dataclass(frozen=True)
class Certificate:
    label: str
    certifies: str
    expiry: str
    scope: str
    approval: str


@dataclass(frozen=True)
class CrosswalkNote:
    title: str
    provenance: str
    verification: str


@dataclass(frozen=True)
class OverlapData:
    header: Header
    clauses: tuple[TargetRow, ...]
    controls: tuple[TargetRow, ...]
    clause_groups: tuple[GroupFigure, ...]
    themes: tuple[GroupFigure, ...]
    clauses_total: GroupFigure
    controls_total: GroupFigure
    findings: tuple[IsFinding, ...]
    documents: tuple[DocumentRef, ...]  # every document that gives something, by label
    soas: tuple[DocumentRef, ...]
    certificates: tuple[Certificate, ...]
    crosswalks: tuple[CrosswalkNote, ...]
    notices: tuple[str, ...]

    def rows(self) -> tuple[TargetRow, ...]:
        return self.clauses + self.controls
