"""`check --fix` and `check --diff`: the mechanical fixes, shown or applied.

The only command that writes into the technical file, and only the files it names.
"""

from __future__ import annotations

from collections.abc import Sized
from typing import TYPE_CHECKING

import click

from techfile.cli.options import EXIT_CLEAN, EXIT_FINDINGS, say

if TYPE_CHECKING:
    from techfile.model.config import Config
    from techfile.model.result import RunResult


def refuse_unfixable_run(fix: bool, diff: bool, example: bool, pre_commit: bool) -> None:
    if not (fix or diff):
        return
    flag = "--diff" if diff else "--fix"
    if fix and diff:
        raise click.UsageError("--fix writes the fixes and --diff only shows them: choose one")
    if example:
        raise click.UsageError(f"{flag} works on your technical file, not on the bundled example")
    if pre_commit:
        raise click.UsageError(
            f"{flag} edits the working tree, while --pre-commit checks the staged content: run "
            "`techfile check --fix` first, then stage the result"
        )


def show_fixes(result: RunResult, config: Config) -> int:
    """Print the fixes as a unified diff and write nothing; exit 1 when there are any."""
    from techfile.engine.fix import plan_fixes
    from techfile.intake.sources import WorkTree

    plan = plan_fixes(result.findings, WorkTree(config.root, config.max_file_size))
    click.echo(plan.diff(), nl=False)
    say(f"techfile: {_count(plan.applied)} would change {_files(sorted(plan.after))}")
    return EXIT_FINDINGS if plan.after else EXIT_CLEAN


def apply_fixes(result: RunResult, config: Config) -> bool:
    """Write the fixes; True when a file changed (the caller checks again)."""
    from techfile.engine.fix import plan_fixes, write_fixes
    from techfile.intake.sources import WorkTree

    plan = plan_fixes(result.findings, WorkTree(config.root, config.max_file_size))
    written = write_fixes(plan, config.root)
    say(f"techfile: {_count(plan.applied)} applied to {_files(written)}")
    return bool(written)


def _count(findings: Sized) -> str:
    return f"{len(findings)} fix{'es' if len(findings) != 1 else ''}"


def _files(paths: list[str]) -> str:
    if not paths:
        return "no file"
    if len(paths) <= 5:
        return ", ".join(paths)
    return f"{len(paths)} files ({', '.join(paths[:5])}, …)"
