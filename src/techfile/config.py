"""Find the root of a technical file and read its configuration."""

from __future__ import annotations

import datetime
import re
import subprocess
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CONFIG_FILE = ".techfile.toml"
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
    ".techfile_cache/**",
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
        try:
            text = self.source.read_text(encoding="utf-8")
        except OSError:
            return []
        prefix = "tool.techfile." if self.source.name == "pyproject.toml" else ""
        header = re.compile(rf"^\s*\[\[\s*{re.escape(prefix + name)}\s*\]\]", re.MULTILINE)
        return [text.count("\n", 0, m.start()) + 1 for m in header.finditer(text)]

    def rule_options(self, code: str) -> dict[str, Any]:
        return dict(self.raw.get("rules", {}).get(code, {}))


def find_root(start: Path) -> tuple[Path, Path | None]:
    """The directory of the nearest config file, else the git top level, else `start`."""
    start = start.resolve()
    for directory in (start, *start.parents):
        candidate = directory / CONFIG_FILE
        if candidate.is_file():
            return directory, candidate
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file() and "techfile" in _read_toml(pyproject).get("tool", {}):
            return directory, pyproject
    top = git_toplevel(start)
    return (top or start), None


def git_toplevel(start: Path) -> Path | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            cwd=start,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        return None
    if out.returncode != 0 or not out.stdout.strip():
        return None
    return Path(out.stdout.strip()).resolve()


def load_config(root: Path, source: Path | None) -> Config:
    if source is None:
        return Config(root, None, {})
    data = _read_toml(source)
    if source.name == "pyproject.toml":
        data = data.get("tool", {}).get("techfile", {})
    _validate(data, source)
    if "preset" in data:
        data = with_preset(data, str(data["preset"]))
    return Config(root, source, data)


def with_preset(data: dict[str, Any], name: str) -> dict[str, Any]:
    """A preset (data/presets/NAME.toml) maps a known template convention onto the model;
    the team's own configuration wins over it, and lists are joined."""
    from techfile.resources import bundled

    path = bundled("data") / "presets" / f"{name}.toml"
    preset = _read_toml(path)
    _validate(preset, path)
    return _merge(preset, data)


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        elif isinstance(value, list) and isinstance(merged.get(key), list):
            merged[key] = [*merged[key], *value]
        else:
            merged[key] = value
    return merged


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the configuration: {exc}") from None


def _validate(data: dict[str, Any], source: Path) -> None:
    from techfile.model.schemas import validator

    errors = sorted(validator("config.schema.json").iter_errors(data), key=lambda e: e.path)
    if errors:
        lines = []
        for error in errors:
            where = ".".join(str(p) for p in error.absolute_path) or "(top level)"
            lines.append(f"{source}: {where}: {error.message}")
        raise ConfigError("\n".join(lines))
