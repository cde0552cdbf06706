"""One check run: load the whole technical file, run the selected rules, settle the findings."""

from __future__ import annotations

from typing import Any

from techfile.engine import changes, incremental
from techfile.engine.baseline import baseline_bytes
from techfile.engine.load import Input, Source, parse_inputs, read_inputs, settings_key
from techfile.engine.pipeline import (
    RunOptions,
    Setup,
    build_context,
    conclude,
    prepare,
    run_rules,
)
from techfile.engine.results import (
    ResultStore,
    decode_finding,
    decode_suppressed,
    decode_suppression,
    encode_finding,
    encode_suppressed,
    encode_suppression,
    run_key,
)
from techfile.intake.cache import ParseCache, content_key
from techfile.intake.config import git_toplevel
from techfile.intake.history import git_head
from techfile.intake.recording import RecordingReads, beyond_inputs
from techfile.intake.sources import WorkTree
from techfile.model.config import Config
from techfile.model.result import RunResult


def run(config: Config, options: RunOptions) -> RunResult:
    if options.pre_commit or options.changed_since:
        result = changes.run_on_changes(config, options, evaluate)
    else:
        result = evaluate(config, options, WorkTree(config.root, config.max_file_size))
    top = git_toplevel(config.root)
    if top is not None and top != config.root.resolve():
        result.repo_prefix = config.root.resolve().relative_to(top).as_posix()
    return result


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
    input_paths = {i.path for i in inputs}
    store.put(key, beyond_inputs(ctx.read_path.seen, input_paths), _to_store(result))
    # the next --pre-commit finds this state's cross-file findings if it is HEAD by then
    incremental.store_cross(store, config, options, setup, inputs, ctx, raw)
    return result


def _run_key(config: Config, options: RunOptions, setup: Setup, inputs: list[Input]) -> str:
    """Everything a run's result depends on, besides the files the rules open (recorded)."""
    baseline = None if options.ignore_baseline else baseline_bytes(config.root)
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
            None if baseline is None else content_key(baseline),
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
        config_path=config.relative_source,
    )
