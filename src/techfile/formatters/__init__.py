"""Output formats: each is one pure function from a run's result to text."""

from __future__ import annotations

from collections.abc import Callable

from techfile.formatters import github, gitlab, json_format, junit, markdown, sarif, text
from techfile.model.result import RunResult

Formatter = Callable[[RunResult], str]

FORMATTERS: dict[str, Formatter] = {
    "text": text.render,
    "json": json_format.render,
    "sarif": sarif.render,
    "github": github.render,
    "junit": junit.render,
    "gitlab": gitlab.render,
    "markdown": markdown.render,
}
