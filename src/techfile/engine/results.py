"""Whole-run results kept in `.techfile_cache/`, so that an unchanged technical file is not
checked again: the key covers every input the rules read (documents by content, the data
files and SBOMs they opened, configuration, baseline, selection, date, and HEAD when a rule
reads history). An entry is used only when every file it recorded is still the same, and
only from a sealed file of ours (intake/cache_trust.py) whose every field decodes."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from techfile import __version__
from techfile.data.severity import Severity
from techfile.intake.cache_trust import CacheDirectory
from techfile.intake.recording import OUTSIDE, key_of, outside_key
from techfile.intake.shapes import array, mapping, number, optional_text, text, text_mapping, texts
from techfile.model.diagnostics import Diagnostic
from techfile.model.finding import Edit, Finding, Location, SuppressedFinding, Suppression

FORMAT = 2
KEEP = 8  # entries kept: the work tree, HEAD for --pre-commit, a few selections
LIMIT = 256 * 1024 * 1024  # bytes; a larger store is not read (every entry a miss)

Read = Callable[[str], bytes | Diagnostic]


def run_key(parts: list[Any]) -> str:
    text = json.dumps([__version__, *parts], sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


class ResultStore:
    def __init__(self, root: Path, enabled: bool) -> None:
        self.files = CacheDirectory(root)
        self.name = f"results-{__version__}.json"
        self.enabled = enabled

    def get(self, key: str, read: Read) -> dict[str, Any] | None:
        if not self.enabled:
            return None
        entries = self._entries()
        entry = entries.get(key)
        if not isinstance(entry, dict) or not _reusable(entry, read):
            return None
        if key not in list(entries)[-2:]:
            self.put(key, entry["reads"], entry["result"])  # recently used: kept longest
        result: dict[str, Any] = entry["result"]
        return result

    def put(self, key: str, reads: dict[str, str], result: dict[str, Any]) -> None:
        if not self.enabled:
            return
        entries = self._entries()
        entries.pop(key, None)
        entries[key] = {"reads": reads, "result": result}
        kept = dict(list(entries.items())[-KEEP:])
        payload = json.dumps({"format": FORMAT, "entries": kept}, separators=(",", ":"))
        try:
            self.files.write(self.name, payload.encode("ascii"))
        except OSError:
            return

    def _entries(self) -> dict[str, Any]:
        payload = self.files.read(self.name, LIMIT)
        if payload is None:
            return {}
        try:
            data = json.loads(payload)
        except (ValueError, RecursionError):
            return {}
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return {}
        entries = data.get("entries")
        return entries if isinstance(entries, dict) else {}


def _reusable(entry: dict[str, Any], read: Read) -> bool:
    """Every field decodes, and every file the run opened is as it was then."""
    try:
        reads = text_mapping(entry["reads"])
        _check_result(entry["result"])
    except Exception:  # malformed data may fail in any way: all of them are a miss
        return False
    return all(_unchanged(path, expected, read) for path, expected in reads.items())


def _unchanged(path: str, expected: str, read: Read) -> bool:
    """Only a file recorded as outside the root is opened by its path here, and then only as
    a regular file of bounded size (an artefact); every other path goes through the source,
    which keeps it inside the technical file, as the run that recorded it did."""
    if expected.startswith(OUTSIDE):
        return outside_key(path) == expected
    return key_of(read(path)) == expected


_RUN_FIELDS = frozenset({"findings", "suppressed", "suppressions", "counts", "notices"})
_CROSS_FIELDS = frozenset({"findings", "opened"})  # what incremental.store_cross keeps


def _check_result(data: object) -> None:
    """Raise unless `data` is a result exactly as run.py or incremental.py stores them."""
    result = mapping(data)
    if result.keys() not in (_RUN_FIELDS, _CROSS_FIELDS):
        raise ValueError("not a stored result")
    for finding in array(result["findings"]):
        decode_finding(finding)
    for suppressed in array(result.get("suppressed", [])):
        decode_suppressed(suppressed)
    for suppression in array(result.get("suppressions", [])):
        decode_suppression(suppression)
    for count in array(result.get("counts", [0, 0, 0, 0]), 4):
        number(count)
    texts(result.get("notices", []))
    text_mapping(result.get("opened", {}))


# --- findings to and from JSON ----------------------------------------------------------


def encode_location(location: Location) -> list[Any]:
    return [location.path, location.line, location.column, location.doc_id, location.item_id]


def decode_location(data: object) -> Location:
    path, line, column, doc_id, item_id = array(data, 5)
    return Location(
        text(path), number(line), number(column), optional_text(doc_id), optional_text(item_id)
    )


def encode_finding(finding: Finding) -> list[Any]:
    return [
        finding.code,
        finding.severity.label,
        finding.message,
        encode_location(finding.location),
        finding.clause,
        list(finding.key),
        [encode_location(r) for r in finding.related],
        finding.why,
        finding.fix,
        [[e.path, e.line, e.column, e.old, e.new] for e in finding.edits],
    ]


def decode_finding(data: object) -> Finding:
    code, severity, message, location, clause, key, related, why, fix, edits = array(data, 10)
    return Finding(
        text(code),
        Severity.parse(text(severity)),
        text(message),
        decode_location(location),
        optional_text(clause),
        texts(key),
        tuple(decode_location(r) for r in array(related)),
        text(why),
        text(fix),
        tuple(decode_edit(e) for e in array(edits)),
    )


def decode_edit(data: object) -> Edit:
    path, line, column, old, new = array(data, 5)
    return Edit(text(path), number(line), number(column), text(old), text(new))


def encode_suppression(item: Suppression) -> list[Any]:
    return [
        item.kind,
        list(item.codes),
        item.reason,
        encode_location(item.location),
        item.until,
        item.approved_by,
        item.item,
        item.clause,
    ]


def decode_suppression(data: object) -> Suppression:
    kind, codes, reason, location, until, approved_by, item, clause = array(data, 8)
    return Suppression(
        text(kind),
        texts(codes),
        text(reason),
        decode_location(location),
        optional_text(until),
        optional_text(approved_by),
        optional_text(item),
        optional_text(clause),
    )


def encode_suppressed(item: SuppressedFinding) -> list[Any]:
    return [encode_finding(item.finding), encode_suppression(item.by)]


def decode_suppressed(data: object) -> SuppressedFinding:
    finding, by = array(data, 2)
    return SuppressedFinding(decode_finding(finding), decode_suppression(by))
