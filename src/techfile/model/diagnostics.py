"""Problems found while reading one file, before any rule runs.

They are plain data so a parsed file can be cached and parsed in another process; the
front-matter rules (FM*) turn them into findings.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    message: str
    line: int = 0
    column: int = 0
    key: tuple[str, ...] = ()
    severity: str | None = None  # overrides the rule's default severity for this one finding
    why: str = ""  # what the problem costs; the FM rule puts the page's clauses before it
    fix: str = ""  # what to do about it
    edit: tuple[str, str] | None = None  # (old, new) at line and column: a fix for --fix
