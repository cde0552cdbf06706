"""Output formats: each is one pure function from a run's result to text.

Every format takes the result and FormatOptions: the human formats read where the reader
stands, colour and the source lines; the machine formats keep root- or repository-relative
paths, never colour, and read only `fail_on` (JUnit) and `all_rules` (SARIF).
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

__all__ = ["FORMATS", "FORMATTERS", "HUMAN", "FormatOptions", "Formatter", "render"]

Formatter = Callable[[RunResult, FormatOptions], str]

FORMATS: dict[str, Formatter] = {
    "text": text.render,
    "full": full.render,
    "concise": concise.render,
    "grouped": grouped.render,
    "json": json_format.render,
    "sarif": sarif.render,
    "github": github.render,
    "junit": junit.render,
    "gitlab": gitlab.render,
    "markdown": markdown.render,
}
HUMAN = ("text", "full", "concise", "grouped")  # paths from where you stand, colour


def render(name: str, result: RunResult, options: FormatOptions = PLAIN) -> str:
    return FORMATS[name](result, options)


# every format with the default options: root-relative paths, no colour
FORMATTERS: dict[str, Callable[[RunResult], str]] = {
    name: partial(render, name) for name in FORMATS
}
