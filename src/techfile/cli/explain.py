"""`techfile explain CODE`: a rule's page."""

from __future__ import annotations

import click

from techfile.cli.options import EXIT_CLEAN
from techfile.data.pages import load_pages


@click.command()
@click.argument("code")
def explain(code: str) -> int:
    """Show a rule's page: why it matters, examples and how to fix."""
    page = load_pages().get(code.strip().upper())
    if page is None:
        raise click.BadParameter(f"{code} is not a techfile rule (see `techfile rules`)")
    click.echo(f"{page.code} {page.name} [{page.severity.label}]")
    click.echo(f"Enforces: {page.clause_text}")
    click.echo(f"\n{page.summary}\n\n{page.body}")
    return EXIT_CLEAN
