"""Check a configuration before anything runs: every key's type against
`schemas/config.schema.json`, rule codes against the rule pages, each `[rules.CODE]` option
against the type its page declares (`options:` in checks/CODE-*.md), document types against
the type registry. A mistake is exit 2 with one line per mistake that names the key as the file
spells it and what it should be: never a silent default, never a Python repr."""

from __future__ import annotations

import datetime
import functools
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from techfile.model.config import (
    ConfigError,
    ConfigPath,
    either,
    expected_kind,
    key_line,
    key_name,
    quoted,
    shown_value,
    toml_key,
)
from techfile.util.nearest import NearestIndex

ARTIFACT_NAMES = ("sbom", "vex")
SUGGESTION_CUTOFF = 0.6


def shown_path(path: Path) -> str:
    """A configuration file as a message names it: relative to where the user stands when it
    is below there."""
    try:
        return (
            Path(os.path.relpath(path)).as_posix() if path.is_relative_to(Path.cwd()) else str(path)
        )
    except (OSError, ValueError):
        return str(path)


# --- checking ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Where:
    """The file a configuration came from, to name the line of a mistake."""

    path: Path
    text: str
    table: str  # "tool.techfile" in pyproject.toml

    def problem(self, path: ConfigPath, message: str) -> tuple[int, str]:
        """(line, the message with the file and line): mistakes are told in file order."""
        line = key_line(self.text, path, self.table) or 0
        return line, f"{shown_path(self.path)}{f':{line}' if line else ''}: {message}"

    def key(self, path: ConfigPath) -> str:
        return key_name(path, self.table)

    def header(self, *keys: str) -> str:
        return f"`[{'.'.join([*([self.table] if self.table else []), *map(toml_key, keys)])}]`"


def checked(data: dict[str, Any], where: Where) -> dict[str, Any]:
    """`data` with TOML dates as text and rule codes in capitals, or ConfigError naming every
    mistake, one per line."""
    data = _normalised(data)
    problems = [where.problem(p, m) for p, m in _schema_problems(data, where)]
    if not problems:
        found = (*_code_problems(data, where), *_option_problems(data, where))
        problems = [where.problem(p, m) for p, m in (*found, *_name_problems(data, where))]
    if problems:
        told = dict.fromkeys(
            text for _, text in sorted(problems)
        )  # once: a value may break two keywords
        raise ConfigError("\n".join(told))
    return data


def _normalised(data: dict[str, Any]) -> dict[str, Any]:
    """A TOML date for `as-of` is its ISO text (a date and time is left for the schema to
    refuse); `[rules.x]` and `[severity]` keys are rule codes, so they are capitalised."""
    data = dict(data)
    as_of = data.get("as-of")
    if isinstance(as_of, datetime.date) and not isinstance(as_of, datetime.datetime):
        data["as-of"] = as_of.isoformat()
    for table in ("rules", "severity"):
        entries = data.get(table)
        if isinstance(entries, dict):
            data[table] = {str(k).upper(): v for k, v in entries.items()}
    return data


@functools.cache
def _config_validator() -> Any:
    from techfile.data.schemas import load_all

    return _validator_for(load_all()["config.schema.json"])


def _validator_for(schema: dict[str, Any]) -> Any:
    """A Draft 2020-12 validator whose `integer` is a whole number only: 12.0 or true is not a
    number of months."""
    import jsonschema

    base = jsonschema.Draft202012Validator
    checker = base.TYPE_CHECKER.redefine(
        "integer", lambda _checker, value: isinstance(value, int) and not isinstance(value, bool)
    )
    strict = jsonschema.validators.extend(base, type_checker=checker)  # type: ignore[no-untyped-call]
    return strict(schema, format_checker=base.FORMAT_CHECKER)


def _schema_problems(
    data: Any, where: Where, validator: Any = None, prefix: ConfigPath = ()
) -> Iterator[tuple[ConfigPath, str]]:
    if validator is None:
        validator = _config_validator()
    for error in sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.path]):
        path = (*prefix, *error.absolute_path)
        yield from _explained(error, path, where)


def _explained(error: Any, path: ConfigPath, where: Where) -> Iterator[tuple[ConfigPath, str]]:
    kind, schema, value = error.validator, error.schema, error.instance
    if kind == "additionalProperties" and isinstance(value, dict):
        known = sorted(schema.get("properties", {}))
        for extra in sorted(set(value) - set(known)):
            yield (*path, extra), _unknown_key(where.key((*path, extra)), extra, known)
    elif kind == "required" and isinstance(value, dict):
        for missing in (k for k in error.validator_value if k not in value):
            needed = either(error.validator_value, "and")
            yield (
                (*path, missing),
                f"{where.key((*path, missing))} is missing: each entry needs {needed}",
            )
    else:
        hint = ""
        if isinstance(value, str) and isinstance(schema.get("enum"), list):
            hint = _did_you_mean(value, [str(v) for v in schema["enum"]], quote=True)
        yield (
            path,
            f"{where.key(path)} must be {expected_kind(schema)}, got {shown_value(value)}{hint}",
        )


def _unknown_key(name: str, extra: str, known: Sequence[str]) -> str:
    hint = _did_you_mean(extra, known)
    listed = f" (known keys: {', '.join(known)})" if not hint and 0 < len(known) <= 10 else ""
    return f"{name} is not a techfile setting{hint}{listed}"


def _did_you_mean(word: str, known: Sequence[str], *, quote: bool = False) -> str:
    if not known:
        return ""
    folded = {k.casefold(): k for k in known}
    close = NearestIndex(folded).suggest(word.casefold(), cutoff=SUGGESTION_CUTOFF)
    if close is None:
        return ""
    return f"; did you mean {quoted(folded[close]) if quote else f'`{folded[close]}`'}?"


# --- rule codes, options and document types ----------------------------------------------


def _codes() -> list[str]:
    from techfile.data.pages import load_pages

    return sorted(load_pages())


def _code_hint(selector: str, codes: Sequence[str]) -> str:
    close = _did_you_mean(selector, codes)
    return close.replace("`", "") if close else " (`techfile rules` lists them)"


def _code_problems(data: dict[str, Any], where: Where) -> Iterator[tuple[ConfigPath, str]]:
    codes = _codes()
    for code in data.get("severity", {}):
        if code not in codes:
            family = " (it takes whole codes)" if any(c.startswith(code) for c in codes) else ""
            name = where.key(("severity", code))
            yield (
                ("severity", code),
                (f"{name} is not a techfile rule code{family}{_code_hint(code, codes)}"),
            )
    for key in ("select", "ignore", "extend-select"):
        for position, selector in enumerate(data.get(key, [])):
            yield from _selector_problem((key, position), selector, codes, where)
    for entry_number, entry in enumerate(data.get("per-file-ignores", [])):
        for position, selector in enumerate(entry.get("rules", [])):
            path = ("per-file-ignores", entry_number, "rules", position)
            yield from _selector_problem(path, selector, codes, where, whole=True)


def _selector_problem(
    path: ConfigPath, selector: str, codes: Sequence[str], where: Where, whole: bool = False
) -> Iterator[tuple[ConfigPath, str]]:
    """A selector names a code, a prefix of codes or ALL. A suppression (`whole`) may name a
    family (`FM`) but not part of a number (`EV01`), which suppresses other rules than meant."""
    wanted = selector.strip().upper()
    covered = [code for code in codes if code.startswith(wanted)]
    if wanted == "ALL" and not whole:
        return
    name, written = where.key(path), quoted(selector)
    if not covered:
        yield path, f"{name}: {written} matches no techfile rule{_code_hint(wanted, codes)}"
    elif whole and wanted not in codes and wanted[-1:].isdigit():
        shown = either(covered) if len(covered) <= 3 else f"{covered[0]} to {covered[-1]}"
        family = wanted.rstrip("0123456789")
        yield (
            path,
            (
                f"{name}: {written} is only part of a code (it covers {shown}); write whole codes, "
                f"or the family {family}{_code_hint(wanted, codes)}"
            ),
        )


def _option_problems(data: dict[str, Any], where: Where) -> Iterator[tuple[ConfigPath, str]]:
    from techfile.data.pages import load_pages

    pages = load_pages()
    codes = sorted(pages)
    for code, options in data.get("rules", {}).items():
        page = pages.get(code)
        if page is None:
            table = where.header("rules", code)
            yield (
                ("rules", code),
                f"{table}: {code} is not a techfile rule{_code_hint(code, codes)}",
            )
            continue
        declared = sorted(page.options)
        for name, value in options.items():
            path: ConfigPath = ("rules", code, name)
            if name not in page.options:
                listed = f"its options: {', '.join(declared)}" if declared else "it has no options"
                hint = _did_you_mean(name, declared)
                table = where.header("rules", code)
                yield path, f"{table} has no option `{toml_key(name)}`{hint} ({listed})"
                continue
            validator = _option_validator(code, name)
            yield from _schema_problems(value, where, validator, path)


@functools.cache
def _option_validator(code: str, name: str) -> Any:
    from techfile.data.pages import load_pages

    return _validator_for(option_schema(load_pages()[code].options[name]))


def option_schema(declared: dict[str, Any]) -> dict[str, Any]:
    """The JSON Schema of a rule option as its page declares it (`type`, `enum`, `minimum`,
    `maximum`, `items`, `unit`; `unit` only words the message)."""
    keys = ("type", "enum", "minimum", "maximum", "unit")
    schema: dict[str, Any] = {k: declared[k] for k in keys if k in declared}
    items = declared.get("items")
    if isinstance(items, str):
        schema["items"] = {"type": items}
    return schema


def _name_problems(data: dict[str, Any], where: Where) -> Iterator[tuple[ConfigPath, str]]:
    """`[types]` and `[aliases.types]` name known types (a typo would leave whole folders
    unchecked); `[artifacts]` names what techfile reads."""
    from techfile.data.registry import type_registry

    aliases = data.get("aliases", {}).get("types", {})
    registry = type_registry(tuple(sorted((str(k), str(v)) for k, v in aliases.items())))
    named: list[tuple[ConfigPath, str]] = [
        (("types", glob), name) for glob, name in data.get("types", {}).items()
    ]
    named += [(("aliases", "types", alias), name) for alias, name in aliases.items()]
    for path, name in named:
        if registry.canonical(name) is None:
            close = registry.suggest(name)
            hint = f"; did you mean {quoted(close)}?" if close else ""
            known = "(`techfile types` lists them)"
            yield path, f"{where.key(path)}: {quoted(name)} is not a document type{hint} {known}"
    for name in data.get("artifacts", {}):
        if name not in ARTIFACT_NAMES:
            path = ("artifacts", name)
            yield path, _unknown_key(where.key(path), name, ARTIFACT_NAMES)
