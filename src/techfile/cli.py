"""The `techfile` command: a thin click layer whose commands return exit codes."""

from __future__ import annotations

import datetime
import gc
import os
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from techfile import __version__
from techfile.data.pages import PageError
from techfile.data.severity import Severity
from techfile.engine.baseline import BaselineError
from techfile.engine.select import SelectionError
from techfile.intake.config import find_root, load_config
from techfile.model.config import Config, ConfigError

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
FORMAT_NAMES = ("text", "json", "sarif", "github", "junit", "gitlab", "markdown")


def split_codes(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def date_option(_ctx: Any, _param: Any, value: str | None) -> datetime.date | None:
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD") from None


def _report(value: str) -> tuple[str, str]:
    name, sep, path = value.partition("=")
    if not sep or name not in FORMAT_NAMES or not path:
        choices = ", ".join(FORMAT_NAMES)
        raise click.BadParameter(f"{value!r} is not FORMAT=PATH ({choices})", param_hint="--report")
    return name, path


def _artifact(value: str) -> tuple[str, str]:
    name, sep, path = value.partition("=")
    if not sep or not name.strip() or not path.strip():
        raise click.BadParameter(f"{value!r} is not NAME=PATH", param_hint="--artifact")
    return name.strip(), str(Path(path.strip()).resolve())


def _jobs(value: str) -> str:
    if value == "auto" or (value.isdigit() and int(value) > 0):
        return value
    raise click.BadParameter(f"{value!r} is neither a positive number nor auto")


def resolve_config(paths: Sequence[str], example: bool) -> tuple[Config, tuple[str, ...]]:
    """Find the root and configuration, and turn PATHS into root-relative paths."""
    if example:
        from techfile.data.resources import bundled

        root = bundled("examples") / "connected-samd"
        return load_config(root, root / ".techfile.toml"), ()
    start = Path(paths[0]) if paths else Path.cwd()
    if not start.exists():
        raise click.BadParameter(f"{start} does not exist", param_hint="PATHS")
    root, source = find_root(start if start.is_dir() else start.parent)
    config = load_config(root, source)
    relative = []
    for path in paths:
        absolute = Path(path).resolve()
        if not absolute.is_relative_to(root):
            raise click.BadParameter(f"{path} is outside the technical file root {root}")
        relative.append(absolute.relative_to(root).as_posix())
    return config, tuple(relative)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="techfile")
def cli() -> None:
    """Lint an EU MDR technical file kept as Markdown with YAML front-matter."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--select", multiple=True, help="Rule codes or prefixes to run (comma-separated).")
@click.option("--ignore", multiple=True, help="Rule codes or prefixes to leave out.")
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
@click.option("--as-of", callback=date_option, help="The date that date rules use (YYYY-MM-DD).")
@click.option("--example", is_flag=True, help="Check the bundled example technical file.")
@click.option(
    "--jobs",
    default="auto",
    show_default=True,
    callback=lambda _c, _p, v: _jobs(v),
    help="Parse in N processes, or auto (serial for small technical files).",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write .techfile_cache/.")
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
    "--profile",
    type=click.Choice(["default", "submission"]),
    default=None,
    help="submission: the stricter pre-submission gate (see README).",
)
@click.option(
    "--allow-shallow",
    is_flag=True,
    help="Run history rules on a shallow clone instead of stopping.",
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

    extra_reports = [_report(value) for value in reports]
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
        artifacts=tuple(_artifact(a) for a in artifacts),
        profile=profile,
        allow_shallow=allow_shallow,
    )
    result = run(config, options)
    rendered = FORMATTERS[output_format](result)
    if output:
        _write_report(output, rendered)
    else:
        click.echo(_colour(rendered) if output_format == "text" else rendered, nl=False)
    for report_format, report_path in extra_reports:
        _write_report(report_path, FORMATTERS[report_format](result))
    if statistics:
        for code, count in sorted(Counter(f.code for f in result.findings).items()):
            name = result.pages[code].name if code in result.pages else ""
            click.echo(f"{count:6d}  {code}  {name}", err=True)
    _summary(result)
    if result.baseline_gone:
        click.echo(
            f"techfile: {result.baseline_gone} baselined finding(s) are gone; run `techfile "
            "baseline write --reason ...` to drop them from the baseline",
            err=True,
        )
    for notice in result.notices:
        click.echo(f"techfile: {notice}", err=True)
    threshold = Severity.parse(fail_on or config.get("fail-on", "error"))
    failing = any(f.severity >= threshold for f in result.findings)
    return EXIT_FINDINGS if failing and not exit_zero else EXIT_CLEAN


def _write_report(path: str, text: str) -> None:
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    except OSError as problem:
        raise click.ClickException(
            f"cannot write the report to {path}: {problem.strerror}"
        ) from None


def _colour(text: str) -> str:
    if os.environ.get("NO_COLOR") or not sys.stdout.isatty():
        return text
    colours = {"[error]": "red", "[warning]": "yellow", "[info]": "cyan"}
    for label, colour in colours.items():
        text = text.replace(f" {label} ", f" {click.style(label, fg=colour, bold=True)} ")
    return text


def _summary(result: Any) -> None:
    counts = Counter(f.severity.label for f in result.findings)
    if result.files == 0:
        click.echo(
            f"techfile: nothing was checked: no Markdown files found under {result.root}", err=True
        )
        return
    parts = [
        f"{counts[s]} {s}{'s' if counts[s] != 1 else ''}"
        for s in ("error", "warning", "info")
        if counts[s]
    ]
    found = f"{len(result.findings)} finding{'s' if len(result.findings) != 1 else ''}"
    detail = f" ({', '.join(parts)})" if parts else ""
    suppressed = f", {len(result.suppressed)} suppressed" if result.suppressed else ""
    click.echo(
        f"techfile: {found}{detail}{suppressed}; {result.classified} of {result.files} Markdown "
        f"files classified; as of {result.as_of.isoformat()}",
        err=True,
    )
    if result.classified == 0:
        click.echo(
            "techfile: no file is a technical-file document yet, so no content rule ran; add "
            "`id` and `type` front-matter or map paths with [types] in .techfile.toml",
            err=True,
        )


@cli.command()
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "markdown"]),
    default="text",
    show_default=True,
    help="markdown: the rule catalogue as docs/rules.md holds it.",
)
def rules(output_format: str) -> int:
    """List every rule with its severity and the clauses it enforces."""
    from techfile.data.pages import load_pages, rules_markdown

    pages = load_pages()
    if output_format == "markdown":
        click.echo(rules_markdown(pages), nl=False)
        return EXIT_CLEAN
    for code, page in sorted(pages.items()):
        profile = f" (profile: {', '.join(page.profiles)})" if page.profiles else ""
        click.echo(f"{code}  {page.severity.label:<7}  {page.name}  [{page.clause_text}]{profile}")
        click.echo(f"        {page.summary}")
    return EXIT_CLEAN


@cli.command()
@click.argument("code")
def explain(code: str) -> int:
    """Show a rule's page: why it matters, examples and how to fix."""
    from techfile.data.pages import load_pages

    page = load_pages().get(code.strip().upper())
    if page is None:
        raise click.BadParameter(f"{code} is not a techfile rule (see `techfile rules`)")
    click.echo(f"{page.code} {page.name} [{page.severity.label}]")
    click.echo(f"Enforces: {page.clause_text}")
    click.echo(f"\n{page.summary}\n\n{page.body}")
    return EXIT_CLEAN


@cli.command()
def types() -> int:
    """List the document types, their evidence class, and the fields their rules read."""
    from techfile.data.registry import type_registry
    from techfile.data.schemas import flattened, known_keys

    common = known_keys(flattened("document.schema.json"))
    for name, doc_type in sorted(type_registry().types.items()):
        own = sorted(known_keys(flattened(doc_type.schema_id)) - common)
        click.echo(f"{name}  ({doc_type.evidence_class})  {doc_type.title}")
        if own:
            click.echo(f"        fields: {', '.join(own)}")
    click.echo(f"\nEvery type also reads: {', '.join(sorted(common))}")
    return EXIT_CLEAN


@cli.command()
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
            f"{loc.path}:{loc.line}: {item.kind} {','.join(item.codes)}{until}{approved} "
            f"- {item.reason or '(no reason)'} [{used.get(item, 0)} finding(s)]"
        )
    baselined = [s.finding for s in result.suppressed if s.by.kind == "baseline"]
    if baselined:
        click.echo(f"\nBaselined findings ({len(baselined)}):")
        for finding in baselined:
            loc = finding.location
            click.echo(f"  {loc.path}:{loc.line or 1}: {finding.code} {finding.message}")
    return EXIT_CLEAN


@cli.group()
def baseline() -> None:
    """Accept the current findings so a team can adopt techfile and fix them over time."""


@baseline.command("write")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--reason", required=True, help="Why these findings are accepted for now.")
@click.option("--as-of", callback=date_option, help="The date that date rules use.")
def baseline_write(paths: tuple[str, ...], reason: str, as_of: datetime.date | None) -> int:
    """Write .techfile-baseline.json with the fingerprints of the current findings."""
    from techfile.engine.baseline import write_baseline
    from techfile.engine.pipeline import RunOptions
    from techfile.engine.run import run

    if not reason.strip():
        raise click.BadParameter("a baseline needs a reason", param_hint="--reason")
    config, _ = resolve_config(paths, False)
    result = run(config, RunOptions(as_of=as_of, ignore_baseline=True))
    path = write_baseline(config.root, result.findings, reason.strip(), datetime.date.today())
    click.echo(f"techfile: wrote {len(result.findings)} finding(s) to {path}", err=True)
    return EXIT_CLEAN


def console() -> None:
    """The `techfile` command: main(), then out without tearing down the heap. Freeing a
    large run's millions of objects one by one at exit took longer than printing it."""
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    # A check builds millions of small objects that all live until the process ends: with
    # the default thresholds the cyclic collector spent a fifth of a large run rescanning
    # them, and a last full collection on the way out. The process is short-lived, so the
    # thresholds stay raised (in-process callers keep working, with fewer collections).
    gc.set_threshold(200_000, 50, 1_000)
    try:
        code = cli.main(
            args=list(argv) if argv is not None else None,
            prog_name="techfile",
            standalone_mode=False,
        )
    except click.exceptions.Exit as stop:
        return int(stop.exit_code)
    except click.exceptions.Abort:
        click.echo("techfile: interrupted", err=True)
        return EXIT_ERROR
    except click.ClickException as problem:
        problem.show()
        return EXIT_ERROR
    except (ConfigError, SelectionError, BaselineError, PageError) as problem:
        click.echo(f"techfile: configuration error: {problem}", err=True)
        return EXIT_ERROR
    except Exception as problem:
        if os.environ.get("TECHFILE_DEBUG"):
            raise
        click.echo(
            f"techfile: internal error: {type(problem).__name__}: {problem}. This is a bug in "
            "techfile; please report it with TECHFILE_DEBUG=1 output.",
            err=True,
        )
        return EXIT_ERROR
    return code if isinstance(code, int) else EXIT_CLEAN


from techfile.commands import register  # noqa: E402

register(cli)
