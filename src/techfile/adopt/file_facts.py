"""What one Markdown file shows about itself: its front-matter scalars, its headings (the first
H1 is its title), the words of the organisation's own IT it uses, and the marks of the template
set (OpenRegulatory, GSTT, rdm) it was written in."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

_OPENREGULATORY_MARKS = (
    "template copyright [openregulatory.com]",
    "openregulatory (openreg gmbh)",
    "github.com/openregulatory/templates",
)
_GSTT_NAME = re.compile(r"^CSC-(?:F|PR|I|PL)-\d{3}\b", re.IGNORECASE)
# Jinja (`{{ item.name }}`, `{% for %}`) and format-string (`{tm.description}`,
# `{dataflows:repeat:`) placeholders of a report generator's template
_GENERATOR_PLACEHOLDER = re.compile(
    r"\{\{.*?\}\}|\{%.*?%\}|\{[A-Za-z_]\w*(?:\.\w+)+\}|\{[A-Za-z_]\w*:\w+:"
)
GSTT_TEMPLATE_ID = re.compile(r"^CSC\s+(?P<kind>[A-Z]+)\.(?P<number>\d{3})$", re.IGNORECASE)


@dataclass(frozen=True)
class FileFacts:
    """What one Markdown file shows about itself."""

    path: str  # root-relative, POSIX
    front_matter: dict[str, str]  # top-level scalar keys as written
    has_front_matter: bool
    h1: str | None
    conventions: frozenset[str]  # presets whose marks the file carries
    problem: str | None = None  # why the file could not be read
    sections: tuple[str, ...] = ()  # the text of every top-level heading, in order
    generator_template: bool = False  # the body holds a report generator's placeholders
    own_it: tuple[str, ...] = ()  # words of the organisation's own IT (adopt.scope)

    @property
    def declared_type(self) -> str | None:
        value = self.front_matter.get("type", "").strip()
        return value or None

    @property
    def title(self) -> str | None:
        value = self.front_matter.get("title", "").strip()
        return value or None

    @property
    def has_id(self) -> bool:
        return bool(
            self.front_matter.get("id", "").strip() or self.front_matter.get("record_id", "")
        )


def unreadable(path: str, problem: str) -> FileFacts:
    """The facts of a file that could not be read: only why."""
    return FileFacts(path, {}, False, None, frozenset(), problem)


def facts(path: str, data: bytes) -> FileFacts:
    """The facts of one file from its bytes (pure: nothing else is read)."""
    from techfile.adopt.scope import own_it_words
    from techfile.intake.markdown import scan_headings
    from techfile.intake.split import split_front_matter
    from techfile.intake.text import decode

    decoded = decode(data)
    if decoded.text is None:
        reason = decoded.diagnostic.message if decoded.diagnostic else "cannot be decoded"
        return unreadable(path, reason)
    text = decoded.text
    split = split_front_matter(text)
    front_matter = _scalars(split.front_matter) if split.front_matter else {}
    headings = scan_headings(split.body, split.body_line)
    texts = tuple(" ".join(text.split()) for _, text, _ in headings)  # one line each
    h1 = next((t for (level, _, _), t in zip(headings, texts, strict=True) if level == 1), None)
    return FileFacts(
        path,
        front_matter,
        split.front_matter is not None,
        h1,
        _conventions(path, text, front_matter),
        sections=texts,
        generator_template=bool(_GENERATOR_PLACEHOLDER.search(split.body)),
        own_it=own_it_words(text),
    )


def _scalars(yaml_text: str) -> dict[str, str]:
    """Top-level keys with scalar values, as written; nothing is constructed."""
    from techfile.intake.yamltree import TreeError, build_tree

    try:
        root = build_tree(yaml_text)
    except TreeError:
        return {}
    if root is None or root.kind != "map":
        return {}
    found: dict[str, str] = {}
    for key, value in root.pairs:
        if key.kind == "scalar":
            found[key.value] = value.value if value.kind == "scalar" else ""
    return found


def _conventions(path: str, text: str, front_matter: dict[str, str]) -> frozenset[str]:
    marks: set[str] = set()
    folded = text.casefold()
    if any(mark in folded for mark in _OPENREGULATORY_MARKS):
        marks.add("openregulatory")
    name = PurePosixPath(path).name
    if (
        ("template_id" in front_matter and "qms_version" in front_matter)
        or GSTT_TEMPLATE_ID.match(front_matter.get("template_id", "").strip())
        or (_GSTT_NAME.match(name) and "qms_version" in front_matter)
    ):
        marks.add("gstt")
    if "revision" in front_matter and "id" in front_matter and "template_id" not in front_matter:
        marks.add("rdm")
    return frozenset(marks)
