"""`techfile adopt`: guess a type for every Markdown file, say why, write `.techfile.toml`."""

from __future__ import annotations

import datetime
from pathlib import Path

import click

from techfile.adopt import PRESETS
from techfile.cli.options import EXIT_CLEAN, EXIT_ERROR, inert_lines, say
from techfile.model.config import CONFIG_FILE


@click.command()
@click.argument("path", required=False, type=click.Path())
@click.option(
    "--preset",
    type=click.Choice([*PRESETS, "none"]),
    default=None,
    help="The template set the repository follows (default: recognised from the files; "
    "none: guess without one).",
)
@click.option(
    "--print",
    "print_only",
    is_flag=True,
    help="Print the configuration to standard output instead of writing .techfile.toml.",
)
def adopt(path: str | None, preset: str | None, print_only: bool) -> int:
    """Guess a document type for every Markdown file in PATH (default: the current directory),
    say why, and write .techfile.toml. The documents are never changed."""
    from techfile.adopt import collect, existing_config, guess_all, render_config, render_report

    root = Path(path or ".")
    if not root.is_dir():
        say(f"techfile: {root} is not a directory")
        return EXIT_ERROR
    there = None if print_only else existing_config(root)
    if there is not None:
        say(
            f"techfile: {there}; adopt never overwrites a configuration. Use `techfile adopt "
            "--print` to see what it would write, and merge it by hand"
        )
        return EXIT_ERROR
    files = collect(root)
    if not files:
        say(f"techfile: no Markdown files under {root}; nothing to adopt")
        return EXIT_ERROR
    forced = None if preset in (None, "none") else preset
    convention, guesses = guess_all(files, forced, detect=preset != "none")
    config = render_config(convention, guesses, files, datetime.date.today())
    if print_only:
        click.echo(inert_lines(render_report(root, convention, guesses, None)), nl=False, err=True)
        click.echo(config, nl=False)
        return EXIT_CLEAN
    target = root / CONFIG_FILE
    try:
        with target.open("x", encoding="utf-8") as handle:  # never overwrite, even in a race
            handle.write(config)
    except FileExistsError:
        say(f"techfile: {target} already exists; adopt never overwrites it")
        return EXIT_ERROR
    except OSError as problem:
        say(f"techfile: cannot write {target}: {problem.strerror}")
        return EXIT_ERROR
    click.echo(inert_lines(render_report(root, convention, guesses, str(target))), nl=False)
    return EXIT_CLEAN
