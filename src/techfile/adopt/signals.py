"""The softer signals of a file's type, each with the reason a reader is shown: GSTT's
`template_id`, the file name, and the phrases of its first heading and its `title`, compared
with the type names, aliases and `h1` phrases of `data/types.yaml`; last and weakest, section
headings that together mark a type (a generated threat-model report has no H1, but its
`Potential Threats` beside `Dataflow Diagram` say what it is)."""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Any

from techfile.adopt.file_facts import GSTT_TEMPLATE_ID, FileFacts

# GSTT forms by template_id: the form a record was made from says what the record is.
GSTT_FORMS = {
    "F.001": ("training-record", "Training Log"),
    "F.009": ("risk-management-plan", "Clinical Risk Management Plan"),
    "F.012": ("risk-management-report", "Clinical Safety Case Report"),
    "F.013": ("risk-analysis", "Hazard Log"),
    "F.024": ("security-risk-assessment", "Cyber Security"),
    "F.028": ("ifu", "Instructions For Use"),
}

# Weights of the softer signals; the highest total wins.
WEIGHTS = {"template": 3, "file name": 2, "H1": 2, "title": 2, "sections": 1}
# Section headings that mark a type: one of the first phrases and one of the second. A threat
# model (EN IEC 81001-5-1:2022 7.2) lists its threats beside the flows of information (7.2(a))
# or the trust boundaries they cross, as pytm, Threat Dragon and the Microsoft tool write it.
SECTION_MARKS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "threat-model": (
        ("threats", "potential threats", "identified threats", "threat list", "stride"),
        (
            "data flow diagram",
            "dataflow diagram",
            "data flows",
            "dataflows",
            "dfd",
            "trust boundaries",
            "trust boundary",
        ),
    ),
}
_PROCEDURE = re.compile(r"^(?:sop|standard operating procedure|procedure)\b")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")

Signal = tuple[str, str, str]  # (type, kind, reason); kind is a key of WEIGHTS


def signals(file: FileFacts, registry: Any) -> list[Signal]:
    """Every signal the file gives, template first, then file name, H1 and title."""
    found = _template_signals(file) + _name_signals(file, registry)
    for label, text in (("H1", file.h1), ("title", file.title)):
        if not text:
            continue
        type_name, phrase = _phrase_type(text, registry)
        if type_name is not None:
            found.append((type_name, label, f'{label} "{text}" says {phrase}'))
    return found + _section_signals(file)


def _section_signals(file: FileFacts) -> list[Signal]:
    """Headings that mark a type. Not in a report generator's template: its headings are those
    of every report it will make, not evidence that it is one."""
    found: list[Signal] = []
    if file.generator_template:
        return found
    for type_name, (essential, supporting) in SECTION_MARKS.items():
        first = _heading_with(file.sections, essential)
        second = _heading_with(file.sections, supporting)
        if first and second:
            reason = f'headings "{first}" and "{second}" are those of a {type_name}'
            found.append((type_name, "sections", reason))
    return found


def _heading_with(headings: tuple[str, ...], phrases: tuple[str, ...]) -> str | None:
    """The first heading that contains one of the phrases, as whole words."""
    for heading in headings:
        words = f" {_words(heading)} "
        if any(f" {phrase} " in words for phrase in phrases):
            return heading
    return None


def _template_signals(file: FileFacts) -> list[Signal]:
    template_id = file.front_matter.get("template_id", "").strip()
    match = GSTT_TEMPLATE_ID.match(template_id)
    if not match:
        return []
    kind, number = match.group("kind").upper(), match.group("number")
    form = GSTT_FORMS.get(f"{kind}.{number}")
    if form:
        return [(form[0], "template", f"template_id `{template_id}` is GSTT's {form[1]}")]
    if kind == "PR":
        return [("qms-procedure", "template", f"template_id `{template_id}` is an SOP")]
    return []


def _name_signals(file: FileFacts, registry: Any) -> list[Signal]:
    stem = name_stem(file.path)
    name = PurePosixPath(file.path).name
    by_name = registry.canonical(stem)
    if by_name is not None:
        return [(by_name, "file name", f"file name `{stem}` is a name of {by_name}")]
    if stem.startswith("sop-") or name.upper().startswith("CSC-PR-"):
        return [("qms-procedure", "file name", f"file name `{name}` names an SOP")]
    return []


def name_stem(path: str) -> str:
    """The file name as a type name would be written: `CSC-F-013-Hazard-Log-Template.md` is
    `hazard-log`, `risk-table-fmea/index.md` is `risk-table-fmea`."""
    pure = PurePosixPath(path)
    stem = pure.stem
    if stem.casefold() in ("index", "readme", "_index") and pure.parent.name:
        stem = pure.parent.name
    stem = re.sub(r"^csc[-_ ](?:f|pr|i|pl)[-_ ]\d+[-_ ]", "", stem, flags=re.IGNORECASE)
    stem = re.sub(r"[-_ ]template$", "", stem, flags=re.IGNORECASE)
    return _NON_ALNUM.sub("-", stem.casefold()).strip("-")


def _words(text: str) -> str:
    return " ".join(_NON_ALNUM.sub(" ", text.casefold()).split())


def _phrase_type(text: str, registry: Any) -> tuple[str | None, str]:
    """The type whose longest `h1` phrase the text contains; an SOP about X is an SOP."""
    words = _words(text)
    if _PROCEDURE.match(words):
        return "qms-procedure", "it is a standard operating procedure"
    best: tuple[int, str, str] | None = None
    for name, doc_type in sorted(registry.types.items()):
        for phrase in doc_type.h1:
            normal = _words(phrase)
            found = bool(normal) and f" {normal} " in f" {words} "
            if found and (best is None or len(normal) > best[0]):
                best = (len(normal), name, phrase)
    if best is None:
        return None, ""
    return best[1], f'"{best[2]}"'
