"""The parse settings: everything from the configuration that changes how a single file is
read, kept hashable so a parsed file can be cached by content hash and settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from techfile.data.registry import TypeRegistry, ValueAliases, type_registry, value_aliases
from techfile.intake.yamltree import Limits


@dataclass(frozen=True)
class ParseSettings:
    """Everything from the configuration that changes how a single file is read."""

    type_globs: tuple[tuple[str, str], ...] = ()
    id_from: str = "front-matter"
    type_aliases: tuple[tuple[str, str], ...] = ()
    field_aliases: tuple[tuple[str, str], ...] = ()
    column_aliases: tuple[tuple[str, str, str], ...] = ()
    value_aliases: tuple[tuple[str, Any], ...] = ()
    max_file_size: int = 10 * 1024 * 1024
    max_table_rows: int = 20_000
    limits: Limits = field(default_factory=Limits)

    @property
    def types(self) -> TypeRegistry:
        return type_registry(self.type_aliases)

    @property
    def values(self) -> ValueAliases:
        return value_aliases(self.value_aliases)
