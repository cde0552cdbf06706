"""A checklist's rows as their authors lay them out: which rows are requirements, which rows
continue them, and the name each row goes by.

Real GSPR checklists (OpenRegulatory's MDR checklist, for one) copy the structure of MDR Annex I
into their tables, and this is the one reading of it: intake names the items by it (their ids),
FM004 reports the rows it cannot place, EV005 judges the requirements it finds.

- A numbered row (`17.2`, `23.4`) is a requirement; its id is its number as written.
- A lettered row (`(b)`, `b)`) is a point of the last numbered row above it: `(b)` under `23.4`
  is 23.4(b), and that full clause is its id, so `(b)` under 3, under 4 and under 23.4 are three
  items, not one.
- A row without a number under a numbered or lettered row continues it: the indents of 10.4.1 or
  of 23.4(s) (`— are invasive and ...`), named `10.4.1, indent 1`, or the words after the indents
  (`10.4.1, continued`). Their answers are the answers of that requirement.
- A numbered or lettered row with points or answering rows below it is a heading of them
  (`23.4` above (a) to (ab), `17` above 17.1); it may leave its own cells empty.
- A table in which no row has a number of its own is another part of the MDR the checklist appends
  (OpenRegulatory's Annex II sections, lettered (a), (b), ...): its rows are not GSPR rows. They
  are named after the heading above the table when it is known (`4.1.1(a)` under `4.1.1) Device
  Description`), and keep their written `(a)` otherwise.
- A row without a number before any requirement is a lead-in (`The label shall bear:`) when it
  gives no answers, and a row nobody can place when it does (FM004). Rows read from front-matter
  are a list, not a layout: one without a number continues nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from techfile.model.document import Item

PLACEHOLDERS = frozenset(
    {"", "-", "\u2013", "\u2014", "n/a", "na", "none", "tbd", "tbc", "todo", "?", "..."}
)
TEXT_FIELDS = ("requirement", "title")  # the requirement's words, not an answer to it
_LETTERED = re.compile(r"^\(?\s*(?P<letter>[a-z]{1,2})\s*\)\.?$", re.IGNORECASE)
_DASHES = ("\u2014", "\u2013", "-", "\u2022", "\u00b7", "*")  # how an indent begins
_LEADING_NUMBER = re.compile(
    r"^(?:section\s+|chapter\s+)?(?P<number>\d+(?:\.\d+)*)(?:[.)]|\s|$)", re.I
)
_ANNEX = re.compile(r"\bannex\s+(?P<annex>[ivxlc]+)\b[\s,:.-]*(?P<number>\d+(?:\.\d+)*)?", re.I)

Heading = tuple[int, str, int]  # (level, text, file line), as Document.headings


class Kind(Enum):
    NUMBERED = "numbered"
    LETTERED = "lettered"  # a point of the numbered row above (or of the section, in another part)
    CONTINUATION = "continuation"  # a row without a number under the row it continues
    LEAD_IN = "lead-in"  # a row without a number before any requirement of its part
    UNPLACED = "unplaced"  # answers, or a letter, with no requirement above to belong to


@dataclass(frozen=True, slots=True)
class ChecklistRow:
    item: Item
    kind: Kind
    gspr: bool  # a row of the GSPR part (False: a table of another part of the MDR)
    name: str | None  # the row's id: `17.2`, `23.4(b)`, `10.4.1, indent 2`; None: it has none
    parent: int | None  # index of the row it is a point of or continues
    answers: bool  # it says something beyond the requirement's words

    @property
    def is_requirement(self) -> bool:
        """A numbered or lettered GSPR row: what EV005 judges."""
        return self.gspr and self.kind in (Kind.NUMBERED, Kind.LETTERED)


class Checklist:
    """The rows of one checklist list, in order, with what stands below each."""

    def __init__(self, rows: Sequence[ChecklistRow]) -> None:
        self.rows = tuple(rows)
        self._index = {id(row.item): position for position, row in enumerate(self.rows)}
        self._headings = _headings(self.rows)

    def of(self, item: Item) -> ChecklistRow | None:
        position = self._index.get(id(item))
        return None if position is None else self.rows[position]

    def has_points(self, row: ChecklistRow) -> bool:
        """A heading: lettered rows, answering rows or finer numbers follow it (`23.4` above
        its (a), `17` above 17.1, 10.4.1 above its indents)."""
        return self._index.get(id(row.item)) in self._headings

    def unplaced(self) -> list[ChecklistRow]:
        """Rows a reader cannot place: answers without a number, or a letter without a
        numbered row above it."""
        return [row for row in self.rows if row.kind is Kind.UNPLACED and row.answers]


def is_blank(value: Any) -> bool:
    """Empty, or a placeholder (`-`, `n/a`, `TBD`); a list is blank when all it holds is."""
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip().casefold() in PLACEHOLDERS
    if isinstance(value, list):
        return all(is_blank(element) for element in value)
    if isinstance(value, dict):
        return not value
    return False


def is_lettered(text: str) -> bool:
    """A row numbered only by a letter, `(a)` or `b)`."""
    return _LETTERED.match(text.strip()) is not None


def number_text(value: Any) -> str | None:
    """The number as written: a string, or a `{standard, clause}` mapping's clause."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and value.get("clause"):
        return f"{value.get('standard', '')} {value['clause']}".strip()
    return None


def read_checklist(
    items: Sequence[Item], field: str, headings: Iterable[Heading] = ()
) -> Checklist:
    """The rows of one checklist list, in order; `field` holds the numbers, `headings` (of the
    document) name the tables of other parts."""
    reader = _Reader(field, tuple(headings), _numbered_tables(items, field))
    for item in items:
        reader.read(item)
    return Checklist(reader.rows)


class _Reader:
    def __init__(self, field: str, headings: tuple[Heading, ...], gspr: set[int] | None) -> None:
        self.field = field
        self.headings = headings
        self.gspr_tables = gspr  # None: no row has a number, so every table is GSPR rows
        self.rows: list[ChecklistRow] = []
        self.table: int | None = None
        self.gspr = True
        self.label: str | None = None  # how another part's table is named (its heading)
        self.numbered: int | None = None  # the last numbered row, for the letters under it
        self.last: int | None = None  # the last row that rows without a number continue
        self.counts: dict[tuple[int, bool], int] = {}  # (parent, indent?) -> rows so far
        self.names: set[str] = set()

    def read(self, item: Item) -> None:
        if item.table != self.table:
            self._enter(item.table)
        text = number_text(item.fields.get(self.field))
        answers = _answers(item, self.field)
        if _misfit(item, self.field):  # the schema reports it (FM004): one defect, one finding
            self._add(item, Kind.UNPLACED, None, None, False)
        elif text is None or is_blank(text):
            self._unnumbered(item, answers)
        elif is_lettered(text):
            self._lettered(item, text.strip(), answers)
        else:  # only GSPR tables hold numbered rows
            self.numbered = self.last = self._add(item, Kind.NUMBERED, text.strip(), None, answers)

    def _enter(self, table: int) -> None:
        gspr = self.gspr_tables is None or table in self.gspr_tables
        if not gspr or not self.gspr:  # another part begins, or the GSPR rows begin again
            self.numbered = self.last = None
        self.table, self.gspr = table, gspr
        self.label = None if gspr else heading_label(self.headings, table)

    def _unnumbered(self, item: Item, answers: bool) -> None:
        if self.last is not None and item.source != "front-matter":
            parent = self.last
            name = self._continuation_name(item, parent)
            self._add(item, Kind.CONTINUATION, name, parent, answers)
        elif self.gspr or item.source == "front-matter":
            self._add(item, Kind.UNPLACED if answers else Kind.LEAD_IN, None, None, answers)
        else:  # another part's lead-in (`The documentation shall contain:`) names its section
            self.last = self._add(item, Kind.LEAD_IN, self._unique(self.label), None, answers)

    def _lettered(self, item: Item, text: str, answers: bool) -> None:
        letter = letter_of(text)
        if self.gspr and self.numbered is not None:
            name = qualified(_base(self.rows[self.numbered].name), letter)
            self.last = self._add(item, Kind.LETTERED, name, self.numbered, answers)
        elif self.gspr:
            self.last = None  # `(a)` with no numbered row above: its indents continue nothing
            self._add(item, Kind.UNPLACED, text, None, answers)
        else:
            named = self._unique(qualified(self.label, letter) if self.label else None)
            self.last = self._add(item, Kind.LETTERED, named or text, None, answers)

    def _continuation_name(self, item: Item, parent: int) -> str | None:
        indent = _is_indent(item, self.field)
        count = self.counts[(parent, indent)] = self.counts.get((parent, indent), 0) + 1
        parent_name = self.rows[parent].name
        if parent_name is None:
            return None
        if indent:
            return self._unique(f"{parent_name}, indent {count}")
        return self._unique(f"{parent_name}, continued" + (f" {count}" if count > 1 else ""))

    def _unique(self, name: str | None) -> str | None:
        """The name, unless an earlier row took it (a second table under the same heading, the
        indents of a number written twice): one name, one row."""
        return None if name is None or name in self.names else name

    def _add(
        self, item: Item, kind: Kind, name: str | None, parent: int | None, answers: bool
    ) -> int:
        self.rows.append(ChecklistRow(item, kind, self.gspr, name, parent, answers))
        if name is not None:
            self.names.add(name)
        return len(self.rows) - 1


def letter_of(text: str) -> str:
    """`b` of `(b)`, `b)` or `(B).`."""
    match = _LETTERED.match(text.strip())
    return match.group("letter").lower() if match else ""


def qualified(base: str, letter: str) -> str:
    """`23.4(b)`; `Device description (b)` when the base is words."""
    joint = "" if base[-1:].isdigit() or base.endswith(")") else " "
    return f"{base}{joint}({letter})"


def heading_label(headings: tuple[Heading, ...], table: int) -> str | None:
    """How the heading above a table names its section: its number (`4.1.1) Device
    Description` is 4.1.1), an annex and its section (`Annex II 1.1`), or its words."""
    above = [(line, text) for _level, text, line in headings if line < table]
    if not above:
        return None
    text = " ".join(max(above)[1].split())
    leading = _LEADING_NUMBER.match(text)
    if leading:
        return leading.group("number")
    annex = _ANNEX.search(text)
    if annex:
        number = annex.group("number")
        return f"Annex {annex.group('annex').upper()}" + (f" {number}" if number else "")
    return text or None


def _numbered_tables(items: Sequence[Item], field: str) -> set[int] | None:
    """The tables with a numbered row of their own; None when no table has one."""
    tables = set()
    for item in items:
        text = number_text(item.fields.get(field))
        if text is not None and not is_blank(text) and not is_lettered(text):
            tables.add(item.table)
    return tables or None


def _headings(rows: tuple[ChecklistRow, ...]) -> set[int]:
    """The rows with points below them: lettered or answering rows that name them as parent,
    or numbered rows whose number extends theirs (`17.1` below `17`, `23.4(a)` below `23.4`)."""
    found = {
        row.parent
        for row in rows
        if row.parent is not None and (row.kind is Kind.LETTERED or row.answers)
    }
    numbered = {
        _compact(row.name): position
        for position, row in enumerate(rows)
        if row.kind is Kind.NUMBERED and row.name
    }
    for name in numbered:
        for cut, char in enumerate(name):
            if char in ".(" and name[:cut] in numbered:
                found.add(numbered[name[:cut]])
    return found


def _misfit(item: Item, field: str) -> bool:
    """A number the schema rejects: not text (`[17.4]`), or empty text in front-matter."""
    value = item.fields.get(field)
    if value is None:
        return False
    if number_text(value) is None:
        return True
    return item.source == "front-matter" and isinstance(value, str) and not value.strip()


def _answers(item: Item, field: str) -> bool:
    return any(
        not is_blank(value) and key != field and key not in TEXT_FIELDS
        for key, value in item.fields.items()
    )


def _is_indent(item: Item, field: str) -> bool:
    """A row that begins with a dash (`— are invasive ...`), in its number cell or its text."""
    number = number_text(item.fields.get(field))
    if number is not None and number.strip() in _DASHES:
        return True
    words = [value for key in TEXT_FIELDS if isinstance(value := item.fields.get(key), str)]
    return bool(words) and words[0].lstrip().startswith(_DASHES)


def _base(name: str | None) -> str:
    """`23.4` of `23.4`, `17.2.` or `5(a)`: the number a letter is added to."""
    return (name or "").split("(", 1)[0].strip().rstrip(".").strip()


def _compact(name: str | None) -> str:
    return "".join((name or "").split()).rstrip(".")
