"""A plan's scales, matrix and non-estimable criteria as its front-matter gives them
(`severity_levels`, `probability_levels`, `exploitability_levels`, `acceptability_matrix`,
`non_estimable_probability_criteria`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from techfile.data.registry import ValueAliases
from techfile.model.document import Document
from techfile.model.plan.acceptability import UNKNOWN, acceptability_word
from techfile.model.plan.labels import MatrixLabel, matrix_label
from techfile.model.plan.levels import Level, Scale, as_text

_NON_ESTIMABLE_HEADING = re.compile(
    r"cannot\s+be\s+estimated|non[-\s]?estimable|not\s+estimable",
    re.IGNORECASE,
)


def front_matter_levels(raw: Any, line_of: Callable[[int], int] = lambda _: 0) -> list[Level]:
    """The levels of a `*_levels` list as written (ids, or mappings of `id`, `name`,
    `probability`), each with its line; `distinct_levels` drops the repeats."""
    if not isinstance(raw, list):
        return []
    levels: list[Level] = []
    for index, entry in enumerate(raw):
        if isinstance(entry, dict):
            level_id = as_text(entry.get("id")) or as_text(entry.get("name"))
            name = as_text(entry.get("name"))
            maps_to = as_text(entry.get("probability"))
        else:
            level_id, name, maps_to = as_text(entry), None, None
        if level_id:
            levels.append(Level(level_id, name, maps_to, line=line_of(index)))
    return levels


def complete_from_matrix(scales: dict[str, Scale], raw: dict[str, Any]) -> dict[str, Scale]:
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


def front_matter_matrix(
    raw: dict[str, Any],
    scales: dict[str, Scale],
    aliases: ValueAliases,
    line_of: Callable[..., int] = lambda *_: 0,
) -> tuple[dict[tuple[str, str], str], list[str], list[MatrixLabel]]:
    """The matrix cells by (severity id, probability id), written either way round, the keys
    that name no level, and the keys that disagree with the scales (`line_of` gives the line
    of a key path under `acceptability_matrix`)."""
    severity, probability = scales["severity"], scales["probability"]
    matrix: dict[tuple[str, str], str] = {}
    unknown: list[str] = []
    labels: list[MatrixLabel] = []
    outer_keys = list(raw)
    by_severity = sum(1 for k in outer_keys if severity.find(k, aliases) is not None)
    by_probability = sum(1 for k in outer_keys if probability.find(k, aliases) is not None)
    transposed = by_probability > by_severity  # written probability -> severity
    outer_scale, inner_scale = (probability, severity) if transposed else (severity, probability)
    for outer, row in raw.items():
        if not isinstance(row, dict):
            continue  # a schema violation (FM004)
        label = matrix_label(str(outer), outer_scale, aliases, line_of(str(outer)))
        if label is not None:
            labels.append(label)
        outer_level = outer_scale.find(outer, aliases)
        if outer_level is None:
            if str(outer) not in unknown:
                unknown.append(str(outer))
            continue
        for inner, cell in row.items():
            line = line_of(str(outer), str(inner))
            label = matrix_label(str(inner), inner_scale, aliases, line, outer_level)
            if label is not None:
                labels.append(label)
            inner_level = inner_scale.find(inner, aliases)
            if inner_level is None:
                if str(inner) not in unknown:
                    unknown.append(str(inner))
                continue
            s, p = (inner_level, outer_level) if transposed else (outer_level, inner_level)
            word = acceptability_word(cell, aliases) if isinstance(cell, str) else None
            matrix[(s.id, p.id)] = word or UNKNOWN
    return matrix, unknown, labels


def has_non_estimable_criteria(document: Document) -> bool:
    """Whether the plan says how to judge risks whose probability cannot be estimated."""
    value = document.meta.get("non_estimable_probability_criteria")
    if isinstance(value, str) and value.strip():
        return True
    if isinstance(value, list) and any(isinstance(v, str) and v.strip() for v in value):
        return True
    return any(_NON_ESTIMABLE_HEADING.search(text) for _, text, _ in document.headings)
