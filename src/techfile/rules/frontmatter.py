"""FM: can each file be read, and does its front-matter say what techfile needs?

Most of these findings are detected while a file is parsed (intake); the rules here turn
those diagnostics into findings and group the unclassified files.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Iterator

from techfile.data.severity import Severity
from techfile.model.finding import Finding, Location
from techfile.rules.base import Context, rule

INTAKE_CODES = (
    "FM001", "FM002", "FM003", "FM004", "FM005", "FM006",
    "FM008", "FM009", "FM010", "FM011", "FM012", "FM013", "FM014",
)  # fmt: skip
GROUP_ABOVE = 5


@rule(*INTAKE_CODES)
def intake_diagnostics(ctx: Context) -> Iterator[Finding]:
    for parsed in ctx.parsed:
        doc = parsed.document
        doc_id = doc.id if doc else None
        for diag in parsed.diagnostics:
            severity = Severity.parse(diag.severity) if diag.severity else None
            yield ctx.finding(
                diag.code,
                diag.message,
                Location(parsed.path, diag.line, diag.column, doc_id),
                key=diag.key,
                severity=severity,
            )


@rule("FM007")
def unclassified_files(ctx: Context) -> Iterator[Finding]:
    by_directory: dict[str, list[str]] = defaultdict(list)
    for parsed in ctx.parsed:
        if parsed.diagnostics or parsed.document is None or parsed.document.type is not None:
            continue
        by_directory[posixpath.dirname(parsed.path)].append(parsed.path)
    for directory, paths in sorted(by_directory.items()):
        paths.sort()
        if len(paths) > GROUP_ABOVE:
            shown = directory or "the root"
            yield ctx.finding(
                "FM007",
                f"{len(paths)} Markdown files in {shown} have no document type, so no rule "
                "checks them; give them `type:` front-matter, map them with `[types]` in the "
                "configuration, or exclude them",
                Location(paths[0], 1),
                key=(directory, "group"),
            )
            continue
        for path in paths:
            yield ctx.finding(
                "FM007",
                "this Markdown file has no document type, so no rule checks it; give it "
                "`type:` front-matter, map it with `[types]` in the configuration, or exclude it",
                Location(path, 1),
            )
