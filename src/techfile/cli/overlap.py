"""`techfile overlap`: ISO/IEC 27001 readiness from the QMS."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

import click

from techfile.cli.options import EXIT_CLEAN, date_option, resolve_config, write_output
from techfile.data.isms import DEFAULT_TARGET, TARGETS

if TYPE_CHECKING:
    from techfile.overlap.data import OverlapData

OVERLAP_FORMATS = ("html", "markdown", "json", "csv")


def rendered(data: OverlapData, overlap_format: str) -> str:
    from techfile.overlap import export, html, markdown

    renderers = {
        "html": html.render,
        "markdown": markdown.render,
        "json": export.render_json,
        "csv": export.render_csv,
    }
    return renderers[overlap_format](data)


@click.command()
@click.argument("path", required=False, type=click.Path())
@click.option(
    "--target",
    type=click.Choice(sorted(TARGETS)),
    default=DEFAULT_TARGET,
    show_default=True,
    help="The management-system standard to measure against.",
)
@click.option(
    "--format",
    "overlap_format",
    type=click.Choice(OVERLAP_FORMATS),
    default="html",
    show_default=True,
    help="One self-contained HTML file, Markdown, JSON, or CSV (one row per clause and control).",
)
@click.option("--output", type=click.Path(dir_okay=False), help="Write the report to FILE.")
@click.option("--example", is_flag=True, help="Measure the bundled example technical file.")
@click.option("--as-of", callback=date_option, help="The date the report is as of (YYYY-MM-DD).")
@click.option("--no-cache", is_flag=True, help="Neither read nor write .techfile_cache/.")
def overlap(
    path: str | None,
    target: str,
    overlap_format: str,
    output: str | None,
    example: bool,
    as_of: datetime.date | None,
    no_cache: bool,
) -> int:
    """Measure how much of an ISO/IEC 27001 ISMS the ISO 13485 QMS and the product security
    evidence already give, per clause and Annex A control, and check the Statement of
    Applicability (PATH: the technical file, default: the current directory). A readiness aid,
    not a certification opinion."""
    from techfile.engine.pipeline import RunOptions
    from techfile.overlap.gather import coverage_line, gather

    config, _ = resolve_config((path,) if path else (), example)
    options = RunOptions(as_of=as_of, use_cache=not (no_cache or example))
    data = gather(config, options, target)
    text = rendered(data, overlap_format)
    if output:
        write_output(output, text, "")
    else:
        click.echo(text, nl=False)
    where = f"wrote {output} ({len(text.encode('utf-8'))} bytes)" if output else "overlap"
    click.echo(f"techfile: {where}: {coverage_line(data)}", err=True)
    return EXIT_CLEAN
