"""`techfile rules`: every rule, its severity and the clauses it enforces."""

from __future__ import annotations

import click

from techfile.cli.options import EXIT_CLEAN
from techfile.data.pages import load_pages, rules_markdown


@click.command()
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
    pages = load_pages()
    if output_format == "markdown":
        click.echo(rules_markdown(pages), nl=False)
        return EXIT_CLEAN
    for code, page in sorted(pages.items()):
        profile = f" (profile: {', '.join(page.profiles)})" if page.profiles else ""
        click.echo(f"{code}  {page.severity.label:<7}  {page.name}  [{page.clause_text}]{profile}")
        click.echo(f"        {page.summary}")
    return EXIT_CLEAN
