"""The configuration of a technical file as the rules read it (`.techfile.toml` or
`[tool.techfile]` in pyproject.toml), already merged with its preset; reading it is intake's."""

from __future__ import annotations

import datetime
import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CONFIG_FILE = ".techfile.toml"
CACHE_DIR = ".techfile_cache"  # techfile's own files in the root, never a document
DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024
DEFAULT_EXCLUDES = (
    "README.md",
    "**/README.md",
    "CHANGELOG.md",
    "**/CHANGELOG.md",
    "LICENSE.md",
    "**/LICENSE.md",
    "CONTRIBUTING.md",
    "**/CONTRIBUTING.md",
    ".github/**",
    ".git/**",
    ".venv/**",
    "venv/**",
    "**/.venv/**",
    "**/site-packages/**",
    "**/node_modules/**",
    "build/**",
    "dist/**",
    "site/**",
    "_build/**",
    f"{CACHE_DIR}/**",
    "**/.tox/**",
    "**/.nox/**",
)


ConfigPath = tuple[str | int, ...]  # a path into the configuration: keys and list positions


class ConfigError(Exception):
    """The configuration cannot be used: exit code 2."""


@dataclass(frozen=True)
class Config:
    root: Path
    source: Path | None
    raw: dict[str, Any] = field(default_factory=dict)
    text: str = ""  # the configuration file as read, for the lines of its entries
    own: dict[str, Any] = field(default_factory=dict)  # as the team wrote it, before a preset

    # Typed views of the keys the run reads. The configuration's checks (intake) have held every
    # value to config.schema.json before a Config exists, so these only give defaults.

    @property
    def select(self) -> tuple[str, ...]:
        return tuple(self.raw.get("select", ()))

    @property
    def ignore(self) -> tuple[str, ...]:
        return tuple(self.raw.get("ignore", ()))

    @property
    def extend_select(self) -> tuple[str, ...]:
        return tuple(self.raw.get("extend-select", ()))

    @property
    def profile(self) -> str:
        return str(self.raw.get("profile", "default"))

    @property
    def fail_on(self) -> str:
        return str(self.raw.get("fail-on", "error"))

    @property
    def severity_overrides(self) -> dict[str, str]:
        """`[severity]`: code -> severity."""
        return dict(self.raw.get("severity", {}))

    @property
    def rule_settings(self) -> dict[str, dict[str, Any]]:
        """`[rules.CODE]` tables, by code in capitals."""
        return {code.upper(): dict(v) for code, v in self.raw.get("rules", {}).items()}

    @property
    def items_from(self) -> list[dict[str, Any]]:
        return list(self.raw.get("items-from", []))

    @property
    def per_file_ignores(self) -> list[dict[str, Any]]:
        return list(self.raw.get("per-file-ignores", []))

    @property
    def artifacts(self) -> dict[str, str]:
        return dict(self.raw.get("artifacts", {}))

    @property
    def approvals_from_register(self) -> bool:
        """`approval-source = "register"`: approvals are read from the document register."""
        return self.raw.get("approval-source") == "register"

    @property
    def type_globs(self) -> dict[str, str]:
        """`[types]`: path glob -> document type."""
        return dict(self.raw.get("types", {}))

    @property
    def aliases(self) -> dict[str, dict[str, Any]]:
        """`[aliases.types]`, `[aliases.fields]`, `[aliases.columns]`."""
        return dict(self.raw.get("aliases", {}))

    @property
    def value_aliases(self) -> dict[str, Any]:
        """`[values]`: a value as written -> what techfile reads it as."""
        return dict(self.raw.get("values", {}))

    @property
    def id_from(self) -> str:
        return str(self.raw.get("id-from", "front-matter"))

    @property
    def max_table_rows(self) -> int:
        return int(self.raw.get("max-table-rows", 20_000))

    @property
    def include(self) -> tuple[str, ...]:
        return tuple(self.raw.get("include", ["**/*.md"]))

    @property
    def exclude(self) -> tuple[str, ...]:
        return DEFAULT_EXCLUDES + tuple(self.raw.get("exclude", []))

    @property
    def device(self) -> dict[str, Any]:
        return dict(self.raw.get("device", {}))

    @property
    def max_file_size(self) -> int:
        return int(self.raw.get("max-file-size", DEFAULT_MAX_FILE_SIZE))

    def as_of(self, override: datetime.date | None) -> datetime.date:
        if override is not None:
            return override
        pinned = self.raw.get("as-of")
        if isinstance(pinned, datetime.date):
            return pinned
        if pinned is not None:
            return datetime.date.fromisoformat(str(pinned))
        return datetime.date.today()

    def table_lines(self, name: str) -> list[int]:
        """Lines of the `[[name]]` headers in the configuration file, in order (TOML gives no
        positions, so findings about a config entry find their line here)."""
        if self.source is None:
            return []
        text = self.text
        prefix = "tool.techfile." if self.source.name == "pyproject.toml" else ""
        header = re.compile(rf"^\s*\[\[\s*{re.escape(prefix + name)}\s*\]\]", re.MULTILINE)
        return [text.count("\n", 0, m.start()) + 1 for m in header.finditer(text)]

    @property
    def relative_source(self) -> str:
        """The configuration file, relative to the root ("" when there is none)."""
        if self.source is None:
            return ""
        try:
            return self.source.relative_to(self.root).as_posix()
        except ValueError:
            return self.source.name


# --- Wording of configuration mistakes: the key as written in TOML, the value as the user
# --- wrote it and the type expected, never a Python repr ---------------------------------

_KINDS = {
    "integer": "a whole number",
    "number": "a number",
    "string": "text in quotes",
    "boolean": "true or false",
    "array": "a list",
    "object": "a table",
}
_PLURAL_KINDS = {
    "integer": "whole numbers",
    "number": "numbers",
    "string": "texts in quotes",
    "boolean": "true or false values",
    "object": "tables",
}
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_SHOWN_TEXT = 60  # characters of a wrong text value quoted back


def toml_key(name: str | int) -> str:
    """A key as TOML writes it: bare when it can be, else a quoted string."""
    text = str(name)
    return text if _BARE_KEY.match(text) else json.dumps(text, ensure_ascii=False)


def key_name(path: ConfigPath, table: str = "") -> str:
    """`[rules.SDL004] max-age-months`, `[[per-file-ignores]] rules` (entry 2), `fail-on`:
    a path into the configuration, named the way the file spells it. `table` is the table the
    configuration lives in (`tool.techfile` in pyproject.toml)."""
    tables = [table] if table else []
    keys = [part for part in path if isinstance(part, str)]
    positions = [
        f"{'item' if at == len(path) - 1 else 'entry'} {part + 1}"
        for at, part in enumerate(path)
        if isinstance(part, int)
    ]
    entry = f" ({', '.join(positions)})" if positions else ""
    if not keys:
        return f"[{table}]" if table else "the configuration"
    *parents, last = keys
    if not parents and not tables:
        return f"`{toml_key(last)}`{entry}"
    header = ".".join([*tables, *(toml_key(p) for p in parents)])
    is_array_of_tables = len(path) > 1 and isinstance(path[1], int) and parents
    brackets = f"[[{header}]]" if is_array_of_tables else f"[{header}]"
    return f"`{brackets} {toml_key(last)}`{entry}"


def shown_value(value: Any) -> str:
    """What the user wrote, in TOML's words: `the text "twelve"`, `the number 12`, `true`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {quoted(value)}"
    if isinstance(value, datetime.datetime):
        return f"the date and time {value.isoformat()}"
    if isinstance(value, datetime.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, datetime.time):
        return f"the time {value.isoformat()}"
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    if isinstance(value, dict):
        return "a table"
    return "a value of another kind"


def quoted(text: str) -> str:
    cut = text if len(text) <= _SHOWN_TEXT else text[: _SHOWN_TEXT - 1] + "…"
    return json.dumps(cut, ensure_ascii=False)


def toml_literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return quoted(value) if isinstance(value, str) else str(value)


def expected_kind(schema: dict[str, Any]) -> str:
    """What a schema (or a rule option's declaration) asks for, in words: `a whole number of
    months, at least 1`, `one of "error", "warning" or "info"`, `a list of texts in quotes`."""
    if isinstance(schema.get("enum"), list):
        choices = [toml_literal(v) for v in schema["enum"]]
        return either(choices) if len(choices) < 3 else f"one of {either(choices)}"
    if schema.get("format") == "date":
        return "a date, YYYY-MM-DD"
    kind = schema.get("type")
    if isinstance(kind, list):
        short = {"string": "text", "boolean": "true/false"}
        return either([short.get(str(k), _KINDS.get(str(k), str(k))) for k in kind])
    words = _KINDS.get(str(kind), "a value of the declared kind")
    unit = schema.get("unit")
    if unit and kind in ("integer", "number"):
        words += f" of {unit}"
    items = schema.get("items")
    if kind == "array" and isinstance(items, dict) and items.get("type") in _PLURAL_KINDS:
        words = f"a list of {_PLURAL_KINDS[items['type']]}"
    return words + _bounds(schema)


def _bounds(schema: dict[str, Any]) -> str:
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is not None and high is not None:
        return f" from {low} to {high}"
    if low is not None:
        return f", at least {low}"
    if high is not None:
        return f", at most {high}"
    return ""


def either(words: Sequence[str], joint: str = "or") -> str:
    """`a`, `a or b`, `a, b or c` (or `and`)."""
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} {joint} {words[-1]}"


# --- where a key is written ----------------------------------------------------------------

_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")


def key_line(text: str, path: ConfigPath, table: str = "") -> int | None:
    """The line of the key at `path` in the configuration text when it is written plainly
    (`[table]` header, then `key = ...`), else the line of its table's header; None when it
    cannot be told (TOML gives no positions; a dotted key or inline table is not looked for)."""
    keys = [p for p in path if isinstance(p, str)]
    if not keys or not text:
        return None
    prefix = [table] if table else []
    entry = path[1] if len(path) > 1 and isinstance(path[1], int) else 0
    # rule codes are capitalised when read, so `[rules.sdl004]` is looked for case-blind
    parent = ".".join([*prefix, *(toml_key(k) for k in keys[:-1])]).casefold()
    itself = ".".join([*prefix, *(toml_key(k) for k in keys)]).casefold()
    key = re.compile(rf"^\s*[\"']?{re.escape(keys[-1])}[\"']?\s*=", re.IGNORECASE)
    current, seen, parent_line = "", Counter[str](), None
    for number, line in enumerate(text.splitlines(), start=1):
        heading = _HEADER.match(line)
        if heading:
            current = heading.group(1).replace(" ", "").casefold()
            seen[current] += 1
            if current == itself and seen[current] - 1 == entry:
                return number  # the key is a table of its own: [rules.SDL004]
            if current == parent and seen[current] - 1 == entry:
                parent_line = number
            continue
        in_entry = not parent or seen[parent] - 1 == entry
        if current == parent and in_entry and key.match(line):
            return number
    return parent_line
