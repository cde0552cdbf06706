"""JSON Schema errors as a reader of the file says them: `severity` of R-1 should be ..., with
values written as in YAML and the place named by item id rather than by list index."""

from __future__ import annotations

from typing import Any

from techfile.intake.values import dotted
from techfile.model.document import Document

_TYPE_NAMES = {
    "string": "text",
    "array": "a list",
    "object": "a mapping",
    "boolean": "true or false",
    "integer": "a whole number",
    "number": "a number",
    "null": "empty",
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


def _shown(value: Any) -> str:
    """A value as a reader of the file would write it (no Python spellings)."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, (list, dict)):
        return "a list" if isinstance(value, list) else "a mapping"
    return str(value)


def schema_message(error: Any, where: str) -> str:
    """A jsonschema error as a reader says it: `severity` of R-1 should be ..."""
    kind = error.validator
    if kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return f"{where} lacks the required key `{missing}`"
    if kind == "enum":
        allowed = ", ".join(str(v) for v in error.validator_value)
        return f"{where} is {_shown(error.instance)}, which is not one of: {allowed}"
    if kind == "type":
        expected = error.validator_value
        names = expected if isinstance(expected, list) else [expected]
        expected_text = " or ".join(_TYPE_NAMES.get(str(n), str(n)) for n in names)
        return f"{where} should be {expected_text}, but is {_shown(error.instance)}"
    if kind == "format":
        return f"{where} is {_shown(error.instance)}, which is not a valid {error.validator_value}"
    if kind == "minLength":
        return f"{where} is empty"
    return f"{where}: {error.message}"
