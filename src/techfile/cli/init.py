"""`techfile init DIR`: start a technical file."""

from __future__ import annotations

import shlex
from pathlib import Path

import click

from techfile.cli.options import EXIT_CLEAN, EXIT_ERROR, say


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
        say(f"techfile: {problem}")
        return EXIT_ERROR
    except OSError as problem:
        say(f"techfile: cannot write into {directory}: {problem}")
        return EXIT_ERROR
    say(
        f"techfile: wrote {len(written.files)} files for {name} into {directory}; every "
        "document is a draft with TODO placeholders. Next: "
        f"`techfile check {shlex.quote(directory)}` lists what is still to be done, and "
        f"`techfile report {shlex.quote(directory)} --output report.html` shows where the "
        "file stands"
    )
    return EXIT_CLEAN
