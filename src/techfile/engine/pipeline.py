"""The stages of one run, top to bottom: decide what runs (prepare), build what the rules see
(build_context), run them (run_rules), and settle their findings (conclude): ownership,
suppressions, severity and the baseline. run.py (the whole tree) and incremental.py (a change)
both go through these stages."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from techfile.data.clauses import clause_registry
from techfile.data.pages import RulePage, load_pages
from techfile.data.severity import Severity
from techfile.engine import suppress
from techfile.engine.baseline import apply_baseline, read_baseline
from techfile.engine.load import Source
from techfile.engine.select import selected_codes
from techfile.intake.config import parse_settings
from techfile.intake.discover import matches
from techfile.intake.external import attach_external
from techfile.intake.history import is_shallow
from techfile.intake.parse import ParsedFile, ParseSettings
from techfile.intake.recording import RecordingReads
from techfile.model.config import Config, ConfigError
from techfile.model.document import Document
from techfile.model.finding import Finding
from techfile.model.index import Index
from techfile.model.result import RunResult
from techfile.rules.base import Context, RuleSpec


@dataclass(frozen=True)
class RunOptions:
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    as_of: datetime.date | None = None
    paths: tuple[str, ...] = ()  # root-relative paths or directories to report on
    jobs: str = "auto"
    use_cache: bool = True
    pre_commit: bool = False  # load from the git index, report what the staged change causes
    changed_since: str | None = None  # report what changed since the merge-base with this ref
    artifacts: tuple[tuple[str, str], ...] = ()  # --artifact NAME=PATH, over [artifacts]
    profile: str | None = None  # None: the config's profile, else "default"
    allow_shallow: bool = False
    ignore_baseline: bool = False
    reuse_results: bool = True  # an unchanged technical file gives its stored result
    incremental: bool = True  # --pre-commit/--changed-since: file-scoped rules on changes only


@dataclass(frozen=True)
class Setup:
    """What a run decides before reading any document."""

    pages: dict[str, RulePage]
    profile: str
    selected: set[str]
    as_of: datetime.date
    settings: ParseSettings


def prepare(config: Config, options: RunOptions) -> Setup:
    pages = load_pages()
    profile = options.profile or config.profile
    selected = selected_codes(
        pages,
        options.select or config.select,
        options.ignore or config.ignore,
        (*config.extend_select, *options.extend_select),
        {code for code, page in pages.items() if not page.in_profile(profile)},
    )
    if not options.allow_shallow and any("git-history" in pages[c].requires for c in selected):
        refuse_shallow(config.root)
    settings = parse_settings(config)
    return Setup(pages, profile, selected, config.as_of(options.as_of), settings)


def conclude(ctx: Context, raw: list[Finding], options: RunOptions, setup: Setup) -> RunResult:
    """Ownership, suppressions, severity overrides and the baseline, over raw findings."""
    config, pages, profile, selected = ctx.config, setup.pages, setup.profile, setup.selected
    outcome = settle_suppressions(settle_ownership(raw, pages), ctx, selected)
    active = [_with_severity(f, config, profile) for f in outcome.active]
    active, baselined, gone = apply_baseline(
        None if options.ignore_baseline else read_baseline(config.root), active
    )
    outcome.suppressed.extend(baselined)
    if baselined:
        outcome.suppressions.append(baselined[0].by)
    active = [f for f in active if _reported(f.location.path, options.paths)]
    parsed = ctx.parsed
    documents = ctx.index.documents
    result = RunResult(
        root=config.root,
        as_of=ctx.as_of,
        findings=sorted(set(active), key=Finding.sort_key),
        suppressed=sorted(outcome.suppressed, key=lambda s: s.finding.sort_key()),
        suppressions=sorted(outcome.suppressions, key=lambda s: s.location),
        files=len(parsed),
        classified=sum(1 for d in documents if d.type is not None),
        pages=pages,
        selected=selected,
        documents=len(documents),
        notices=ctx.notices,
        baseline_gone=gone,
        view=ctx,
        config_path=config.relative_source,
    )
    return result


def build_context(
    config: Config,
    options: RunOptions,
    source: Source,
    parsed: list[ParsedFile],
    setup: Setup,
) -> Context:
    """What the rules see of one state of the technical file."""
    reads = RecordingReads(source.read_path)
    attach_external(parsed, config.items_from, setup.settings, reads)
    documents = [p.document for p in parsed if p.document is not None]
    return Context(
        notices=_unbound_items_from(config.own.get("items-from", []), documents),
        index=Index(documents),
        config=config,
        as_of=setup.as_of,
        clauses=clause_registry(),
        parsed=parsed,
        pages=setup.pages,
        settings=setup.settings,
        options_by_code=rule_options(config, setup.pages),
        artifacts={**config.artifacts, **dict(options.artifacts)},
        profile=setup.profile,
        allow_shallow=options.allow_shallow,
        use_cache=options.use_cache,
        read_path=reads,
    )


def _unbound_items_from(entries: list[dict[str, Any]], documents: list[Document]) -> list[str]:
    """A notice for each `[[items-from]]` entry of the team's own configuration whose
    `document` names no typed document: its data file was not read, and nothing else would
    say so. A preset's entries are for the template set's files, which a tree may not have."""
    typed = [d.path for d in documents if d.type is not None]
    return [
        f'[[items-from]] `document = "{entry["document"]}"` matches no document of the '
        f"technical file, so {entry.get('file', 'its file')} was not read"
        for entry in entries
        if not any(matches(path, (str(entry["document"]),)) for path in typed)
    ]


def run_rules(ctx: Context, selected: set[str]) -> list[Finding]:
    """The raw findings of the selected rules, before ownership and suppression."""
    from techfile.rules.registry import registered  # the rule modules: only when rules run

    specs = [spec for spec in registered() if selected.intersection(spec.codes)]
    return run_specs(ctx, specs, selected)


def settle_suppressions(raw: list[Finding], ctx: Context, selected: set[str]) -> suppress.Outcome:
    """Apply suppressions and waivers; their own problems (SUP...) join the active findings."""
    candidates, problems = suppress.collect(ctx.parsed, ctx.config, ctx.as_of, set(ctx.pages))
    outcome = suppress.apply(raw, candidates, selected)
    for problem in [*problems, *outcome.problems]:
        if problem.code in selected:
            outcome.active.append(suppress.as_finding(ctx, problem))
    return outcome


def refuse_shallow(root: Path) -> None:
    if is_shallow(root):
        raise ConfigError(
            "this is a shallow clone, so the rules that read git history (e.g. DC002) would "
            "miss commits; fetch the full history (`git fetch --unshallow`, or `fetch-depth: 0` "
            "in actions/checkout), or pass --allow-shallow to run them anyway"
        )


def rule_options(config: Config, pages: dict[str, RulePage]) -> dict[str, dict[str, Any]]:
    """Page defaults overlaid with `[rules.CODE]` (the configuration's checks have already
    held every option to the type its page declares)."""
    configured = config.rule_settings
    resolved: dict[str, dict[str, Any]] = {}
    for code, page in pages.items():
        options = {name: spec.get("default") for name, spec in page.options.items()}
        options.update(configured.get(code, {}))
        resolved[code] = options
    return resolved


def settle_ownership(findings: list[Finding], pages: dict[str, RulePage]) -> list[Finding]:
    """One defect, one finding: drop a finding whose owner reported the same defect."""
    places = {(f.code, f.location.path, f.location.line, f.clause) for f in findings}
    codes = {f.code for f in findings}
    kept = []
    for finding in findings:
        owners = pages[finding.code].yields_to if finding.code in pages else {}
        loc = finding.location
        if any(
            (scope == "anywhere" and owner in codes)
            or (owner, loc.path, loc.line, finding.clause) in places
            for owner, scope in owners.items()
        ):
            continue
        kept.append(finding)
    return kept


STRICT_FAMILIES = ("EV", "RM", "SDL")  # whose warnings the submission profile makes errors


def _with_severity(finding: Finding, config: Config, profile: str) -> Finding:
    override = config.severity_overrides.get(finding.code)
    if override:
        return replace(finding, severity=Severity.parse(override))
    strict = profile == "submission" and finding.code.startswith(STRICT_FAMILIES)
    if strict and finding.severity == Severity.WARNING:
        return replace(finding, severity=Severity.ERROR)
    return finding


def _reported(path: str, paths: tuple[str, ...]) -> bool:
    if not paths:
        return True
    return any(path == p or path.startswith(p.rstrip("/") + "/") or p in ("", ".") for p in paths)


def run_specs(ctx: Context, specs: list[RuleSpec], selected: set[str]) -> list[Finding]:
    """The raw findings of these rules' selected codes."""
    raw: list[Finding] = []
    for spec in specs:
        raw.extend(f for f in spec.func(ctx) if f.code in selected)
    return raw
