"""`techfile report`: the readiness report."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

import click

from techfile.cli.options import (
    EXIT_CLEAN,
    resolve_config,
    say,
    selection_options,
    split_codes,
    write_output,
)

if TYPE_CHECKING:
    from techfile.report.data import ReportData

REPORT_FORMATS = ("html", "markdown")


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
@click.option("--example", is_flag=True, help="Report on the bundled example technical file.")
@selection_options
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
    from techfile.intake.commit import SourceCommit, source_commit
    from techfile.report import html, markdown
    from techfile.report.gather import gather

    config, _ = resolve_config((path,) if path else (), example)
    options = RunOptions(
        select=split_codes(select),
        ignore=split_codes(ignore),
        as_of=as_of,
        use_cache=not (no_cache or example),
        profile=profile,
        allow_shallow=allow_shallow,
    )
    # the bundled example is package data: the commit of a checkout it sits in is not its own
    bundled = SourceCommit(absent="the bundled example, not read from git")
    data = gather(
        config, options, read_commit=(lambda _root, _files: bundled) if example else source_commit
    )
    rendered = (html.render if report_format == "html" else markdown.render)(data)
    if output:
        write_output(output, rendered, "")
    else:
        click.echo(rendered, nl=False)
    where = f"wrote {output} ({len(rendered.encode('utf-8'))} bytes)" if output else "report"
    say(f"techfile: {where}: {summary(data)}")
    return EXIT_CLEAN


def summary(data: ReportData) -> str:
    """The report's summary in one line, for the terminal."""
    states = data.coverage_counts()
    wrong = len(data.wrong_citations)
    findings = sum(data.severity_counts.values())
    trace = (
        f"{len(data.missing_threats)} threat(s) with a safety impact outside the risk file"
        if data.trace_applicable
        else "threat trace not applicable (no threat model)"
    )
    return (
        f"coverage {states['green']} covered"
        + (f" ({wrong} citing wrong evidence beside)" if wrong else "")
        + f", {states['amber']} partial, {states['red']} gap; {trace}; {findings} finding(s)"
        + (f" and {data.baselined} baselined" if data.baselined else "")
        + f"; as of {data.header.as_of}"
    )
