"""`techfile baseline write`: accept the current findings."""

from __future__ import annotations

import datetime

import click

from techfile.cli.options import EXIT_CLEAN, date_option, resolve_config, say
from techfile.engine.baseline import write_baseline
from techfile.engine.pipeline import RunOptions
from techfile.engine.run import run


@click.group()
def baseline() -> None:
    """Accept the current findings so a team can adopt techfile and fix them over time."""


@baseline.command("write")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--reason", required=True, help="Why these findings are accepted for now.")
@click.option("--as-of", callback=date_option, help="The date that date rules use.")
def baseline_write(paths: tuple[str, ...], reason: str, as_of: datetime.date | None) -> int:
    """Write .techfile-baseline.json with the fingerprints of the current findings."""
    if not reason.strip():
        raise click.BadParameter("a baseline needs a reason", param_hint="--reason")
    config, _ = resolve_config(paths, False)
    result = run(config, RunOptions(as_of=as_of, ignore_baseline=True))
    path = write_baseline(config.root, result.findings, reason.strip(), datetime.date.today())
    say(f"techfile: wrote {len(result.findings)} finding(s) to {path}")
    return EXIT_CLEAN
