"""The configuration of a technical file as the rules read it (`.techfile.toml` or
`[tool.techfile]` in pyproject.toml), already merged with its preset; reading it is intake's."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CONFIG_FILE = ".techfile.toml"
CACHE_DIR = ".techfile_cache"  # techfile's own files in the root, never a document
DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024
DEFAULT_EXCLUDES = (
    "README.md",
    "**/README.md",
    "CHANGELOG.md",
    "**/CHANGELOG.md",
    "LICENSE.md",
    "**/LICENSE.md",
    "CONTRIBUTING.md",
    "**/CONTRIBUTING.md",
    ".github/**",
    ".git/**",
    ".venv/**",
    "venv/**",
    "**/.venv/**",
    "**/site-packages/**",
    "**/node_modules/**",
    "build/**",
    "dist/**",
    "site/**",
    "_build/**",
    f"{CACHE_DIR}/**",
    "**/.tox/**",
    "**/.nox/**",
)


class ConfigError(Exception):
    """The configuration cannot be used: exit code 2."""


@dataclass(frozen=True)
class Config:
    root: Path
    source: Path | None
    raw: dict[str, Any] = field(default_factory=dict)
    text: str = ""  # the configuration file as read, for the lines of its entries

    def get(self, key: str, default: Any = None) -> Any:
        return self.raw.get(key, default)

    @property
    def include(self) -> tuple[str, ...]:
        return tuple(self.raw.get("include", ["**/*.md"]))

    @property
    def exclude(self) -> tuple[str, ...]:
        return DEFAULT_EXCLUDES + tuple(self.raw.get("exclude", []))

    @property
    def device(self) -> dict[str, Any]:
        return dict(self.raw.get("device", {}))

    @property
    def max_file_size(self) -> int:
        return int(self.raw.get("max-file-size", DEFAULT_MAX_FILE_SIZE))

    def as_of(self, override: datetime.date | None) -> datetime.date:
        if override is not None:
            return override
        if "as-of" in self.raw:
            return datetime.date.fromisoformat(self.raw["as-of"])
        return datetime.date.today()

    def table_lines(self, name: str) -> list[int]:
        """Lines of the `[[name]]` headers in the configuration file, in order (TOML gives no
        positions, so findings about a config entry find their line here)."""
        if self.source is None:
            return []
        text = self.text
        prefix = "tool.techfile." if self.source.name == "pyproject.toml" else ""
        header = re.compile(rf"^\s*\[\[\s*{re.escape(prefix + name)}\s*\]\]", re.MULTILINE)
        return [text.count("\n", 0, m.start()) + 1 for m in header.finditer(text)]

    @property
    def relative_source(self) -> str:
        """The configuration file, relative to the root ("" when there is none)."""
        if self.source is None:
            return ""
        try:
            return self.source.relative_to(self.root).as_posix()
        except ValueError:
            return self.source.name

    def rule_options(self, code: str) -> dict[str, Any]:
        return dict(self.raw.get("rules", {}).get(code, {}))
