"""Report what a change causes: `--pre-commit` (the staged change) and `--changed-since`.

The whole technical file is checked after the change and, from git, before it. A finding
is reported when it sits in a changed file, or when it is new anywhere: deleting a
document that others cite leaves its citers with dangling references, and those findings
exist only after the change, although the citers did not change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from techfile.engine.incremental import States, check_change
from techfile.intake.discover import shown_name
from techfile.intake.sources import GitError, GitTree, WorkTree, filters_off, git
from techfile.model.config import Config, ConfigError

if TYPE_CHECKING:
    from techfile.engine.load import Source
    from techfile.engine.pipeline import RunOptions
    from techfile.model.result import RunResult

Evaluate = Callable[[Config, "RunOptions", "Source"], "RunResult"]


def run_on_changes(config: Config, options: RunOptions, evaluate: Evaluate) -> RunResult:
    root = config.root
    try:
        git(root, "rev-parse", "--git-dir")
    except GitError as problem:
        said = str(problem).partition(": ")[2].strip().splitlines()[:1]
        raise ConfigError(
            f"{'--pre-commit' if options.pre_commit else '--changed-since'} needs a git "
            f"repository, and git cannot read one at {root} ({''.join(said) or problem})"
        ) from None
    whole = replace(options, paths=())
    limit = config.max_file_size
    if options.pre_commit:
        base = "HEAD" if _has_commit(root, "HEAD") else None
        changed = _names(git(root, "diff", "--cached", *_NAMES_ONLY))
        now: Source = GitTree(root, limit, None)
    else:
        assert options.changed_since is not None
        base = _merge_base(root, options.changed_since)
        changed = _work_tree_changes(root, base)
        changed |= _names(git(root, "ls-files", "--others", "--exclude-standard", "-z"))
        now = WorkTree(root, limit)
    if base and options.incremental:
        states = States(GitTree(root, limit, base), now, frozenset(changed))
        both = check_change(config, whole, states)
        if both is not None:
            return _caused(_fingerprints(both[0]), both[1], changed)
    # the state before first, so only its fingerprints, not its index, live on beside the other
    before = _fingerprints(evaluate(config, whole, GitTree(root, limit, base))) if base else set()
    return _caused(before, evaluate(config, whole, now), changed)


def _caused(before: set[str], after: RunResult, changed: set[str]) -> RunResult:
    """The findings after the change that sit in changed files or are new anywhere."""
    kept = [f for f in after.findings if f.location.path in changed or f.fingerprint not in before]
    return replace(after, findings=kept)


def _fingerprints(result: RunResult) -> set[str]:
    """The defects of a state; the state itself (its index) is not kept."""
    return {f.fingerprint for f in result.findings} | {
        s.finding.fingerprint for s in result.suppressed
    }


# names only: no patch, so no external diff program or textconv filter, and none asked for
_NAMES_ONLY = ("--name-only", "--relative", "--no-renames", "--no-ext-diff", "--no-textconv", "-z")


def _work_tree_changes(root: Path, base: str) -> set[str]:
    """Files that differ between commit `base` and the work tree. Hashing a work-tree file
    would run its clean filter, a command the repository's configuration names: off."""
    try:
        no_filters = filters_off(root)
    except GitError as problem:
        raise ConfigError(f"--changed-since: {problem}; techfile does not run it") from None
    return _names(git(root, "diff", *_NAMES_ONLY, "--end-of-options", base, config=no_filters))


def _names(output: bytes) -> set[str]:
    """Names as git gives them (any bytes), as the files' findings name them."""
    return {
        shown_name(name.decode("utf-8", "surrogateescape")) for name in output.split(b"\0") if name
    }


def _has_commit(root: Path, ref: str) -> bool:
    try:
        git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
    except GitError:
        return False
    return True


def _merge_base(root: Path, ref: str) -> str:
    commit = _commit_of(root, ref)
    try:
        out = git(root, "merge-base", "--end-of-options", commit, "HEAD")
    except GitError as problem:
        raise ConfigError(
            f"--changed-since {ref}: no common ancestor with HEAD ({problem})"
        ) from None
    return out.decode().strip()


def _commit_of(root: Path, ref: str) -> str:
    """The commit a `--changed-since` value names. It is a revision, never an option of git:
    `--octopus` or `--output=FILE` would change what git does."""
    if not ref.strip() or ref.startswith("-") or not ref.isprintable():
        raise ConfigError(
            f"--changed-since {ref!r}: not a git revision (a branch, tag or commit; it cannot "
            "be empty or start with `-`)"
        )
    try:
        out = git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
    except GitError:
        raise ConfigError(
            f"--changed-since {ref}: no such commit in this repository (fetch it first, e.g. "
            "`fetch-depth: 0` in actions/checkout)"
        ) from None
    return out.decode().strip()
