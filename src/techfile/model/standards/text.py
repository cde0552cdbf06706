"""Standards named in a document's body: running text and table cells.

Only what cannot be an ordinary number is read: a designation with an upper-case standards
prefix (`ISO 14971:2007`, `ISO14791`, `EN 62304`; not `en 2019`), and a guidance document
without a number (the FDA premarket cybersecurity guidance, the HDS référentiel) by its title
with a year beside it (`the 2018 Draft Guidance, "Content of Premarket Submissions ..."`), even
when the title is wrapped over two lines. Fenced code, inline code and HTML comments (where
suppressions and notes live) are not read.

The body is read as one text with those parts blanked out (line breaks kept, so positions map to
lines): a few regular expressions over the whole text cost far less than reading it line by line.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from techfile.model.standards.table import DESIGNATION, Cited, StandardsTable, edition_tail

_FENCED = re.compile(
    r"^[ ]{0,3}(?P<fence>```|~~~).*?(?:^[ ]{0,3}(?P=fence)[^\n]*$|\Z)", re.M | re.S
)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_CODE_SPAN = re.compile(r"`[^`\n]*`")
_NOT_NEWLINE = re.compile(r"[^\n]")
# in running text the prefix is written in capitals: the same pattern, case-sensitive (`en 2019`
# in French text is no citation), tried only where a cheap search finds the last word of a
# prefix before a number
_BODY_DESIGNATION = re.compile(r"(?=[A-Z\u00d6])" + DESIGNATION.pattern)
_PREFIX_END = re.compile(
    r"(?:ISO|IEC|IEEE|ANSI|AAMI|UL|ASTM|CLSI|EN|ETSI|MDCG|IMDRF|NIST|SP|TIR|TR|TS|PAS|CLC)"
    r"[ \t]*\d"
)
_PREFIX_REACH = 32  # how far before that word a designation may start (`OENORM EN ISO/IEC ...`)
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_DRAFT = re.compile(r"\bdraft\b", re.IGNORECASE)
_WRITTEN_EDITION = re.compile(
    r"^(?::\s*\d[^\s;,|<)]*(?:\s*[+/]\s*(?:amd|am|ac|cor|a)\s*\.?\s*\d+(?::\d{4})?)*"
    r"|\s*\((?:19|20)\d{2}\))",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+")
# spaces, quotes (straight, curly, guillemets) and punctuation between a title's words; not `|`,
# so a title never runs from one table cell into the next
_SEPARATORS = r"[\s\"'\u201c\u201d\u2018\u2019\u00ab\u00bb:,\-\u2013\u2014]+"
_WINDOW = 40  # characters before or after a guidance title where its year is looked for
_MIN_DIGITS = 3  # `EN 1` is no standard worth reading in running text


@dataclass(frozen=True)
class Mention:
    """A standard named in the body."""

    line: int
    cited: Cited


def body_mentions(table: StandardsTable, text: str, first_line: int) -> list[Mention]:
    """The standards the body of a document names, from `first_line` (the line after the
    front-matter) on, in order of appearance."""
    readable = readable_body(text, first_line)
    breaks = [m.start() for m in re.finditer("\n", readable)]
    found = [
        Mention(bisect.bisect_left(breaks, position) + 1, cited)
        for position, cited in _designations(table, readable)
    ]
    titles = _titles_of(table)
    if titles and _YEAR.search(readable) and _may_name_a_title(table, readable):
        found.extend(
            Mention(bisect.bisect_left(breaks, position) + 1, cited)
            for position, cited in _guidance(table, titles, readable)
        )
    return sorted(found, key=lambda m: m.line)


def readable_body(text: str, first_line: int) -> str:
    """The text with the front-matter (the lines before `first_line`), fenced code, HTML
    comments and inline code blanked out; line breaks stay, so positions keep their lines."""
    if "\r" in text:
        text = "\n".join(text.splitlines())
    offset = 0
    for _ in range(max(0, first_line - 1)):
        found = text.find("\n", offset)
        if found < 0:
            return "\n" * text.count("\n")
        offset = found + 1
    body = text[offset:]
    for marker, pattern in (("```", _FENCED), ("~~~", _FENCED), ("<!--", _COMMENT)):
        if marker in body:
            body = pattern.sub(_blank, body)
    if "`" in body:
        body = _CODE_SPAN.sub(_blank, body)
    return "\n" * text.count("\n", 0, offset) + body


def _blank(match: re.Match[str]) -> str:
    return _NOT_NEWLINE.sub(" ", match.group(0))


def _designations(table: StandardsTable, text: str) -> Iterator[tuple[int, Cited]]:
    matches = [m for m in _candidates(text) if _written_as_standard(m)]
    for position, match in enumerate(matches):
        end = matches[position + 1].start() if position + 1 < len(matches) else len(text)
        line_end = text.find("\n", match.end())
        if 0 <= line_end < end:
            end = line_end  # an edition is written on the designation's line
        tail = edition_tail(text, match.end(), end)
        written = _WRITTEN_EDITION.match(tail)
        as_written = match.group(0).strip() + (written.group(0).rstrip() if written else "")
        yield match.start(), table.designation(" ".join(as_written.split()), match, tail)


def _candidates(text: str) -> list[re.Match[str]]:
    """The designations in the text, each once, in order."""
    found: list[re.Match[str]] = []
    done = 0
    for hint in _PREFIX_END.finditer(text):
        if hint.end() <= done:
            continue
        start = max(done, hint.start() - _PREFIX_REACH)
        line_end = text.find("\n", hint.end())
        end = len(text) if line_end < 0 else line_end  # a designation is on one line
        for match in _BODY_DESIGNATION.finditer(text, start, end):
            if match.start() >= done:
                found.append(match)
                done = match.end()
    return found


def _written_as_standard(match: re.Match[str]) -> bool:
    """A number of some length (`EN 1` is no citation), on one line."""
    digits = sum(ch.isdigit() for ch in match.group("number"))
    return digits >= _MIN_DIGITS and "\n" not in match.group(0)


@functools.cache
def _titles_of(table: StandardsTable) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(core, pattern) of each document without a number: the titles its entries are known by
    (their aliases without the year), words separated by spaces, quotes or punctuation."""
    phrases: dict[str, set[str]] = {}
    for edition in table.editions:
        if not edition.named:
            continue
        for spelling in (edition.ref, *edition.aliases):
            phrase = _title_of(spelling)
            if len(_WORD.findall(phrase)) >= 2:
                phrases.setdefault(edition.core, set()).add(phrase)
    found = []
    for core, names in sorted(phrases.items()):
        alternatives = sorted(names, key=lambda p: (-len(p), p))
        body = "|".join(_SEPARATORS.join(map(re.escape, _WORD.findall(p))) for p in alternatives)
        found.append((core, re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)))
    return tuple(found)


@functools.cache
def _keywords_of(table: StandardsTable) -> tuple[str, ...] | None:
    """For each document without a number, the longest word all its titles share (lower
    case): a text without any of them names none of the titles. None when some document's
    titles share no word (then every text is searched)."""
    found: list[str] = []
    for core, _pattern in _titles_of(table):
        shared: set[str] | None = None
        for edition in table.of_core(core):
            for spelling in (edition.ref, *edition.aliases):
                words = {w.casefold() for w in _WORD.findall(_title_of(spelling))}
                if len(words) >= 2:
                    shared = words if shared is None else shared & words
        if not shared:
            return None
        found.append(max(sorted(shared), key=len))
    return tuple(found)


def _may_name_a_title(table: StandardsTable, text: str) -> bool:
    keywords = _keywords_of(table)
    if keywords is None:
        return True
    lowered = text.casefold()
    return any(keyword in lowered for keyword in keywords)


def _title_of(spelling: str) -> str:
    """`FDA Cybersecurity Guidance 2014` and `Content of ... Devices (2014)` without the year;
    `HDS:2018` without the edition."""
    name = spelling.partition(":")[0] if re.search(r":\s*\d", spelling) else spelling
    name = re.sub(r"\s*\([^)]*\)\s*$", "", name)
    name = re.sub(r"\s+(?:v\s*\d[\d.]*|(?:19|20)\d{2}(?:\s+draft)?)\s*$", "", name, flags=re.I)
    return " ".join(name.split())


def _guidance(
    table: StandardsTable, titles: tuple[tuple[str, re.Pattern[str]], ...], text: str
) -> Iterator[tuple[int, Cited]]:
    for core, pattern in titles:
        for match in pattern.finditer(text):
            before = _within_paragraph(text[max(0, match.start() - _WINDOW) : match.start()])
            after = text[match.end() : match.end() + _WINDOW].split("\n\n", 1)[0]
            year = _year_beside(before, after)
            edition = table.edition_of_year(core, year) if year else None
            if year is None or edition is None:
                continue  # no year, or one the table does not know: nothing to say here
            draft = " draft" if _DRAFT.search(before) or _DRAFT.search(after[:12]) else ""
            title = " ".join(match.group(0).strip("\"'\u201c\u201d ").split())
            written = f"\u201c{title}\u201d ({year}{draft})"
            yield match.start(), Cited(written, match.group(0), core, edition, True, int(year))


def _within_paragraph(before: str) -> str:
    """The part of the text before a title that is in the title's paragraph."""
    return before.rsplit("\n\n", 1)[-1]


def _year_beside(before: str, after: str) -> str | None:
    """The year nearest before a title (`the 2018 draft guidance "..."`), else the first after
    it (`... Devices (2014)`), within a few words."""
    years = list(_YEAR.finditer(before))
    if years:
        return years[-1].group(0)
    later = _YEAR.search(after)
    return later.group(0) if later else None
