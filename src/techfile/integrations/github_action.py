"""The GitHub Action's step: one check run that writes annotations, SARIF and a summary.

Inputs arrive in INPUT_* environment variables (never interpolated into a shell). Exit
code: techfile's own (1 fails the step on findings at or above `fail-on`, 2 on a usage or
configuration error such as a shallow clone, with the fix as an annotation).

The SARIF report goes through `check --report`, so a `techfile.sarif` the pull request
committed as a symbolic link is refused (exit 2), never followed. Whatever techfile wrote to
standard error is shown again one escaped line at a time: the runner obeys no command in it.
"""

from __future__ import annotations

import contextlib
import io
import os
import shlex
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

from techfile.cli import main as techfile_main
from techfile.formatters.github import escape_data
from techfile.util.escape import shown


def run(environ: Mapping[str, str]) -> int:
    path = environ.get("INPUT_PATH") or "."
    extra = shlex.split(environ.get("INPUT_ARGS", ""))
    sarif = environ.get("INPUT_SARIF_FILE") or "techfile.sarif"
    want_summary = environ.get("INPUT_SUMMARY", "true").strip().lower() in ("true", "yes", "1")
    with tempfile.TemporaryDirectory() as scratch:
        summary = Path(scratch) / "summary.md"
        argv = [
            "check",
            path,
            "--format",
            "github",
            "--report",
            f"sarif={sarif}",
            "--report",
            f"markdown={summary}",
            "--fail-on",
            environ.get("INPUT_FAIL_ON") or "error",
            *extra,
        ]
        errors = io.StringIO()
        with contextlib.redirect_stderr(errors):
            code = techfile_main(argv)
        said = _inert_lines(errors.getvalue())
        sys.stderr.write(said)
        if code == 2:
            message = said.strip() or "techfile could not run"
            print(f"::error title=techfile::{escape_data(message)}")
        if want_summary and summary.exists() and environ.get("GITHUB_STEP_SUMMARY"):
            with open(environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as out:
                out.write(summary.read_text(encoding="utf-8"))
    if environ.get("GITHUB_OUTPUT"):
        with open(environ["GITHUB_OUTPUT"], "a", encoding="utf-8") as out:
            out.write(f"sarif-file={sarif}\n")
    return code


def _inert_lines(text: str) -> str:
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return "".join(shown(line) + "\n" for line in lines)


if __name__ == "__main__":
    raise SystemExit(run(os.environ))
