"""What the customer security pack shows: the plain values `gather` builds from one run and the
HTML, Markdown, JSON and CSV renderers lay out. Nothing here reads files or runs rules."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Stamp:
    """What the pack is about and what it was made from."""

    device: str
    manufacturer: str
    software_version: str
    release: str  # the release record it came from, in words
    as_of: str
    git_commit: str  # HEAD of the repository holding the technical file, or "not a git repository"
    input_hash: str
    input_files: int
    tool_version: str
    root_name: str
    form: str  # the questionnaire and the standard that defines it
    registry_status: str  # where the section codes come from


@dataclass(frozen=True)
class Fact:
    """One line of the device and support summary."""

    label: str
    value: str  # "" when the technical file does not state it
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class AnswerRow:
    """One question of the questionnaire and the technical file's answer."""

    section: str  # TXCF
    section_title: str
    question: str  # TXCF.a
    text: str
    answer: str  # Yes | No | N/A | See note | "" (manual)
    note: str
    evidence: tuple[str, ...]
    confidence: str  # how sure the registry is of the section code
    iec_80001_2_2: str

    @property
    def manual(self) -> bool:
        return not self.answer


@dataclass(frozen=True)
class SbomSummary:
    document: str  # SBOM-001, or the artifact's path
    path: str
    format: str  # "CycloneDX 1.5 JSON"
    problem: str  # why it could not be read, else ""
    components: int
    missing: tuple[tuple[str, int], ...]  # NTIA minimum element -> components (or 1) lacking it
    complete: bool


@dataclass(frozen=True)
class Transparency:
    sboms: tuple[SbomSummary, ...]
    past_support: tuple[str, ...]  # "numpy 2.1.3 (2026-01-01)"
    near_support: tuple[str, ...]
    support_unknown: int  # components with no end-of-support date (announced or not)
    vulnerability_states: tuple[tuple[str, int], ...]  # analysis state -> count
    vex_sources: tuple[str, ...]
    last_review: str  # "2026-05-15 (anomaly reviews of SOUP-001)" or ""
    supplier: str = ""  # the supplier of the SBOM's root component (the manufacturer)


@dataclass(frozen=True)
class ActivityRow:
    clause: str  # "EN IEC 81001-5-1:2022 7.2"
    name: str
    state: str  # green | amber | red | grey
    verdict: str
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class Development:
    activities: tuple[ActivityRow, ...]
    pentests: tuple[Fact, ...]  # label: report id; value: date, version, independence
    threat_model_review: tuple[Fact, ...]


@dataclass(frozen=True)
class Certificate:
    document: str
    kind: str  # ISO/IEC 27001 certificate, SOC 2 report, ...
    standard: str
    holder: str  # whose it is: the manufacturer, or the supplier's name
    scope: str
    issuer: str
    validity: str  # "valid until 2028-09-14" / "expired on ..." / "period 2024-10-01 to 2025-09-30"
    state: str  # valid | expired | unknown


@dataclass(frozen=True)
class Responsibility:
    mitigation: str  # TM-001:M-09
    description: str
    by: str  # environment | operator | user
    told_in: tuple[str, ...]
    in_disclosures: tuple[str, ...]  # the disclosure statements that list it


@dataclass(frozen=True)
class CheckRow:
    code: str
    severity: str
    message: str
    place: str  # path:line


@dataclass(frozen=True)
class DisclosureCheck:
    statements: tuple[Fact, ...]  # label: MDS2-001; value: version, status, approval
    findings: tuple[CheckRow, ...]


@dataclass(frozen=True)
class PackData:
    stamp: Stamp
    support: tuple[Fact, ...]
    answers: tuple[AnswerRow, ...]
    transparency: Transparency
    development: Development
    certificates: tuple[Certificate, ...]
    responsibilities: tuple[Responsibility, ...]
    disclosure: DisclosureCheck
    notices: tuple[str, ...] = ()

    def sections(self) -> list[tuple[str, str, list[AnswerRow]]]:
        """(code, title, rows) in the questionnaire's order."""
        found: dict[str, tuple[str, list[AnswerRow]]] = {}
        for row in self.answers:
            found.setdefault(row.section, (row.section_title, []))[1].append(row)
        return [(code, title, rows) for code, (title, rows) in found.items()]

    def answered_sections(self) -> list[str]:
        """Sections whose first question the technical file answers."""
        return [code for code, _, rows in self.sections() if not rows[0].manual]

    def manual_sections(self) -> list[str]:
        return [code for code, _, rows in self.sections() if rows[0].manual]
