"""ID: every document and item can be told apart, and every reference reaches its target."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from techfile.data.schemas import flattened, item_lists
from techfile.data.severity import Severity
from techfile.model.checklist import is_lettered
from techfile.model.document import Document, Item
from techfile.model.evidence import ROW_TYPES, document_rows
from techfile.model.finding import Edit, Finding, Location
from techfile.model.index import Reference, Resolution
from techfile.model.titles import is_template_text
from techfile.rules.base import Context, rule
from techfile.rules.columns import written_column
from techfile.util.nearest import NearestIndex

SUGGESTION_CUTOFF = 0.75  # how alike a known id must be to be offered as "did you mean"
LINES_SHOWN = 10  # lines of a repeated citation named in the message (all are `related`)
# the diagnostics after which a file's entries (or its id) were not read
BROKEN = {
    "FM001": "its front-matter is not valid YAML",
    "FM002": "its front-matter is never closed",
    "FM003": "its front-matter is not a mapping",
    "FM005": "its document type is unknown",
    "FM008": "it could not be read",
    "FM009": "its encoding could not be read",
    "FM010": "it is too large to read",
    "FM011": "its front-matter is beyond the YAML limits",
}
_ANNEX = re.compile(r"\bAnnex\s+([IVX]+)\b", re.IGNORECASE)
_ID_LINE = re.compile(r"""^id[ \t]*:[ \t]*["']?([^"'#\s]+)""", re.MULTILINE)


@rule("ID001")
def duplicate_ids(ctx: Context) -> Iterator[Finding]:
    for doc_id, documents in sorted(ctx.index.by_id.items()):
        # an obsolete or superseded copy may keep its id; two live documents may not
        live = [d for d in documents if d.type is None or d.active]
        if len(live) < 2:
            continue
        first = live[0]
        for other in live[1:]:
            yield ctx.finding(
                "ID001",
                f"the document id {doc_id} is also used by {first.path}",
                other.location("id"),
                key=(doc_id, other.path),
                related=(first.location("id"),),
                why=f"{_identifiable(ctx, 'ID001')}; every reference to {doc_id} is now ambiguous.",
                fix="Give one of them a new id, then update the references that meant it.",
            )
    for document in ctx.documents:
        yield from _duplicate_items(ctx, document)


def _duplicate_items(ctx: Context, document: Document) -> Iterator[Finding]:
    seen: dict[tuple[str, ...], Item] = {}
    # a checklist's `(a)` row continues the numbered row above it: `(a)` under 3 is 3(a)
    qualified = (
        {id(row.item): row.ref.clause for row in document_rows(document, ctx.clauses)}
        if document.type in ROW_TYPES
        else {}
    )
    key_fields = _key_fields(document.type)
    for item in document.all_items():
        item_id = qualified.get(id(item), item.id)
        if item_id is None or (qualified and is_lettered(item_id)):
            continue  # a bare `(a)` row that continues no numbered row is no id of its own
        # rows that differ in a key field (`key-fields` of the list) are different entries:
        # one vulnerability per affected component, one SOUP package per version
        keys = tuple(_normalised(item.get(name)) for name in key_fields.get(item.list_name, ()))
        first = seen.setdefault((item.list_name, item_id, *keys), item)
        if first is item:
            continue
        yield ctx.finding(
            "ID001",
            f"{document.label()} has two {item.list_name} with the id {item_id} ("
            f"{_place(first, document)} and {_place(item, document)})",
            item.location,
            key=(item_id, str(item.list_name)),
            related=(first.location,),
            why=f"{_identifiable(ctx, 'ID001')}; references to {item_id} cannot tell them apart.",
            fix="Renumber one of them, or merge the two if they describe the same thing.",
        )


def _key_fields(doc_type: str | None) -> dict[str, tuple[str, ...]]:
    """List name -> the fields besides the id that tell its rows apart (`key-fields`)."""
    if doc_type is None:
        return {}
    lists = item_lists(flattened(f"types/{doc_type}.schema.json"))
    return {name: tuple(options.get("key-fields", ())) for name, _schema, options in lists}


def _normalised(value: Any) -> str:
    return " ".join(str(value).casefold().split()) if value is not None else ""


@dataclass(slots=True)
class _Cited:
    """One target a document cites, with every place it does."""

    value: str
    resolution: Resolution
    refs: list[Reference]


@rule("ID002", "ID003")
def unresolved_references(ctx: Context) -> Iterator[Finding]:
    close: list[CloseIds] = []  # the known ids, read at the first dangling reference
    broken: list[_BrokenFiles] = []  # files whose entries were not read, at the first need
    for document in ctx.documents:
        cited: dict[str, _Cited] = {}
        blocked: dict[str, list[Reference]] = {}  # broken file -> references that may go there
        for ref in ctx.index.references(document):
            value = ref.value.strip()
            if is_template_text(value):
                continue  # a template's instruction or placeholder (SUB002), no citation
            resolution = ctx.index.resolve(ref.value, document, ref.kind, ref.lists)
            problem = resolution.problem
            if problem not in ("dangling", "anchor", "ambiguous", "unreadable"):
                continue
            if not broken:
                broken.append(_BrokenFiles(ctx))
            into = broken[0].holding(value, resolution)
            if into is not None:
                blocked.setdefault(into, []).append(ref)
            elif problem != "unreadable":
                cited.setdefault(value, _Cited(value, resolution, [])).refs.append(ref)
        for found in cited.values():
            yield _reference_finding(ctx, document, found, close)
        for path, refs in blocked.items():
            yield _blocked_finding(ctx, document, path, refs, broken[0].why(path))


def _reference_finding(
    ctx: Context, document: Document, cited: _Cited, close: list[CloseIds]
) -> Finding:
    first = cited.refs[0]
    value, resolution = cited.value, cited.resolution
    where = _where(ctx, document, cited.refs, value)
    these = "this trace" if len(cited.refs) == 1 else "these traces"
    edits: tuple[Edit, ...] = ()
    if resolution.problem == "dangling":
        if not close:
            close.append(CloseIds(_known_ids(ctx)))
        suggestion = close[0].suggest(value)
        hint = f" (did you mean {suggestion}?)" if suggestion else ""
        edits = _certain_edits(document, cited, close[0]) if suggestion else ()
        what = "matches no id or title" if " " in value else "is not"
        code, message = "ID002", f"{where}, which {what} in the technical file{hint}"
        finds = f"a reviewer following {these} finds nothing."
        fix = (
            "Correct the reference to the id or title meant; if the target was deleted on "
            "purpose, remove the reference and check that its claim is backed by something else."
        )
    elif resolution.problem == "anchor":
        target = resolution.document.label() if resolution.document else "the document"
        where = where.replace(" refers to ", " links to ")
        code, message = "ID002", f"{where}, but {target} has no section or item with that anchor"
        finds = f"a reviewer following {these} lands nowhere in particular."
        fix = f"Correct the anchor to a heading or item of {target}."
    else:
        code, message, fix = ("ID003", *_ambiguous_texts(where, value, resolution))
        finds = "a reviewer cannot tell which one is meant."
    location = _location(document, first)
    if len(cited.refs) > 1:
        location = Location(document.path, first.line, 0, document.id)
    return ctx.finding(
        code,
        message,
        location,
        key=(value,),
        related=tuple(_location(document, ref) for ref in cited.refs[1:]),
        why=f"{_identifiable(ctx, code)}; {finds}",
        fix=fix,
        edits=edits,
    )


_PLAIN_ID = re.compile(r"[\w.-]+(?::[\w.-]+)?")


def _certain_edits(document: Document, cited: _Cited, close: CloseIds) -> tuple[Edit, ...]:
    """`--fix` replaces a dangling id written as a plain id with the one known id of its kind
    that is close to it, when exactly one is (SWR-14 beside SWR-41 and SWR-15: no fix)."""
    if not _PLAIN_ID.fullmatch(cited.value):
        return ()
    meant = close.only(cited.value)
    if meant is None:
        return ()
    return tuple(Edit(document.path, ref.line, 0, cited.value, meant) for ref in cited.refs)


def _identifiable(ctx: Context, code: str) -> str:
    """What the rule's clauses ask, for the start of a `why`."""
    return (
        f"Under {ctx.page_clauses(code)}, every document and record must be identifiable and "
        "every reference traceable"
    )


def _ambiguous_texts(where: str, value: str, resolution: Resolution) -> tuple[str, str]:
    places = ", ".join(resolution.candidates)
    if resolution.by_title:
        return (
            f"{where}, which matches the titles of several documents ({places}) equally well",
            "Cite the one meant by its id or its full title.",
        )
    first = resolution.candidates[0] if resolution.candidates else "DOCUMENT-ID"
    return (
        f"{where}, which exists in several documents ({places})",
        f"Write it as DOCUMENT-ID:{value} (e.g. {first}:{value}).",
    )


def _where(ctx: Context, document: Document, refs: list[Reference], value: str) -> str:
    """`evidence` of GSPR 17.2 in GSPR-001 refers to X / the "Evidence" cell of ... / GSPR-001
    cites X in 3 places (...)."""
    first = refs[0]
    owner = _owner(document, first)
    if len(refs) == 1:
        item = first.item
        inside = f" in {document.label()}" if item is not None else ""
        field = (
            f"the {written_column(ctx, item, first.field)} cell"
            if item is not None and item.source == "table"
            else f"`{first.field}`"
        )
        return f"{field} of {owner}{inside} refers to {value}"
    lines = sorted({ref.line for ref in refs})
    shown = ", ".join(str(line) for line in lines[:LINES_SHOWN])
    more = ", …" if len(lines) > LINES_SHOWN else ""
    # no row named: the finding stands for the target, so its fingerprint stays when rows move
    return f"{document.label()} cites {value} in {len(refs)} places (lines {shown}{more})"


def _owner(document: Document, ref: Reference) -> str:
    """How a regulatory lead names the row or document that holds a reference."""
    item = ref.item
    if item is None:
        return document.label()
    if item.id is None:
        return f"the row at line {item.line}"
    if document.type == "gspr-checklist":
        return f"{_checklist_part(document, item.line)} {item.id}"
    return item.id


def _checklist_part(document: Document, line: int) -> str:
    """`GSPR` for a row of Annex I; `MDR Annex II` for a row under an `Annex II` heading (the
    OpenRegulatory checklist follows Annex I with the Annex II technical documentation)."""
    above = [text for level, text, at in document.headings if level <= 2 and at < line]
    annex = _ANNEX.search(above[-1]) if above else None
    if annex and annex.group(1).upper() != "I":
        return f"MDR Annex {annex.group(1).upper()}"
    return "GSPR"


def _location(document: Document, ref: Reference) -> Location:
    return Location(document.path, ref.line, 0, document.id, ref.item.id if ref.item else None)


def _blocked_finding(
    ctx: Context, document: Document, path: str, refs: list[Reference], why: str
) -> Finding:
    targets = ", ".join(dict.fromkeys(ref.value.strip() for ref in refs))
    count = "a reference" if len(refs) == 1 else f"{len(refs)} references"
    return ctx.finding(
        "ID002",
        f"{document.label()} has {count} ({targets}) that may point into {path}, whose "
        f"entries techfile could not read ({why})",
        _location(document, refs[0]),
        key=("unreadable", path),
        related=tuple(_location(document, ref) for ref in refs[1:]),
        severity=Severity.INFO,
        why=f"{_identifiable(ctx, 'ID002')}; techfile cannot check these references until it "
        "can read that file.",
        fix=f"Fix {path} first; then the references are checked.",
    )


class _BrokenFiles:
    """Files whose entries (and perhaps id) techfile could not read: a reference that finds
    nothing may point into one of them, and then the file's own finding is the one defect."""

    def __init__(self, ctx: Context) -> None:
        self.reasons: dict[str, str] = {}
        self.ids: dict[str, str] = {}  # guessed id -> path
        self.texts: dict[str, str] = {}
        for parsed in ctx.parsed:
            codes = [d.code for d in parsed.diagnostics if d.code in BROKEN]
            document = parsed.document
            if not codes and (document is None or document.type is not None):
                continue
            self.reasons[parsed.path] = (
                f"{BROKEN[codes[0]]}, {codes[0]}" if codes else "it has no document type, FM007"
            )
            text = _raw_text(ctx, parsed.path) if codes else ""
            self.texts[parsed.path] = text
            guessed = document.id if document and document.id else _guess_id(text)
            if guessed:
                self.ids.setdefault(guessed, parsed.path)

    def why(self, path: str) -> str:
        return self.reasons.get(path, "it could not be read")

    def holding(self, value: str, resolution: Resolution) -> str | None:
        """The broken file the reference may point into, else None."""
        target = resolution.document
        if resolution.problem == "unreadable" and target is not None:
            return target.path if target.path in self.reasons else None
        if resolution.problem != "dangling" or not self.reasons:
            return None
        doc_part = value.rpartition(":")[0]
        for name in (value, doc_part):
            if name and name in self.ids:
                return self.ids[name]
        pattern = re.compile(rf"(?<![\w-]){re.escape(value)}(?![\w-])")
        return next((path for path, text in self.texts.items() if pattern.search(text)), None)


def _raw_text(ctx: Context, path: str) -> str:
    data = ctx.read_file(ctx.root / path)
    return data.decode("utf-8", errors="replace") if isinstance(data, bytes) else ""


def _guess_id(text: str) -> str | None:
    """The `id:` line of a front-matter techfile could not read (as intake.parse salvages)."""
    match = _ID_LINE.search(text[:20_000])
    return match.group(1) if match else None


class CloseIds:
    """The "did you mean" of ID002: a close known id of the same kind, so `SWR-14` may
    become `SWR-41`, never `TM-001`.

    The known ids are grouped by kind once; each kind gets one NearestIndex, built at its
    first question, so a tree with many ids and many dangling references costs bounded work
    per reference instead of a comparison with every id. On ordinary trees the answer is
    difflib's closest match.
    """

    def __init__(self, known: Iterable[str]) -> None:
        self._by_kind: dict[str, list[str]] = {}
        for identifier in known:
            self._by_kind.setdefault(_prefix(identifier), []).append(identifier)
        self._indexes: dict[str, NearestIndex] = {}

    def suggest(self, value: str) -> str | None:
        kind = _prefix(value)
        index = self._indexes.get(kind)
        if index is None:
            index = self._indexes[kind] = NearestIndex(self._by_kind.get(kind, ()))
        return index.suggest(value, cutoff=SUGGESTION_CUTOFF)

    def only(self, value: str) -> str | None:
        """The suggestion when no other known id of the kind is as close: certain enough to
        apply with `--fix`."""
        index = self._indexes.get(_prefix(value))
        return None if index is None else index.only_match(value, cutoff=SUGGESTION_CUTOFF)

    @property
    def comparisons(self) -> int:
        """Full comparisons made so far, for tests of bounded work."""
        return sum(index.comparisons for index in self._indexes.values())


def _prefix(identifier: str) -> str:
    head = identifier.rsplit(":", 1)[-1]
    return "".join(ch for ch in head if ch.isalpha()).casefold()[:6]


def _place(item: Item, document: Document) -> str:
    where = "" if item.path == document.path else f"{item.path} "
    return f"{where}line {item.line}"


def _known_ids(ctx: Context) -> list[str]:
    ids = set(ctx.index.by_id)
    for document in ctx.index.documents:
        for item in document.all_items():
            if item.id is not None and document.id is not None:
                ids.add(item.id)
                ids.add(f"{document.id}:{item.id}")
    return sorted(ids)
