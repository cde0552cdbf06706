"""Output formats: each is one pure function from a run's result to text."""

from __future__ import annotations

from collections.abc import Callable

from techfile.engine.run import RunResult
from techfile.formatters import github, json_format, sarif, text

Formatter = Callable[[RunResult], str]

FORMATTERS: dict[str, Formatter] = {
    "text": text.render,
    "json": json_format.render,
    "sarif": sarif.render,
    "github": github.render,
}
