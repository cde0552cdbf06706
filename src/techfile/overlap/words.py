"""Wording shared by the HTML and Markdown overlap reports: the statuses, the one-way rule and
the limits. A regulatory lead reads these first."""

from __future__ import annotations

from techfile.overlap.data import DECLARED, GAP, ISMS, NOT_APPLICABLE, PRODUCT, QMS, REUSABLE, SOA
from techfile.overlap.data import SUPPORTS as SUPPORTS_STATUS

STATUS_WORDS = {
    REUSABLE: "reusable",
    DECLARED: "declared",
    SUPPORTS_STATUS: "supports",
    GAP: "gap",
    NOT_APPLICABLE: "not applicable",
}
# The report's colour for each status (report.css): never the only carrier, the word is written.
STATUS_STATE = {
    REUSABLE: "green",
    DECLARED: "blue",
    SUPPORTS_STATUS: "amber",
    GAP: "red",
    NOT_APPLICABLE: "grey",
}
STATUS_MEANING = {
    REUSABLE: "an approved QMS document (ISO 13485) already gives it: equivalent, or partial "
    "with what is still needed",
    DECLARED: "the ISMS says it is in place: the Statement of Applicability marks the control "
    "implemented, or a document cites the clause or control itself",
    SUPPORTS_STATUS: "evidence that helps an auditor but is not what is asked: product security "
    "evidence (EN IEC 81001-5-1, IEC 62304) or a QMS process that only supports it",
    GAP: "nothing in this repository gives it",
    NOT_APPLICABLE: "the Statement of Applicability excludes the control (not counted)",
}
KIND_WORDS = {
    QMS: "QMS (ISO 13485)",
    PRODUCT: "product security",
    ISMS: "ISMS document",
    SOA: "Statement of Applicability",
}
RELATIONSHIP_WORDS = {
    "equivalent": "equivalent",
    "partial": "partial",
    "supports": "supports",
    "none": "not equated",
    "declares": "cites the clause",
    "implements": "named in the SoA",
}

ONE_WAY = (
    "One way only. QMS procedures and product security evidence may count towards ISMS "
    "requirements and Annex A controls; ISMS evidence never stands in for a product "
    "requirement. An ISO/IEC 27001 certificate or Statement of Applicability cited for a "
    "clause about the device itself stays a finding of techfile check (EV001), whatever this "
    "report shows."
)
READINESS = (
    "A readiness aid, not a certification opinion. This report compares the documents in this "
    "repository with crosswalks shipped with techfile, which are the project's own analysis "
    "and not an official correspondence (no official one between ISO 13485 and ISO/IEC 27001 "
    "exists). Only the audit of an accredited certification body decides whether an ISMS "
    "conforms to ISO/IEC 27001."
)
LIMITS = (
    "What is measured: which document says it implements which clause (its `evidence_for`, a "
    "conformity-matrix row, an OpenRegulatory-style `| ISO 13485:2016 Section | ... |` table) "
    "and what the Statement of Applicability decides. Not measured: whether the content is "
    "adequate, ISMS documents kept outside this repository, and controls outside Annex A. "
    "ISMS risk (6.1.2, 6.1.3, 8.2, 8.3) is risk to information and is never equated with ISO "
    "14971 product risk. A document without a status counts, as everywhere in techfile; a "
    "draft does not."
)
COVERAGE_RULE = (
    "Coverage: reusable and declared targets as a share of the applicable ones (excluded "
    "controls left out), rounded down. Supports does not count as covered."
)
HASH_RULE = (
    "sha256 over the input files sorted by path, each hashed as its UTF-8 root-relative path, "
    "a NUL byte, its size as 8 bytes big-endian, then its bytes."
)


def count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"
