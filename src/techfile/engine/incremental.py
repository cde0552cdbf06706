"""A change checked without checking the whole technical file twice.

`--pre-commit` and `--changed-since` report the findings in changed files and the findings
a change causes anywhere (see changes.py). Each rule page declares its scope:

- `file`: the rule's findings in a document depend only on that document, the configuration,
  git history and the context documents (CONTEXT_TYPES). Such a rule runs on the changed
  documents alone, before and after the change; its findings elsewhere cannot differ.
- `references`: the findings depend on the document and on the identity (ids, items,
  headings, type, status) of what it cites. When the change moves no identity, the rule runs
  with the changed documents as its subjects, and its other findings carry over from before;
  otherwise it is treated as `tree`.
- `types`: the findings depend only on the documents of the types the page `reads` (and the
  context documents and the files they name). When no changed document is of those types and
  no other changed file is one the state before opened, the findings carry over.
- `tree` (the default): the rule runs on the whole technical file after the change.

The findings of the non-file rules before the change come from the result store when that
state was checked before (the state at HEAD usually was: it is the previous commit's staged
state), else from one run on the whole state before, which is then stored. When a change
touches a context document, or documents take items from data files, the caller checks both
states in full. tests/test_scopes.py holds each declaration to the whole-tree result.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from techfile.engine.load import Input, Source, parse_inputs, read_inputs, settings_key
from techfile.engine.pipeline import (
    RunOptions,
    Setup,
    build_context,
    conclude,
    prepare,
    run_specs,
)
from techfile.engine.results import ResultStore, decode_finding, encode_finding, run_key
from techfile.intake.cache import ParseCache
from techfile.intake.history import git_head
from techfile.intake.parse import ParsedFile
from techfile.intake.recording import beyond_inputs
from techfile.model.finding import Finding
from techfile.model.index import Index
from techfile.rules.base import Context, RuleSpec

if TYPE_CHECKING:
    from techfile.model.config import Config
    from techfile.model.result import RunResult

CONTEXT_TYPES = frozenset({"risk-management-plan", "device-description"})


@dataclass(frozen=True)
class States:
    """The two states of a change and what differs between them."""

    before: Source
    after: Source
    changed: frozenset[str]  # paths git reports as changed (any file)


def check_change(
    config: Config, options: RunOptions, states: States
) -> tuple[RunResult, RunResult] | None:
    """The results before and after the change (each complete where it can differ), or None
    when the change needs both states checked in full."""
    if config.items_from:
        return None
    setup = prepare(config, options)
    from techfile.rules.registry import registered  # the rule modules: only when rules run

    groups = _split(registered(), setup)
    cache = ParseCache(config.root, settings_key(setup.settings), options.use_cache)
    inputs_after = read_inputs(states.after, config.include, config.exclude, cache)
    parsed_after = parse_inputs(inputs_after, setup.settings, cache, options.jobs)
    known = _Known(
        cache, {(i.path, i.key): p for i, p in zip(inputs_after, parsed_after, strict=True)}
    )
    inputs_before = read_inputs(states.before, config.include, config.exclude, known)
    changed = [i for i in inputs_before if i.path in states.changed]
    parsed_changed_before = parse_inputs(changed, setup.settings, cache, "1")
    cache.save()
    touched_after = [p for p in parsed_after if p.path in states.changed]
    touched = touched_after + parsed_changed_before
    if not _independent(parsed_after) or not _independent(touched):
        return None
    if any(_context_document(p) for p in touched):
        return None
    if _identities(touched_after) != _identities(parsed_changed_before):
        groups = groups.widened()  # ids moved: what cites them elsewhere can change too
    after_ctx = build_context(config, options, states.after, parsed_after, setup)
    store = ResultStore(config.root, options.use_cache and options.reuse_results)
    stored = _stored(store, config, options, setup, inputs_before, states.before)
    if stored is None:
        whole_before = _whole_context(config, options, setup, inputs_before, states.before)
        cross_before = run_specs(whole_before, groups.cross, setup.selected)
        store_cross(store, config, options, setup, inputs_before, whole_before, cross_before)
        stored = cross_before, dict(getattr(whole_before.read_path, "seen", {}))
    cross_before, opened = stored
    cross_after = run_specs(after_ctx, groups.tree, setup.selected)
    touched_types = {p.document.type for p in touched if p.document is not None}
    other_changes = states.changed - {i.path for i in inputs_after}
    files_opened = any(path in opened for path in other_changes)
    for spec in groups.types:
        if not files_opened and not _reads(spec, setup).intersection(touched_types):
            cross_after += [f for f in cross_before if f.code in spec.codes]
        else:
            cross_after += run_specs(after_ctx, [spec], setup.selected)
    if groups.references:
        cross_after += _carried(cross_before, groups.references, setup, states.changed)
        subjects = replace(after_ctx, subjects=frozenset(states.changed), _shared={})
        cross_after += run_specs(subjects, groups.references, setup.selected)
    store_cross(store, config, options, setup, inputs_after, after_ctx, cross_after)
    before_parsed = sorted(
        [p for p in parsed_after if p.path not in states.changed] + parsed_changed_before,
        key=lambda p: p.path,
    )
    before_ctx = replace(after_ctx, parsed=before_parsed, _shared={})
    file_after = _run_on(after_ctx, touched_after, groups.file, setup)
    # a rule that reads a changed document's bytes again (DC002) reads them as they were
    as_before = replace(after_ctx, read_path=states.before.read_path)
    file_before = _run_on(as_before, parsed_changed_before, groups.file, setup)
    before = conclude(before_ctx, cross_before + file_before, options, setup)
    return before, conclude(after_ctx, cross_after + file_after, options, setup)


@dataclass(frozen=True)
class _Groups:
    """The selected rules by the widest scope of their codes."""

    file: list[RuleSpec]
    references: list[RuleSpec]
    types: list[RuleSpec]
    tree: list[RuleSpec]

    @property
    def cross(self) -> list[RuleSpec]:
        """The rules whose findings the result store keeps for a state."""
        return self.references + self.types + self.tree

    def widened(self) -> _Groups:
        return _Groups(self.file, [], self.types, self.references + self.tree)


SCOPES = ("file", "references", "types", "tree")


def _split(specs: list[RuleSpec], setup: Setup) -> _Groups:
    found: dict[str, list[RuleSpec]] = {scope: [] for scope in SCOPES}
    for spec in specs:
        codes = setup.selected.intersection(spec.codes)
        if codes:
            widest = max((setup.pages[c].scope for c in codes), key=SCOPES.index)
            found[widest].append(spec)
    return _Groups(found["file"], found["references"], found["types"], found["tree"])


def _reads(spec: RuleSpec, setup: Setup) -> set[str]:
    """The document types a types-scoped rule looks at (its pages' `reads`)."""
    return {t for code in spec.codes for t in setup.pages[code].reads}


def _carried(
    before: list[Finding], specs: list[RuleSpec], setup: Setup, changed: frozenset[str]
) -> list[Finding]:
    """Findings of references-scoped rules in unchanged documents: the change moved no id,
    so they stand as they were."""
    codes = {c for spec in specs for c in spec.codes}
    return [f for f in before if f.code in codes and f.location.path not in changed]


def _identities(parsed: list[ParsedFile]) -> dict[str, Any]:
    """What references resolve against, per changed file: ids, items, headings, status."""
    found: dict[str, Any] = {}
    for file in parsed:
        doc = file.document
        if doc is None:
            found[file.path] = None
            continue
        items = sorted((i.list_name, i.id or "") for i in doc.all_items())
        found[file.path] = (
            doc.id,
            doc.type,
            doc.active,
            doc.readable,
            doc.evidence_class,
            doc.meta.get("status"),
            items,
            [h[1] for h in doc.headings],
        )
    return found


class _Known:
    """Parses of the state after the change, then the cache: most files are the same in the
    state before, and their parse (and bytes) need not be read again."""

    def __init__(self, cache: ParseCache, parsed: dict[tuple[str, str], ParsedFile]) -> None:
        self.cache = cache
        self.parsed = parsed

    def get(self, path: str, key: str) -> ParsedFile | None:
        return self.parsed.get((path, key)) or self.cache.get(path, key)


def _independent(parsed: list[ParsedFile]) -> bool:
    """No document takes items from a data file (a changed CSV would change it unseen)."""
    return not any(p.document is not None and p.document.external_tables for p in parsed)


def _context_document(parsed: ParsedFile) -> bool:
    return parsed.document is not None and parsed.document.type in CONTEXT_TYPES


def _run_on(
    whole: Context, files: list[ParsedFile], specs: list[RuleSpec], setup: Setup
) -> list[Finding]:
    """File-scoped rules on `files` with the context documents beside them."""
    if not files or not specs:
        return []
    paths = {p.path for p in files}
    context = [d for d in whole.index.documents if d.type in CONTEXT_TYPES and d.path not in paths]
    documents = context + [p.document for p in files if p.document is not None]
    if any(setup.pages[c].requires for spec in specs for c in spec.codes):
        whole.history()  # read once; the narrow context below shares it
    narrow = replace(whole, index=Index(documents), parsed=list(files), _shared={})
    return [f for f in run_specs(narrow, specs, setup.selected) if f.location.path in paths]


def _tree_key(config: Config, options: RunOptions, setup: Setup, inputs: list[Input]) -> str:
    codes = sorted(c for c in setup.selected if setup.pages[c].scope != "file")  # cross
    history = any("git-history" in setup.pages[c].requires for c in codes)
    return run_key(
        [
            "tree-rules",
            [(i.path, i.key) for i in inputs],
            settings_key(setup.settings),
            codes,
            setup.as_of.isoformat(),
            setup.profile,
            config.raw,
            sorted(options.artifacts),
            options.allow_shallow,
            git_head(config.root) if history else None,
        ]
    )


def store_cross(
    store: ResultStore,
    config: Config,
    options: RunOptions,
    setup: Setup,
    inputs: list[Input],
    ctx: Context,
    raw: list[Finding],
) -> None:
    """Keep a state's findings of the rules that are not file-scoped (from a whole-tree run
    too), for the --pre-commit run that finds this state at HEAD."""
    reads: dict[str, str] = getattr(ctx.read_path, "seen", {})
    cross = [f for f in raw if setup.pages[f.code].scope != "file"]
    result: dict[str, Any] = {"findings": [encode_finding(f) for f in cross], "opened": reads}
    checked = beyond_inputs(reads, {i.path for i in inputs})
    store.put(_tree_key(config, options, setup, inputs), checked, result)


def _stored(
    store: ResultStore,
    config: Config,
    options: RunOptions,
    setup: Setup,
    inputs: list[Input],
    source: Source,
) -> tuple[list[Finding], dict[str, str]] | None:
    """A state's stored cross-file findings and the files its rules opened."""
    stored = store.get(_tree_key(config, options, setup, inputs), source.read_path)
    if stored is None:
        return None
    try:
        return [decode_finding(f) for f in stored["findings"]], dict(stored["opened"])
    except (KeyError, TypeError, ValueError, IndexError):  # a foreign entry: not trusted
        return None


def _whole_context(
    config: Config, options: RunOptions, setup: Setup, inputs: list[Input], source: Source
) -> Context:
    """The state before the change in full, when its tree-rule findings are not stored."""
    cache = ParseCache(config.root, settings_key(setup.settings), options.use_cache)
    parsed = parse_inputs(inputs, setup.settings, cache, options.jobs)  # the misses only
    cache.save()
    return build_context(config, options, source, parsed, setup)
