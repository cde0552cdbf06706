"""The risk management plan as the risk rules read it: scales, acceptability matrix, and the
criteria for risks whose probability cannot be estimated (ISO 14971 4.4 d).

A plan gives its scales and matrix in front-matter (`severity_levels`, `probability_levels`,
`exploitability_levels`, `acceptability_matrix`) or, as most real plans do, in Markdown tables
in the body. Front-matter wins; tables fill in what front-matter leaves out. Tables are read
when the document carries them (`Document.tables`, see `plan_tables`).

Risk rows name a level by its id (`S3`), its name (`Serious`), a number (`3` for `S3`, `S3`
for `3`) or a `[values]` alias of either; matching is case-insensitive.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from techfile.data.registry import ValueAliases
from techfile.model.document import Document
from techfile.model.index import Index
from techfile.model.table import Table, clean_cell

ACCEPTABILITY = ("acceptable", "reduce-afap", "unacceptable")
UNKNOWN = "?"  # a matrix cell that holds something other than an acceptability verdict
AXES = ("severity", "probability", "exploitability")

_AXIS_WORDS = {
    "severity": ("severity",),
    "probability": ("probability", "likelihood", "occurrence", "frequency"),
    "exploitability": ("exploitability",),
}
_RISK_LEVEL_HEADERS = ("risk level", "risk levels", "risk category", "risk class", "risk index")
_ID_AND_NAME = re.compile(
    r"^(?P<id>[A-Za-z]{0,3}\s?\d+)\s*(?:[:=\u2013\u2014-]\s*|\.\s+|\(\s*|\s+)(?P<name>[^()]+?)\)?$"
)
_ID_DIGITS = re.compile(r"^[a-z]{0,3}\s?(\d+)$")
_NON_ESTIMABLE_HEADING = re.compile(
    r"cannot\s+be\s+estimated|non[-\s]?estimable|not\s+estimable",
    re.IGNORECASE,
)


def _norm(text: str) -> str:
    """Case-folded text without emphasis markers and surplus white space."""
    return " ".join(clean_cell(text).strip("*_ ").casefold().split())


def as_text(value: Any) -> str | None:
    """A level value as text: strings as written, integral numbers without `.0`."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


@dataclass(frozen=True, slots=True)
class Level:
    id: str
    name: str | None = None
    maps_to: str | None = None  # exploitability levels: the probability level they count as

    def label(self) -> str:
        if self.name and _norm(self.name) != _norm(self.id):
            return f"{self.id} ({self.name})"
        return self.id


@dataclass(frozen=True)
class Scale:
    axis: str
    levels: tuple[Level, ...] = ()
    # text -> (aliases, level): every risk row asks again for the same few texts
    _found: dict[tuple[str, int], tuple[ValueAliases | None, Level | None]] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    def __bool__(self) -> bool:
        return bool(self.levels)

    def find(self, value: Any, aliases: ValueAliases | None = None) -> Level | None:
        """The level a risk row's value names, or None."""
        text = as_text(value)
        if text is None or not self.levels:
            return None
        key = (text, id(aliases))
        kept = self._found.get(key)
        if kept is None or kept[0] is not aliases:
            kept = self._found[key] = (aliases, self._find(text, aliases))
        return kept[1]

    def _find(self, text: str, aliases: ValueAliases | None) -> Level | None:
        candidates = [text]
        alias = aliases.enum.get(_norm(text)) if aliases else None
        if alias:
            candidates.append(alias)
        for candidate in list(candidates):
            split = _ID_AND_NAME.match(clean_cell(candidate).strip("*_ "))
            if split:
                candidates.extend((split.group("id"), split.group("name")))
        for candidate in candidates:
            key = _norm(candidate)
            for level in self.levels:
                if key == _norm(level.id) or (level.name and key == _norm(level.name)):
                    return level
        for candidate in candidates:
            key = _norm(candidate)
            digits = _ID_DIGITS.match(key)
            if not digits:
                continue
            bare = key.isdigit()
            found = [
                level
                for level in self.levels
                if (match := _ID_DIGITS.match(_norm(level.id)))
                and match.group(1).lstrip("0") == digits.group(1).lstrip("0")
                and (bare or _norm(level.id).isdigit())
            ]
            if len(found) == 1:
                return found[0]
        return None

    def describe(self, limit: int = 8) -> str:
        shown = ", ".join(
            f"{lv.id} {lv.name}" if lv.name and _norm(lv.name) != _norm(lv.id) else lv.id
            for lv in self.levels[:limit]
        )
        return shown + (", ..." if len(self.levels) > limit else "")

    def signature(self) -> tuple[tuple[str, str], ...]:
        return tuple((_norm(lv.id), _norm(lv.name or lv.id)) for lv in self.levels)


@dataclass(frozen=True)
class RiskPlan:
    document: Document
    severity: Scale
    probability: Scale
    exploitability: Scale
    matrix: dict[tuple[str, str], str] = field(default_factory=dict)  # (sev id, prob id) -> cell
    has_matrix: bool = False
    matrix_line: int = 0
    unknown_matrix_keys: tuple[str, ...] = ()
    non_estimable_criteria: bool = False
    from_tables: tuple[str, ...] = ()  # what was read from body tables
    aliases: ValueAliases = field(default_factory=lambda: ValueAliases({}, {}))

    @property
    def label(self) -> str:
        return self.document.label()

    @property
    def defines_anything(self) -> bool:
        return bool(self.severity or self.probability or self.has_matrix)

    def scale(self, axis: str) -> Scale:
        return {"severity": self.severity, "probability": self.probability}.get(
            axis, self.exploitability
        )

    def probability_level(self, value: Any, method: Any = None) -> Level | None:
        """A row's probability level; an exploitability rating counts as the probability
        level the plan maps it to."""
        level = self.probability.find(value, self.aliases)
        if level is not None:
            return level
        rated = self.exploitability.find(value, self.aliases)
        if rated is not None and rated.maps_to:
            return self.probability.find(rated.maps_to, self.aliases)
        return None

    def probability_defined(self, value: Any, method: Any = None) -> bool:
        if self.probability.find(value, self.aliases) is not None:
            return True
        return (
            method == "exploitability" and self.exploitability.find(value, self.aliases) is not None
        )

    def cell(self, severity: Level | None, probability: Level | None) -> str | None:
        """The matrix verdict for a pair: acceptable | reduce-afap | unacceptable | UNKNOWN,
        or None when the matrix has no such cell."""
        if severity is None or probability is None:
            return None
        return self.matrix.get((severity.id, probability.id))

    def missing_pairs(self) -> list[tuple[Level, Level]]:
        if not self.has_matrix:
            return []
        return [
            (s, p)
            for s in self.severity.levels
            for p in self.probability.levels
            if (s.id, p.id) not in self.matrix
        ]


# --------------------------------------------------------------------------------------------
# Reading a plan


def plan_tables(document: Document) -> tuple[Table, ...]:
    """The body tables of a document, when the document model carries them."""
    tables = getattr(document, "tables", ())
    return tuple(t for t in tables if isinstance(t, Table)) if isinstance(tables, tuple) else ()


def read_plan(
    document: Document, aliases: ValueAliases, tables: Sequence[Table] | None = None
) -> RiskPlan:
    """Read a risk management plan from its front-matter, completed by its body tables."""
    meta = document.meta
    tables = tuple(plan_tables(document) if tables is None else tables)
    scales = {axis: Scale(axis, _levels(meta.get(f"{axis}_levels"))) for axis in AXES}
    risk_levels = _risk_level_tables(tables, aliases)
    matrix_tables = [t for t in tables if _is_matrix(t, aliases, risk_levels)]
    from_tables: list[str] = []
    for axis in AXES:
        if not scales[axis]:
            levels = _level_tables(tables, axis, matrix_tables, risk_levels)
            if levels:
                scales[axis] = Scale(axis, levels)
                from_tables.append(f"{axis} levels")
    raw = meta.get("acceptability_matrix")
    matrix: dict[tuple[str, str], str] = {}
    unknown: list[str] = []
    has_matrix = False
    line = document.line_of("acceptability_matrix") if "acceptability_matrix" in meta else 0
    if isinstance(raw, dict) and raw:
        has_matrix = True
        scales = _complete_from_matrix(scales, raw)
        matrix, unknown = _front_matter_matrix(raw, scales, aliases)
    elif matrix_tables:
        table = matrix_tables[0]
        scales, matrix, unknown = _table_matrix(table, scales, aliases, risk_levels)
        has_matrix = bool(matrix)
        line = table.line
        if has_matrix:
            from_tables.append("acceptability matrix")
    return RiskPlan(
        document=document,
        severity=scales["severity"],
        probability=scales["probability"],
        exploitability=scales["exploitability"],
        matrix=matrix,
        has_matrix=has_matrix,
        matrix_line=line,
        unknown_matrix_keys=tuple(unknown),
        non_estimable_criteria=_has_criteria(document),
        from_tables=tuple(from_tables),
        aliases=aliases,
    )


def plan_for(plans: Sequence[RiskPlan], document: Document, index: Index) -> RiskPlan | None:
    """The plan a risk document is evaluated with: the plan it references, else the first
    plan (by path) that defines scales or a matrix."""
    useful = [p for p in plans if p.defines_anything]
    references = document.meta.get("references")
    if isinstance(references, list):
        for reference in references:
            if not isinstance(reference, str):
                continue
            target = index.resolve(reference, document, "document").document
            for plan in useful:
                if plan.document is target:
                    return plan
    return useful[0] if useful else None


def stated_acceptability(value: Any, aliases: ValueAliases) -> str | None:
    """What a row says about acceptability: acceptable | not-acceptable | reduce-afap | None."""
    if isinstance(value, bool):
        return "acceptable" if value else "not-acceptable"
    if not isinstance(value, str) or not value.strip():
        return None
    truth = aliases.as_boolean(_norm(value))
    if truth is not None:
        return "acceptable" if truth else "not-acceptable"
    word = acceptability_word(value, aliases)
    return {"unacceptable": "not-acceptable"}.get(word or "", word)


def acceptability_word(text: str, aliases: ValueAliases) -> str | None:
    """`Acceptable`, `**unacceptable**`, `ALARP`, `not acceptable` -> the matrix vocabulary."""
    key = _norm(text).rstrip("?!. ")
    return aliases.as_enum(key, list(ACCEPTABILITY))


def verdict(stated: str | None, cell: str | None) -> str | None:
    """Acceptable or not, by the matrix where it decides, else by what the row states."""
    if cell == "acceptable":
        return "acceptable"
    if cell == "unacceptable":
        return "not-acceptable"
    if stated in ("acceptable", "not-acceptable"):
        return stated
    return None


def contradicts(stated: str | None, cell: str | None, reduce_afap: str = "either") -> bool:
    """Whether a row's stated acceptability disagrees with the matrix cell. `reduce_afap`
    says how a reduce-afap cell reads: either | acceptable | not-acceptable."""
    if stated is None or cell not in ACCEPTABILITY:
        return False
    if stated == "reduce-afap":
        return cell != "reduce-afap"
    if cell == "reduce-afap":
        return reduce_afap != "either" and stated != reduce_afap
    return (stated == "acceptable") != (cell == "acceptable")


def scale_disagreements(plans: Sequence[RiskPlan]) -> list[tuple[RiskPlan, RiskPlan, str]]:
    """(plan, other plan, axis) for each pair of plans whose scales on an axis differ."""
    found: list[tuple[RiskPlan, RiskPlan, str]] = []
    for index, first in enumerate(plans):
        for second in plans[index + 1 :]:
            for axis in AXES:
                a, b = first.scale(axis), second.scale(axis)
                if a and b and sorted(a.signature()) != sorted(b.signature()):
                    found.append((first, second, axis))
    return found


# --------------------------------------------------------------------------------------------
# Front-matter


def _levels(raw: Any) -> tuple[Level, ...]:
    if not isinstance(raw, list):
        return ()
    levels: list[Level] = []
    seen: set[str] = set()
    for entry in raw:
        if isinstance(entry, dict):
            level_id = as_text(entry.get("id")) or as_text(entry.get("name"))
            name = as_text(entry.get("name"))
            maps_to = as_text(entry.get("probability"))
        else:
            level_id, name, maps_to = as_text(entry), None, None
        if level_id and _norm(level_id) not in seen:
            seen.add(_norm(level_id))
            levels.append(Level(level_id, name, maps_to))
    return tuple(levels)


def _complete_from_matrix(scales: dict[str, Scale], raw: dict[str, Any]) -> dict[str, Scale]:
    """A plan that gives only a matrix: its keys are the levels."""
    result = dict(scales)
    if not result["severity"]:
        result["severity"] = Scale("severity", tuple(Level(str(k)) for k in raw))
    if not result["probability"]:
        inner: list[str] = []
        for row in raw.values():
            if isinstance(row, dict):
                inner.extend(str(k) for k in row if str(k) not in inner)
        result["probability"] = Scale("probability", tuple(Level(k) for k in inner))
    return result


def _front_matter_matrix(
    raw: dict[str, Any], scales: dict[str, Scale], aliases: ValueAliases
) -> tuple[dict[tuple[str, str], str], list[str]]:
    severity, probability = scales["severity"], scales["probability"]
    matrix: dict[tuple[str, str], str] = {}
    unknown: list[str] = []
    outer_keys = list(raw)
    by_severity = sum(1 for k in outer_keys if severity.find(k, aliases) is not None)
    by_probability = sum(1 for k in outer_keys if probability.find(k, aliases) is not None)
    transposed = by_probability > by_severity  # written probability -> severity
    outer_scale, inner_scale = (probability, severity) if transposed else (severity, probability)
    for outer, row in raw.items():
        if not isinstance(row, dict):
            continue  # a schema violation (FM004)
        outer_level = outer_scale.find(outer, aliases)
        if outer_level is None:
            if str(outer) not in unknown:
                unknown.append(str(outer))
            continue
        for inner, cell in row.items():
            inner_level = inner_scale.find(inner, aliases)
            if inner_level is None:
                if str(inner) not in unknown:
                    unknown.append(str(inner))
                continue
            s, p = (inner_level, outer_level) if transposed else (outer_level, inner_level)
            word = acceptability_word(cell, aliases) if isinstance(cell, str) else None
            matrix[(s.id, p.id)] = word or UNKNOWN
    return matrix, unknown


def _has_criteria(document: Document) -> bool:
    value = document.meta.get("non_estimable_probability_criteria")
    if isinstance(value, str) and value.strip():
        return True
    if isinstance(value, list) and any(isinstance(v, str) and v.strip() for v in value):
        return True
    return any(_NON_ESTIMABLE_HEADING.search(text) for _, text, _ in document.headings)


# --------------------------------------------------------------------------------------------
# Body tables


def _axis_of(header: str) -> str | None:
    words = _norm(header)
    for axis, names in _AXIS_WORDS.items():
        if any(name in words for name in names):
            return axis
    return None


def _level_from_cell(text: str) -> Level | None:
    cleaned = clean_cell(text).strip("*_ ")
    if not cleaned:
        return None
    split = _ID_AND_NAME.match(cleaned)
    if split:
        return Level(split.group("id").replace(" ", ""), split.group("name").strip())
    return Level(cleaned, cleaned)


def _risk_level_tables(tables: Iterable[Table], aliases: ValueAliases) -> dict[str, str]:
    """Risk-level label -> acceptability, from tables such as `| Risk Level | Comment |`
    (GSTT) where the matrix gives a risk level and a second table says what it means."""
    labels: dict[str, str] = {}
    for table in tables:
        if not table.headers or _norm(table.headers[0]) not in _RISK_LEVEL_HEADERS:
            continue
        for _, cells in table.rows:
            if len(cells) < 2 or not _norm(cells[0]):
                continue
            meaning = _meaning(" ".join(cells[1:]), aliases)
            labels[_norm(cells[0])] = meaning or UNKNOWN
    return labels


def _meaning(text: str, aliases: ValueAliases) -> str | None:
    """What a risk level's description says: a conservative reading of its first words."""
    words = _norm(text)
    if not words:
        return None
    direct = acceptability_word(words.split("<br>")[0], aliases)
    if direct:
        return direct
    if re.match(r"(?:not acceptable|unacceptable|intolerable)\b", words):
        return "unacceptable"
    if re.match(r"(?:undesirable|alarp|tolerable)\b", words) or "as low as" in words:
        return "reduce-afap"
    if re.match(r"acceptable\s*(?:where|if|when|only)\b", words):
        return "reduce-afap"
    if re.match(r"acceptable\b", words):
        return "acceptable"
    return None


def _cell_verdict(text: str, aliases: ValueAliases, risk_levels: dict[str, str]) -> str | None:
    word = acceptability_word(text, aliases)
    if word:
        return word
    return risk_levels.get(_norm(text))


def _mostly_verdicts(cells: list[str], aliases: ValueAliases, risk_levels: dict[str, str]) -> bool:
    filled = [c for c in cells if _norm(c)]
    verdicts = sum(1 for c in filled if _cell_verdict(c, aliases, risk_levels) is not None)
    return bool(filled) and verdicts * 5 >= len(filled) * 3


def _is_matrix(table: Table, aliases: ValueAliases, risk_levels: dict[str, str]) -> bool:
    """Most cells right of the first column are verdicts or risk levels."""
    cells = [c for _, row in table.rows for c in row[1:] if _norm(c)]
    return len(cells) >= 4 and _mostly_verdicts(cells, aliases, risk_levels)


def _level_tables(
    tables: Iterable[Table],
    axis: str,
    matrix_tables: list[Table],
    risk_levels: dict[str, str],
) -> tuple[Level, ...]:
    for table in tables:
        if table in matrix_tables or not table.headers or _axis_of(table.headers[0]) != axis:
            continue
        if _norm(table.headers[0]) in _RISK_LEVEL_HEADERS:
            continue
        levels: list[Level] = []
        seen: set[str] = set()
        for _, cells in table.rows:
            level = _level_from_cell(cells[0]) if cells else None
            if level is not None and _norm(level.id) not in seen:
                seen.add(_norm(level.id))
                levels.append(level)
        if levels:
            return tuple(levels)
    return ()


def _table_matrix(
    table: Table,
    scales: dict[str, Scale],
    aliases: ValueAliases,
    risk_levels: dict[str, str],
) -> tuple[dict[str, Scale], dict[tuple[str, str], str], list[str]]:
    """Read a matrix table in either orientation. The column levels are in the header row,
    or in whichever row names them (GSTT puts them in the last row, jadczak in the first)."""
    rows: list[tuple[str, ...]] = [table.headers, *(cells for _, cells in table.rows)]
    severity, probability = scales["severity"], scales["probability"]
    best: tuple[int, int, str] = (0, -1, "")  # (matches, row index, column axis)
    for position, cells in enumerate(rows):
        for axis, scale in (("severity", severity), ("probability", probability)):
            hits = sum(1 for c in cells[1:] if scale.find(c, aliases) is not None)
            if hits > best[0]:
                best = (hits, position, axis)
    result = dict(scales)
    if best[0] >= 2:
        column_axis, header_index = best[2], best[1]
    else:  # no scales known: the first header names the row axis, the headers the columns
        row_axis = _axis_of(table.headers[0]) if table.headers else None
        if row_axis not in ("severity", "probability"):
            return scales, {}, []
        column_axis = "severity" if row_axis == "probability" else "probability"
        header_index = 0
        columns = [
            lv
            for j, c in enumerate(table.headers[1:], start=1)
            if _mostly_verdicts(
                [cells[j] for cells in rows[1:] if len(cells) > j], aliases, risk_levels
            )
            and (lv := _level_from_cell(c)) is not None
        ]
        firsts = [_level_from_cell(cells[0]) for cells in rows[1:] if cells]
        result[column_axis] = result[column_axis] or Scale(column_axis, tuple(columns))
        result[row_axis] = result[row_axis] or Scale(
            row_axis, tuple(lv for lv in firsts if lv is not None)
        )
    row_axis = "probability" if column_axis == "severity" else "severity"
    header = rows[header_index]
    if not result[row_axis]:
        firsts = [
            _level_from_cell(cells[0])
            for position, cells in enumerate(rows)
            if position != header_index and cells and _norm(cells[0])
        ]
        result[row_axis] = Scale(row_axis, tuple(lv for lv in firsts if lv is not None))
    column_scale, row_scale = result[column_axis], result[row_axis]
    matrix: dict[tuple[str, str], str] = {}
    for position, cells in enumerate(rows):
        if position == header_index or not cells:
            continue
        row_level = row_scale.find(cells[0], aliases)
        if row_level is None:
            continue
        for column, text in zip(header[1:], cells[1:], strict=False):
            column_level = column_scale.find(column, aliases)
            if column_level is None:
                continue
            verdict_text = _cell_verdict(text, aliases, risk_levels) or UNKNOWN
            pair = (
                (column_level.id, row_level.id)
                if column_axis == "severity"
                else (row_level.id, column_level.id)
            )
            matrix[pair] = verdict_text
    return result, matrix, []
