"""`techfile self-test`: the shipped fixtures against this installation (ISO 13485 4.1.6)."""

from __future__ import annotations

import datetime
import shlex
from pathlib import Path

import click

from techfile.cli.options import (
    EXIT_CLEAN,
    EXIT_ERROR,
    EXIT_FINDINGS,
    date_option,
    say,
    write_output,
)
from techfile.data.resources import bundled


@click.command("self-test")
@click.option(
    "--output",
    type=click.Path(dir_okay=False),
    help="Write the validation record (Markdown) to FILE instead of standard output.",
)
@click.option("--as-of", callback=date_option, help="The record's date (default: today).")
@click.option(
    "--fixtures",
    "fixtures_dir",
    type=click.Path(file_okay=False, exists=True),
    help="Run the fixtures in DIR (CODE-name/{fail,pass}/expected.txt) instead of the shipped "
    "ones.",
)
def self_test(output: str | None, as_of: datetime.date | None, fixtures_dir: str | None) -> int:
    """Run the shipped rule fixtures against this installation and write a validation record
    (OQ evidence for ISO 13485 4.1.6); exit 1 if any fixture fails."""
    from techfile.selftest import fixture_cases, render
    from techfile.selftest import self_test as run_self_test

    fixtures = Path(fixtures_dir).resolve() if fixtures_dir else bundled("fixtures")
    if not fixture_cases(fixtures):
        say(f"techfile: no fixtures (*/*/expected.txt) under {fixtures}")
        return EXIT_ERROR
    date = as_of or datetime.date.today()
    record = run_self_test(fixtures, date)
    command = ["techfile", "self-test"]
    if output:
        command += ["--output", output]
    if as_of:
        command += ["--as-of", as_of.isoformat()]
    if fixtures_dir:
        command += ["--fixtures", fixtures_dir]
    text = render(record, shlex.join(command))
    if output:
        write_output(output, text, "")
    else:
        click.echo(text, nl=False)
    failed = record.failures
    total = len(record.results)
    verdict = "PASS" if record.passed else "FAIL"
    say(
        f"techfile: self-test {verdict}: {total - len(failed)} of {total} fixtures gave their "
        f"expected output" + (f"; record written to {output}" if output else "")
    )
    for result in failed:
        say(f"techfile: FAILED {result.name}/{result.case}: {result.problem}")
    return EXIT_CLEAN if record.passed else EXIT_FINDINGS
