"""Suppressions: ignore directives, file-wide disables, waivers and per-file ignores.

A deviation is audit evidence, so every suppression needs a reason (SUP001); one that
matches nothing is reported (SUP002), as is one naming an unknown code (SUP003) or a
waiver past its date (SUP004, and the finding comes back). SUP findings cannot be
suppressed.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from techfile.intake.discover import matches
from techfile.intake.parse import ParsedFile
from techfile.model.config import CONFIG_FILE, Config
from techfile.model.finding import Finding, Location, SuppressedFinding, Suppression

SUPPRESSION_VERBS = ("ignore", "disable-file")


class Problem(NamedTuple):
    """A finding about a suppression itself (SUP*): these are never suppressed."""

    code: str
    message: str
    location: Location
    key: tuple[str, ...]


@dataclass
class Outcome:
    active: list[Finding] = field(default_factory=list)
    suppressed: list[SuppressedFinding] = field(default_factory=list)
    suppressions: list[Suppression] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class _Candidate:
    suppression: Suppression
    target_line: int | None  # None: whole file / document
    path: str | None  # None: paths globs
    globs: tuple[str, ...] = ()
    last_line: int | None = None  # a directive above a table covers its rows up to here
    expired: bool = False
    used: bool = False


def collect(
    parsed: Iterable[ParsedFile], config: Config, as_of: datetime.date, known: set[str]
) -> tuple[list[_Candidate], list[Problem]]:
    candidates: list[_Candidate] = []
    problems: list[Problem] = []
    for file in parsed:
        doc_id = file.document.id if file.document else None
        for directive in file.directives:
            if directive.verb == "items":
                continue
            location = Location(file.path, directive.line, 0, doc_id)
            if directive.verb not in SUPPRESSION_VERBS:
                problems.append(
                    Problem(
                        "SUP003",
                        f"`techfile: {directive.verb}` is not a techfile "
                        "directive (use ignore[...], disable-file[...] or items=...)",
                        location,
                        (directive.verb,),
                    )
                )
                continue
            whole_file = directive.verb == "disable-file"
            suppression = Suppression(
                directive.verb, directive.codes, directive.reason or "", location
            )
            candidates.append(
                _Candidate(
                    suppression,
                    None if whole_file else directive.target_line,
                    file.path,
                    last_line=_table_end(file, directive.target_line),
                )
            )
        if file.document is not None:
            candidates.extend(_waivers(file, as_of))
    entry_lines = config.table_lines("per-file-ignores")
    for position, entry in enumerate(config.get("per-file-ignores", [])):
        line = entry_lines[position] if position < len(entry_lines) else 0
        where = Location(_config_path(config), line)
        suppression = Suppression(
            "per-file-ignore",
            tuple(c.upper() for c in entry["rules"]),
            str(entry.get("reason", "")).strip(),
            where,
        )
        candidates.append(_Candidate(suppression, None, None, tuple(entry["paths"])))
    for candidate in candidates:
        problems.extend(_check(candidate, known))
    return candidates, problems


def _table_end(file: ParsedFile, line: int) -> int | None:
    """A directive standing right above a table applies to every row of it."""
    return next((end for start, end in file.table_spans if start == line), None)


def _config_path(config: Config) -> str:
    return config.relative_source or CONFIG_FILE


def _waivers(file: ParsedFile, as_of: datetime.date) -> Iterable[_Candidate]:
    assert file.document is not None
    document = file.document
    waivers = document.meta.get("waivers")
    if not isinstance(waivers, list):
        return
    for position, waiver in enumerate(waivers):
        if not isinstance(waiver, dict) or not isinstance(waiver.get("rule"), str):
            continue
        until = waiver.get("until")
        expired = False
        if isinstance(until, str):
            try:
                expired = datetime.date.fromisoformat(until) < as_of
            except ValueError:
                expired = False  # the schema reports the malformed date
        suppression = Suppression(
            "waiver",
            (waiver["rule"].upper(),),
            str(waiver.get("reason") or "").strip(),
            document.location("waivers", position),
            until=until if isinstance(until, str) else None,
            approved_by=_text(waiver.get("approved_by")),
            item=_text(waiver.get("item")),
            clause=_text(waiver.get("clause")),
        )
        yield _Candidate(suppression, None, file.path, expired=expired)


def _text(value: Any) -> str | None:
    return str(value) if value is not None else None


def _check(candidate: _Candidate, known: set[str]) -> list[Problem]:
    problems: list[Problem] = []
    suppression = candidate.suppression
    where = suppression.location
    if not suppression.reason:
        problems.append(
            Problem(
                "SUP001",
                f"this {suppression.kind} has no reason, so it suppresses "
                "nothing; a deviation is audit evidence and must say why "
                '(add reason="...")',
                where,
                ("reason",),
            )
        )
    if not suppression.codes:
        problems.append(
            Problem(
                "SUP003",
                f"this {suppression.kind} names no rule code; write the codes "
                "in brackets, e.g. ignore[EV003]",
                where,
                ("empty",),
            )
        )
    for code in suppression.codes:
        if code.startswith("SUP"):
            problems.append(
                Problem(
                    "SUP003",
                    f"{code} cannot be suppressed: findings about suppressions "
                    "are the deviation list itself",
                    where,
                    (code,),
                )
            )
        elif not names_rules(code, known):
            problems.append(
                Problem(
                    "SUP003",
                    f"{code} is not a techfile rule code, so this "
                    f"{suppression.kind} suppresses nothing for it",
                    where,
                    (code,),
                )
            )
    if candidate.expired:
        problems.append(
            Problem(
                "SUP004",
                f"the waiver for {', '.join(suppression.codes)} expired on "
                f"{suppression.until}; the finding it covered is reported again until "
                "the waiver is renewed with a new review",
                where,
                (suppression.until or "",),
            )
        )
    return problems


def apply(findings: list[Finding], candidates: list[_Candidate], selected: set[str]) -> Outcome:
    outcome = Outcome(suppressions=[c.suppression for c in candidates])
    usable = [c for c in candidates if c.suppression.reason and not c.expired]
    for finding in findings:
        match = None if finding.code.startswith("SUP") else _first_match(finding, usable)
        if match is None:
            outcome.active.append(finding)
            continue
        match.used = True
        outcome.suppressed.append(SuppressedFinding(finding, match.suppression))
    for candidate in usable:
        codes = [c for c in candidate.suppression.codes if not c.startswith("SUP")]
        relevant = codes and all(any(s.startswith(c) for s in selected) for c in codes)
        if not candidate.used and relevant:
            outcome.problems.append(
                Problem(
                    "SUP002",
                    f"this {candidate.suppression.kind} for {', '.join(codes)} matches no finding; "
                    "remove it so the deviation list shows only real deviations",
                    candidate.suppression.location,
                    tuple(codes),
                )
            )
    return outcome


def _first_match(finding: Finding, candidates: list[_Candidate]) -> _Candidate | None:
    for candidate in candidates:
        if _matches(finding, candidate):
            return candidate
    return None


def names_rules(code: str, known: set[str]) -> bool:
    """A suppression names an exact rule code, or a whole family by its letters (`FM`):
    `RM01` is a slip for RM001, not a prefix meaning RM010-RM019."""
    if code in known:
        return True
    return code.isalpha() and any(k.startswith(code) for k in known)


def _matches(finding: Finding, candidate: _Candidate) -> bool:
    suppression = candidate.suppression
    if not any(
        finding.code == code or (code.isalpha() and finding.code.startswith(code))
        for code in suppression.codes
    ):
        return False
    location = finding.location
    if candidate.path is None:
        return matches(location.path, candidate.globs)
    if location.path != candidate.path:
        return False
    target, last = candidate.target_line, candidate.last_line
    if target is not None and not (target <= location.line <= (last or target)):
        return False
    if suppression.item and location.item_id != suppression.item:
        return False
    return not (suppression.clause and suppression.clause not in (finding.clause or ""))
