"""The overlap report as data: JSON (everything the report shows) and CSV (one row per clause
and control, for a spreadsheet). Both are deterministic: keys sorted, rows in registry order."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict
from typing import Any

from techfile.overlap.data import GroupFigure, OverlapData, TargetRow
from techfile.overlap.words import ONE_WAY, READINESS

JSON_VERSION = 1
CSV_COLUMNS = (
    "target",
    "kind",
    "group",
    "title",
    "status",
    "reason",
    "still_needed",
    "documents",
    "links",
    "soa",
    "soa_applicable",
    "soa_implemented",
    "soa_justification",
    "soa_implemented_by",
)


def render_json(data: OverlapData) -> str:
    document: dict[str, Any] = {
        "version": JSON_VERSION,
        "statements": {"one_way": ONE_WAY, "readiness": READINESS},
        "header": asdict(data.header),
        "coverage": {
            "clauses": _figure(data.clauses_total),
            "clause_groups": [_figure(f) for f in data.clause_groups],
            "annex_a": _figure(data.controls_total),
            "themes": [_figure(f) for f in data.themes],
        },
        "clauses": [_row(r) for r in data.clauses],
        "controls": [_row(r) for r in data.controls],
        "soa_findings": [asdict(f) for f in data.findings],
        "statements_of_applicability": [asdict(d) for d in data.soas],
        "certificates": [asdict(c) for c in data.certificates],
        "documents": [asdict(d) for d in data.documents],
        "crosswalks": [asdict(c) for c in data.crosswalks],
        "notices": list(data.notices),
    }
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _figure(figure: GroupFigure) -> dict[str, Any]:
    return {
        "key": figure.key,
        "title": figure.title,
        "targets": figure.total,
        "counts": dict(figure.counts),
        "applicable": figure.applicable,
        "covered": figure.covered,
        "partial": figure.partial,
        "percent": figure.percent,
    }


def _row(row: TargetRow) -> dict[str, Any]:
    found = asdict(row)
    if row.soa is not None:
        found["soa"]["implemented_by"] = [
            {"written": text, "document": asdict(ref) if ref else None}
            for text, ref in row.soa.implemented_by
        ]
    return found


def render_csv(data: OverlapData) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in data.rows():
        soa = row.soa
        cells = [
            row.id,
            "control" if row.is_control else "clause",
            row.group,
            row.title,
            row.status,
            row.reason,
            " | ".join(row.still_needed),
            "; ".join(dict.fromkeys(s.document.label for s in row.sources)),
            "; ".join(f"{s.document.label}: {s.relationship} ({s.via})" for s in row.sources),
            soa.soa if soa else "",
            "" if soa is None or soa.applicable is None else str(soa.applicable).lower(),
            soa.implemented if soa else "",
            soa.justification if soa else "",
            "; ".join(text for text, _ in soa.implemented_by) if soa else "",
        ]
        writer.writerow([_inert(cell) for cell in cells])
    return out.getvalue()


def _inert(cell: str) -> str:
    """Text from the repository that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`,
    a tab or carriage return first) is written with a leading apostrophe."""
    return f"'{cell}" if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell
