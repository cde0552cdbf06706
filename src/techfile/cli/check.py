"""`techfile check`: lint the technical file and print the findings."""

from __future__ import annotations

import datetime
import sys
from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING

import click

from techfile.cli.display import COLOUR_CHOICES, format_options, use_colour
from techfile.cli.display import show_files as show_file_list
from techfile.cli.fixing import apply_fixes, refuse_unfixable_run, show_fixes
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
    from techfile.model.config import Config
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
@click.option(
    "--sarif-all-rules",
    is_flag=True,
    help="Describe every selected rule in SARIF, not only the rules with results.",
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
@click.option(
    "--color",
    "colour",
    type=click.Choice(COLOUR_CHOICES),
    default="auto",
    show_default=True,
    help="Colour the human formats: auto colours a terminal (NO_COLOR, FORCE_COLOR).",
)
@click.option(
    "--fix",
    is_flag=True,
    help="Apply the fixes that cannot change meaning (FM006, FM012, a certain ID002), then "
    "check again. The only option that writes into the technical file.",
)
@click.option("--diff", is_flag=True, help="Show the fixes --fix would apply; write nothing.")
@click.option("-q", "--quiet", is_flag=True, help="Print findings only: no summary or notices.")
@click.option(
    "--show-files",
    is_flag=True,
    help="List the files read and how each was classified, instead of the findings.",
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
    colour: str,
    quiet: bool,
    show_files: bool,
    sarif_all_rules: bool,
    fix: bool,
    diff: bool,
) -> int:
    """Check the technical file (PATHS narrow what is reported; everything is loaded)."""
    from techfile.engine.pipeline import RunOptions
    from techfile.engine.run import run
    from techfile.formatters import HUMAN, render

    extra_reports = [report_target(value) for value in reports]
    config, relative = resolve_config(paths, example)
    if pre_commit and changed_since:
        raise click.UsageError("--pre-commit and --changed-since cannot be combined")
    refuse_unfixable_run(fix, diff, example, pre_commit)
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
        reuse_results=not show_files,  # --show-files lists what this run read
        incremental=not show_files,
    )
    result = run(config, options)
    if diff:
        return show_fixes(result, config)
    if fix and apply_fixes(result, config):
        result = run(config, options)
    threshold = Severity.parse(fail_on or config.fail_on)
    to_file = replace(
        format_options(config, colour=False, from_cwd=not example, pre_commit=pre_commit),
        fail_on=threshold,
        all_rules=sarif_all_rules,
    )
    if show_files:
        click.echo(show_file_list(result, config, to_file), nl=False)
    elif output:
        write_output(output, render(output_format, result, to_file), "the report to ")
    else:
        painted = output_format in HUMAN and use_colour(colour, sys.stdout)
        on_screen = replace(to_file, colour=painted)
        click.echo(render(output_format, result, on_screen), nl=False, color=painted)
    for report_format, report_path in extra_reports:
        write_output(report_path, render(report_format, result, to_file), "the report to ")
    if statistics:
        for code, count in sorted(Counter(f.code for f in result.findings).items()):
            name = result.pages[code].name if code in result.pages else ""
            say(f"{count:6d}  {code}  {name}")
    if not quiet:
        _summary_and_notices(result)
    if not (quiet or example or pre_commit or show_files) and output_format in HUMAN:
        _adoption_hint(result, config)
    failing = any(f.severity >= threshold for f in result.findings)
    return EXIT_FINDINGS if failing and not exit_zero else EXIT_CLEAN


def _adoption_hint(result: RunResult, config: Config) -> None:
    """When most Markdown files have no type, one line: `techfile adopt` can type them, with
    the template convention adopt's own detection recognises in the tree."""
    untyped = result.files - result.classified
    if untyped * 2 <= result.files:
        return
    from techfile.adopt import collect, guess_all

    convention, guesses = guess_all(collect(config.root))
    more = sum(g.type is not None for g in guesses) - result.classified
    if more <= 0:
        return  # adopt would type no more than this run did (it may have written the config)
    command = "`techfile adopt --print`" if config.source else "`techfile adopt`"
    if convention.preset:
        how = f"it recognises the {convention.preset} templates: {convention.reason}"
    else:
        how = f"from names and headings; it recognises no template set: {convention.reason}"
    say(
        f"techfile: {untyped} of {result.files} Markdown files have no document type; "
        f"{command} can type {more} of them ({how})"
    )


def _summary_and_notices(result: RunResult) -> None:
    _summary(result)
    if result.baseline_gone:
        say(
            f"techfile: {result.baseline_gone} baselined finding(s) are gone; run `techfile "
            "baseline prune` to drop them from the baseline"
        )
    for notice in result.notices:
        say(f"techfile: {notice}")


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
