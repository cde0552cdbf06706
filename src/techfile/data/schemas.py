"""The shipped JSON Schemas: validators for each document type and a flattened view of
each schema that tells the loader how to type a value and where references are."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from typing import Any

from techfile.data.resources import bundled

Schema = dict[str, Any]


@functools.cache
def load_all() -> dict[str, Schema]:
    """Every schema under `schemas/`, keyed by its `$id`."""
    root = bundled("schemas")
    schemas: dict[str, Schema] = {}
    for path in sorted(root.rglob("*.schema.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        schemas[schema.get("$id", path.relative_to(root).as_posix())] = schema
    return schemas


@functools.cache
def validator(schema_id: str) -> Any:
    """A compiled Draft 2020-12 validator (compiled once per process)."""
    import jsonschema
    from referencing import Registry, Resource

    resources = [(sid, Resource.from_contents(s)) for sid, s in load_all().items()]
    registry: Registry[Any] = Registry().with_resources(resources)
    cls = jsonschema.Draft202012Validator
    return cls(load_all()[schema_id], registry=registry, format_checker=cls.FORMAT_CHECKER)


def _is_date(value: object) -> bool:
    import datetime

    try:
        datetime.date.fromisoformat(str(value))
    except ValueError:
        return False
    return len(str(value)) == 10


@functools.cache
def fast_check(schema_id: str) -> Any:
    """A compiled yes/no check of the flattened schema (fastjsonschema), about 70 times
    faster than jsonschema. Valid documents, the common case, stop here; an invalid one is
    validated again by jsonschema, which reports every violation with its path."""
    import fastjsonschema

    schema = {k: v for k, v in flattened(schema_id).items() if k not in ("$schema", "$id")}
    return fastjsonschema.compile(schema, formats={"date": _is_date})


def is_valid(schema_id: str, instance: Any) -> bool:
    import fastjsonschema

    try:
        fast_check(schema_id)(instance)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


@functools.cache
def flattened(schema_id: str) -> Schema:
    """The schema with `$ref` resolved and `allOf` merged, for walking values."""
    return _flatten(load_all()[schema_id], schema_id, 0)


def _resolve_ref(ref: str, base_id: str) -> tuple[Schema, str]:
    target, _, pointer = ref.partition("#")
    if target:
        base_dir = base_id.rsplit("/", 1)[0] + "/" if "/" in base_id else ""
        target_id = _normalise(base_dir + target)
    else:
        target_id = base_id
    node: Any = load_all()[target_id]
    for part in [p for p in pointer.split("/") if p]:
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node, target_id


def _normalise(path: str) -> str:
    parts: list[str] = []
    for part in path.split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts)


def _flatten(schema: Any, base_id: str, depth: int) -> Schema:
    if not isinstance(schema, dict) or depth > 32:
        return {}
    result: Schema = {}
    if "$ref" in schema:
        target, target_id = _resolve_ref(schema["$ref"], base_id)
        _merge(result, _flatten(target, target_id, depth + 1))
    for part in schema.get("allOf", []):
        _merge(result, _flatten(part, base_id, depth + 1))
    own = {k: v for k, v in schema.items() if k not in ("$ref", "allOf")}
    for key in ("properties", "patternProperties"):
        if key in own:
            own[key] = {n: _flatten(s, base_id, depth + 1) for n, s in own[key].items()}
    for key in ("items", "additionalProperties"):
        if isinstance(own.get(key), dict):
            own[key] = _flatten(own[key], base_id, depth + 1)
    for key in ("anyOf", "oneOf"):
        if key in own:
            own[key] = [_flatten(s, base_id, depth + 1) for s in own[key]]
    _merge(result, own)
    return result


def _merge(into: Schema, other: Schema) -> None:
    for key, value in other.items():
        if key == "properties" and key in into:
            into[key] = {**into[key], **value}
        elif key == "required" and key in into:
            into[key] = sorted({*into[key], *value})
        else:
            into[key] = value


def json_types(schema: Schema) -> set[str]:
    """The JSON types a (flattened) schema admits; empty when it admits anything."""
    found: set[str] = set()
    declared = schema.get("type")
    if isinstance(declared, str):
        found.add(declared)
    elif isinstance(declared, list):
        found.update(declared)
    if "enum" in schema and not found:
        found.update(_type_of(v) for v in schema["enum"])
    for key in ("anyOf", "oneOf"):
        for branch in schema.get(key, []):
            branch_types = json_types(branch)
            if not branch_types:
                return set()
            found |= branch_types
    if "integer" in found:
        found.add("number")
    return found


def _type_of(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if value is None:
        return "null"
    return "string"


# Schemas are read-only after loading, so sub-schema lookups (made for every value of every
# document) are answered by identity; each entry holds its schema, so an id is never reused
# while its answer is kept. Callers must not modify what these functions return.
_EMPTY: Schema = {}
_LOOKUPS: dict[tuple[int, str], tuple[Schema, Schema]] = {}


def branch_for(schema: Schema, kind: str) -> Schema:
    """The sub-schema that applies to a value of JSON kind `object`/`array`/`string`."""
    if "anyOf" not in schema and "oneOf" not in schema:
        return schema
    for key in ("anyOf", "oneOf"):
        for branch in schema.get(key, []):
            if kind in json_types(branch):
                return branch  # type: ignore[no-any-return]
    return schema


def property_schema(schema: Schema, name: str) -> Schema:
    key = (id(schema), name)
    kept = _LOOKUPS.get(key)
    if kept is not None:
        return kept[1]
    obj = branch_for(schema, "object")
    properties = obj.get("properties", {})
    extra = obj.get("additionalProperties")
    found = properties.get(name) or (extra if isinstance(extra, dict) else _EMPTY)
    _LOOKUPS[key] = (schema, found)
    return found


def item_schema(schema: Schema) -> Schema:
    key = (id(schema), "\0items")
    kept = _LOOKUPS.get(key)
    if kept is not None:
        return kept[1]
    items = branch_for(schema, "array").get("items")
    found = items if isinstance(items, dict) else _EMPTY
    _LOOKUPS[key] = (schema, found)
    return found


def known_keys(schema: Schema) -> set[str]:
    return set(branch_for(schema, "object").get("properties", {}))


def item_lists(schema: Schema) -> Iterator[tuple[str, Schema, dict[str, Any]]]:
    """(list name, item schema, x-techfile-items options) for each item list of a type."""
    for name, prop in sorted(schema.get("properties", {}).items()):
        options = prop.get("x-techfile-items")
        if isinstance(options, dict):
            yield name, item_schema(prop), options
