"""`techfile check`: lint the technical file and print the findings."""

from __future__ import annotations

import datetime
import os
import sys
from collections import Counter
from typing import TYPE_CHECKING

import click

from techfile.cli.options import (
    EXIT_CLEAN,
    EXIT_FINDINGS,
    FORMAT_NAMES,
    artifact,
    jobs_value,
    report_target,
    resolve_config,
    say,
    selection_options,
    split_codes,
    write_output,
)
from techfile.data.severity import Severity

if TYPE_CHECKING:
    from techfile.model.result import RunResult


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@selection_options
@click.option("--extend-select", multiple=True, help="Add codes to the selection.")
@click.option(
    "--format", "output_format", type=click.Choice(FORMAT_NAMES), default="text", show_default=True
)
@click.option("--output", type=click.Path(dir_okay=False), help="Write the report to a file.")
@click.option(
    "--report",
    "reports",
    multiple=True,
    metavar="FORMAT=PATH",
    help="Also write the report in FORMAT to PATH (repeatable).",
)
@click.option("--statistics", is_flag=True, help="Print the number of findings per rule.")
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    default=None,
    help="Lowest severity that makes the exit code 1 [default: error].",
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--example", is_flag=True, help="Check the bundled example technical file.")
@click.option(
    "--jobs",
    default="auto",
    show_default=True,
    callback=lambda _c, _p, v: jobs_value(v),
    help="Parse in N processes, or auto (serial for small technical files).",
)
@click.option(
    "--pre-commit",
    "pre_commit",
    is_flag=True,
    help="Check the staged change: load from the git index, report what it causes.",
)
@click.option(
    "--changed-since",
    metavar="REF",
    help="Report findings in files changed since the merge-base with REF, or caused "
    "by those changes.",
)
@click.option(
    "--artifact",
    "artifacts",
    multiple=True,
    metavar="NAME=PATH",
    help="A build artefact outside the documents, e.g. sbom=build/sbom.cdx.json.",
)
def check(
    paths: tuple[str, ...],
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    extend_select: tuple[str, ...],
    output_format: str,
    output: str | None,
    fail_on: str | None,
    exit_zero: bool,
    as_of: datetime.date | None,
    example: bool,
    jobs: str,
    no_cache: bool,
    pre_commit: bool,
    changed_since: str | None,
    artifacts: tuple[str, ...],
    profile: str | None,
    allow_shallow: bool,
    reports: tuple[str, ...],
    statistics: bool,
) -> int:
    """Check the technical file (PATHS narrow what is reported; everything is loaded)."""
    from techfile.engine.pipeline import RunOptions
    from techfile.engine.run import run
    from techfile.formatters import FORMATTERS

    extra_reports = [report_target(value) for value in reports]
    config, relative = resolve_config(paths, example)
    if pre_commit and changed_since:
        raise click.UsageError("--pre-commit and --changed-since cannot be combined")
    options = RunOptions(
        split_codes(select),
        split_codes(ignore),
        split_codes(extend_select),
        as_of,
        () if pre_commit else relative,
        jobs=jobs,
        use_cache=not (no_cache or example),
        pre_commit=pre_commit,
        changed_since=changed_since,
        artifacts=tuple(artifact(a) for a in artifacts),
        profile=profile,
        allow_shallow=allow_shallow,
    )
    result = run(config, options)
    rendered = FORMATTERS[output_format](result)
    if output:
        write_output(output, rendered, "the report to ")
    else:
        click.echo(_colour(rendered) if output_format == "text" else rendered, nl=False)
    for report_format, report_path in extra_reports:
        write_output(report_path, FORMATTERS[report_format](result), "the report to ")
    if statistics:
        for code, count in sorted(Counter(f.code for f in result.findings).items()):
            name = result.pages[code].name if code in result.pages else ""
            say(f"{count:6d}  {code}  {name}")
    _summary(result)
    if result.baseline_gone:
        say(
            f"techfile: {result.baseline_gone} baselined finding(s) are gone; run `techfile "
            "baseline prune` to drop them from the baseline"
        )
    for notice in result.notices:
        say(f"techfile: {notice}")
    threshold = Severity.parse(fail_on or config.get("fail-on", "error"))
    failing = any(f.severity >= threshold for f in result.findings)
    return EXIT_FINDINGS if failing and not exit_zero else EXIT_CLEAN


def _colour(text: str) -> str:
    if os.environ.get("NO_COLOR") or not sys.stdout.isatty():
        return text
    colours = {"[error]": "red", "[warning]": "yellow", "[info]": "cyan"}
    for label, colour in colours.items():
        text = text.replace(f" {label} ", f" {click.style(label, fg=colour, bold=True)} ")
    return text


def _summary(result: RunResult) -> None:
    counts = Counter(f.severity.label for f in result.findings)
    if result.files == 0:
        say(f"techfile: nothing was checked: no Markdown files found under {result.root}")
        return
    parts = [
        f"{counts[s]} {s}{'s' if counts[s] != 1 else ''}"
        for s in ("error", "warning", "info")
        if counts[s]
    ]
    found = f"{len(result.findings)} finding{'s' if len(result.findings) != 1 else ''}"
    detail = f" ({', '.join(parts)})" if parts else ""
    suppressed = f", {len(result.suppressed)} suppressed" if result.suppressed else ""
    say(
        f"techfile: {found}{detail}{suppressed}; {result.classified} of {result.files} Markdown "
        f"files classified; as of {result.as_of.isoformat()}"
    )
    if result.classified == 0:
        say(
            "techfile: no file is a technical-file document yet, so no content rule ran; add "
            "`id` and `type` front-matter or map paths with [types] in .techfile.toml"
        )
