"""Rule scopes: a rule whose page says `scope: file` must report the same findings in a
document whether it sees the whole technical file or only that document (with the context
documents); `--pre-commit` relies on it to check only what changed."""

from __future__ import annotations

import dataclasses
import datetime
import shutil
from collections import defaultdict
from pathlib import Path

import pytest

from techfile.data.pages import load_pages
from techfile.data.resources import bundled
from techfile.engine import incremental
from techfile.engine.incremental import CONTEXT_TYPES
from techfile.engine.load import parse_inputs, read_inputs
from techfile.engine.pipeline import RunOptions, build_context, prepare
from techfile.fixture_tree import materialise
from techfile.intake.cache import ParseCache
from techfile.intake.config import load_config
from techfile.intake.sources import WorkTree
from techfile.model.finding import Finding
from techfile.model.index import Index
from techfile.rules.registry import registered

CASES = sorted(p.parent for p in bundled("fixtures").glob("*/*/expected.txt"))
EXAMPLE = bundled("examples") / "connected-samd"
FILE_SCOPED = sorted(code for code, page in load_pages().items() if page.scope == "file")


def _specs(scope: str):
    pages = load_pages()
    return [s for s in registered() if all(pages[c].scope == scope for c in s.codes)]


def _compare_scopes(root: Path) -> list[str]:
    config = load_config(
        root, root / ".techfile.toml" if (root / ".techfile.toml").exists() else None
    )
    options = RunOptions(
        jobs="1", use_cache=False, as_of=datetime.date(2026, 6, 30), profile="submission"
    )
    setup = prepare(config, options)
    source = WorkTree(config.root, config.max_file_size)
    inputs = read_inputs(source, config.include, config.exclude)
    parsed = parse_inputs(inputs, setup.settings, ParseCache(root, "test", False), "1")
    ctx = build_context(config, options, source, parsed, setup)
    problems = []
    for spec in _specs("references"):
        whole = defaultdict(set)
        for finding in spec.func(ctx):
            whole[finding.location.path].add(finding)
        for one in parsed:
            subject = dataclasses.replace(ctx, subjects=frozenset({one.path}), _shared={})
            alone = set(spec.func(subject))
            if alone != whole.get(one.path, set()):
                problems.append(f"{','.join(spec.codes)} differs on {one.path} as subject")
    for spec in _specs("types"):
        reads = {t for code in spec.codes for t in load_pages()[code].reads} | CONTEXT_TYPES
        kept = [p for p in parsed if p.document is not None and p.document.type in reads]
        narrow = dataclasses.replace(
            ctx,
            index=Index([p.document for p in kept if p.document is not None]),
            parsed=kept,
            _shared={},
        )
        if set(spec.func(narrow)) != set(spec.func(ctx)):
            problems.append(f"{','.join(spec.codes)} reads more than the types it declares")
    for spec in _specs("file"):
        whole: dict[str, set[Finding]] = defaultdict(set)
        for finding in spec.func(ctx):
            whole[finding.location.path].add(finding)
        for one in parsed:
            reads_before = dict(ctx.read_path.seen)
            alone = set(incremental._run_on(ctx, [one], [spec], setup))
            if alone != whole.get(one.path, set()):
                problems.append(f"{','.join(spec.codes)} differs on {one.path}")
            if ctx.read_path.seen != reads_before:
                problems.append(f"{','.join(spec.codes)} read a file besides its document")
    return problems


def test_the_scopes_declared_are_known() -> None:
    pages = load_pages().values()
    assert {p.scope for p in pages} == {"file", "references", "types", "tree"}
    assert all(bool(p.reads) == (p.scope == "types") for p in pages)
    assert _specs("references")
    assert "FM004" in FILE_SCOPED and "ID002" not in FILE_SCOPED


def test_file_scoped_rules_do_not_yield_across_files() -> None:
    """Ownership `anywhere` would make a file-scoped finding depend on other files."""
    pages = load_pages()
    for code, page in pages.items():
        for owner, where in page.yields_to.items():
            if where == "anywhere":
                assert page.scope == "tree" and pages[owner].scope == "tree", code


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_file_scope_holds_on_fixture(case: Path, tmp_path: Path) -> None:
    assert _compare_scopes(materialise(case, tmp_path / "case")) == []


def test_file_scope_holds_on_the_example(tmp_path: Path) -> None:
    root = tmp_path / "example"
    shutil.copytree(EXAMPLE, root)
    assert _compare_scopes(root) == []
