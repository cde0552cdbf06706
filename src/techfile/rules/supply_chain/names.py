"""Which rows of a SOUP list are SOUP items, and the published names of packages listed by
their import name (data/soup-names.yaml; the decisions are on SC002's page).

A row is left out of every SC rule when it is marked as not delivered, names a development or
test tool, names a module of the language runtime or a test module without giving a version,
or is the import name of a package listed under its published name in the same list.
"""

from __future__ import annotations

import fnmatch
import functools
import re
from dataclasses import dataclass
from typing import Any

from techfile.data.registry import load_data
from techfile.model import sbom as sb
from techfile.model.document import Item
from techfile.rules.supply_chain.common import PLACEHOLDERS, _filled, _text


@dataclass(frozen=True)
class Names:
    """Normalised names, and patterns with `*`."""

    exact: frozenset[str]
    patterns: tuple[str, ...]

    @classmethod
    def of(cls, values: list[Any]) -> Names:
        normal = [sb.normalise_name(str(v)) for v in values]
        exact = frozenset(n for n in normal if "*" not in n)
        return cls(exact, tuple(n for n in normal if "*" in n))

    def match(self, name: str) -> bool:
        return name in self.exact or any(fnmatch.fnmatchcase(name, p) for p in self.patterns)


@dataclass(frozen=True)
class Runtime:
    default: bool  # applies to rows that name no language
    languages: frozenset[str]
    modules: Names


@dataclass(frozen=True)
class SoupNames:
    not_delivered: frozenset[str]
    tools: Names
    test_modules: Names
    runtimes: tuple[Runtime, ...]
    published: dict[str, frozenset[str]]  # normalised import name -> normalised published names


def _words(text: str) -> str:
    return " ".join(re.sub(r"[-_]+", " ", text.casefold()).split())


@functools.cache
def soup_names() -> SoupNames:
    data = load_data("soup-names.yaml")
    runtimes = tuple(
        Runtime(
            bool(entry.get("default")),
            frozenset(_words(str(lang)) for lang in entry.get("languages", [])),
            Names.of(entry.get("modules", [])),
        )
        for entry in data["runtime-modules"].values()
    )
    return SoupNames(
        frozenset(_words(str(s)) for s in data["not-delivered-scopes"]),
        Names.of(data["development-tools"]),
        Names.of(data["test-modules"]),
        runtimes,
        {
            sb.normalise_name(str(name)): frozenset(sb.normalise_name(str(p)) for p in published)
            for name, published in data["import-names"].items()
        },
    )


def published_names(name: str) -> frozenset[str]:
    """The normalised names the package imported as `name` is published under (empty when
    the import name is the published name)."""
    return soup_names().published.get(sb.normalise_name(name), frozenset())


def _language(item: Item) -> str | None:
    text = _text(item.get("language"))
    if text is None or text.casefold() in PLACEHOLDERS:
        return None
    return _words(text)


def _runtime_module(item: Item, name: str) -> bool:
    language = _language(item)
    for runtime in soup_names().runtimes:
        applies = runtime.default if language is None else language in runtime.languages
        if applies and runtime.modules.match(name):
            return True
    return False


def _not_delivered(item: Item) -> bool:
    scope = _text(item.get("scope"))
    return scope is not None and _words(scope) in soup_names().not_delivered


def _alias_of_listed(name: str, version: Any, listed: dict[str, set[str | None]]) -> bool:
    """The row is the import name of a package the list gives under its published name (and
    either gives no version or the same one)."""
    mine = sb.normalise_version(str(version)) if _filled(version) else None
    for published in published_names(name):
        versions = listed.get(published)
        if versions is not None and (mine is None or mine in versions or None in versions):
            return True
    return False


def not_soup(item: Item, listed: dict[str, set[str | None]]) -> bool:
    """Whether a row of a SOUP list is not a SOUP item of its own; `listed` maps the normalised
    names of the list's rows to their normalised versions."""
    raw = _text(item.get("name"))
    if raw is None:
        return False
    name = sb.normalise_name(raw)
    if _not_delivered(item) or soup_names().tools.match(name):
        return True
    if not _filled(item.get("version")) and (
        soup_names().test_modules.match(name) or _runtime_module(item, name)
    ):
        return True
    return _alias_of_listed(name, item.get("version"), listed)


def listed_names(items: list[Item]) -> dict[str, set[str | None]]:
    listed: dict[str, set[str | None]] = {}
    for item in items:
        raw = _text(item.get("name"))
        if raw is None:
            continue
        version = item.get("version")
        normal = sb.normalise_version(str(version)) if _filled(version) else None
        listed.setdefault(sb.normalise_name(raw), set()).add(normal)
    return listed
