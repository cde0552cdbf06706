"""`techfile waivers`: the deviation list."""

from __future__ import annotations

import datetime
from collections import Counter

import click

from techfile.cli.options import EXIT_CLEAN, date_option, inert_lines, resolve_config


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--as-of", callback=date_option, help="The date that decides which waivers expired.")
@click.option("--example", is_flag=True, help="List the bundled example's deviations.")
def waivers(paths: tuple[str, ...], as_of: datetime.date | None, example: bool) -> int:
    """List every suppression and waiver with its reason and expiry (the deviation list)."""
    from techfile.engine.pipeline import RunOptions
    from techfile.engine.run import run

    config, _ = resolve_config(paths, example)
    result = run(config, RunOptions(as_of=as_of))
    if not result.suppressions:
        click.echo("No suppressions or waivers.")
        return EXIT_CLEAN
    used = Counter(s.by for s in result.suppressed)
    for item in result.suppressions:
        loc = item.location
        until = f" until {item.until}" if item.until else ""
        approved = f" approved by {item.approved_by}" if item.approved_by else ""
        click.echo(
            inert_lines(
                f"{loc.path}:{loc.line}: {item.kind} {','.join(item.codes)}{until}{approved} "
                f"- {item.reason or '(no reason)'} [{used.get(item, 0)} finding(s)]"
            )
        )
    baselined = [s.finding for s in result.suppressed if s.by.kind == "baseline"]
    if baselined:
        click.echo(f"\nBaselined findings ({len(baselined)}):")
        for finding in baselined:
            loc = finding.location
            click.echo(
                inert_lines(f"  {loc.path}:{loc.line or 1}: {finding.code} {finding.message}")
            )
    return EXIT_CLEAN
