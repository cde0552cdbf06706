"""Find the root of a technical file and read its configuration (checked by config_checks)."""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path
from typing import Any

from techfile.intake.config_checks import Where, checked, shown_path
from techfile.intake.parse import ParseSettings
from techfile.model.config import CONFIG_FILE, Config, ConfigError


def find_root(start: Path, *, strict: bool = True) -> tuple[Path, Path | None]:
    """The directory of the nearest config file, else the git top level, else `start`.
    Not `strict` (--isolated), a pyproject.toml that cannot be read is no configuration."""
    start = start.resolve()
    for directory in (start, *start.parents):
        candidate = directory / CONFIG_FILE
        if candidate.is_file():
            return directory, candidate
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file() and _has_tool_table(pyproject, strict):
            return directory, pyproject
    top = git_toplevel(start)
    return (top or start), None


def _has_tool_table(pyproject: Path, strict: bool) -> bool:
    try:
        tool = _read_toml(pyproject).get("tool", {})
    except ConfigError:
        if strict:
            raise
        return False
    return isinstance(tool, dict) and "techfile" in tool


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
    table = ""
    if source.name == "pyproject.toml":
        table = "tool.techfile"
        tool = data.get("tool", {})
        if not isinstance(tool, dict) or "techfile" not in tool:
            raise ConfigError(f"{shown_path(source)}: there is no [tool.techfile] table in it")
        data = tool["techfile"]
    text = _read_text(source)
    own = checked(data, Where(source, text, table))
    data = with_preset(own, str(own["preset"])) if "preset" in own else own
    return Config(root, source, data, text, own)


def with_preset(data: dict[str, Any], name: str) -> dict[str, Any]:
    """A preset (data/presets/NAME.toml) maps a known template convention onto the model;
    the team's own configuration wins over it, and lists are joined."""
    from techfile.data.resources import bundled

    path = bundled("data") / "presets" / f"{name}.toml"
    preset = checked(_read_toml(path), Where(path, _read_text(path), ""))
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


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ConfigError(f"{shown_path(path)}: cannot read the configuration: {reason}") from None


def parse_settings(config: Config) -> ParseSettings:
    aliases = config.aliases
    columns = tuple(
        (list_name, header, target)
        for list_name, headers in sorted(aliases.get("columns", {}).items())
        for header, target in sorted(headers.items())
    )
    return ParseSettings(
        type_globs=tuple(config.type_globs.items()),
        id_from=config.id_from,
        type_aliases=tuple(sorted(aliases.get("types", {}).items())),
        field_aliases=tuple(sorted(aliases.get("fields", {}).items())),
        column_aliases=columns,
        value_aliases=tuple(sorted(config.value_aliases.items())),
        max_file_size=config.max_file_size,
        max_table_rows=config.max_table_rows,
    )
