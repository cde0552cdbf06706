"""FM: can each file be read, and does its front-matter say what techfile needs?

Most of these findings are detected while a file is parsed (intake); the rules here turn
those diagnostics into findings, report the checklist rows nobody can place, and group the
unclassified files.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Iterator

from techfile.data.severity import Severity
from techfile.intake.items import ItemList, lists_of
from techfile.model.checklist import ChecklistRow, Kind, is_lettered, read_checklist
from techfile.model.diagnostics import Diagnostic
from techfile.model.document import Document, Item
from techfile.model.finding import Edit, Finding, Location
from techfile.rules.base import Context, rule
from techfile.rules.columns import header_of, written_column

INTAKE_CODES = (
    "FM001", "FM002", "FM003", "FM004", "FM005", "FM006",
    "FM008", "FM009", "FM010", "FM011", "FM012", "FM013", "FM014",
)  # fmt: skip
GROUP_ABOVE = 5
# a diagnostic says what it costs and what to do; these stand in should one not
UNSAID_WHY = "techfile could not read this part of the file as written, so no rule checked it."
UNSAID_FIX = "Correct the file at this line."


@rule(*INTAKE_CODES)
def intake_diagnostics(ctx: Context) -> Iterator[Finding]:
    clauses: dict[str, str] = {}
    for parsed in ctx.parsed:
        doc = parsed.document
        doc_id = doc.id if doc else None
        for diag in parsed.diagnostics:
            severity = Severity.parse(diag.severity) if diag.severity else None
            if diag.code not in clauses:
                clauses[diag.code] = ctx.page_clauses(diag.code)
            yield ctx.finding(
                diag.code,
                diag.message,
                Location(parsed.path, diag.line, diag.column, doc_id),
                key=diag.key,
                severity=severity,
                why=_readable_why(clauses[diag.code], diag.why or UNSAID_WHY),
                fix=diag.fix or UNSAID_FIX,
                edits=_edits(parsed.path, diag),
            )


def _edits(path: str, diag: Diagnostic) -> tuple[Edit, ...]:
    if diag.edit is None:
        return ()
    old, new = diag.edit
    return (Edit(path, diag.line, diag.column, old, new),)


def _readable_why(clauses: str, consequence: str) -> str:
    """The page's clauses, what they ask of every document, and what this problem costs."""
    return (
        f"Under {clauses}, every document of the technical file must be legible, identifiable "
        f"and unambiguous; {consequence}"
    )


@rule("FM004")
def unplaced_checklist_rows(ctx: Context) -> Iterator[Finding]:
    """A checklist row that answers no requirement a reader can name: answers without a
    number and no row above that they continue, or a letter with no numbered row above it
    (model/checklist.py; rows without a number under a requirement are its indents)."""
    types = ctx.settings.types.types
    for parsed in ctx.parsed:
        document = parsed.document
        if document is None or document.type not in types:
            continue
        for item_list in lists_of(types[document.type].schema_id):
            if item_list.checklist and document.items.get(item_list.name):
                yield from _unplaced(ctx, document, item_list)


def _unplaced(ctx: Context, document: Document, item_list: ItemList) -> Iterator[Finding]:
    items = document.items[item_list.name]
    checklist = read_checklist(items, item_list.id_field, document.headings)
    unplaced = checklist.unplaced()
    numbered = any(row.kind is Kind.NUMBERED for row in checklist.rows)
    if unplaced and not numbered:  # no row has a number: one finding, not one per row
        first = unplaced[0].item
        yield ctx.finding(
            "FM004",
            f"no row of the checklist in {document.label()} has a {_number_words(item_list)}",
            first.location,
            key=(item_list.name, "no numbers"),
            why=_unplaced_why(ctx, "any of these rows answers"),
            fix=f"Give each row its {_number_words(item_list)}{_in_column(ctx, first, item_list)}.",
        )
        return
    for row in unplaced:
        yield ctx.finding(
            "FM004",
            f"this row of {document.label()} {_unplaced_words(row, item_list)}",
            row.item.location,
            key=(item_list.name, "unplaced", _row_text(row)),
            why=_unplaced_why(ctx, "it answers"),
            fix=f"Write its {_number_words(item_list)}{_in_column(ctx, row.item, item_list)}, "
            "or move it under the row it belongs to.",
        )


def _unplaced_words(row: ChecklistRow, item_list: ItemList) -> str:
    number = _number_words(item_list)
    if row.name is not None and is_lettered(row.name):
        return f"is numbered only {row.name}, and no numbered row stands above it"
    if row.item.source == "front-matter":
        return f"gives answers but no {number}"
    return f"gives answers but no {number}, and no numbered row stands above it to continue"


def _number_words(item_list: ItemList) -> str:
    return "GSPR number" if item_list.id_field == "gspr" else f"`{item_list.id_field}`"


def _in_column(ctx: Context, item: Item, item_list: ItemList) -> str:
    """` in the "No." column` for a table row (` in a "GSPR" column` when the table has none);
    nothing for a front-matter entry, whose key the number words name."""
    if item.source != "table":
        return ""
    usual = "GSPR" if item_list.id_field == "gspr" else None
    name = written_column(ctx, item, item_list.id_field, usual)
    return (
        f" in the {name} column"
        if header_of(ctx, item, item_list.id_field)
        else f" in a {name} column"
    )


def _unplaced_why(ctx: Context, answers: str) -> str:
    """`MDR Annex II asks for ...`: the clause of FM004's page that asks for it."""
    page = ctx.pages.get("FM004")
    annex = next((text for text in page.clauses if "Annex II" in text), None) if page else None
    unknown = f"a reader cannot tell which requirement {answers}."
    if annex is None:
        return unknown[0].upper() + unknown[1:]
    return f"{annex} asks for technical documentation that is unambiguous, and {unknown}"


def _row_text(row: ChecklistRow) -> str:
    """What the row says, for a finding's identity that does not move with its line."""
    fields = row.item.fields
    words = fields.get("requirement") or fields.get("title") or fields.get("evidence") or ""
    return " ".join(str(words).split())[:80]


@rule("FM007")
def unclassified_files(ctx: Context) -> Iterator[Finding]:
    by_directory: dict[str, list[str]] = defaultdict(list)
    for parsed in ctx.parsed:
        if parsed.diagnostics or parsed.document is None or parsed.document.type is not None:
            continue
        by_directory[posixpath.dirname(parsed.path)].append(parsed.path)
    for directory, paths in sorted(by_directory.items()):
        paths.sort()
        if len(paths) > GROUP_ABOVE:
            shown = directory or "the root"
            yield ctx.finding(
                "FM007",
                f"{len(paths)} Markdown files in {shown} have no document type, so no rule "
                "checks them",
                Location(paths[0], 1),
                key=(directory, "group"),
                why=_unclassified_why(ctx),
                fix="Give them `type:` front-matter, map them with `[types]` in the "
                "configuration, or exclude them.",
            )
            continue
        for path in paths:
            yield ctx.finding(
                "FM007",
                "this Markdown file has no document type, so no rule checks it",
                Location(path, 1),
                why=_unclassified_why(ctx),
                fix="Give it `type:` front-matter, map it with `[types]` in the configuration, "
                "or exclude it.",
            )


def _unclassified_why(ctx: Context) -> str:
    return (
        f"Under {ctx.page_clauses('FM007')}, it must be clear what is part of the technical "
        "documentation: a file techfile cannot place goes unchecked, and nothing can cite it "
        "as evidence."
    )
