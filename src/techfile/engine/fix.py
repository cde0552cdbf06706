"""`check --fix`: apply the edits that cannot change what a document means.

Rules attach an `Edit` to a finding only where the change is mechanical (quoting a YAML value
another reader would turn into a number, renaming a near-miss key, a dangling id whose one
close match is certain). An edit is applied only where the file still holds the old text at
the place the finding names; anything else is left for a person. This is the one place where
techfile writes into a technical file.
"""

from __future__ import annotations

import contextlib
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from techfile.intake.sources import WorkTree
from techfile.model.finding import Edit, Finding
from techfile.util.safe_write import write_bytes_atomically


@dataclass
class FixPlan:
    """The new text of each file the fixes change, and what was applied or left."""

    before: dict[str, str] = field(default_factory=dict)
    after: dict[str, str] = field(default_factory=dict)
    applied: list[Finding] = field(default_factory=list)
    skipped: list[Finding] = field(default_factory=list)

    def diff(self) -> str:
        parts: list[str] = []
        for path in sorted(self.after):
            parts.extend(
                difflib.unified_diff(
                    self.before[path].splitlines(keepends=True),
                    self.after[path].splitlines(keepends=True),
                    fromfile=f"a/{path}",
                    tofile=f"b/{path}",
                )
            )
        return "".join(line if line.endswith("\n") else line + "\n" for line in parts)


def plan_fixes(findings: Iterable[Finding], tree: WorkTree) -> FixPlan:
    """What applying every finding's edits would make of the files, without writing. A file
    that cannot be read now, or is not UTF-8, is left alone."""
    plan = FixPlan()
    fixable = [f for f in findings if f.edits]
    for path in sorted({e.path for f in fixable for e in f.edits}):
        data = tree.read_path(path)
        if isinstance(data, bytes):
            with contextlib.suppress(UnicodeDecodeError):
                plan.before[path] = data.decode("utf-8")
    lines = {path: text.splitlines(keepends=True) for path, text in plan.before.items()}
    taken: dict[tuple[str, int], list[tuple[int, Edit]]] = {}
    for finding in sorted(fixable, key=Finding.sort_key):
        places = [(edit, _place(lines.get(edit.path), edit)) for edit in finding.edits]
        if all(start is not None for _, start in places) and not _overlaps(taken, places):
            for edit, start in places:
                taken.setdefault((edit.path, edit.line), []).append((start or 0, edit))
            plan.applied.append(finding)
        else:
            plan.skipped.append(finding)
    for (path, number), edits in taken.items():
        line = lines[path][number - 1]
        for start, edit in sorted(edits, key=lambda pair: -pair[0]):  # right to left
            line = line[:start] + edit.new + line[start + len(edit.old) :]
        lines[path][number - 1] = line
    for path, changed in lines.items():
        text = "".join(changed)
        if text != plan.before[path]:
            plan.after[path] = text
    return plan


def _overlaps(
    taken: dict[tuple[str, int], list[tuple[int, Edit]]], places: list[tuple[Edit, int | None]]
) -> bool:
    for edit, start in places:
        assert start is not None
        for other_start, other in taken.get((edit.path, edit.line), []):
            if start < other_start + len(other.old) and other_start < start + len(edit.old):
                return True
    return False


def write_fixes(plan: FixPlan, root: Path) -> list[str]:
    """Write the changed files (keeping each file's permissions); the paths written."""
    for path, text in sorted(plan.after.items()):
        target = root / path
        mode = target.stat().st_mode & 0o777
        write_bytes_atomically(target, text.encode("utf-8"), confined_to=root, mode=mode)
    return sorted(plan.after)


def _start(line: str, edit: Edit) -> int | None:
    """Where `edit.old` stands on the line: at its column, or its only whole-word occurrence
    when the column is not known (0)."""
    if edit.column > 0:
        start = edit.column - 1
        return start if line[start : start + len(edit.old)] == edit.old else None
    places = [m.start() for m in re.finditer(rf"(?<![\w-]){re.escape(edit.old)}(?![\w-])", line)]
    return places[0] if len(places) == 1 else None


def _place(lines: list[str] | None, edit: Edit) -> int | None:
    if lines is None or not 1 <= edit.line <= len(lines):
        return None
    return _start(lines[edit.line - 1], edit)
