"""JSON Schema errors as a reader of the file says them: `severity` of R-1 should be ..., with
values written as in YAML and the place named by item id rather than by list index. Never
jsonschema's own text, which shows values as Python writes them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from techfile.intake.values import dotted
from techfile.model.document import Document

SCHEMA_WHY = (
    "a value outside its document type's schema is one neither techfile's rules nor a reviewer "
    "can rely on: the rules that read it skip it."
)
_TYPE_NAMES = {
    "string": "text",
    "array": "a list",
    "object": "a mapping",
    "boolean": "true or false",
    "integer": "a whole number",
    "number": "a number",
    "null": "empty",
}
_TYPE_FIXES = {
    "text": "Write it as text, in quotes if YAML reads it as something else.",
    "true or false": "Write true or false (yes and no work too).",
    "a list": "Write it as a list, one `- ` entry a line under the key.",
    "a mapping": "Write it as `key: value` pairs indented under the key.",
}


def place_in(path: tuple[Any, ...], document: Document) -> str:
    """`controls[3].type` becomes `type` of RC-04 (controls), as a reader names it."""
    if not path:
        return "the front-matter"
    if len(path) >= 2 and isinstance(path[1], int) and path[0] in document.items:
        items = document.items[str(path[0])]
        if path[1] < len(items) and items[path[1]].id:
            rest = dotted(path[2:])
            field = f"`{rest}` of " if rest else ""
            return f"{field}{items[path[1]].id} ({path[0]})"
    return f"`{dotted(path)}`"


def _plain(value: Any) -> str:
    """A value as YAML writes it: `true`, `3`, `draft`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "empty" if value is None else str(value)


def _shown(value: Any) -> str:
    """A value as a reader of the file would write it, quoted as code (no Python spellings)."""
    if value is None or value == "":
        return "empty"
    if isinstance(value, (list, dict)):
        return "a list" if isinstance(value, list) else "a mapping"
    text = _plain(value)
    return f'"{text}"' if "`" in text else f"`{text}`"


def _expected(names: list[Any]) -> str:
    return " or ".join(_TYPE_NAMES.get(str(n), str(n)) for n in names)


def _type_texts(error: Any, where: str) -> tuple[str, str]:
    if error.validator in ("anyOf", "oneOf"):
        names = [s.get("type") for s in error.validator_value if isinstance(s, dict)]
        names = [n for n in names if isinstance(n, str)]
    else:
        expected = error.validator_value
        names = expected if isinstance(expected, list) else [expected]
    if not names:
        return _other(error, where)
    expected_text = _expected(names)
    fix = _TYPE_FIXES.get(expected_text, f"Write {expected_text} there.")
    if error.instance is None:
        fix = f"Fill it in as {expected_text}, or remove the key."
    return f"{where} should be {expected_text}, but is {_shown(error.instance)}", fix


def _required(error: Any, where: str) -> tuple[str, str]:
    missing = error.message.split("'")[1] if "'" in error.message else "a key"
    return f"{where} lacks the required key `{missing}`", f"Add `{missing}`."


def _enum(error: Any, where: str) -> tuple[str, str]:
    allowed = ", ".join(_plain(v) for v in error.validator_value)
    return (
        f"{where} is {_shown(error.instance)}, which is not an allowed value",
        f"Write one of: {allowed}.",
    )


def _format(error: Any, where: str) -> tuple[str, str]:
    kind = str(error.validator_value)
    fix = "Write the date as YYYY-MM-DD." if kind == "date" else f"Write a valid {kind}."
    return f"{where} is {_shown(error.instance)}, which is not a valid {kind}", fix


def _unexpected(error: Any, where: str) -> tuple[str, str]:
    known = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
    extra = (
        [str(k) for k in error.instance if k not in known]
        if isinstance(error.instance, dict)
        else []
    )
    keys = ", ".join(f"`{k}`" for k in extra) or "a key"
    return f"{where} has {keys}, which it does not take", "Remove it, or correct its spelling."


def _minimum(error: Any, where: str) -> tuple[str, str]:
    least = _plain(error.validator_value)
    return (
        f"{where} is {_shown(error.instance)}, less than {least}",
        f"Write a number of at least {least}.",
    )


def _other(error: Any, where: str) -> tuple[str, str]:
    return (
        f"{where} is {_shown(error.instance)}, which its document type does not allow",
        "Correct it to a value its document type takes (`techfile types`).",
    )


_BY_VALIDATOR: dict[str, Callable[[Any, str], tuple[str, str]]] = {
    "required": _required,
    "enum": _enum,
    "type": _type_texts,
    "anyOf": _type_texts,
    "oneOf": _type_texts,
    "format": _format,
    "additionalProperties": _unexpected,
    "minimum": _minimum,
    "exclusiveMinimum": _minimum,
    "minLength": lambda _error, where: (f"{where} is empty", "Fill it in, or remove the key."),
    "minItems": lambda _error, where: (
        f"{where} is an empty list",
        "List at least one entry, or remove the key.",
    ),
    "uniqueItems": lambda _error, where: (
        f"{where} lists the same entry twice",
        "Remove the repeated entry.",
    ),
    "const": lambda error, where: (
        f"{where} is {_shown(error.instance)}, not `{_plain(error.validator_value)}`",
        f"Write `{_plain(error.validator_value)}`.",
    ),
}


def schema_texts(error: Any, where: str) -> tuple[str, str]:
    """A jsonschema error as a reader says it, and what to write instead: (message, fix)."""
    return _BY_VALIDATOR.get(error.validator, _other)(error, where)
