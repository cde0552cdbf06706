"""The baseline: findings a team accepted when adopting techfile, to fix later.

`.techfile-baseline.json` holds one entry per accepted finding (fingerprint, code, path,
message), sorted so a change to it reads well in a diff. Baselined findings are reported
as suppressed (and listed by `techfile waivers`); new findings still fail the run.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from techfile.intake.safe_read import read_regular
from techfile.model.finding import Finding, Location, SuppressedFinding, Suppression
from techfile.util.safe_write import write_text_atomically

BASELINE_FILE = ".techfile-baseline.json"


class BaselineError(Exception):
    """The baseline file exists but cannot be used (exit 2)."""


@dataclass
class Baseline:
    reason: str
    created: str
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)  # fingerprint -> entry

    @property
    def suppression(self) -> Suppression:
        return Suppression("baseline", ("*",), self.reason, Location(BASELINE_FILE, 0))


MAX_BASELINE_BYTES = 256 * 1024 * 1024


def baseline_bytes(root: Path) -> bytes | None:
    """The baseline file's bytes, or None when there is none. A pull request writes this file:
    a link, FIFO or device in its place is refused, never followed or read."""
    path = root / BASELINE_FILE
    try:
        return read_regular(str(path), MAX_BASELINE_BYTES, owner=None)
    except FileNotFoundError:
        return None
    except OSError as problem:
        raise BaselineError(
            f"{path} cannot be read as a baseline ({problem.strerror or problem}); it must be "
            "a regular file"
        ) from None


def read_baseline(root: Path) -> Baseline | None:
    path = root / BASELINE_FILE
    raw = baseline_bytes(root)
    if raw is None:
        return None
    try:
        data = json.loads(raw.decode("utf-8"))
        entries = {str(e["fingerprint"]): dict(e) for e in data["findings"]}
        return Baseline(str(data["reason"]), str(data["created"]), entries)
    except (OSError, ValueError, KeyError, TypeError) as problem:
        raise BaselineError(
            f"{path} is not a techfile baseline ({problem}); rewrite it with "
            "`techfile baseline write --reason ...`"
        ) from None


def apply_baseline(
    baseline: Baseline | None, findings: list[Finding]
) -> tuple[list[Finding], list[SuppressedFinding], int]:
    """(still active, baselined, number of baselined findings that are gone)."""
    if baseline is None:
        return findings, [], 0
    active, accepted = [], []
    seen: set[str] = set()
    for finding in findings:
        if finding.fingerprint in baseline.entries and not finding.code.startswith("SUP"):
            accepted.append(SuppressedFinding(finding, baseline.suppression))
            seen.add(finding.fingerprint)
        else:
            active.append(finding)
    return active, accepted, len(set(baseline.entries) - seen)


def write_baseline(root: Path, findings: list[Finding], reason: str, today: datetime.date) -> Path:
    entries = sorted(
        (
            {
                "fingerprint": f.fingerprint,
                "code": f.code,
                "path": f.location.path,
                "document": f.location.doc_id,
                "item": f.location.item_id,
                "message": f.message,
            }
            for f in findings
            if not f.code.startswith("SUP")
        ),
        key=lambda e: (e["path"], e["code"], e["fingerprint"]),
    )
    unique = list({e["fingerprint"]: e for e in entries}.values())
    payload = {"reason": reason, "created": today.isoformat(), "findings": unique}
    path = root / BASELINE_FILE
    # the tree may hold a planted link by this name: UnsafeWriteError (exit 2), never followed
    text = json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
    write_text_atomically(path, text, confined_to=root)
    return path
