"""`techfile types`: document types, their evidence class and the fields rules read."""

from __future__ import annotations

import click

from techfile.cli.options import EXIT_CLEAN
from techfile.data.registry import type_registry
from techfile.data.schemas import flattened, known_keys


@click.command()
def types() -> int:
    """List the document types, their evidence class, and the fields their rules read."""
    common = known_keys(flattened("document.schema.json"))
    for name, doc_type in sorted(type_registry().types.items()):
        own = sorted(known_keys(flattened(doc_type.schema_id)) - common)
        click.echo(f"{name}  ({doc_type.evidence_class})  {doc_type.title}")
        if own:
            click.echo(f"        fields: {', '.join(own)}")
    click.echo(f"\nEvery type also reads: {', '.join(sorted(common))}")
    return EXIT_CLEAN
