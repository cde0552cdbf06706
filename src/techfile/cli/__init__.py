"""The `techfile` command: a thin click layer whose commands are plain functions returning exit
codes (one module per command, as pre-commit's commands/), gathered into one group here."""

from __future__ import annotations

import gc
import io
import os
import sys
from collections.abc import Sequence

import click

from techfile import __version__
from techfile.cli import (
    adopt,
    baseline,
    check,
    explain,
    init,
    overlap,
    pack,
    report,
    rules,
    self_test,
    template,
    types,
    waivers,
)
from techfile.cli.options import (
    EXIT_CLEAN,
    EXIT_ERROR,
    FORMAT_NAMES,
    reads_configuration,
    resolve_config,
    say,
)
from techfile.data.pages import PageError
from techfile.model.config import ConfigError
from techfile.util.safe_write import UnsafeWriteError

__all__ = ["FORMAT_NAMES", "cli", "console", "main", "resolve_config"]

COMMANDS: tuple[click.Command, ...] = (
    check.check,
    rules.rules,
    explain.explain,
    types.types,
    waivers.waivers,
    baseline.baseline,
    report.report,
    pack.pack,
    overlap.overlap,
    init.init,
    template.template,
    self_test.self_test,
    adopt.adopt,
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="techfile")
def cli() -> None:
    """Lint an EU MDR technical file kept as Markdown with YAML front-matter."""


# The commands that read the configuration take --config and --isolated; the others (adopt,
# init, template, types, rules, explain, self-test) read none.
CONFIG_READERS: tuple[click.Command, ...] = (
    check.check,
    report.report,
    pack.pack,
    overlap.overlap,
    waivers.waivers,
    *baseline.baseline.commands.values(),
)

for _command in CONFIG_READERS:
    reads_configuration(_command)
for _command in COMMANDS:
    cli.add_command(_command)


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
    from techfile.engine.baseline import BaselineError
    from techfile.engine.select import SelectionError

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
        say("techfile: interrupted")
        return EXIT_ERROR
    except click.ClickException as problem:
        _show_escaped(problem)
        return EXIT_ERROR
    except (ConfigError, SelectionError, BaselineError, PageError) as problem:
        for line in str(problem).splitlines() or [""]:  # one line per mistake
            say(f"techfile: configuration error: {line}")
        return EXIT_ERROR
    except UnsafeWriteError as problem:
        say(f"techfile: {problem}")
        return EXIT_ERROR
    except Exception as problem:
        if os.environ.get("TECHFILE_DEBUG"):
            raise
        say(
            f"techfile: internal error: {type(problem).__name__}: {problem}. This is a bug in "
            "techfile; please report it with TECHFILE_DEBUG=1 output."
        )
        return EXIT_ERROR
    return code if isinstance(code, int) else EXIT_CLEAN


def _show_escaped(problem: click.ClickException) -> None:
    """click's own rendering (usage, hint, `Error: ...`), each line escaped like every other
    line on standard error: the message may quote a path or value from the tree."""
    rendered = io.StringIO()
    problem.show(file=rendered)
    for line in rendered.getvalue().rstrip("\n").split("\n"):
        say(line)
