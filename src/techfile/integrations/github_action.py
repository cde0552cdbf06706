"""The GitHub Action's step: one check run that writes annotations, SARIF and a summary.

Inputs arrive in INPUT_* environment variables (never interpolated into a shell). Exit
code: techfile's own (1 fails the step on findings at or above `fail-on`, 2 on a usage or
configuration error such as a shallow clone, with the fix as an annotation).
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
        sys.stderr.write(errors.getvalue())
        if code == 2:
            message = errors.getvalue().strip() or "techfile could not run"
            print(f"::error title=techfile::{escape_data(message)}")
        if want_summary and summary.exists() and environ.get("GITHUB_STEP_SUMMARY"):
            with open(environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as out:
                out.write(summary.read_text(encoding="utf-8"))
    if environ.get("GITHUB_OUTPUT"):
        with open(environ["GITHUB_OUTPUT"], "a", encoding="utf-8") as out:
            out.write(f"sarif-file={sarif}\n")
    return code


if __name__ == "__main__":
    raise SystemExit(run(os.environ))
