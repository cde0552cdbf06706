"""Starting a technical file: `techfile init` and `techfile template`.

`init` copies the starting technical file shipped in `data/init/` (one draft document of every
type the rules read, for a connected software device). `template` prints a commented
front-matter skeleton of one type, built from its JSON Schema, so it always lists every key the
schema declares. Neither ever overwrites a file.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from techfile.data.registry import type_registry
from techfile.data.resources import bundled
from techfile.data.schemas import flattened, item_schema
from techfile.util.safe_write import write_bytes_atomically

STARTER = "connected-device"
DEVICE_TOKEN = "@DEVICE@"
ALLOWED_IN_TARGET = frozenset({".git"})  # `git init` first is fine: nothing is overwritten
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class ScaffoldError(Exception):
    """The request cannot be done without touching user files, or is malformed: exit 2."""


@dataclass(frozen=True)
class Written:
    root: Path
    files: tuple[str, ...]  # root-relative, POSIX


def starter_files() -> dict[str, bytes]:
    """The shipped starting technical file: relative path -> bytes (with the device token)."""
    base = bundled("data") / "init" / STARTER
    return {
        path.relative_to(base).as_posix(): path.read_bytes()
        for path in sorted(base.rglob("*"))
        if path.is_file()
    }


def check_device_name(name: str) -> str:
    cleaned = name.strip()
    if not cleaned or _CONTROL.search(cleaned):
        raise ScaffoldError(f"{name!r} is not a usable device name")
    return cleaned


def init(target: Path, device_name: str) -> Written:
    """Write the starting technical file into `target`, which must be empty or absent."""
    name = check_device_name(device_name)
    if target.exists() and not target.is_dir():
        raise ScaffoldError(f"{target} exists and is not a directory")
    if target.is_dir():
        present = sorted(p.name for p in target.iterdir() if p.name not in ALLOWED_IN_TARGET)
        if present:
            shown = ", ".join(present[:5]) + (", ..." if len(present) > 5 else "")
            raise ScaffoldError(
                f"{target} is not empty ({shown}); techfile init writes only into an empty "
                "directory, so that it never overwrites a file"
            )
    # JSON string escaping is valid inside the double-quoted YAML and TOML strings the
    # templates put the name in
    escaped = json.dumps(name, ensure_ascii=False)[1:-1].encode("utf-8")
    files = starter_files()
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for rel, data in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if os.path.lexists(path):  # never overwrite, even a file created since the check above
            raise ScaffoldError(f"{path} appeared while techfile init was writing; stopped")
        # a temporary file renamed into place, below `target` through no symbolic link
        write_bytes_atomically(
            path, data.replace(DEVICE_TOKEN.encode(), escaped), confined_to=target
        )
        written.append(rel)
    return Written(target, tuple(written))


# --------------------------------------------------------------------------------------------
# template


def resolve_type(name: str) -> tuple[str, str | None]:
    """(canonical type, None) or raise ScaffoldError with a did-you-mean."""
    registry = type_registry()
    canonical = registry.canonical(name)
    if canonical is not None:
        return canonical, None
    names = sorted({*registry.types, *registry.aliases})
    close = difflib.get_close_matches(name.strip().casefold(), names, n=3, cutoff=0.6)
    suggestions = [registry.canonical(c) or c for c in close]
    unique = list(dict.fromkeys(suggestions))
    hint = f"; did you mean {' or '.join(unique)}?" if unique else ""
    raise ScaffoldError(
        f"{name!r} is not a techfile document type{hint} (`techfile types` lists them)"
    )


def template(type_name: str) -> str:
    """A front-matter skeleton of the type with every key its schema declares, commented."""
    canonical, _ = resolve_type(type_name)
    doc_type = type_registry().types[canonical]
    schema = flattened(doc_type.schema_id)
    lines = [
        "---",
        f"# techfile template: {canonical} ({doc_type.title}; {doc_type.evidence_class} evidence).",
        "# Every front-matter key techfile reads for this type, each with its description,",
        "# commented out (`#id:`): an empty placeholder is not a value. Uncomment the keys that",
        "# apply and fill them in; keys a team adds for itself are allowed.",
        "# An item list (a key whose entries have an id) can instead be a Markdown table in the",
        "# body, after a `<!-- techfile: items=NAME -->` marker (see docs/model.md).",
    ]
    required = set(schema.get("required", []))
    for key, prop in schema.get("properties", {}).items():
        lines.append("")
        block = _key_lines(key, prop, 0, key in required, canonical)
        lines += block if key in LIVE_KEYS else _commented_out(block)
    lines.append("---")
    return "\n".join(lines) + "\n"


LIVE_KEYS = ("type", "status")  # the only keys whose template value is a real value


def _commented_out(block: list[str]) -> list[str]:
    """A key's lines with the key and its value commented out as `#id: ""` (its description
    stays a `# ` comment above, so the two cannot be confused): used as-is, the template
    states nothing that is not so."""
    first = next((i for i, line in enumerate(block) if not line.lstrip().startswith("#")), 0)
    return [*block[:first], *(f"#{line}" for line in block[first:])]


def _comment(text: str, indent: int) -> list[str]:
    if not text:
        return []
    width = max(40, 96 - indent)
    return [f"{' ' * indent}# {line}" for line in textwrap.wrap(" ".join(text.split()), width)]


def _choices(schema: dict[str, Any]) -> list[Any]:
    values = schema.get("enum")
    if isinstance(values, list):
        return values
    for key in ("anyOf", "oneOf"):
        for branch in schema.get(key, []):
            if isinstance(branch.get("enum"), list):
                return list(branch["enum"])
    return []


def _kind(schema: dict[str, Any]) -> str:
    """The JSON type a skeleton value gets: a text where text is allowed."""
    declared = schema.get("type")
    if isinstance(declared, list):
        declared = next((t for t in declared if t != "null"), None)
    if isinstance(declared, str):
        return declared
    kinds = [_kind(b) for key in ("anyOf", "oneOf") for b in schema.get(key, [])]
    if kinds:
        return "string" if "string" in kinds else kinds[0]
    if "properties" in schema:
        return "object"
    if "items" in schema:
        return "array"
    return "string"


PREFERRED_CHOICE = ("draft", "unknown")


def _scalar(schema: dict[str, Any], key: str, type_name: str) -> tuple[str, str]:
    """(YAML value, hint for the comment)."""
    if key == "type":
        return type_name, ""
    choices = _choices(schema)
    if choices:
        hint = "one of: " + " | ".join(str(c) for c in choices)
        chosen = next((c for c in PREFERRED_CHOICE if c in choices), None)
        return (json.dumps(chosen) if chosen else '""'), hint
    kind = _kind(schema)
    if kind == "boolean":
        return "false", "true or false"
    if kind in ("number", "integer"):
        return "0", "a number"
    if schema.get("format") == "date" or any(
        b.get("format") == "date" for b in schema.get("anyOf", [])
    ):
        return '""', "a date, YYYY-MM-DD"
    return '""', ""


def _key_lines(
    key: str, schema: dict[str, Any], indent: int, required: bool, type_name: str
) -> list[str]:
    pad = " " * indent
    description = str(schema.get("description", ""))
    if required:
        description = f"(required) {description}".strip()
    kind = _kind(schema)
    if kind == "object" and _properties(schema):
        lines = [*_comment(description, indent), f"{pad}{key}:"]
        for sub, sub_schema in _properties(schema).items():
            sub_required = sub in set(_object(schema).get("required", []))
            lines += _key_lines(sub, sub_schema, indent + 2, sub_required, type_name)
        return lines
    if kind == "array":
        inner = item_schema(schema)
        if _kind(inner) == "object" and _properties(inner):
            lines = [*_comment(description, indent), f"{pad}{key}:"]
            lines += _list_item(inner, indent + 2, type_name)
            return lines
        _, hint = _scalar(inner, "", type_name)
        if not description:
            description = str(inner.get("description", ""))
        return [*_comment(_with_hint(description, hint), indent), f"{pad}{key}: []"]
    value, hint = _scalar(schema, key, type_name)
    return [*_comment(_with_hint(description, hint), indent), f"{pad}{key}: {value}"]


def _with_hint(description: str, hint: str) -> str:
    """The description, and the hint unless the description already says it."""
    if not hint:
        return description
    folded = description.casefold()
    if "yyyy-mm-dd" in folded and "date" in hint:
        return description
    if hint.startswith("one of:") and "one of" in folded:
        return description
    if hint == "true or false" and ("whether" in folded or "true" in folded):
        return description
    return f"{description} ({hint})" if description else hint


def _list_item(schema: dict[str, Any], indent: int, type_name: str) -> list[str]:
    """One example entry of a list of objects: `- first: ...` then the other keys."""
    required = set(_object(schema).get("required", []))
    lines: list[str] = []
    for position, (sub, sub_schema) in enumerate(_properties(schema).items()):
        sub_lines = _key_lines(sub, sub_schema, indent + 2, sub in required, type_name)
        if position == 0:
            # the first key carries the dash: `  - id: ""`
            for index, line in enumerate(sub_lines):
                if not line.lstrip().startswith("#"):
                    sub_lines[index] = f"{' ' * indent}- {line[indent + 2 :]}"
                    break
        lines += sub_lines
    return lines


def _object(schema: dict[str, Any]) -> dict[str, Any]:
    if "properties" in schema:
        return schema
    for key in ("anyOf", "oneOf"):
        for branch in schema.get(key, []):
            if "properties" in branch:
                return dict(branch)
    return schema


def _properties(schema: dict[str, Any]) -> dict[str, Any]:
    properties = _object(schema).get("properties", {})
    return properties if isinstance(properties, dict) else {}
