"""JSON output, described by schemas/output.schema.json."""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

from techfile import __version__
from techfile.formatters.human import PLAIN, FormatOptions
from techfile.model.finding import Finding, Location, Suppression
from techfile.model.result import RunResult


def render(result: RunResult, options: FormatOptions = PLAIN) -> str:
    counts = Counter(f.severity.label for f in result.findings)
    document = {
        "tool": {"name": "techfile", "version": __version__},
        "as_of": result.as_of.isoformat(),
        "summary": {
            "files": result.files,
            "classified": result.classified,
            "findings": len(result.findings),
            "errors": counts.get("error", 0),
            "warnings": counts.get("warning", 0),
            "infos": counts.get("info", 0),
            "suppressed": len(result.suppressed),
        },
        "findings": [finding_dict(f, result) for f in result.findings],
        "suppressed": [
            {**finding_dict(s.finding, result), "suppression": suppression_dict(s.by)}
            for s in result.suppressed
        ],
    }
    return dumps(document)


# Characters JSON may carry raw but a terminal or CI log showing the file would act on: DEL, C1
# controls (U+009B is a CSI), bidirectional overrides, line separators, lone surrogates from
# undecodable file names, and the `#` that starts a `##[command]` or `##vso[command]`. They
# only ever occur inside strings, where a \u escape reads back as the same text.
_INERT_IN_LOGS = re.compile(
    "[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]|#(?=#(?:\\[|vso\\[))",
    re.IGNORECASE,
)


def dumps(document: Any) -> str:
    """JSON text (indented, non-ASCII kept readable) that is inert when printed to a log."""
    text = json.dumps(document, indent=2, ensure_ascii=False)
    if text.isascii() and "\x7f" not in text and "##" not in text:
        return text + "\n"  # nothing to escape: the common case, found without a regex scan
    return _INERT_IN_LOGS.sub(lambda found: f"\\u{ord(found[0]):04x}", text) + "\n"


def finding_dict(finding: Finding, result: RunResult) -> dict[str, Any]:
    page = result.pages.get(finding.code)
    return {
        "code": finding.code,
        "name": page.name if page else "",
        "severity": finding.severity.label,
        "message": finding.message,
        "why": finding.why,
        "fix": finding.fix,
        **location_dict(finding.location),
        "document": finding.location.doc_id,
        "item": finding.location.item_id,
        "clause": finding.clause,
        "clauses": list(page.clauses) if page else [],
        "fingerprint": finding.fingerprint,
        "related": [location_dict(r) for r in finding.related],
    }


def location_dict(location: Location) -> dict[str, Any]:
    return {"path": location.path, "line": location.line, "column": location.column}


def suppression_dict(suppression: Suppression) -> dict[str, Any]:
    return {
        "kind": suppression.kind,
        "codes": list(suppression.codes),
        "reason": suppression.reason,
        "until": suppression.until,
        "approved_by": suppression.approved_by,
        **location_dict(suppression.location),
    }
