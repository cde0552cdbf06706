"""What `techfile adopt` starts from: the facts of every Markdown file under a root, and whether
a configuration is already there."""

from __future__ import annotations

from pathlib import Path

from techfile.adopt.file_facts import FileFacts, facts, unreadable
from techfile.model.config import CONFIG_FILE

PRESETS = ("openregulatory", "rdm", "gstt")
MAX_FILE_SIZE = 10 * 1024 * 1024


def collect(root: Path) -> list[FileFacts]:
    """The facts of every Markdown file techfile would read under `root`."""
    from techfile.intake.discover import discover
    from techfile.model.config import DEFAULT_EXCLUDES

    found: list[FileFacts] = []
    for candidate in discover(root, ("**/*.md",), DEFAULT_EXCLUDES):
        if candidate.problem is not None:
            found.append(unreadable(candidate.path, candidate.problem.message))
            continue
        try:
            size = candidate.absolute.stat().st_size
            if size > MAX_FILE_SIZE:
                found.append(unreadable(candidate.path, f"larger than {MAX_FILE_SIZE} bytes"))
                continue
            data = candidate.absolute.read_bytes()
        except OSError as problem:
            found.append(unreadable(candidate.path, problem.strerror or str(problem)))
            continue
        found.append(facts(candidate.path, data))
    return found


def existing_config(root: Path) -> str | None:
    """Why a configuration is already there, or None."""
    if (root / CONFIG_FILE).exists():
        return f"{root / CONFIG_FILE} already exists"
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        import tomllib

        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            return None
        if "techfile" in data.get("tool", {}):
            return f"{pyproject} already has a [tool.techfile] section"
    return None
