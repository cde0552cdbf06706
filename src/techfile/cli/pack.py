"""`techfile pack`: the customer security pack (a hospital's MDS2 questionnaire answered from
the technical file, and the maintained disclosure statement checked against it)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
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
    from techfile.pack import PackData

PACK_FORMATS = ("html", "json", "csv", "markdown")


@click.command()
@click.argument("path", required=False, type=click.Path())
@click.option(
    "--format",
    "pack_format",
    type=click.Choice(PACK_FORMATS),
    default="html",
    show_default=True,
    help="One self-contained HTML file, JSON, CSV (one row per question) or Markdown.",
)
@click.option("--output", type=click.Path(dir_okay=False), help="Write the pack to FILE.")
@click.option("--example", is_flag=True, help="The pack of the bundled example technical file.")
@selection_options
def pack(
    path: str | None,
    pack_format: str,
    output: str | None,
    as_of: datetime.date | None,
    example: bool,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    profile: str | None,
    no_cache: bool,
    allow_shallow: bool,
) -> int:
    """Write the customer security pack: the MDS2 questionnaire answered from the technical
    file, software transparency, secure development evidence, organisational assurance, the
    customer's responsibilities and the check of the disclosure statement (PATH: the technical
    file, default: the current directory)."""
    from techfile.engine.pipeline import RunOptions
    from techfile.pack import gather_pack

    config, _ = resolve_config((path,) if path else (), example)
    options = RunOptions(
        select=split_codes(select),
        ignore=split_codes(ignore),
        as_of=as_of,
        use_cache=not (no_cache or example),
        profile=profile,
        allow_shallow=allow_shallow,
    )
    data = gather_pack(config, options)
    rendered = _renderers()[pack_format](data)
    if output:
        write_output(output, rendered, "")
    else:
        click.echo(rendered, nl=False)
    where = f"wrote {output} ({len(rendered.encode('utf-8'))} bytes)" if output else "pack"
    manual = data.manual_sections()
    say(
        f"techfile: {where}: {len(data.answered_sections())} of {len(data.sections())} "
        f"capability sections answered from the technical file, {len(manual)} manual"
        + (f" ({', '.join(manual)})" if manual else "")
        + f"; {len(data.disclosure.findings)} disclosure finding(s); as of {data.stamp.as_of}"
    )
    return EXIT_CLEAN


def _renderers() -> dict[str, Callable[[PackData], str]]:
    from techfile.pack import html, markdown, tabular

    return {
        "html": html.render,
        "json": tabular.render_json,
        "csv": tabular.render_csv,
        "markdown": markdown.render,
    }
