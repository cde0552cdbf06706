"""EV: is the evidence cited for each clause the kind of evidence that clause needs?

Which classes a clause accepts, and which organisational types it takes as support, come from
the clause registry (`data/clauses/*.yaml`); the GSPR rows a software device must have come
from `data/gspr-requirements.yaml`. No rule here holds a clause list of its own.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from techfile.data.clauses import MDR_FAMILY, Clause
from techfile.data.registry import load_data, type_registry
from techfile.model.document import Document
from techfile.model.evidence import (
    Citation,
    Row,
    clause_mentions,
    document_rows,
    document_status,
    row_citations,
    rows,
    run_citations,
)
from techfile.model.finding import Finding, Location
from techfile.rules.base import Context, rule

CLASS_WORDS = {
    "product": "product evidence",
    "process": "process evidence",
    "organisational-supporting": "organisational evidence as support",
}
SATISFYING = ("product", "process")  # classes that can meet a clause on their own
UNRELEASED = {"draft": "a draft", "in-review": "still in review"}
WITHDRAWN = {"obsolete": "obsolete", "superseded": "superseded"}


def evidence_class(ctx: Context, citation: Citation) -> str | None:
    """The evidence class of the cited document; a penetration test of something other than
    the device is an enterprise test, i.e. organisational."""
    return document_class(ctx, citation.evidence)


def document_class(ctx: Context, document: Document | None) -> str | None:
    return None if document is None else ctx.evidence_class(document)


def satisfies(ctx: Context, clause: Clause, document: Document | None) -> bool:
    """The document can meet the clause on its own (product or process evidence it accepts)."""
    kind = document_class(ctx, document)
    return kind in SATISFYING and kind in clause.accepts


def supports_only(clause: Clause, document: Document) -> bool:
    """Organisational evidence the clause takes only as support beside other evidence."""
    return "organisational-supporting" in clause.accepts or document.type in clause.supporting


def needs_words(clause: Clause) -> str:
    """`product evidence`, `process evidence` or `product or process evidence`."""
    kinds = [c for c in SATISFYING if c in clause.accepts] or ["product"]
    return f"{' or '.join(kinds)} evidence"


def type_title(document: Document) -> str:
    types = type_registry().types
    return types[document.type].title if document.type in types else "Document"


def kind_words(document: Document) -> str:
    return (document.type or "document").replace("-", " ")


ACRONYMS = {
    "isms": "ISMS",
    "soa": "SoA",
    "qms": "QMS",
    "soup": "SOUP",
    "sbom": "SBOM",
    "it": "IT",
    "ifu": "IFU",
    "cvd": "CVD",
    "hds": "HDS",
    "dpia": "DPIA",
    "soc2": "SOC 2",
    "pms": "PMS",
    "gspr": "GSPR",
}


def kind_name(document: Document) -> str:
    """The type in words: `QMS procedure`, `threat model`, `ISMS SoA`."""
    words = (document.type or "document").split("-")
    return " ".join(ACRONYMS.get(word, word) for word in words)


# --- EV001 ------------------------------------------------------------------------------


def organisational_citations(
    ctx: Context,
) -> Iterator[tuple[Citation, Clause, Document, list[Citation]]]:
    """Citations of organisational documents for clauses the registry knows (EV001, EV007)."""
    all_citations = run_citations(ctx)
    for citation in all_citations:
        clause, document = citation.clause, citation.evidence
        if clause is None or document is None:
            continue
        if evidence_class(ctx, citation) == "organisational":
            yield citation, clause, document, all_citations


@rule("EV001")
def organisational_evidence_for_product_clause(ctx: Context) -> Iterator[Finding]:
    for citation, clause, document, all_citations in organisational_citations(ctx):
        if supports_only(clause, document):
            continue
        yield ctx.finding(
            "EV001",
            _message(ctx, citation, all_citations),
            citation.location,
            clause=ctx.clauses.display(citation.ref),
            key=(document.id or document.path,),
        )


def _message(ctx: Context, citation: Citation, all_citations: list[Citation]) -> str:
    assert citation.evidence is not None and citation.clause is not None
    document = citation.evidence
    clause = ctx.clauses.display(citation.ref)
    needs = " or ".join(CLASS_WORDS[c] for c in sorted(citation.clause.accepts) if c in CLASS_WORDS)
    needs = needs or "product evidence"
    alternative = _accepted_alternative(ctx, citation.clause, all_citations)
    such_as = f", such as {alternative}" if alternative else ""
    supporting = _supporting_clauses(ctx, citation)
    keep = (
        f"; keep {document.label()} only for clauses that accept organisational evidence as "
        f"support ({supporting}), beside process evidence"
        if supporting
        else ""
    )
    return (
        f"{type_title(document)} {document.label()} is cited for {clause}; a notified body will "
        f"ask for {needs} here{such_as}, because organisational (ISMS) evidence describes how the "
        f"company runs information security, not the device. Cite {needs} for "
        f"{citation.ref.clause}{keep}"
    )


def _supporting_clauses(ctx: Context, citation: Citation) -> str:
    standard = ctx.clauses.standards.get(citation.ref.family or "")
    if standard is None or citation.evidence is None:
        return ""
    parents = {c.parent for c in standard.clauses.values()}
    fitting = [
        c.id
        for c in standard.clauses.values()
        if c.id not in parents
        and ("organisational-supporting" in c.accepts or citation.evidence.type in c.supporting)
    ]
    return ", ".join(fitting[:4])


def _accepted_alternative(
    ctx: Context, clause: Clause, all_citations: list[Citation], satisfying: bool = False
) -> str | None:
    """Another document in the file already cited for the same clause with an accepted class
    (with `satisfying`, one that can meet the clause on its own)."""
    for other in all_citations:
        if other.clause is not clause or other.evidence is None:
            continue
        kind = evidence_class(ctx, other)
        if (kind in SATISFYING if satisfying else True) and kind in clause.accepts:
            return f"{other.evidence.label()} ({kind_words(other.evidence)})"
    return None


# --- EV002 ------------------------------------------------------------------------------


@rule("EV002")
def requirement_without_accepted_evidence(ctx: Context) -> Iterator[Finding]:
    all_citations = run_citations(ctx)
    for row in rows(ctx.index, ctx.clauses):
        clause = row.clause
        if clause is None or not _claims_conformity(row):
            continue
        cited = row_citations(ctx.index, row)
        if any(c.evidence is None for c in cited):
            continue  # an entry that leads nowhere is ID002's; it may be the accepted one
        if any(satisfies(ctx, clause, c.evidence) for c in cited):
            continue
        yield ctx.finding(
            "EV002",
            _missing_message(ctx, row, cited, all_citations),
            row.item.location_of("evidence") if cited else row.item.location,
            clause=ctx.clauses.display(row.ref),
            key=(row.clause_id,),
        )


def _claims_conformity(row: Row) -> bool:
    if row.document.type == "gspr-checklist":
        return row.effective_applicable() is True
    return row.applicable is not False  # a matrix row applies unless it says otherwise


def _missing_message(
    ctx: Context, row: Row, cited: list[Citation], all_citations: list[Citation]
) -> str:
    assert row.clause is not None
    clause = ctx.clauses.display(row.ref)
    needs = needs_words(row.clause)
    alternative = _accepted_alternative(ctx, row.clause, all_citations, satisfying=True)
    such_as = f", such as {alternative}" if alternative else ""
    where = f"the row for {clause} in {row.document.label()}"
    if not cited:
        either = ""
        if row.document.type == "gspr-checklist" and not row.standards:
            either = " (it names no standard or other solution applied either)"
        return (
            f"{where}{' is marked applicable but' if row.applicable else ''} cites no "
            f"evidence{either}; a notified body will "
            f"ask for the controlled documents that show conformity (MDR Annex II section 4), "
            f"here {needs}{such_as}. Add them to the row's evidence"
        )
    documents = [c.evidence for c in cited if c.evidence is not None]
    listed = ", ".join(f"{d.label()} ({kind_name(d)})" for d in documents)
    which = "which" if len(documents) == 1 else "none of which"
    verb = "does not accept" if len(documents) == 1 else "accepts"
    support = [d for d in documents if document_class(ctx, d) == "organisational"]
    support = [d for d in support if supports_only(row.clause, d)]
    note = ""
    if support:
        names = ", ".join(d.label() for d in support)
        note = f"; {names} counts here only as support beside other evidence"
    return (
        f"{where} cites only {listed}, {which} {clause} {verb} as evidence on its own"
        f"{note}. A notified body will ask for {needs}{such_as}; add it to the row"
    )


# --- EV003 ------------------------------------------------------------------------------


@rule("EV003")
def evidence_not_released(ctx: Context) -> Iterator[Finding]:
    from_register = ctx.config.get("approval-source") == "register"
    grouped: dict[tuple[str, str], list[Citation]] = {}
    for citation in run_citations(ctx):
        document = citation.evidence
        if citation.row is None or document is None:
            continue  # `evidence_for` is a document speaking for itself; nobody relies on it yet
        status = document_status(ctx.index, document, from_register)
        if status not in UNRELEASED and status not in WITHDRAWN:
            continue
        key = (citation.citing.path, document.path)
        grouped.setdefault(key, []).append(citation)
    for found in grouped.values():
        first = found[0]
        document = first.evidence
        assert document is not None
        status = document_status(ctx.index, document, from_register) or ""
        clauses = _clause_list([ctx.clauses.display(c.ref) for c in found])
        yield ctx.finding(
            "EV003",
            _release_message(first.citing, document, status, clauses),
            first.location,
            clause=ctx.clauses.display(first.ref),
            key=(document.id or document.path,),
            related=tuple(c.location for c in found[1:]),
        )


def _clause_list(names: list[str]) -> str:
    unique = list(dict.fromkeys(names))
    if len(unique) <= 3:
        return ", ".join(unique)
    return f"{', '.join(unique[:3])} and {len(unique) - 3} more"


def _release_message(citing: Document, document: Document, status: str, clauses: str) -> str:
    named = f"{document.label()} ({kind_name(document)})"
    if status in WITHDRAWN:
        return (
            f"{citing.label()} cites {named} as evidence for {clauses}, but {document.label()} "
            f"is {WITHDRAWN[status]}; a notified body will ask why the technical file relies on a "
            "withdrawn document. Cite the document that replaced it"
        )
    return (
        f"{citing.label()} cites {named} as evidence for {clauses}, but {document.label()} is "
        f"{UNRELEASED[status]}; a notified body assesses released documents only. Approve "
        f"{document.label()} before the submission, or cite its approved version"
    )


# --- EV004 ------------------------------------------------------------------------------


@rule("EV004")
def unknown_clause(ctx: Context) -> Iterator[Finding]:
    for mention in clause_mentions(ctx.index, ctx.clauses):
        ref = mention.ref
        if not ctx.clauses.is_unknown(ref):
            continue
        standard = ctx.clauses.standards[ref.family or ""]
        guess = _suggestion(ctx, ref.family or "", ref.clause)
        hint = f"; did you mean {guess}?" if guess else "."
        yield ctx.finding(
            "EV004",
            f"`{mention.text.strip()}` names clause {ref.clause} of {standard.display}, which has "
            f"no such clause{hint} A notified body cannot follow a citation to a clause that does "
            "not exist, and techfile cannot check the evidence for it",
            mention.location,
            clause=ctx.clauses.display(ref),
            key=(mention.field, ref.clause),
        )


def _suggestion(ctx: Context, family: str, clause_id: str) -> str | None:
    """A guess at the clause meant: among the clauses beside the unknown one, the one that
    shares the longest beginning with it and is nearest in number; else the closest in the
    whole standard."""
    standard = ctx.clauses.standards[family]
    base, _, letter = clause_id.partition("(")
    parent = base if letter else base.rpartition(".")[0]
    siblings = [c.id for c in standard.clauses.values() if (c.parent or "") == parent]
    siblings = [s for s in siblings if s != parent]
    if siblings:
        best = max(siblings, key=lambda s: (_shared(s, clause_id), -_distance(s, clause_id)))
    else:
        close = difflib.get_close_matches(clause_id, sorted(standard.clauses), n=1, cutoff=0.5)
        if not close:
            return None
        best = close[0]
    return f"{best} ({standard.clauses[best].title})"


def _shared(a: str, b: str) -> int:
    """How many characters two clause ids share from the start."""
    count = 0
    for left, right in zip(a, b, strict=False):
        if left != right:
            break
        count += 1
    return count


def _distance(a: str, b: str) -> int:
    """How far apart the last parts of two clause ids are (`5.8`/`5.9`: 1; `(ab)`/`(ac)`: 1)."""

    def last(text: str) -> int:
        part = re.split(r"[.(]", text.rstrip(")"))[-1]
        if part.isdigit():
            return int(part)
        return sum((ord(ch) - 96) * 26**i for i, ch in enumerate(reversed(part.lower())))

    return abs(last(a) - last(b))


# --- EV005 ------------------------------------------------------------------------------


@rule("EV005")
def gspr_row_incomplete(ctx: Context) -> Iterator[Finding]:
    require_standards = ctx.options("EV005").get("require-standards", True) is not False
    for document in ctx.index.of_type("gspr-checklist"):
        checklist = list(document_rows(document, ctx.clauses))
        for row in checklist:
            problem = _row_problem(row, checklist, require_standards)
            if problem is None:
                continue
            gspr = ctx.clauses.display(row.ref)
            yield ctx.finding(
                "EV005",
                f"{gspr} in {document.label()} {problem}",
                row.item.location,
                clause=gspr,
                key=(row.clause_id,),
            )


def _row_problem(row: Row, checklist: list[Row], require_standards: bool) -> str | None:
    applicable = row.effective_applicable()
    if applicable is False:
        if row.justification:
            return None
        return (
            "is marked not applicable without a justification; MDR Annex II section 4 asks for "
            "the reason each requirement does not apply. Add it to the row's justification"
        )
    if _is_heading(row, checklist) and not (row.evidence or row.standards):
        return None  # a heading such as `17` or `23.4` whose points carry the answers
    if applicable is None:
        return (
            "says neither whether it applies nor how it is met; MDR Annex II section 4 asks for "
            "each requirement either the standards and evidence that show conformity or the "
            "reason it does not apply. Fill in applicable, and then the evidence or a justification"
        )
    missing = []
    if require_standards and not row.standards:
        missing.append("the standards, common specifications or other solutions applied")
    if not row.evidence:
        missing.append("the controlled documents that give the evidence")
    if not missing:
        return None
    if len(missing) == 2:
        return (
            f"is marked applicable but names neither {missing[0]} nor {missing[1]}; a notified "
            "body reads both from the checklist (MDR Annex II section 4). Add them"
        )
    return (
        f"is marked applicable but does not name {missing[0]}; a notified body reads the "
        "standards applied and the evidence from the checklist (MDR Annex II section 4). Add them"
    )


def _is_heading(row: Row, checklist: list[Row]) -> bool:
    if row.indents:
        return True
    prefix = (row.clause_id + "(", row.clause_id + ".")
    return any(
        other.document is row.document and other.clause_id.startswith(prefix) for other in checklist
    )


# --- EV006 ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RequiredRow:
    gspr: str
    required_when: tuple[str, ...]
    must_apply_when: tuple[str, ...]
    topic: str


@functools.cache
def required_rows() -> tuple[tuple[str, ...], tuple[RequiredRow, ...]]:
    """(software document types, required rows) from data/gspr-requirements.yaml."""
    data: dict[str, Any] = load_data("gspr-requirements.yaml")
    found = tuple(
        RequiredRow(
            str(entry["gspr"]),
            tuple(entry.get("required_when", ())),
            tuple(entry.get("must_apply_when", ())),
            str(entry.get("topic", "")),
        )
        for entry in data["rows"]
    )
    return tuple(data.get("software_document_types", ())), found


FLAG_FACTS = ("connected", "interoperates", "mobile_platforms")


def device_facts(ctx: Context, software_types: tuple[str, ...]) -> dict[str, str]:
    """Device facts that hold, each with where it was read (for messages)."""
    facts: dict[str, str] = {}
    descriptions = ctx.index.of_type("device-description")
    for name in FLAG_FACTS:
        if ctx.device.get(name) is True:
            facts[name] = f"`[device] {name} = true` in the configuration"
            continue
        for description in descriptions:
            if description.meta.get(name) is True:
                facts[name] = f"{description.label()} says `{name}: true`"
                break
    for key in ("software_safety_class", "software_version"):
        value = ctx.device.get(key)
        if isinstance(value, str) and value.strip():
            facts.setdefault("software", f"`[device] {key}` is set")
        for description in descriptions:
            value = description.meta.get(key)
            if isinstance(value, str) and value.strip():
                facts.setdefault("software", f"{description.label()} gives a `{key}`")
    software_docs = ctx.index.of_type(*software_types)
    if software_docs:
        facts.setdefault("software", f"the file holds {software_docs[0].label()}")
    return facts


FACT_WORDS = {
    "software": "the device is or contains software",
    "connected": "the device is connected",
    "interoperates": "the device interoperates with other devices or software",
    "mobile_platforms": "the software runs on mobile platforms",
}


@rule("EV006")
def cybersecurity_gspr_rows_missing(ctx: Context) -> Iterator[Finding]:
    checklists = ctx.index.of_type("gspr-checklist")
    if not checklists:
        return  # no checklist at all is not a missing row
    software_types, required = required_rows()
    facts = device_facts(ctx, software_types)
    present: dict[str, list[Row]] = {}
    all_rows: list[Row] = []
    for document in checklists:
        for row in document_rows(document, ctx.clauses):
            if row.ref.family == MDR_FAMILY:
                present.setdefault(row.clause_id, []).append(row)
                all_rows.append(row)
    for need in required:
        if not all(fact in facts for fact in need.required_when):
            continue
        because = " and ".join(f"{FACT_WORDS[f]} ({facts[f]})" for f in need.required_when)
        gspr = f"MDR Annex I {need.gspr}"
        found = present.get(need.gspr)
        if not found:
            yield ctx.finding(
                "EV006",
                f"the GSPR checklist has no row for {gspr} ({need.topic}), which a notified body "
                f"expects because {because}. Add the row: applicable with its evidence, or not "
                "applicable with a justification",
                _missing_location(ctx, need.gspr, checklists, all_rows),
                clause=gspr,
                key=(need.gspr,),
            )
            continue
        if need.must_apply_when and all(fact in facts for fact in need.must_apply_when):
            for row in found:
                if row.effective_applicable() is not False:
                    continue
                why = " and ".join(f"{FACT_WORDS[f]} ({facts[f]})" for f in need.must_apply_when)
                yield ctx.finding(
                    "EV006",
                    f"{gspr} ({need.topic}) is marked not applicable in {row.document.label()}, "
                    f"but {why}; a notified body will not accept a justification for this. Mark "
                    "it applicable and cite the evidence",
                    row.item.location,
                    clause=ctx.clauses.display(row.ref),
                    key=(need.gspr, "not-applicable"),
                )


def _missing_location(
    ctx: Context, gspr: str, checklists: list[Document], all_rows: list[Row]
) -> Location:
    """Where the missing row belongs: after the closest earlier GSPR row, else at the first row,
    else at the top of the checklist."""
    standard = ctx.clauses.standards.get(MDR_FAMILY)
    order = {cid: n for n, cid in enumerate(standard.clauses)} if standard else {}
    position = order.get(gspr, -1)
    earlier = [r for r in all_rows if -1 < order.get(r.clause_id, -1) < position]
    if earlier:
        row = max(earlier, key=lambda r: order[r.clause_id])
        return Location(row.document.path, row.item.line, 0, row.document.id, None)
    if all_rows:
        row = all_rows[0]
        return Location(row.document.path, row.item.line, 0, row.document.id, None)
    document = checklists[0]
    return Location(document.path, 1, 0, document.id, None)


# --- EV007 ------------------------------------------------------------------------------


@rule("EV007")
def organisational_evidence_cited_as_supporting(ctx: Context) -> Iterator[Finding]:
    for citation, clause, document, all_citations in organisational_citations(ctx):
        if not supports_only(clause, document):
            continue  # not accepted at all: EV001
        if citation.row is not None:
            beside = [c for c in all_citations if c.row is citation.row]
        else:
            beside = [c for c in all_citations if c.clause is clause]
        if any(c.evidence is None for c in beside if c.row is citation.row):
            continue  # an entry of the row leads nowhere (ID002); it may be the other evidence
        if any(satisfies(ctx, clause, c.evidence) for c in beside):
            continue
        clause_name = ctx.clauses.display(citation.ref)
        needs = needs_words(clause)
        alternative = _accepted_alternative(ctx, clause, all_citations, satisfying=True)
        such_as = f" (the file holds {alternative})" if alternative else ""
        where = "the row" if citation.row is not None else "the technical file"
        yield ctx.finding(
            "EV007",
            f"{type_title(document)} {document.label()} is cited for {clause_name}, which takes "
            f"organisational evidence only as support; a notified body will look for {needs} "
            f"beside it, and {where} cites none{such_as}. Cite {needs} for "
            f"{citation.ref.clause} together with {document.label()}",
            citation.location,
            clause=clause_name,
            key=(document.id or document.path,),
        )
