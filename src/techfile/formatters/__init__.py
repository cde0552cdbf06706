"""Output formats: each is one pure function from a run's result to text.

The human formats also take FormatOptions (where the reader stands, colour, the source
lines); the machine formats keep root- or repository-relative paths and never colour, so
they take the result alone.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from techfile.formatters import (
    concise,
    full,
    github,
    gitlab,
    grouped,
    json_format,
    junit,
    markdown,
    sarif,
    text,
)
from techfile.formatters.human import PLAIN, FormatOptions
from techfile.model.result import RunResult

__all__ = ["FORMATTERS", "HUMAN", "MACHINE", "FormatOptions", "Formatter", "render"]

Formatter = Callable[[RunResult], str]
HumanFormatter = Callable[[RunResult, FormatOptions], str]

HUMAN: dict[str, HumanFormatter] = {
    "text": text.render,
    "full": full.render,
    "concise": concise.render,
    "grouped": grouped.render,
}
MACHINE: dict[str, Formatter] = {
    "json": json_format.render,
    "sarif": sarif.render,
    "github": github.render,
    "junit": junit.render,
    "gitlab": gitlab.render,
    "markdown": markdown.render,
}


def render(name: str, result: RunResult, options: FormatOptions = PLAIN) -> str:
    """The result in format `name`; `options` matter to the human formats only."""
    if name in HUMAN:
        return HUMAN[name](result, options)
    return MACHINE[name](result)


# every format with the default options: root-relative paths, no colour
FORMATTERS: dict[str, Formatter] = {name: partial(render, name) for name in (*HUMAN, *MACHINE)}
