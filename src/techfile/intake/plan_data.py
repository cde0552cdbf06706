"""A risk management plan's scales and acceptability matrix kept in a data file.

Innolitics' rdm keeps them in data/risk.yml and renders them into the plan with Jinja loops,
so the plan as it is in git holds only the loops. An `[[items-from]]` entry for a
risk-management-plan names a part of the plan where it names an item list elsewhere:

- `list = "severity_levels"` or `"probability_levels"`: the levels, each a plain id or a
  mapping with `id` (else `name`), `name` and `description`;
- `list = "risk_levels"`: the risk levels a matrix cell may hold, each with the
  `description` that says what it means (`Acceptable`, `Unacceptable. ...`);
- `list = "acceptability_matrix"`: one row per severity level with one cell per probability
  level, in the order of the two level lists (rdm), or a mapping severity -> probability ->
  cell.

`key` is where the part is in the file (dots go deeper: `risk.matrix`), `columns` renames the
file's keys to those above (`label = "id"`), as for item lists.

Each part becomes the table the rendered plan would show, kept with the data file's path and
lines and put before the plan's own tables: the plan is read from it like from any table, and a
finding about a level or a matrix row points into the data file, where it is fixed.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from techfile.intake.parse import ParsedFile, ParseSettings
from techfile.intake.yamltree import Node, TreeError, build_tree
from techfile.model.diagnostics import Diagnostic
from techfile.model.table import Table

Reader = Callable[[str], "bytes | Diagnostic"]
PLAN_TYPE = "risk-management-plan"
LEVEL_PARTS = {"severity_levels": "Severity", "probability_levels": "Probability"}
PARTS = (*LEVEL_PARTS, "risk_levels", "acceptability_matrix")


@dataclass(frozen=True, slots=True)
class _Part:
    name: str
    path: str  # the data file, root-relative
    key_line: int  # the line of the part's key (0: the whole file)
    node: Node
    renames: dict[str, str]


def attach_plan_parts(
    file: ParsedFile,
    entries: list[dict[str, Any]],
    settings: ParseSettings,
    read: Reader,
) -> list[dict[str, Any]]:
    """Attach the plan parts the entries name to a risk management plan, as tables; return
    the entries that are not plan parts, for the item lists."""
    document = file.document
    if document is None or document.type != PLAN_TYPE:
        return entries
    taken = [e for e in entries if str(e.get("list")) in PARTS]
    if not taken:
        return entries
    files: dict[str, Node | None] = {}
    parts: dict[str, _Part] = {}
    for entry in taken:
        part = _part(file, entry, settings, read, files)
        if part is not None:
            parts[part.name] = part
    tables = _tables(file, parts)
    document.tables = (*tables, *document.tables)
    return [e for e in entries if str(e.get("list")) not in PARTS]


def _part(
    file: ParsedFile,
    entry: dict[str, Any],
    settings: ParseSettings,
    read: Reader,
    files: dict[str, Node | None],
) -> _Part | None:
    assert file.document is not None
    named = str(entry["file"])
    if named.startswith(("./", "../")):
        path = posixpath.normpath(posixpath.join(posixpath.dirname(file.document.path), named))
    else:
        path = posixpath.normpath(named)
    if path not in files:
        files[path] = _load(file, path, settings, read)
    root = files[path]
    key = entry.get("key")
    node, line = _under(root, str(key)) if key is not None else (root, 0)
    name = str(entry["list"])
    if node is None:
        where = f" under `{key}`" if key is not None else ""
        _problem(file, f"{path} holds no {name.replace('_', ' ')}{where} ([[items-from]])")
        return None
    renames = {str(k): str(v) for k, v in dict(entry.get("columns", {})).items()}
    return _Part(name, path, line or node.line, node, renames)


def _load(file: ParsedFile, path: str, settings: ParseSettings, read: Reader) -> Node | None:
    data = read(path)
    if isinstance(data, Diagnostic):
        _problem(
            file, f"the data file {path} named by [[items-from]] cannot be read: {data.message}"
        )
        return None
    try:
        return build_tree(data.decode("utf-8-sig", errors="replace"), settings.limits)
    except TreeError as problem:
        _problem(file, f"{path}:{problem.line}: {problem.message}")
        return None


def _under(root: Node | None, key: str) -> tuple[Node | None, int]:
    """The node at a dotted key path, and the line of its key."""
    node, line = root, 0
    for step in key.split("."):
        if node is None or node.kind != "map":
            return None, 0
        found = [(k, v) for k, v in node.pairs if k.value == step]
        node, line = (found[0][1], found[0][0].line) if found else (None, 0)
    return node, line


def _problem(
    file: ParsedFile,
    message: str,
    why: str = "techfile could not read this part of the plan, so the risk rules do not use it.",
    fix: str = "Correct the `[[items-from]]` entry or the data file it names.",
) -> None:
    file.diagnostics.append(Diagnostic("FM008", message, 0, key=(message,), why=why, fix=fix))


# ------------------------------------------------------------------------------ the tables


def _tables(file: ParsedFile, parts: dict[str, _Part]) -> list[Table]:
    tables: list[Table] = []
    levels: dict[str, list[str]] = {}
    for name, header in LEVEL_PARTS.items():
        part = parts.get(name)
        if part is not None:
            rows = _level_rows(part)
            levels[name] = [cells[0] for _, cells in rows]
            tables.append(Table(part.key_line, (header, "Description"), tuple(rows), part.path))
    meanings = parts.get("risk_levels")
    if meanings is not None:
        rows = _level_rows(meanings)
        tables.append(
            Table(meanings.key_line, ("Risk level", "Meaning"), tuple(rows), meanings.path)
        )
    matrix = parts.get("acceptability_matrix")
    if matrix is not None:
        table = _matrix_table(file, matrix, levels)
        if table is not None:
            tables.append(table)
    return tables


def _level_rows(part: _Part) -> list[tuple[int, tuple[str, str]]]:
    """(line, (level as a table cell, its description)) for each entry of a level list, or
    of a mapping level -> description."""
    if part.node.kind == "map":
        return [
            (key.line, (key.value, _scalar(value)))
            for key, value in part.node.pairs
            if key.value.strip()
        ]
    rows: list[tuple[int, tuple[str, str]]] = []
    for entry in part.node.children if part.node.kind == "seq" else []:
        fields = _fields(entry, part.renames)
        level = fields.get("id") or fields.get("name", "")
        name = fields.get("name", "")
        cell = f"{level}: {name}" if name and name != level else level
        if cell.strip():
            rows.append((entry.line, (cell, fields.get("description", ""))))
    return rows


def _fields(entry: Node, renames: dict[str, str]) -> dict[str, str]:
    """The scalar fields of a level entry by the model's names; a plain value is its id."""
    if entry.kind == "scalar":
        return {"id": entry.value}
    if entry.kind != "map":
        return {}
    fields: dict[str, str] = {}
    for key, value in entry.pairs:
        fields.setdefault(renames.get(key.value, key.value), _scalar(value))
    return fields


def _scalar(node: Node) -> str:
    return " ".join(node.value.split()) if node.kind == "scalar" else ""


def _matrix_table(file: ParsedFile, part: _Part, levels: dict[str, list[str]]) -> Table | None:
    """The matrix as the rendered plan shows it: a header of probability levels, a row per
    severity level."""
    if part.node.kind == "map":
        return _mapping_matrix(part)
    severity, probability = levels.get("severity_levels"), levels.get("probability_levels")
    if not severity or not probability:
        _problem(
            file,
            f"the acceptability matrix in {part.path} is a list of rows, but [[items-from]] "
            "names no severity_levels and probability_levels for this plan",
            why="techfile takes the level of each row and cell from severity_levels and "
            "probability_levels, so it could not read the matrix, and the risk rules do not "
            "use it.",
            fix="Name severity_levels and probability_levels in `[[items-from]]` for this plan.",
        )
        return None
    rows = [r for r in part.node.children if r.kind == "seq"] if part.node.kind == "seq" else []
    if len(rows) > len(severity) or any(len(r.children) > len(probability) for r in rows):
        _problem(
            file,
            f"{part.path}:{part.key_line}: the acceptability matrix has more rows or cells "
            f"than there are severity ({len(severity)}) or probability ({len(probability)}) "
            "levels",
            why="techfile did not read the surplus rows and cells, so the risk rules do not "
            "use them.",
            fix="Make the matrix match the levels, or add the levels that are missing.",
        )
    body = tuple(
        (row.line, (level, *(_scalar(cell) for cell in row.children[: len(probability)])))
        for level, row in zip(severity, rows, strict=False)
    )
    return Table(part.key_line, ("Severity", *probability), body, part.path)


def _mapping_matrix(part: _Part) -> Table:
    """severity -> probability -> cell, written as a mapping of mappings."""
    columns: list[str] = []
    for _, row in part.node.pairs:
        for key, _ in row.pairs if row.kind == "map" else []:
            if key.value not in columns:
                columns.append(key.value)
    body = []
    for key, row in part.node.pairs:
        cells = {k.value: _scalar(v) for k, v in row.pairs} if row.kind == "map" else {}
        body.append((key.line, (key.value, *(cells.get(c, "") for c in columns))))
    return Table(part.key_line, ("Severity", *columns), tuple(body), part.path)
