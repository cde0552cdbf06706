"""SDL009 it-security-requirements-incomplete: the minimum IT requirements for running the
software say nothing about hardware, IT network characteristics, IT security measures or
protection against unauthorised access.
"""

from __future__ import annotations

from collections.abc import Iterator

from techfile.model.document import Document
from techfile.model.finding import Finding
from techfile.model.lifecycle import ItRequirement, lifecycle_data
from techfile.model.lifecycle import has_phrase as _has_phrase
from techfile.model.lifecycle import texts as _texts
from techfile.rules.base import Context, rule
from techfile.rules.lifecycle.common import lifecycle_applies


def _either(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def _part_covered(part: ItRequirement, documents: list[Document]) -> bool:
    for document in documents:
        if document.type == "it-security-requirements" and _texts(document.meta.get(part.field)):
            return True
        for level, text, _line in document.headings:
            if level >= 2 and _has_phrase(text, part.headings):
                return True
    return False


@rule("SDL009")
def it_security_requirements_incomplete(ctx: Context) -> Iterator[Finding]:
    requirements = ctx.index.of_type("it-security-requirements")
    documents = requirements + ctx.index.of_type("ifu")
    if not requirements and not (documents and lifecycle_applies(ctx)):
        return
    missing = [
        part for part in lifecycle_data().it_requirements if not _part_covered(part, documents)
    ]
    if not missing:
        return
    target = documents[0]
    names = _either([part.name for part in missing])
    fields = ", ".join(f"`{part.field}`" for part in missing)
    looked = " and ".join(d.label() for d in documents[:3])
    clause = ctx.page_clause("SDL009")
    heading = missing[0].name[:1].upper() + missing[0].name[1:]
    each = "it" if len(missing) == 1 else "each"
    plural = "field" if len(missing) == 1 else "fields"
    fields_hint = (
        f", or the front-matter {plural} {fields}"
        if target.type == "it-security-requirements"
        else ""
    )
    yield ctx.finding(
        "SDL009",
        f"the minimum IT requirements ({looked}) say nothing about {names}",
        target.location(),
        clause=clause,
        key=tuple(part.field for part in missing),
        why=f"{clause} asks manufacturers of software to state the minimum hardware, IT network "
        "and IT security requirements, protection against unauthorised access included, needed "
        "to run it as intended, and a notified body will look for each.",
        fix=f"Add a section for {each} to {target.label()} (for example `## {heading}`)"
        f"{fields_hint}.",
    )
