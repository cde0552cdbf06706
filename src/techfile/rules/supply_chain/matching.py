"""Which SBOM component is which SOUP item: the identity (purl, normalised name and
version) both are compared by, and the package index that makes matching a SOUP list
against large SBOMs a lookup per item or component."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, replace

from techfile.model import sbom as sb
from techfile.model.document import Item
from techfile.rules.supply_chain.common import _text
from techfile.rules.supply_chain.names import published_names


@dataclass(frozen=True)
class Identity:
    purl: sb.Purl | None
    name: str | None  # normalised
    version: str | None  # normalised


def _item_identity(item: Item) -> Identity:
    version = _text(item.get("version"))
    normal_version = sb.normalise_version(version) if version else None
    purl = sb.parse_purl(_text(item.get("purl")))
    if purl is not None and purl.version is None and normal_version:
        purl = replace(purl, version=normal_version)
    name = _text(item.get("name"))
    normal_name = (
        sb.normalise_name(name) if name else (sb.normalise_name(purl.name) if purl else None)
    )
    return Identity(purl, normal_name, normal_version)


def _same_package(identity: Identity, component: sb.Component) -> bool:
    purl = sb.parse_purl(component.purl)
    if identity.purl is not None and purl is not None:
        return identity.purl.without_version() == purl.without_version()
    return bool(_item_names(identity) & sb.component_names(component))


def _same_release(identity: Identity, component: sb.Component) -> bool:
    purl = sb.parse_purl(component.purl)
    if identity.purl is not None and purl is not None:
        mine, theirs = identity.purl.version, purl.version
    else:
        mine = identity.version
        theirs = sb.normalise_version(component.version) if component.version else None
    return mine is None or theirs is None or mine == theirs


def _matches(identity: Identity, component: sb.Component) -> bool:
    return _same_package(identity, component) and _same_release(identity, component)


@dataclass(frozen=True)
class PackageKey:
    """What matching (`_matches`) reads of a SOUP item or an SBOM component: its purl, the
    normalised names it goes by and its normalised version."""

    purl: sb.Purl | None
    names: frozenset[str]
    version: str | None


def _item_names(identity: Identity) -> frozenset[str]:
    """The item's normalised name and, for an import name (`sklearn`), the names the package
    is published under (`scikit-learn`)."""
    if identity.name is None:
        return frozenset()
    return frozenset({identity.name}) | published_names(identity.name)


def _item_key(identity: Identity) -> PackageKey:
    return PackageKey(identity.purl, _item_names(identity), identity.version)


def _component_key(component: sb.Component) -> PackageKey:
    version = sb.normalise_version(component.version) if component.version else None
    return PackageKey(sb.parse_purl(component.purl), sb.component_names(component), version)


class _Releases:
    """Positions by package and, within a package, by release (None: no release given)."""

    def __init__(self) -> None:
        self.by_package: dict[Hashable, dict[str | None, list[int]]] = {}

    def add(self, package: Hashable, release: str | None, position: int) -> None:
        self.by_package.setdefault(package, {}).setdefault(release, []).append(position)

    def any_release(self, package: Hashable) -> list[int]:
        return [i for positions in self.by_package.get(package, {}).values() for i in positions]

    def same_release(self, package: Hashable, release: str | None) -> list[int]:
        """Those of the package whose release is `release` or not given; every one when
        `release` is not given (`_same_release`)."""
        releases = self.by_package.get(package, {})
        if release is None:
            return [i for positions in releases.values() for i in positions]
        return [*releases.get(release, ()), *releases.get(None, ())]


class PackageIndex:
    """SOUP items or SBOM components indexed by purl (without version) and by normalised
    name, each by release, so that matching a SOUP list against SBOMs of thousands of
    components is a lookup per item or component. Either side may be indexed: the other is
    looked up, with the meaning of `_same_package` and `_same_release`."""

    def __init__(self, keys: list[PackageKey]) -> None:
        self.by_purl = _Releases()
        self.by_name = _Releases()
        self.by_name_without_purl = _Releases()  # where a purl compares with a purl
        for position, key in enumerate(keys):
            if key.purl is not None:
                self.by_purl.add(key.purl.without_version(), key.purl.version, position)
            for name in key.names:
                self.by_name.add(name, key.version, position)
                if key.purl is None:
                    self.by_name_without_purl.add(name, key.version, position)

    def _names(self, key: PackageKey) -> _Releases:
        return self.by_name if key.purl is None else self.by_name_without_purl

    def same_package(self, key: PackageKey) -> list[int]:
        """Positions of the same package (any version), in order."""
        found: set[int] = set()
        if key.purl is not None:
            found.update(self.by_purl.any_release(key.purl.without_version()))
        for name in key.names:
            found.update(self._names(key).any_release(name))
        return sorted(found)

    def matches(self, key: PackageKey) -> list[int]:
        """Positions of the same package and a compatible release (`_matches`), in order."""
        found: set[int] = set()
        if key.purl is not None:
            found.update(self.by_purl.same_release(key.purl.without_version(), key.purl.version))
        for name in key.names:
            found.update(self._names(key).same_release(name, key.version))
        return sorted(found)
