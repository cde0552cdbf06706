"""The pack as JSON (everything, for a GRC tool) and as CSV (one row per question in the
questionnaire's section order, for pasting into the hospital's spreadsheet)."""

from __future__ import annotations

import csv
import dataclasses
import io
import json

from techfile.pack.data import PackData

PACK_SCHEMA = "techfile-pack/1"
CSV_COLUMNS = (
    "section",
    "section_title",
    "question",
    "question_text",
    "answer",
    "status",
    "note",
    "evidence",
    "section_confidence",
    "iec_tr_80001_2_2",
)


def render_json(data: PackData) -> str:
    body = dataclasses.asdict(data)
    body["answered_sections"] = data.answered_sections()
    body["manual_sections"] = data.manual_sections()
    return json.dumps({"schema": PACK_SCHEMA, **body}, indent=2, ensure_ascii=False) + "\n"


def render_csv(data: PackData) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in data.answers:
        writer.writerow(
            (
                row.section,
                row.section_title,
                row.question,
                row.text,
                row.answer,
                "manual" if row.manual else "answered",
                _cell(row.note),
                _cell(" ".join(row.evidence)),
                row.confidence,
                row.iec_80001_2_2,
            )
        )
    return out.getvalue()


def _cell(text: str) -> str:
    """A spreadsheet must not take a cell from the technical file for a formula."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
