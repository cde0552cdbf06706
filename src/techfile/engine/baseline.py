"""The baseline: findings a team accepted when adopting techfile, to fix later.

`.techfile-baseline.json` (format 2) holds one entry per accepted finding identity: its
fingerprint (`Finding.identity`), its root cause (`Finding.root`), code, path, document, item
and message, and how many occurrences of it were accepted (`count` in its file, `elsewhere`
for the files a grouped finding also points into), like phpstan's baseline. Entries are
sorted so a change to the baseline reads well in a diff.

A finding is accepted while occurrences of its kind remain accepted: first by identity, then
by root cause (so a reworded message, or a grouped finding that lost one of its places,
still matches). A new occurrence is never hidden: each entry accepts at most its count, and
the occurrences it accepted that no longer exist are reported as gone.

Format 1 (no `version`; one entry per fingerprint of the old scheme, duplicates merged) is
still read: each of its entries accepts one occurrence, matched by the old fingerprint and,
where the entry has one, by its message. `techfile baseline write` or `baseline prune`
rewrite it in format 2.
"""

from __future__ import annotations

import datetime
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from techfile.intake.safe_read import read_regular
from techfile.model.finding import (
    Finding,
    Location,
    SuppressedFinding,
    Suppression,
    number_occurrences,
    stable_message,
)
from techfile.util.safe_write import write_text_atomically

BASELINE_FILE = ".techfile-baseline.json"
FORMAT = 2
MAX_BASELINE_BYTES = 256 * 1024 * 1024


class BaselineError(Exception):
    """The baseline file exists but cannot be used (exit 2)."""


@dataclass
class Entry:
    """One accepted kind of finding and how many of its occurrences, per file."""

    fingerprint: str  # format 2: Finding.identity; format 1: the old fingerprint
    root: str | None  # format 2: Finding.root; format 1: None (the old fingerprint serves)
    counts: Counter[str]  # path -> occurrences accepted
    message: str | None = None  # format 1: the stable message, where the entry has one


@dataclass
class Baseline:
    reason: str
    created: str
    entries: list[Entry] = field(default_factory=list)
    version: int = FORMAT

    @property
    def suppression(self) -> Suppression:
        return Suppression("baseline", ("*",), self.reason, Location(BASELINE_FILE, 0))


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
        version = data.get("version", 1)
        if version not in (1, FORMAT):
            raise BaselineError(
                f"{path} is in baseline format {version!r}, which this techfile does not read "
                f"(it reads formats 1 and {FORMAT}); upgrade techfile, or rewrite the baseline "
                "with `techfile baseline write --reason ...`"
            )
        entries = [_entry(e, version) for e in data["findings"]]
        return Baseline(str(data["reason"]), str(data["created"]), entries, version)
    except BaselineError:
        raise
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as problem:
        raise BaselineError(
            f"{path} is not a techfile baseline ({type(problem).__name__}: {problem}); "
            "rewrite it with `techfile baseline write --reason ...`"
        ) from None


def _entry(data: dict[str, Any], version: int) -> Entry:
    fingerprint = data["fingerprint"]
    if not isinstance(fingerprint, str):
        raise TypeError("a fingerprint is not text")
    if version == 1:
        message = data.get("message")
        text = stable_message(message) if isinstance(message, str) else None
        return Entry(fingerprint, None, Counter({ANY_FILE: 1}), text)
    counts = Counter({str(data["path"]): _count(data["count"])})
    for path, count in dict(data.get("elsewhere", {})).items():
        counts[str(path)] += _count(count)
    root = data["root"]
    if not isinstance(root, str):
        raise TypeError("a root is not text")
    return Entry(fingerprint, root, counts)


def _count(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{value!r} is not a count of occurrences")
    return value


def apply_baseline(
    baseline: Baseline | None, findings: list[Finding]
) -> tuple[list[Finding], list[SuppressedFinding], int]:
    """(still active, baselined, number of baselined occurrences that are gone). Every
    finding comes back numbered among identical ones (its fingerprint is unique)."""
    numbered = number_occurrences(findings)
    if baseline is None:
        return numbered, [], 0
    matcher = _Matcher(baseline)
    order = sorted(
        (p for p, f in enumerate(numbered) if not f.code.startswith("SUP")),
        key=lambda p: numbered[p].sort_key(),
    )
    left = [p for p in order if not matcher.take(numbered[p], first_pass=True)]
    accepted = set(order) - set(left)
    accepted.update(p for p in left if matcher.take(numbered[p], first_pass=False))
    active = [f for p, f in enumerate(numbered) if p not in accepted]
    baselined = [
        SuppressedFinding(f, baseline.suppression) for p, f in enumerate(numbered) if p in accepted
    ]
    return active, baselined, matcher.gone()


ANY_FILE = "*"  # format 1 entries count occurrences without their file


class _Matcher:
    """What each entry still accepts, looked up by identity (first pass) or root cause."""

    def __init__(self, baseline: Baseline) -> None:
        self.old = baseline.version == 1
        self.budgets = [Counter(e.counts) for e in baseline.entries]
        self.by_identity: dict[str, list[int]] = {}
        self.by_root: dict[str, list[int]] = {}
        for index, entry in enumerate(baseline.entries):
            if self.old:  # the old fingerprint, and with the message where the entry kept one
                identity = (
                    None if entry.message is None else _token(entry.fingerprint, entry.message)
                )
                root: str | None = entry.fingerprint
            else:
                identity, root = entry.fingerprint, entry.root
            if identity is not None:
                self.by_identity.setdefault(identity, []).append(index)
            if root is not None:
                self.by_root.setdefault(root, []).append(index)

    def take(self, finding: Finding, *, first_pass: bool) -> bool:
        """Accept `finding` from the entries it reaches, if together they still accept all
        its occurrences; take those from their counts."""
        need = Counter({ANY_FILE: 1}) if self.old else finding.places
        table = self.by_identity if first_pass else self.by_root
        for token in self._tokens(finding, first_pass):
            indices = table.get(token, [])
            available: Counter[str] = Counter()
            for index in indices:
                available.update(self.budgets[index])
            if not indices:
                continue
            short = any(available[path] < n for path, n in need.items())
            if short and first_pass:
                continue
            self._consume(indices, need)
            # More occurrences than accepted: the finding is reported, and the accepted ones
            # it still holds are not counted as gone (nor dropped by prune)
            return not short
        return False

    def _consume(self, indices: list[int], need: Counter[str]) -> None:
        for path, wanted in need.items():
            for index in indices:
                taken = min(wanted, self.budgets[index][path])
                self.budgets[index][path] -= taken
                wanted -= taken

    def _tokens(self, finding: Finding, first_pass: bool) -> list[str]:
        if not self.old:
            return [finding.identity if first_pass else finding.root]
        # format 1: the old fingerprint, or the current one (some baselines were written by
        # hand from the JSON report); with the message where the entry kept one
        fingerprints = [finding.legacy_fingerprint, finding.identity]
        if not first_pass:
            return fingerprints
        message = stable_message(finding.message)
        return [_token(fingerprint, message) for fingerprint in fingerprints]

    def gone(self) -> int:
        return sum(n for budget in self.budgets for n in budget.values() if n > 0)


def _token(fingerprint: str, message: str) -> str:
    return f"{fingerprint}\x1f{message}"


def write_baseline(
    root: Path,
    findings: list[Finding],
    reason: str,
    created: datetime.date | str,
    kept_entries: tuple[dict[str, Any], ...] = (),
) -> Path:
    """Accept `findings`: one entry per identity, with its occurrences per file; and keep
    `kept_entries` (entries of the current file) as they are."""
    grouped: dict[str, list[Finding]] = {}
    for finding in sorted(findings, key=lambda f: f.sort_key()):
        if not finding.code.startswith("SUP"):
            grouped.setdefault(finding.identity, []).append(finding)
    entries = sorted(
        [*(_entry_of(group) for group in grouped.values()), *kept_entries],
        key=lambda e: (str(e.get("path")), str(e.get("code")), str(e.get("fingerprint"))),
    )
    day = created if isinstance(created, str) else created.isoformat()
    payload = {"version": FORMAT, "reason": reason, "created": day, "findings": entries}
    path = root / BASELINE_FILE
    # the tree may hold a planted link by this name: UnsafeWriteError (exit 2), never followed
    text = json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
    write_text_atomically(path, text, confined_to=root)
    return path


def _entry_of(group: list[Finding]) -> dict[str, Any]:
    first = group[0]
    counts: Counter[str] = Counter()
    for finding in group:
        counts.update(finding.places)
    path = first.location.path
    entry: dict[str, Any] = {
        "fingerprint": first.identity,
        "root": first.root,
        "code": first.code,
        "path": path,
        "document": first.location.doc_id,
        "item": first.location.item_id,
        "message": first.message,
        "count": counts.pop(path),
    }
    if counts:
        entry["elsewhere"] = dict(sorted(counts.items()))
    return entry


def held_entries(root: Path, active: list[Finding]) -> tuple[dict[str, Any], ...]:
    """The current file's format-2 entries whose finding still occurs with more places than
    they accept: prune keeps them as they are (their places still occur, the new ones stay
    reported)."""
    raw = baseline_bytes(root)
    if raw is None:
        return ()
    data = json.loads(raw.decode("utf-8"))
    roots = {f.root for f in active}
    entries = data.get("findings", []) if data.get("version") == FORMAT else []
    return tuple(e for e in entries if isinstance(e, dict) and e.get("root") in roots)


def occurrences(findings: list[Finding]) -> int:
    """How many occurrences `findings` stand for (a grouped finding counts each place)."""
    return sum(f.places.total() for f in findings if not f.code.startswith("SUP"))
