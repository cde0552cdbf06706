"""`techfile template TYPE`: a front-matter skeleton."""

from __future__ import annotations

import click

from techfile.cli.options import EXIT_CLEAN, EXIT_ERROR, say


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
        say(f"techfile: {problem}")
        return EXIT_ERROR
    if canonical != type_name.strip():
        say(f"techfile: {type_name} is an alias of {canonical}")
    click.echo(skeleton(canonical), nl=False)
    return EXIT_CLEAN
