"""The commands `report`, `init`, `template`, `self-test` and `adopt`: thin click functions
that return exit codes, added to the `techfile` group by `register`."""

from __future__ import annotations

import datetime
import shlex
from pathlib import Path

import click

from techfile.cli import (
    EXIT_CLEAN,
    EXIT_ERROR,
    EXIT_FINDINGS,
    date_option,
    resolve_config,
    split_codes,
)

REPORT_FORMATS = ("html", "markdown")


def register(group: click.Group) -> None:
    from techfile.adopt import adopt

    for command in (report, init, template, self_test, adopt):
        group.add_command(command)


def _write(path: str, text: str) -> None:
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    except OSError as problem:
        raise click.ClickException(f"cannot write {path}: {problem.strerror}") from None


@click.command()
@click.argument("path", required=False, type=click.Path())
@click.option(
    "--format",
    "report_format",
    type=click.Choice(REPORT_FORMATS),
    default="html",
    show_default=True,
    help="One self-contained HTML file, or Markdown.",
)
@click.option("--output", type=click.Path(dir_okay=False), help="Write the report to FILE.")
@click.option("--as-of", callback=date_option, help="The date that date rules use (YYYY-MM-DD).")
@click.option("--example", is_flag=True, help="Report on the bundled example technical file.")
@click.option("--select", multiple=True, help="Rule codes or prefixes to run (comma-separated).")
@click.option("--ignore", multiple=True, help="Rule codes or prefixes to leave out.")
@click.option(
    "--profile",
    type=click.Choice(["default", "submission"]),
    default=None,
    help="submission: the stricter pre-submission gate.",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write .techfile_cache/.")
@click.option("--allow-shallow", is_flag=True, help="Run history rules on a shallow clone.")
def report(
    path: str | None,
    report_format: str,
    output: str | None,
    as_of: datetime.date | None,
    example: bool,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    profile: str | None,
    no_cache: bool,
    allow_shallow: bool,
) -> int:
    """Write the readiness report: evidence coverage, security-safety trace, risk heat map,
    findings and deviations (PATH: the technical file, default: the current directory)."""
    from techfile.engine.pipeline import RunOptions
    from techfile.report import html, markdown
    from techfile.report.data import gather

    config, _ = resolve_config((path,) if path else (), example)
    options = RunOptions(
        select=split_codes(select),
        ignore=split_codes(ignore),
        as_of=as_of,
        use_cache=not (no_cache or example),
        profile=profile,
        allow_shallow=allow_shallow,
    )
    data = gather(config, options)
    rendered = (html.render if report_format == "html" else markdown.render)(data)
    if output:
        _write(output, rendered)
    else:
        click.echo(rendered, nl=False)
    states = data.coverage_counts()
    findings = sum(data.severity_counts.values())
    where = f"wrote {output} ({len(rendered.encode('utf-8'))} bytes)" if output else "report"
    click.echo(
        f"techfile: {where}: coverage {states['green']} covered, {states['amber']} partial, "
        f"{states['red']} gap; {len(data.missing_threats)} threat(s) with a safety impact "
        f"outside the risk file; {findings} finding(s); as of {data.header.as_of}",
        err=True,
    )
    return EXIT_CLEAN


@click.command()
@click.argument("directory", type=click.Path(file_okay=False))
@click.option(
    "--device-name",
    help="The device's name in the documents and [device] (default: the directory's name).",
)
def init(directory: str, device_name: str | None) -> int:
    """Start a technical file for a connected software device in DIRECTORY (new or empty):
    one draft document of every type the rules read, with placeholder items."""
    from techfile.scaffold import ScaffoldError
    from techfile.scaffold import init as write_starter

    target = Path(directory)
    name = device_name or target.resolve().name
    try:
        written = write_starter(target, name)
    except ScaffoldError as problem:
        click.echo(f"techfile: {problem}", err=True)
        return EXIT_ERROR
    except OSError as problem:
        click.echo(f"techfile: cannot write into {directory}: {problem}", err=True)
        return EXIT_ERROR
    click.echo(
        f"techfile: wrote {len(written.files)} files for {name} into {directory}; every "
        "document is a draft with TODO placeholders. Next: "
        f"`techfile check {shlex.quote(directory)}` lists what is still to be done, and "
        f"`techfile report {shlex.quote(directory)} --output report.html` shows where the "
        "file stands",
        err=True,
    )
    return EXIT_CLEAN


@click.command()
@click.argument("type_name", metavar="TYPE")
def template(type_name: str) -> int:
    """Print a commented front-matter skeleton of a document TYPE with every field techfile
    reads (`techfile types` lists the types)."""
    from techfile.scaffold import ScaffoldError, resolve_type
    from techfile.scaffold import template as skeleton

    try:
        canonical, _ = resolve_type(type_name)
    except ScaffoldError as problem:
        click.echo(f"techfile: {problem}", err=True)
        return EXIT_ERROR
    if canonical != type_name.strip():
        click.echo(f"techfile: {type_name} is an alias of {canonical}", err=True)
    click.echo(skeleton(canonical), nl=False)
    return EXIT_CLEAN


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
    from techfile.data.resources import bundled
    from techfile.selftest import fixture_cases, render
    from techfile.selftest import self_test as run_self_test

    fixtures = Path(fixtures_dir).resolve() if fixtures_dir else bundled("fixtures")
    if not fixture_cases(fixtures):
        click.echo(f"techfile: no fixtures (*/*/expected.txt) under {fixtures}", err=True)
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
        _write(output, text)
    else:
        click.echo(text, nl=False)
    failed = record.failures
    total = len(record.results)
    verdict = "PASS" if record.passed else "FAIL"
    click.echo(
        f"techfile: self-test {verdict}: {total - len(failed)} of {total} fixtures gave their "
        f"expected output" + (f"; record written to {output}" if output else ""),
        err=True,
    )
    for result in failed:
        click.echo(f"techfile: FAILED {result.name}/{result.case}: {result.problem}", err=True)
    return EXIT_CLEAN if record.passed else EXIT_FINDINGS
