"""A compiled yes/no check (fastjsonschema) for the draft-07 SBOM schemas, used only where it
reads the schemas exactly as jsonschema does: it may say "valid" first, jsonschema alone
reports errors. Where the two could differ, there is no compiled check.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

_FAST_DRAFT = "http://json-schema.org/draft-07/schema#"
# draft-07 keywords whose reading by fastjsonschema was not compared with jsonschema's
_FAST_UNVETTED = frozenset(
    {
        "patternProperties",
        "dependencies",
        "propertyNames",
        "contains",
        "minProperties",
        "maxProperties",
        "multipleOf",
        "exclusiveMinimum",
        "exclusiveMaximum",
    }
)
_FAST_REF = re.compile(r"[\w.-]*(?:#(?:/definitions/[\w.-]+)?)?")  # a file, a definition
_SCHEMA_MAPS = ("properties", "definitions")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "items")
_SCHEMAS = ("items", "additionalItems", "additionalProperties", "not", "if", "then", "else")


def compile_fast_check(
    schema: Any, shared: dict[str, Any], format_checks: Mapping[str, Callable[[object], bool]]
) -> Callable[[Any], bool] | None:
    """A check that says True only where jsonschema finds no error, or None when the
    schemas use something the two might read differently. `shared` are the schemas `schema`
    refers to, by URI; formats not in `format_checks` are not checked."""
    import fastjsonschema

    documents = [schema, *shared.values()]
    if not _vetted_release(fastjsonschema.VERSION):
        return None
    if not all(_fast_compatible(document) for document in documents):
        return None
    ready = {uri: _for_fast(document) for uri, document in shared.items()}
    formats = {
        name: format_checks.get(name, _any_text)
        for document in documents
        for sub in _subschemas(document)
        if isinstance(name := sub.get("format"), str)
    }
    try:
        check = fastjsonschema.compile(
            _for_fast(schema),
            handlers={"http": ready.__getitem__, "https": ready.__getitem__},
            formats=formats,
            use_default=False,
            detailed_exceptions=False,
        )
    except Exception:  # it cannot compile these schemas: jsonschema alone decides
        return None
    return functools.partial(_passes, check)


def _any_text(value: object) -> bool:
    return True


def _vetted_release(version: str) -> bool:
    """The releases whose reading of these schemas was compared with jsonschema's (older
    releases differed: some compared `uniqueItems` by text, `enum` values with `==`)."""
    parts = re.match(r"(\d+)\.(\d+)", version)
    return parts is not None and (2, 22) <= (int(parts[1]), int(parts[2])) < (3, 0)


def _passes(check: Callable[[Any], Any], data: Any) -> bool:
    try:
        check(data)
    except Exception:  # invalid, or anything unexpected: jsonschema decides
        return False
    return True


def _fast_compatible(schema: Any) -> bool:
    return (
        isinstance(schema, dict)
        and schema.get("$schema") == _FAST_DRAFT
        and all(_vetted(sub) for sub in _subschemas(schema))
    )


def _vetted(schema: dict[str, Any]) -> bool:
    """Only keywords both validators read alike; `$` in a pattern only at its end (see
    `_for_fast`); references only to whole files and their definitions."""
    pattern = schema.get("pattern", "")
    ref = schema.get("$ref", "")
    return (
        not _FAST_UNVETTED & schema.keys()
        and isinstance(pattern, str)
        and "$" not in pattern[:-1]
        and not pattern.endswith("\\$")
        and not ("const" in schema and "enum" in schema)
        and isinstance(ref, str)
        and _FAST_REF.fullmatch(ref) is not None
    )


def _subschemas(schema: Any) -> Iterator[dict[str, Any]]:
    """Every schema object of a schema document, in the places draft-07 gives them."""
    if not isinstance(schema, dict):
        return
    yield schema
    for key, value in schema.items():
        if key in _SCHEMA_MAPS and isinstance(value, dict):
            for sub in value.values():
                yield from _subschemas(sub)
        elif key in _SCHEMA_LISTS and isinstance(value, list):
            for sub in value:
                yield from _subschemas(sub)
        elif key in _SCHEMAS:
            yield from _subschemas(value)


def _for_fast(schema: Any) -> Any:
    """The schema as fastjsonschema must be given it to read it as jsonschema does: it takes
    `$` for the very end of the text, where Python (and so jsonschema) also matches before a
    final line break; and `const` is written as the one-value `enum` it means."""
    if not isinstance(schema, dict):
        return schema
    ready: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _SCHEMA_MAPS and isinstance(value, dict):
            ready[key] = {name: _for_fast(sub) for name, sub in value.items()}
        elif key in _SCHEMA_LISTS and isinstance(value, list):
            ready[key] = [_for_fast(sub) for sub in value]
        elif key in _SCHEMAS:
            ready[key] = _for_fast(value)
        elif key == "const":
            ready["enum"] = [value]
        elif key == "pattern" and value.endswith("$"):
            ready[key] = value[:-1] + r"(?=\n?\Z)"
        else:
            ready[key] = value
    return ready
