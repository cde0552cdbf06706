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
from techfile.intake.sources import GitError, GitTree, WorkTree, git
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
    except GitError:
        raise ConfigError(
            f"{'--pre-commit' if options.pre_commit else '--changed-since'} needs a git "
            f"repository, and {root} is not in one"
        ) from None
    whole = replace(options, paths=())
    limit = config.max_file_size
    if options.pre_commit:
        base = "HEAD" if _has_commit(root, "HEAD") else None
        changed = _names(
            git(root, "diff", "--cached", "--name-only", "--relative", "--no-renames", "-z")
        )
        now: Source = GitTree(root, limit, None)
    else:
        assert options.changed_since is not None
        base = _merge_base(root, options.changed_since)
        changed = _names(git(root, "diff", "--name-only", "--relative", "--no-renames", "-z", base))
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


def _names(output: bytes) -> set[str]:
    return {name.decode("utf-8", "surrogateescape") for name in output.split(b"\0") if name}


def _has_commit(root: Path, ref: str) -> bool:
    try:
        git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except GitError:
        return False
    return True


def _merge_base(root: Path, ref: str) -> str:
    try:
        out = git(root, "merge-base", ref, "HEAD")
    except GitError as problem:
        raise ConfigError(
            f"--changed-since {ref}: no common ancestor with HEAD ({problem})"
        ) from None
    return out.decode().strip()
