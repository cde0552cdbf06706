"""`techfile template TYPE`: a front-matter skeleton; without TYPE, the types there are."""

from __future__ import annotations

import click

from techfile.cli.options import EXIT_CLEAN, EXIT_ERROR, inert_lines, say


@click.command()
@click.argument("type_name", metavar="[TYPE]", required=False)
def template(type_name: str | None) -> int:
    """Print a commented front-matter skeleton of a document TYPE with every field techfile
    reads; without TYPE, list the types."""
    from techfile.scaffold import ScaffoldError, resolve_type
    from techfile.scaffold import template as skeleton

    if type_name is None:
        return _list_types()
    try:
        canonical, _ = resolve_type(type_name)
    except ScaffoldError as problem:
        say(f"techfile: {problem}")
        return EXIT_ERROR
    if canonical != type_name.strip():
        say(f"techfile: {type_name} is an alias of {canonical}")
    click.echo(skeleton(canonical), nl=False)
    return EXIT_CLEAN


def _list_types() -> int:
    from techfile.data.registry import type_registry

    types = type_registry().types
    width = max(len(name) for name in types)
    lines = [f"{name:<{width}}  {types[name].title}" for name in sorted(types)]
    click.echo(inert_lines("\n".join(lines) + "\n"), nl=False)
    say("techfile: `techfile template TYPE` prints the front-matter skeleton of one of these")
    return EXIT_CLEAN
