"""What the commands share: exit codes, option parsing, the shared options, finding the
configuration, writing an output file, and printing a line to standard error."""

from __future__ import annotations

import datetime
import os
import stat
from collections.abc import Callable, Sequence
from itertools import takewhile
from pathlib import Path
from typing import Any, TypeVar

import click

from techfile.model.config import CONFIG_FILE, Config
from techfile.util.escape import shown
from techfile.util.safe_write import UnsafeWriteError, write_text_atomically

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
# the human formats first (paths from the cwd, colour), then the machine formats
FORMAT_NAMES = (
    *("text", "full", "concise", "grouped"),
    *("json", "sarif", "github", "junit", "gitlab", "markdown"),
)
F = TypeVar("F", bound=Callable[..., Any])


def split_codes(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def date_option(_ctx: Any, _param: Any, value: str | None) -> datetime.date | None:
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value} is not a date in the form YYYY-MM-DD") from None


def report_target(value: str) -> tuple[str, str]:
    name, sep, path = value.partition("=")
    if not sep or name not in FORMAT_NAMES or not path:
        choices = ", ".join(FORMAT_NAMES)
        raise click.BadParameter(f"{value} is not FORMAT=PATH ({choices})", param_hint="--report")
    return name, path


def artifact(value: str) -> tuple[str, str]:
    name, sep, path = value.partition("=")
    if not sep or not name.strip() or not path.strip():
        raise click.BadParameter(f"{value} is not NAME=PATH", param_hint="--artifact")
    return name.strip(), str(Path(path.strip()).resolve())


def jobs_value(value: str) -> str:
    if value == "auto" or (value.isdigit() and int(value) > 0):
        return value
    raise click.BadParameter(f"{value} is neither a positive number nor auto")


def resolve_config(paths: Sequence[str], example: bool) -> tuple[Config, tuple[str, ...]]:
    """Find the root and configuration, and turn PATHS into root-relative paths. --config
    and --isolated (kept in the click context by `reads_configuration`) choose the
    configuration as ruff's do; the root is found the same way either way."""
    from techfile.intake.config import find_root, load_config

    chosen, isolated = _configuration_choice()
    if example:
        from techfile.data.resources import bundled

        root = bundled("examples") / "connected-samd"
        return load_config(root, None if isolated else chosen or root / CONFIG_FILE), ()
    start = Path(paths[0]) if paths else Path.cwd()
    if not start.exists():
        raise click.BadParameter(f"{start} does not exist", param_hint="PATHS")
    root, source = find_root(start if start.is_dir() else start.parent, strict=not isolated)
    config = load_config(root, None if isolated else chosen or source)
    relative = []
    for path in paths:
        absolute = Path(path).resolve()
        if not absolute.is_relative_to(root):
            raise click.BadParameter(f"{path} is outside the technical file root {root}")
        relative.append(absolute.relative_to(root).as_posix())
    return config, tuple(relative)


_CHOICE = "techfile.configuration"  # where --config/--isolated wait in the click context


def _configuration_choice() -> tuple[Path | None, bool]:
    """(--config FILE, --isolated) of the running command; neither outside a command."""
    context = click.get_current_context(silent=True)
    config, isolated = context.meta.get(_CHOICE, (None, False)) if context else (None, False)
    if config is not None and isolated:
        raise click.UsageError("--config and --isolated cannot be combined")
    return config, isolated


def _remember(context: click.Context, param: click.Parameter, value: Any) -> None:
    config, isolated = context.meta.get(_CHOICE, (None, False))
    if param.name == "config_file" and value is not None:
        config = Path(value).resolve()
    if param.name == "isolated" and value:
        isolated = True
    context.meta[_CHOICE] = (config, isolated)


def reads_configuration(command: click.Command) -> click.Command:
    """Give a command that reads the configuration ruff's --config FILE and --isolated."""
    command.params += [
        click.Option(
            ["--config", "config_file"],
            type=click.Path(exists=True, dir_okay=False),
            metavar="FILE",
            expose_value=False,
            callback=_remember,
            help="Read the configuration from FILE (a .techfile.toml, or a pyproject.toml with "
            "[tool.techfile]) instead of looking for one; the root is found as without it.",
        ),
        click.Option(
            ["--isolated"],
            is_flag=True,
            expose_value=False,
            callback=_remember,
            help="Ignore every configuration file: run with the defaults.",
        ),
    ]
    return command


def selection_options(func: F) -> F:
    """The options `check` and `report` share, with one help text each."""
    shared = [
        click.option(
            "--select", multiple=True, help="Rule codes or prefixes to run (comma-separated)."
        ),
        click.option("--ignore", multiple=True, help="Rule codes or prefixes to leave out."),
        click.option(
            "--as-of", callback=date_option, help="The date that date rules use (YYYY-MM-DD)."
        ),
        click.option(
            "--profile",
            type=click.Choice(["default", "submission"]),
            default=None,
            help="submission: the stricter pre-submission gate (see README).",
        ),
        click.option("--no-cache", is_flag=True, help="Neither read nor write .techfile_cache/."),
        click.option(
            "--allow-shallow",
            is_flag=True,
            help="Run history rules on a shallow clone instead of stopping.",
        ),
    ]
    for option in reversed(shared):
        func = option(func)
    return func


def say(message: str) -> None:
    """One line on standard error. Messages quote names and values from the checked-out tree,
    so the whole line is escaped: it cannot start a workflow command or move the cursor."""
    click.echo(shown(message), err=True)


def inert_lines(text: str) -> str:
    """A block of lines (file names, titles from the tree) for a terminal or CI log: each line
    escaped on its own, the line breaks kept."""
    ending = "\n" if text.endswith("\n") else ""
    return "\n".join(shown(line) for line in text.splitlines()) + ending


def write_output(path: str, text: str, what: str) -> None:
    """Write `text` to PATH for the user; a failure is a usage-level error naming `what`.

    The file is replaced through a temporary file beside it and never written through a
    symbolic link. A relative PATH stays below the directory it was named from: in CI that is
    the checkout, whose links the pull request wrote, so no directory between there and the
    file may be a link either (UnsafeWriteError, exit 2). Missing directories are made.
    """
    target, bound = _output_location(path)
    try:
        if bound is None:
            target.parent.mkdir(parents=True, exist_ok=True)
        else:
            _make_directories(bound, target.parent.relative_to(bound).parts)
        write_text_atomically(target, text, confined_to=bound)
    except UnsafeWriteError:
        raise
    except OSError as problem:
        reason = problem.strerror or str(problem)
        raise click.ClickException(f"cannot write {what}{path}: {reason}") from None


def _output_location(path: str) -> tuple[Path, Path | None]:
    """(where to write, the directory it must stay below: None for an absolute PATH)."""
    if os.path.isabs(path):
        return Path(path), None
    normal = Path(os.path.normpath(path))
    climbs = list(takewhile(lambda part: part == "..", normal.parts))
    return normal, Path(*climbs) if climbs else Path(".")


def _make_directories(bound: Path, parts: Sequence[str]) -> None:
    """Make bound/parts one level at a time, refusing a level that is a link or not a directory
    (mkdir with parents=True would follow a planted link and make directories elsewhere)."""
    directory = bound
    for part in parts:
        directory = directory / part
        try:
            mode = directory.lstat().st_mode
        except FileNotFoundError:
            directory.mkdir()
            continue
        if stat.S_ISLNK(mode) or not stat.S_ISDIR(mode):
            kind = "a symbolic link" if stat.S_ISLNK(mode) else "not a directory"
            raise UnsafeWriteError(f"refusing to write below {str(directory)!r}: it is {kind}")
