"""The capability registry: the sections of the MDS2 form (ANSI/NEMA HN 1-2019) that
`techfile pack` answers from the technical file and the PK rules check a disclosure against
(data/capabilities/mds2-2019.yaml, validated by schemas/capabilities.schema.json).

Section codes come from secondary sources until checked against the NEMA workbook; every
section carries its sources and a confidence, and the questions are techfile's own paraphrases
with its own keys (`TXCF.a`), not the form's question numbers.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from techfile.data.registry import load_data
from techfile.data.schemas import validator

REGISTRY_FILE = "capabilities/mds2-2019.yaml"
ANSWERS = ("Yes", "No", "N/A", "See note")


@dataclass(frozen=True, slots=True)
class Question:
    key: str  # "TXCF.a": techfile's own key
    text: str  # paraphrased
    answer_from: str  # capability | interfaces | ... | manual (see the data file)
    section: str  # the section code


@dataclass(frozen=True, slots=True)
class Section:
    code: str
    title: str
    gist: str
    iec_80001_2_2: str | None
    sources: tuple[str, ...]
    confidence: str  # high | medium | low
    note: str
    questions: tuple[Question, ...]

    @property
    def lead(self) -> Question:
        """The question an answer without a question key refers to."""
        return self.questions[0]

    def label(self) -> str:
        """`TXCF (Transmission confidentiality)`."""
        return f"{self.code} ({self.title})"


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    title: str
    url: str
    kind: str
    says: str


@dataclass(frozen=True)
class CapabilityRegistry:
    key: str
    form: str
    standard: str
    status: str
    verification: str
    capability_standard: str
    sources: tuple[Source, ...]
    sections: tuple[Section, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(section.code for section in self.sections)

    def section(self, code: str) -> Section | None:
        wanted = code.strip().upper()
        return next((s for s in self.sections if s.code == wanted), None)

    def question(self, key: str) -> Question | None:
        wanted = key.strip()
        code, _, letter = wanted.partition(".")
        section = self.section(code)
        if section is None or not letter:
            return None
        return next((q for q in section.questions if q.key == f"{section.code}.{letter}"), None)

    def questions(self) -> tuple[Question, ...]:
        """Every question, in the questionnaire's section order."""
        return tuple(q for section in self.sections for q in section.questions)


class CapabilityDataError(ValueError):
    """The shipped capability registry does not follow its schema (a broken installation)."""


@functools.cache
def capability_registry() -> CapabilityRegistry:
    raw = load_data(REGISTRY_FILE)
    errors = sorted(validator("capabilities.schema.json").iter_errors(raw), key=str)
    if errors:
        raise CapabilityDataError(f"{REGISTRY_FILE}: {errors[0].message}")
    sections = tuple(
        Section(
            code=str(entry["code"]),
            title=str(entry["title"]),
            gist=str(entry["gist"]),
            iec_80001_2_2=entry.get("iec_80001_2_2"),
            sources=tuple(str(s) for s in entry["source"]),
            confidence=str(entry["confidence"]),
            note=str(entry.get("note") or ""),
            questions=tuple(
                Question(str(q["key"]), str(q["text"]), str(q["answer_from"]), str(entry["code"]))
                for q in entry["questions"]
            ),
        )
        for entry in raw["sections"]
    )
    standard = raw.get("capability_standard") or {}
    return CapabilityRegistry(
        key=str(raw["key"]),
        form=str(raw["form"]),
        standard=str(raw["standard"]),
        status=" ".join(str(raw["status"]).split()),
        verification=" ".join(str(raw["verification"]).split()),
        capability_standard=str(standard.get("name") or ""),
        sources=tuple(
            Source(
                str(s["id"]), str(s["title"]), str(s.get("url") or ""), str(s["kind"]), s["says"]
            )
            for s in raw["sources"]
        ),
        sections=sections,
    )
