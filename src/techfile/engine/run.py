"""One check run: load the whole technical file, run the selected rules, settle the findings."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from techfile.config import Config, ConfigError, git_toplevel
from techfile.engine import changes, incremental, suppress
from techfile.engine.baseline import BASELINE_FILE, apply_baseline, read_baseline
from techfile.engine.load import Input, Source, parse_inputs, read_inputs, settings_key
from techfile.engine.results import (
    RecordingReads,
    ResultStore,
    decode_finding,
    decode_suppressed,
    decode_suppression,
    encode_finding,
    encode_suppressed,
    encode_suppression,
    run_key,
)
from techfile.engine.select import selected_codes
from techfile.intake.cache import ParseCache, content_key
from techfile.intake.parse import ParsedFile, ParseSettings
from techfile.intake.sources import WorkTree
from techfile.model.clauses import clause_registry
from techfile.model.external import attach_external
from techfile.model.finding import Finding, Severity, SuppressedFinding, Suppression
from techfile.model.history import git_head, is_shallow
from techfile.model.index import Index
from techfile.rules.base import Context, registered
from techfile.rules.pages import RulePage, load_pages


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


@dataclass
class RunResult:
    root: Path
    as_of: datetime.date
    findings: list[Finding]
    suppressed: list[SuppressedFinding]
    suppressions: list[Suppression]
    files: int
    classified: int
    pages: dict[str, RulePage]
    selected: set[str] = field(default_factory=set)
    documents: int = 0
    notices: list[str] = field(default_factory=list)
    baseline_gone: int = 0
    repo_prefix: str = ""  # the root's path inside its git repository ("" at the top)
    context: Context | None = None  # what the rules saw (index, parsed files), for reports

    def repo_path(self, path: str) -> str:
        """A root-relative path as the repository sees it (for SARIF and annotations)."""
        return f"{self.repo_prefix}/{path}" if self.repo_prefix else path


def parse_settings(config: Config) -> ParseSettings:
    aliases: dict[str, Any] = config.get("aliases", {})
    columns = tuple(
        (list_name, header, target)
        for list_name, headers in sorted(aliases.get("columns", {}).items())
        for header, target in sorted(headers.items())
    )
    return ParseSettings(
        type_globs=tuple(config.get("types", {}).items()),
        id_from=config.get("id-from", "front-matter"),
        type_aliases=tuple(sorted(aliases.get("types", {}).items())),
        field_aliases=tuple(sorted(aliases.get("fields", {}).items())),
        column_aliases=columns,
        value_aliases=tuple(sorted(config.get("values", {}).items())),
        max_file_size=config.max_file_size,
        max_table_rows=int(config.get("max-table-rows", 20_000)),
    )


def run(config: Config, options: RunOptions) -> RunResult:
    if options.pre_commit or options.changed_since:
        result = changes.run_on_changes(config, options, evaluate)
    else:
        result = evaluate(config, options, WorkTree(config.root, config.max_file_size))
    top = git_toplevel(config.root)
    if top is not None and top != config.root.resolve():
        result.repo_prefix = config.root.resolve().relative_to(top).as_posix()
    return result


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
    profile = options.profile or config.get("profile", "default")
    selected = selected_codes(
        pages,
        options.select or config.get("select", ()),
        options.ignore or config.get("ignore", ()),
        (*config.get("extend-select", ()), *options.extend_select),
        {code for code, page in pages.items() if not page.in_profile(profile)},
    )
    if not options.allow_shallow and any("git-history" in pages[c].requires for c in selected):
        refuse_shallow(config.root)
    settings = parse_settings(config)
    check_type_names(config, settings)
    return Setup(pages, profile, selected, config.as_of(options.as_of), settings)


def evaluate(config: Config, options: RunOptions, source: Source) -> RunResult:
    """Load everything from `source`, run the selected rules, settle the findings."""
    setup = prepare(config, options)
    inputs = read_inputs(source, config.include, config.exclude)
    store = ResultStore(config.root, options.use_cache and options.reuse_results)
    key = _run_key(config, options, setup, inputs)
    stored = store.get(key, source.read_path)
    if stored is not None:
        return _from_store(stored, config, setup)
    cache = ParseCache(config.root, settings_key(setup.settings), options.use_cache)
    parsed = parse_inputs(inputs, setup.settings, cache, options.jobs)
    cache.save()
    ctx = build_context(config, options, source, parsed, setup)
    raw = run_rules(ctx, setup.selected)
    result = conclude(ctx, raw, options, setup)
    assert isinstance(ctx.read_path, RecordingReads)
    store.put(key, ctx.read_path.seen, _to_store(result))
    # the next --pre-commit finds this state's cross-file findings if it is HEAD by then
    incremental.store_cross(store, config, options, setup, inputs, ctx, raw)
    return result


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
        context=ctx,
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
    attach_external(parsed, config.get("items-from", []), setup.settings, reads)
    documents = [p.document for p in parsed if p.document is not None]
    return Context(
        Index(documents),
        parsed,
        config,
        setup.as_of,
        clause_registry(),
        setup.pages,
        rule_options(config, setup.pages),
        artifacts={**config.get("artifacts", {}), **dict(options.artifacts)},
        profile=setup.profile,
        allow_shallow=options.allow_shallow,
        use_cache=options.use_cache,
        read_path=reads,
    )


def run_rules(ctx: Context, selected: set[str]) -> list[Finding]:
    """The raw findings of the selected rules, before ownership and suppression."""
    specs = [spec for spec in registered() if selected.intersection(spec.codes)]
    return incremental.run_specs(ctx, specs, selected)


def settle_suppressions(raw: list[Finding], ctx: Context, selected: set[str]) -> suppress.Outcome:
    """Apply suppressions and waivers; their own problems (SUP...) join the active findings."""
    candidates, problems = suppress.collect(ctx.parsed, ctx.config, ctx.as_of, set(ctx.pages))
    outcome = suppress.apply(raw, candidates, selected)
    for problem in [*problems, *outcome.problems]:
        if problem.code in selected:
            outcome.active.append(
                ctx.finding(problem.code, problem.message, problem.location, key=problem.key)
            )
    return outcome


def _run_key(config: Config, options: RunOptions, setup: Setup, inputs: list[Input]) -> str:
    """Everything a run's result depends on, besides the files the rules open (recorded)."""
    baseline = config.root / BASELINE_FILE
    head = None
    if any("git-history" in setup.pages[c].requires for c in setup.selected):
        head = git_head(config.root)
    return run_key(
        [
            [(i.path, i.key) for i in inputs],
            settings_key(setup.settings),
            sorted(setup.selected),
            setup.as_of.isoformat(),
            setup.profile,
            config.raw,
            list(options.paths),
            sorted(options.artifacts),
            options.ignore_baseline,
            options.allow_shallow,
            content_key(baseline.read_bytes()) if baseline.is_file() else None,
            head,
        ]
    )


def _to_store(result: RunResult) -> dict[str, Any]:
    return {
        "findings": [encode_finding(f) for f in result.findings],
        "suppressed": [encode_suppressed(s) for s in result.suppressed],
        "suppressions": [encode_suppression(s) for s in result.suppressions],
        "counts": [result.files, result.classified, result.documents, result.baseline_gone],
        "notices": result.notices,
    }


def _from_store(stored: dict[str, Any], config: Config, setup: Setup) -> RunResult:
    files, classified, documents, gone = stored["counts"]
    return RunResult(
        root=config.root,
        as_of=setup.as_of,
        findings=[decode_finding(f) for f in stored["findings"]],
        suppressed=[decode_suppressed(s) for s in stored["suppressed"]],
        suppressions=[decode_suppression(s) for s in stored["suppressions"]],
        files=int(files),
        classified=int(classified),
        pages=setup.pages,
        selected=setup.selected,
        documents=int(documents),
        notices=[str(n) for n in stored["notices"]],
        baseline_gone=int(gone),
    )


def check_type_names(config: Config, settings: ParseSettings) -> None:
    """`[types]` and `[aliases.types]` must name known types: a typo there would silently
    leave whole folders unchecked."""
    registry = settings.types
    named = [
        *config.get("types", {}).values(),
        *config.get("aliases", {}).get("types", {}).values(),
    ]
    for name in named:
        if registry.canonical(str(name)) is None:
            suggestion = registry.suggest(str(name))
            hint = f"; did you mean {suggestion!r}?" if suggestion else ""
            raise ConfigError(f"{name!r} is not a document type (`techfile types`){hint}")


def refuse_shallow(root: Path) -> None:
    if is_shallow(root):
        raise ConfigError(
            "this is a shallow clone, so the rules that read git history (e.g. DC002) would "
            "miss commits; fetch the full history (`git fetch --unshallow`, or `fetch-depth: 0` "
            "in actions/checkout), or pass --allow-shallow to run them anyway"
        )


def rule_options(config: Config, pages: dict[str, RulePage]) -> dict[str, dict[str, Any]]:
    """Page defaults overlaid with `[rules.CODE]`; an undeclared option is a config error."""
    configured: dict[str, dict[str, Any]] = config.get("rules", {})
    resolved: dict[str, dict[str, Any]] = {}
    for code, values in configured.items():
        page = pages.get(code.upper())
        if page is None:
            raise ConfigError(f"[rules.{code}]: {code} is not a techfile rule")
        for name in values:
            if name not in page.options:
                declared = ", ".join(sorted(page.options)) or "none"
                raise ConfigError(
                    f"[rules.{code}]: {code} has no option {name!r} (its options: {declared})"
                )
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
    override = config.get("severity", {}).get(finding.code)
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
