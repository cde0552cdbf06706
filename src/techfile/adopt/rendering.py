"""What `techfile adopt` writes: the `.techfile.toml` for its guesses, and the report of each
file's type and reasons."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from pathlib import Path

from techfile.adopt.file_facts import FileFacts
from techfile.adopt.guessing import Convention, Guess


def render_config(
    convention: Convention,
    guesses: Sequence[Guess],
    files: Sequence[FileFacts],
    today: datetime.date,
) -> str:
    """The `.techfile.toml` for these guesses: the preset, `[types]` for what the preset and
    the front-matter leave open, and the files no type fits as comments."""
    lines = [
        f"# Written by `techfile adopt` on {today.isoformat()}. techfile never changes your",
        "# documents: this file only says how to read them. Check the guesses, then run",
        "# `techfile check`.",
    ]
    if convention.preset is not None:
        lines += ["", f"# {convention.reason}", f'preset = "{convention.preset}"']
    else:
        lines += _id_from(guesses, files)
    own = [g for g in guesses if g.by == "guess" and g.type is not None]
    if own:
        lines += ["", "[types]"]
        for g in own:
            lines.append(f"{_toml_key(g.path)} = {_toml_string(g.type or '')}")
            lines.append(f"#   {_comment('; '.join(g.reasons))}")
    lines += _untyped([g for g in guesses if g.type is None], types_table=bool(own))
    return "\n".join(lines) + "\n"


def _id_from(guesses: Sequence[Guess], files: Sequence[FileFacts]) -> list[str]:
    """Without a preset, files guessed a type but without an `id` take their file name."""
    without_id = [f for f in files if f.problem is None and not f.has_id]
    typed = {g.path for g in guesses if g.type is not None and g.by == "guess"}
    if not any(f.path in typed for f in without_id):
        return []
    return [
        "",
        "# Files without an `id` in front-matter take their file name as id.",
        'id-from = "path-stem"',
    ]


def _untyped(open_files: list[Guess], types_table: bool) -> list[str]:
    """The files no type fits, as commented-out `[types]` entries."""
    if not open_files:
        return []
    lines = [
        "",
        "# No document type fits these files, so no rule reads them. Give one a type here",
        "# (`techfile types` lists them), or leave it: techfile reports it as unclassified.",
    ]
    if not types_table:
        lines.append("# [types]")
    for g in open_files:
        lines.append(f'# {_toml_key(g.path)} = ""   # {_comment(g.reasons[0])}')
    return lines


def _toml_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = "".join(c if c >= " " else f"\\u{ord(c):04x}" for c in escaped)
    return f'"{escaped}"'


def _toml_key(path: str) -> str:
    """A path as a `[types]` key: a glob without wildcards matches exactly that path."""
    return _toml_string(path)


def _comment(text: str) -> str:
    return " ".join(text.split())


def render_report(
    root: Path, convention: Convention, guesses: Sequence[Guess], written: str | None
) -> str:
    """Each file's type and reasons, and how many files have a type."""
    width = max((len(g.path) for g in guesses), default=10)
    type_width = max((len(g.type or "-") for g in guesses), default=4)
    out = [
        f"techfile adopt: {root}",
        f"convention: {convention.preset or 'none'} ({convention.reason})",
    ]
    for g in guesses:
        out.append(f"  {g.path:<{width}}  {g.type or '-':<{type_width}}  {'; '.join(g.reasons)}")
    typed = sum(1 for g in guesses if g.type is not None)
    out.append(
        f"{typed} of {len(guesses)} Markdown files have a type"
        + (f"; wrote {written}" if written else "")
    )
    return "\n".join(out) + "\n"
