"""`techfile explain CODE`: a rule's page."""

from __future__ import annotations

import difflib
import json
from typing import Any

import click

from techfile.cli.options import EXIT_CLEAN
from techfile.data.pages import RulePage, load_pages
from techfile.model.config import either, expected_kind


@click.command()
@click.argument("code")
def explain(code: str) -> int:
    """Show a rule's page: why it matters, examples, how to fix, and its options."""
    pages = load_pages()
    page = pages.get(code.strip().upper())
    if page is None:
        raise click.BadParameter(f"{code} is not a techfile rule{_nearest(code, sorted(pages))}")
    click.echo(f"{page.code} {page.name} [{page.severity.label}]")
    click.echo(f"Enforces: {page.clause_text}")
    click.echo(f"\n{page.summary}\n\n{page.body}")
    for line in _options(page):
        click.echo(line)
    return EXIT_CLEAN


def _nearest(code: str, codes: list[str]) -> str:
    """`; did you mean EV001?` for EV01, the rules of a family for its prefix."""
    wanted = code.strip().upper()
    family = [c for c in codes if c.startswith(wanted)] if wanted else []
    if family:
        shown = either(family) if len(family) <= 5 else f"{family[0]} to {family[-1]}"
        return f"; {wanted} is the start of {shown} (see `techfile rules`)"
    close = difflib.get_close_matches(wanted, codes, n=3, cutoff=0.6)
    if close:
        return f"; did you mean {either(close)}? (see `techfile rules`)"
    return " (see `techfile rules`)"


def _options(page: RulePage) -> list[str]:
    """The options a page declares, as `[rules.CODE]` in the configuration sets them."""
    from techfile.intake.config_checks import option_schema

    if not page.options:
        return []
    lines = ["", "## Options", "", f"Set in the configuration under [rules.{page.code}]:", ""]
    for name, declared in sorted(page.options.items()):
        default = _toml(declared.get("default"))
        lines.append(f"- {name} = {default}  ({expected_kind(option_schema(declared))})")
        lines.append(f"  {' '.join(str(declared.get('description', '')).split())}")
    return lines


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False)
