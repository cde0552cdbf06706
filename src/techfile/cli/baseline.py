"""`techfile baseline write` (accept the current findings) and `baseline prune` (drop what no
longer occurs, accept nothing new)."""

from __future__ import annotations

import datetime

import click

from techfile.cli.options import EXIT_CLEAN, EXIT_ERROR, date_option, resolve_config, say


@click.group()
def baseline() -> None:
    """Accept the current findings so a team can adopt techfile and fix them over time."""


@baseline.command("write")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--reason", required=True, help="Why these findings are accepted for now.")
@click.option("--as-of", callback=date_option, help="The date that date rules use.")
@click.option("--no-cache", is_flag=True, help="Neither read nor write .techfile_cache/.")
def baseline_write(
    paths: tuple[str, ...], reason: str, as_of: datetime.date | None, no_cache: bool
) -> int:
    """Write .techfile-baseline.json with the fingerprints of the current findings."""
    from techfile.engine.baseline import occurrences, write_baseline
    from techfile.engine.pipeline import RunOptions
    from techfile.engine.run import run

    if not reason.strip():
        raise click.BadParameter("a baseline needs a reason", param_hint="--reason")
    config, _ = resolve_config(paths, False)
    options = RunOptions(as_of=as_of, ignore_baseline=True, use_cache=not no_cache)
    result = run(config, options)
    path = write_baseline(config.root, result.findings, reason.strip(), datetime.date.today())
    say(
        f"techfile: wrote {len(result.findings)} finding(s) "
        f"({occurrences(result.findings)} occurrence(s)) to {path}"
    )
    return EXIT_CLEAN


@baseline.command("prune")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--as-of", callback=date_option, help="The date that date rules use.")
@click.option("--no-cache", is_flag=True, help="Neither read nor write .techfile_cache/.")
def baseline_prune(paths: tuple[str, ...], as_of: datetime.date | None, no_cache: bool) -> int:
    """Drop the baselined findings that no longer occur, and lower the accepted counts to the
    occurrences that remain. Nothing new is accepted; the reason and date stay."""
    from techfile.engine.baseline import (
        BASELINE_FILE,
        held_entries,
        occurrences,
        read_baseline,
        write_baseline,
    )
    from techfile.engine.pipeline import RunOptions
    from techfile.engine.run import run

    config, _ = resolve_config(paths, False)
    current = read_baseline(config.root)
    if current is None:
        say(f"techfile: there is no {BASELINE_FILE} in {config.root} to prune")
        return EXIT_ERROR
    result = run(config, RunOptions(as_of=as_of, use_cache=not no_cache))
    kept = [s.finding for s in result.suppressed if s.by.kind == "baseline"]
    held = held_entries(config.root, result.findings)
    path = write_baseline(config.root, kept, current.reason, current.created, held)
    say(
        f"techfile: kept {len(kept)} finding(s) ({occurrences(kept)} occurrence(s)) in {path}; "
        f"dropped {result.baseline_gone} occurrence(s) that no longer occur"
    )
    return EXIT_CLEAN
