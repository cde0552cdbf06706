"""Holding a parsed document to the schema of its type: FM004 for what the schema rejects,
FM012 for a key that is a near miss of one techfile reads (`dtae` for `date`).

Keys a team adds are welcome; only a near miss of a known key is reported, since as written
it is ignored.
"""

from __future__ import annotations

import difflib
from typing import Any

from techfile.data.registry import DocType
from techfile.data.schemas import (
    flattened,
    is_valid,
    item_schema,
    known_keys,
    property_schema,
    validator,
)
from techfile.intake.schema_messages import SCHEMA_WHY, place_in, schema_texts
from techfile.intake.values import dotted
from techfile.model.diagnostics import Diagnostic
from techfile.model.document import Document

Lines = dict[tuple[str | int, ...], int]


def schema_diagnostics(
    document: Document, doc_type: DocType, written: dict[str, str] | None = None
) -> list[Diagnostic]:
    """FM004 for each schema error of the document and its items, then FM012 for near
    misses of known keys. `written` names a renamed key as the document writes it."""
    instance = dict(document.meta)
    if document.id is not None:
        instance.setdefault("id", document.id)
    instance.setdefault("type", doc_type.name)
    lines = dict(document.lines)
    for name, items in document.items.items():
        if items and items[0].source == "table":
            instance[name] = [item.fields for item in items]
            for index, item in enumerate(items):
                lines[(name, index)] = item.line
    errors = (
        ()
        if is_valid(doc_type.schema_id, instance)
        else (validator(doc_type.schema_id).iter_errors(instance))
    )
    found: list[Diagnostic] = []
    for error in errors:
        path = tuple(error.absolute_path)
        shown = (written.get(path[0], path[0]), *path[1:]) if written and path else path
        message, fix = schema_texts(error, place_in(shown, document))
        found.append(
            Diagnostic(
                "FM004",
                message,
                _nearest_line(lines, path),
                key=(dotted(path) or "(document)", error.validator),
                why=SCHEMA_WHY,
                fix=fix,
            )
        )
    _check_keys(document.meta, flattened(doc_type.schema_id), (), document.lines, found)
    return found


def _check_keys(
    value: Any,
    schema: dict[str, Any],
    path: tuple[str | int, ...],
    lines: Lines,
    found: list[Diagnostic],
) -> None:
    if isinstance(value, list):
        for index, element in enumerate(value):
            _check_keys(element, item_schema(schema), (*path, index), lines, found)
        return
    if not isinstance(value, dict):
        return
    known = known_keys(schema)
    for key, sub_value in value.items():
        if key in known:
            if len(path) < 6:
                _check_keys(sub_value, property_schema(schema, key), (*path, key), lines, found)
            continue
        close = _near_miss(key, known)
        if close:
            where = dotted((*path, key))
            found.append(
                Diagnostic(
                    "FM012",
                    f"the key `{where}` is not one techfile reads; did you mean `{close[0]}`?",
                    _nearest_line(lines, (*path, key)),
                    key=(where, close[0]),
                    why="as written, the key is ignored, so what it says (a review date, the "
                    "clauses a document is evidence for) is never checked.",
                    fix=f"Correct it to `{close[0]}`, or, if it is your team's own key, rename it "
                    "so it no longer looks like one techfile reads.",
                    # a rename that would make a second `close[0]` is no mechanical fix
                    edit=None if close[0] in value else (f"{key}:", f"{close[0]}:"),
                )
            )


def _near_miss(key: str, known: set[str]) -> list[str]:
    """A known key this one was probably meant to be: close in spelling, or the same
    letters with two swapped (`dtae`)."""
    close = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.8)
    if close:
        return close
    swapped = [
        k
        for k in sorted(known)
        if len(k) == len(key)
        and sorted(k) == sorted(key)
        and sum(a != b for a, b in zip(k, key, strict=True)) == 2
    ]
    return swapped[:1]


def _nearest_line(lines: Lines, path: tuple[Any, ...]) -> int:
    """The line of the path, or of its nearest parent that has one."""
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return lines.get((), 1)
