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

from techfile.engine.waiver_match import names_clause, names_item
from techfile.intake.discover import matches
from techfile.intake.parse import ParsedFile
from techfile.model.config import CONFIG_FILE, Config
from techfile.model.finding import Finding, Location, SuppressedFinding, Suppression
from techfile.rules.base import Context

SUPPRESSION_VERBS = ("ignore", "disable-file")
_ADD_REASON = {  # the kind of a suppression -> how to give it a reason
    "ignore": 'Add `reason="..."` after the codes.',
    "disable-file": 'Add `reason="..."` after the codes.',
    "waiver": "Add a `reason:` key, with `until:` and `approved_by:`.",
    "per-file-ignore": 'Add a `reason = "..."` line to the `[[per-file-ignores]]` entry.',
}


class Problem(NamedTuple):
    """A finding about a suppression itself (SUP*): these are never suppressed. `why` follows
    the rule page's clauses (`as_finding`)."""

    code: str
    message: str
    location: Location
    key: tuple[str, ...]
    why: str
    fix: str


def as_finding(ctx: Context, problem: Problem) -> Finding:
    clauses = ctx.page_clauses(problem.code)
    return ctx.finding(
        problem.code,
        problem.message,
        problem.location,
        key=problem.key,
        why=f"Under {clauses}, a suppression is a record of a deviation; {problem.why}",
        fix=problem.fix,
    )


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
                        f"`techfile: {directive.verb}` is not a techfile directive",
                        location,
                        (directive.verb,),
                        "a directive techfile does not know suppresses nothing, so the "
                        "deviation it was meant to record is missing from the deviation list.",
                        "Use ignore[...], disable-file[...] or items=...",
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
    for position, entry in enumerate(config.per_file_ignores):
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
                f"this {suppression.kind} has no reason, so it suppresses nothing",
                where,
                ("reason",),
                "it is audit evidence and must say why, and a notified body reads one without "
                "a reason as a finding nobody looked at.",
                _ADD_REASON.get(suppression.kind, _ADD_REASON["ignore"]),
            )
        )
    if not suppression.codes:
        problems.append(
            Problem(
                "SUP003",
                f"this {suppression.kind} names no rule code",
                where,
                ("empty",),
                "one that names no rule suppresses nothing, so the deviation it was meant to "
                "record is missing from the deviation list.",
                "Write the codes in brackets, e.g. ignore[EV003].",
            )
        )
    for code in suppression.codes:
        if code.startswith("SUP"):
            problems.append(
                Problem(
                    "SUP003",
                    f"{code} cannot be suppressed",
                    where,
                    (code,),
                    "findings about suppressions are the deviation list itself.",
                    f"Remove {code} from the suppression, and fix the suppression its finding "
                    "is about.",
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
                    "the deviation it was meant to record is missing from the deviation list.",
                    "Correct the code to the rule meant (`techfile rules` lists them).",
                )
            )
    if candidate.expired:
        problems.append(
            Problem(
                "SUP004",
                f"the waiver for {', '.join(suppression.codes)} expired on {suppression.until}",
                where,
                (suppression.until or "",),
                "a waiver accepts a deviation until a date, so the finding it covered is "
                "reported again until the waiver is renewed with a new review.",
                "Fix what the waiver covered and remove it, or review the decision and renew the "
                "waiver: a new `until`, an updated `reason` and a fresh `approved_by`.",
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
                    f"this {candidate.suppression.kind} for {', '.join(codes)} matches no finding",
                    candidate.suppression.location,
                    tuple(codes),
                    "the deviation list must show only real deviations, and a notified body "
                    "asks about every one it lists.",
                    "Remove it, or move it to where the finding it was meant for now is.",
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
    if suppression.item and not names_item(location, suppression.item):
        return False
    return not suppression.clause or names_clause(finding.clause, suppression.clause)
