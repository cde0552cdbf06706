"""Whole-run results kept in `.techfile_cache/`, so that an unchanged technical file is not
checked again: the key covers every input the rules read (documents by content, the data
files and SBOMs they opened, configuration, baseline, selection, date, and HEAD when a rule
reads history). An entry is used only when every file it recorded is still the same."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from techfile import __version__
from techfile.data.severity import Severity
from techfile.intake.recording import key_of
from techfile.model.config import CACHE_DIR
from techfile.model.diagnostics import Diagnostic
from techfile.model.finding import Finding, Location, SuppressedFinding, Suppression

FORMAT = 1
KEEP = 8  # entries kept: the work tree, HEAD for --pre-commit, a few selections


def run_key(parts: list[Any]) -> str:
    text = json.dumps([__version__, *parts], sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


class ResultStore:
    def __init__(self, root: Path, enabled: bool) -> None:
        self.file = root / CACHE_DIR / f"results-{__version__}.json"
        self.enabled = enabled

    def get(self, key: str, read: Callable[[str], bytes | Diagnostic]) -> dict[str, Any] | None:
        if not self.enabled:
            return None
        entries = self._entries()
        entry = entries.get(key)
        if not isinstance(entry, dict) or not isinstance(entry.get("reads"), dict):
            return None
        for path, expected in entry["reads"].items():
            if path.startswith("/"):
                current = key_of(_read_absolute(Path(path)))
            else:
                current = key_of(read(path))
            if current != expected:
                return None
        result = entry.get("result")
        if not isinstance(result, dict):
            return None
        if key not in list(entries)[-2:]:
            self.put(key, entry["reads"], result)  # recently used: kept longest
        return result

    def put(self, key: str, reads: dict[str, str], result: dict[str, Any]) -> None:
        if not self.enabled:
            return
        entries = self._entries()
        entries.pop(key, None)
        entries[key] = {"reads": reads, "result": result}
        kept = dict(list(entries.items())[-KEEP:])
        temp: str | None = None
        try:
            self.file.parent.mkdir(exist_ok=True)
            ignore = self.file.parent / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# created by techfile\n*\n", encoding="utf-8")
            handle, temp = tempfile.mkstemp(dir=self.file.parent, prefix=".tmp-", suffix=".json")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump({"format": FORMAT, "entries": kept}, out, separators=(",", ":"))
            os.replace(temp, self.file)
        except OSError:
            if temp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temp)

    def _entries(self) -> dict[str, Any]:
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return {}
        entries = data.get("entries")
        return entries if isinstance(entries, dict) else {}


def _read_absolute(path: Path) -> bytes | Diagnostic:
    from techfile.intake.sources import WorkTree

    return WorkTree(path.parent, 1 << 62).read_path(path.name)


# --- findings to and from JSON ----------------------------------------------------------


def encode_location(location: Location) -> list[Any]:
    return [location.path, location.line, location.column, location.doc_id, location.item_id]


def decode_location(data: list[Any]) -> Location:
    path, line, column, doc_id, item_id = data
    return Location(str(path), int(line), int(column), doc_id, item_id)


def encode_finding(finding: Finding) -> list[Any]:
    return [
        finding.code,
        finding.severity.label,
        finding.message,
        encode_location(finding.location),
        finding.clause,
        list(finding.key),
        [encode_location(r) for r in finding.related],
    ]


def decode_finding(data: list[Any]) -> Finding:
    code, severity, message, location, clause, key, related = data
    return Finding(
        str(code),
        Severity.parse(str(severity)),
        str(message),
        decode_location(location),
        clause,
        tuple(str(k) for k in key),
        tuple(decode_location(r) for r in related),
    )


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


def decode_suppression(data: list[Any]) -> Suppression:
    kind, codes, reason, location, until, approved_by, item, clause = data
    return Suppression(
        str(kind),
        tuple(codes),
        str(reason),
        decode_location(location),
        until,
        approved_by,
        item,
        clause,
    )


def encode_suppressed(item: SuppressedFinding) -> list[Any]:
    return [encode_finding(item.finding), encode_suppression(item.by)]


def decode_suppressed(data: list[Any]) -> SuppressedFinding:
    return SuppressedFinding(decode_finding(data[0]), decode_suppression(data[1]))
