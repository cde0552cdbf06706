"""The GitHub Action's step: one check run that writes annotations, SARIF, a summary and the
step's outputs (findings, errors, exit-code, sarif-file).

Inputs arrive in INPUT_* environment variables (never interpolated into a shell). Exit
code: techfile's own (1 fails the step on findings at or above `fail-on`, 2 on a usage or
configuration error, with the message as an annotation).

A shallow checkout (actions/checkout's default) is deepened first with `git fetch
--unshallow`, because the rules that read git history (DC002, PK002) would miss commits; when
the history cannot be fetched, those rules are left out with one notice that says so and how
to get them back. The first run never stops on the depth of the clone.

The SARIF report goes through `check --report`, so a `techfile.sarif` the pull request
committed as a symbolic link is refused (exit 2), never followed. Whatever techfile wrote to
standard error is shown again one escaped line at a time: the runner obeys no command in it.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import secrets
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from techfile.cli import main as techfile_main
from techfile.formatters.github import escape_data
from techfile.intake.history import is_shallow
from techfile.util.escape import shown

# The fetch runs no hook and no fsmonitor the repository's configuration might name.
FETCH = ("git", "-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false", "fetch")


def run(environ: Mapping[str, str]) -> int:
    path = environ.get("INPUT_PATH") or "."
    extra = shlex.split(environ.get("INPUT_ARGS", ""))
    sarif = environ.get("INPUT_SARIF_FILE") or "techfile.sarif"
    want_summary = environ.get("INPUT_SUMMARY", "true").strip().lower() in ("true", "yes", "1")
    with tempfile.TemporaryDirectory() as scratch:
        summary = Path(scratch) / "summary.md"
        result = Path(scratch) / "result.json"
        argv = [
            "check",
            path,
            "--format",
            "github",
            "--report",
            f"sarif={sarif}",
            "--report",
            f"markdown={summary}",
            "--report",
            f"json={result}",
            "--fail-on",
            environ.get("INPUT_FAIL_ON") or "error",
            *extra,
        ]
        missing = complete_history(Path(path))
        if missing is not None:
            argv = without_history(argv, missing)
        code = _check(argv)
        if want_summary and summary.exists() and environ.get("GITHUB_STEP_SUMMARY"):
            with open(environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as out:
                out.write(summary.read_text(encoding="utf-8"))
        findings, errors = _counts(result) if code != 2 else ("", "")
    written = sarif if code != 2 and Path(sarif).is_file() else ""
    outputs = {"findings": findings, "errors": errors, "exit-code": str(code)}
    outputs["sarif-file"] = written
    if environ.get("GITHUB_OUTPUT"):
        with open(environ["GITHUB_OUTPUT"], "a", encoding="utf-8") as out:
            out.write("".join(output_line(name, value) for name, value in outputs.items()))
    return code


def _check(argv: list[str]) -> int:
    errors = io.StringIO()
    with contextlib.redirect_stderr(errors):
        code = techfile_main(argv)
    said = _inert_lines(errors.getvalue())
    sys.stderr.write(said)
    if code == 2:
        message = said.strip() or "techfile could not run"
        print(f"::error title=techfile::{escape_data(message)}")
    return code


def complete_history(path: Path) -> str | None:
    """Fetch the whole history of a shallow checkout. None when the history is complete,
    else why it could not be fetched."""
    if not is_shallow(path):
        return None
    print("techfile: the checkout is shallow; fetching its history for the history rules")
    sys.stdout.flush()
    try:
        done = subprocess.run(
            [*FETCH, "--unshallow", "--quiet"],
            cwd=path,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError as exc:
        return f"git could not be run: {exc}"
    if done.returncode == 0 and not is_shallow(path):
        return None
    said = [line for line in done.stderr.splitlines() if line.strip()]
    return said[-1] if said else "git fetch --unshallow did not complete the history"


def without_history(argv: list[str], why: str) -> list[str]:
    """`argv` with the rules that read git history left out, and the one notice that says so.

    `--ignore` on the command line replaces the configuration's `ignore`, so the codes the
    configuration (or the Action's `args`) already ignores are passed along with them."""
    from techfile.data.pages import load_pages

    codes = sorted(code for code, page in load_pages().items() if "git-history" in page.requires)
    notice = (
        f"this checkout is shallow and its history could not be fetched ({why}), so the rules "
        f"that read git history ({', '.join(codes)}) did not run; give actions/checkout "
        "`fetch-depth: 0` to run them"
    )
    print(f"::notice title=techfile::{escape_data(shown(notice))}")
    return [*argv, "--ignore", ",".join([*_ignored_already(argv[1:]), *codes])]


def _ignored_already(arguments: Sequence[str]) -> list[str]:
    import click

    from techfile.cli.check import check
    from techfile.cli.options import resolve_config, split_codes
    from techfile.model.config import ConfigError

    try:
        params = check.make_context("check", list(arguments), resilient_parsing=True).params
        if params.get("ignore"):
            return []  # the command line's own --ignore values stay in argv
        config, _ = resolve_config(params.get("paths") or (), bool(params.get("example")))
    except (click.ClickException, ConfigError, OSError):
        return []  # the check itself reports what is wrong with the arguments
    return list(split_codes(tuple(str(code) for code in config.ignore)))


def _counts(result: Path) -> tuple[str, str]:
    """The number of findings and of errors, from the run's JSON report; empty strings when
    techfile wrote none (it could not run)."""
    try:
        summary = json.loads(result.read_text(encoding="utf-8"))["summary"]
        return str(int(summary["findings"])), str(int(summary["errors"]))
    except (OSError, ValueError, KeyError, TypeError):
        return "", ""


def output_line(name: str, value: str) -> str:
    """One step output for $GITHUB_OUTPUT; a value with a line break (a path input can hold
    one) goes between delimiters it cannot contain, so it cannot set another output."""
    if "\n" not in value and "\r" not in value:
        return f"{name}={value}\n"
    delimiter = f"techfile_{secrets.token_hex(16)}"
    return f"{name}<<{delimiter}\n{value}\n{delimiter}\n"


def _inert_lines(text: str) -> str:
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return "".join(shown(line) + "\n" for line in lines)


if __name__ == "__main__":
    raise SystemExit(run(os.environ))
