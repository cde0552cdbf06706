"""How `check` shows a run to the person at the terminal: whether to colour, paths from the
directory they stand in, the source lines `--format full` quotes, and `--show-files`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from techfile.formatters import FormatOptions
    from techfile.formatters.human import SourceLine
    from techfile.model.config import Config
    from techfile.model.result import RunResult

COLOUR_CHOICES = ("auto", "always", "never")
_OFF = ("0", "false", "no")


def use_colour(choice: str, stream: TextIO) -> bool:
    """`--color`: always and never decide; auto colours a terminal, unless NO_COLOR is set
    (no-color.org), or FORCE_COLOR is (force-color.org; `0` or `false` turn it off), or the
    terminal is dumb. NO_COLOR wins over FORCE_COLOR, as in Python's own colouring."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    forced = os.environ.get("FORCE_COLOR", "")
    if forced:
        return forced.strip().lower() not in _OFF
    return stream.isatty() and os.environ.get("TERM") != "dumb"


def format_options(
    config: Config, *, colour: bool, from_cwd: bool, pre_commit: bool
) -> FormatOptions:
    """What the human formats need: where the reader stands (None with `from_cwd` off: the
    bundled example is nowhere near them), colour, and the run's source lines."""
    from techfile.formatters import FormatOptions

    root = Path(config.root).resolve().as_posix() if from_cwd else ""
    cwd = Path.cwd().resolve().as_posix() if from_cwd else ""
    return FormatOptions(root, cwd, colour, source_lines(config, pre_commit))


def source_lines(config: Config, pre_commit: bool) -> SourceLine:
    """A line of a file as the run read it: staged content for `--pre-commit`, the work tree
    otherwise. Files are read when first asked for (only `--format full` asks)."""
    from techfile.intake.sources import GitTree, WorkTree
    from techfile.intake.text import decode

    source = (GitTree if pre_commit else WorkTree)(config.root, config.max_file_size)
    files: dict[str, list[str]] = {}

    def line(path: str, number: int) -> str | None:
        if path not in files:
            data = source.read_path(path)
            text = decode(data).text if isinstance(data, bytes) else None
            files[path] = text.split("\n") if text is not None else []
        lines = files[path]
        return lines[number - 1] if 0 < number <= len(lines) else None

    return line


def show_files(result: RunResult, config: Config, options: FormatOptions) -> str:
    """`--show-files`: every file the run read or left out, how it was classified, its id;
    one a line, sorted by path, columns aligned."""
    rows = sorted(_classified(result, config))
    if not rows:
        return ""
    shown_rows = [(options.path(path), kind, ident) for path, kind, ident in rows]
    width = max(len(path) for path, _, _ in shown_rows)
    kind_width = max(len(kind) for _, kind, _ in shown_rows)
    return "".join(
        f"{path.ljust(width)}  {kind.ljust(kind_width)}  {ident}".rstrip() + "\n"
        for path, kind, ident in shown_rows
    )


def _classified(result: RunResult, config: Config) -> list[tuple[str, str, str]]:
    """(path, document type | unclassified | unreadable | data | excluded, id or "")."""
    from techfile.intake.discover import discover, matches
    from techfile.intake.recording import RecordingReads
    from techfile.rules.base import Context
    from techfile.util.escape import shown

    view = result.view
    if not isinstance(view, Context):
        raise RuntimeError("--show-files needs the run's own view, not a stored result")
    rows = []
    for parsed in view.parsed:
        document = parsed.document
        kind = "unreadable" if document is None else document.type or "unclassified"
        rows.append((parsed.path, kind, shown(document.id or "") if document else ""))
    documents = {parsed.path for parsed in view.parsed}
    if isinstance(view.read_path, RecordingReads):
        rows += [(path, "data", "") for path in view.read_path.seen if path not in documents]
    candidates = discover(config.root, config.include, ())
    rows += [(c.path, "excluded", "") for c in candidates if matches(c.path, config.exclude)]
    return rows
