"""The package index that SC001 and SC003 match SOUP items and SBOM components with finds
exactly what comparing every item with every component (`_matches`, `_same_package`) finds:
differently cased and separated names, group and namespace names, purl-only items, purls
without a version, `v` prefixes and items or components without a version."""

from __future__ import annotations

import itertools
import random
from typing import Any

from techfile.model import sbom as sb
from techfile.model.document import Item
from techfile.rules.supply_chain.matching import (
    Identity,
    PackageIndex,
    _component_key,
    _item_identity,
    _item_key,
    _matches,
    _same_package,
)


def _component(
    name: str | None,
    version: str | None = None,
    purl: str | None = None,
    group: str | None = None,
) -> sb.Component:
    return sb.Component(
        ref=purl or name,
        name=name,
        version=version,
        purl=purl,
        group=group,
        supplier=None,
        kind="library",
        scope=None,
        has_identifier=purl is not None,
        support_level=None,
        end_of_support=None,
        line=0,
    )


def _item(**fields: Any) -> Item:
    return Item("items", None, fields, 1, "SOUP-1", "soup.md", "front-matter")


COMPONENTS = [
    _component("Fhir_Resources", "v6.5.0"),
    _component("fhir.resources", "6.5.0", "pkg:pypi/fhir.resources@6.5.0"),
    _component("numpy", "2.1.3", "pkg:pypi/numpy@2.1.3"),
    _component("numpy", "1.26.0"),
    _component(
        "core", "2.17.0", "pkg:maven/com.fasterxml.jackson/core@2.17.0", "com.fasterxml.jackson"
    ),
    _component("gin", "v1.9.1", "pkg:golang/github.com/gin-gonic/gin@v1.9.1"),
    _component("Serde"),
    _component(None, None, "pkg:cargo/serde@1.0.0"),
    _component("lodash", "4.17.21", "pkg:npm/lodash"),
    _component("util", "1.0", group="org.example"),
    _component("React", "18.2"),
]

ITEMS = [
    _item(name="FHIR-resources", version="6.5.0"),
    _item(name="fhir_resources", version="V6.5.0"),
    _item(purl="pkg:pypi/NumPy@2.1.3"),
    _item(name="numpy", version="1.26.0"),
    _item(name="NumPy"),
    _item(name="numpy", version="9.9"),
    _item(name="numpy", purl="pkg:pypi/numpy@2.1.3"),
    _item(name="other", purl="pkg:pypi/numpy"),
    _item(name="com.fasterxml.jackson:core", version="2.17.0"),
    _item(name="jackson", version="2.17.0", purl="pkg:maven/com.fasterxml.jackson/core"),
    _item(name="github.com/gin-gonic/gin", version="1.9.1"),
    _item(name="serde", version="1.0.0"),
    _item(purl="pkg:cargo/serde"),
    _item(name="lodash", version="4.17.21", purl="pkg:npm/lodash@4.17.20"),
    _item(name="org.example.util", version="1.0"),
    _item(name="Org.Example/Util", version="2.0"),
    _item(name="react", version=18.2),
    _item(version="1.0"),
    _item(name="  "),
]


def _expected(identities: list[Identity], components: list[sb.Component]) -> set[tuple[int, int]]:
    return {
        (i, c)
        for (i, identity), (c, component) in itertools.product(
            enumerate(identities), enumerate(components)
        )
        if _matches(identity, component)
    }


def _assert_index_agrees(items: list[Item], components: list[sb.Component]) -> int:
    identities = [_item_identity(item) for item in items]
    expected = _expected(identities, components)
    by_component = PackageIndex([_component_key(c) for c in components])
    by_item = PackageIndex([_item_key(identity) for identity in identities])
    for i, identity in enumerate(identities):
        assert by_component.matches(_item_key(identity)) == sorted(
            c for j, c in expected if j == i
        ), identity
        assert by_component.same_package(_item_key(identity)) == [
            c for c, component in enumerate(components) if _same_package(identity, component)
        ], identity
    for c, component in enumerate(components):
        assert by_item.matches(_component_key(component)) == sorted(
            i for i, d in expected if d == c
        ), component
    return len(expected)


def test_index_finds_every_match_of_the_pairwise_comparison() -> None:
    found = _assert_index_agrees(ITEMS, COMPONENTS)
    assert found >= 15  # the cases above do match, in several ways


def test_index_finds_the_tricky_matches() -> None:
    identities = [_item_identity(item) for item in ITEMS]
    by_component = PackageIndex([_component_key(c) for c in COMPONENTS])

    def matched(position: int) -> list[int]:
        return by_component.matches(_item_key(identities[position]))

    assert matched(0) == [0, 1]  # case and separators
    assert matched(1) == [0, 1]  # and a capital V
    assert matched(2) == [2, 3]  # purl only, cased; by name where the component has no purl
    assert matched(3) == [3]
    assert matched(4) == [2, 3]  # no version: every release
    assert matched(5) == []  # another release
    assert by_component.same_package(_item_key(identities[5])) == [2, 3]
    assert matched(7) == [2]  # purl against purl, whatever the name
    assert matched(8) == [4]  # group:name
    assert matched(9) == [4]  # purl without version takes the item's version
    assert matched(10) == [5]  # namespace/name, `v` prefix
    assert matched(11) == [6, 7]  # name of a purl-only component
    assert matched(13) == [8]  # a purl without version matches any release
    assert matched(14) == [9]  # group.name
    assert matched(15) == []  # group/name, another release
    assert by_component.same_package(_item_key(identities[15])) == [9]
    assert matched(16) == [10]  # a version written as a number
    assert matched(17) == matched(18) == []


def test_index_agrees_on_generated_items_and_components() -> None:
    rng = random.Random(7)
    names = ["numpy", "NumPy", "num_py", "core", "com.fasterxml.jackson:core", "serde", None]
    versions = ["1.0", "v1.0", "1.0.0", "2.0", None]
    purls = [
        "pkg:pypi/numpy@1.0",
        "pkg:pypi/NumPy",
        "pkg:pypi/num-py@2.0",
        "pkg:maven/com.fasterxml.jackson/core@1.0",
        "pkg:cargo/serde@v1.0",
        None,
    ]
    groups = ["com.fasterxml.jackson", None]
    components = [
        _component(rng.choice(names), rng.choice(versions), rng.choice(purls), rng.choice(groups))
        for _ in range(60)
    ]
    items = [
        _item(
            **{
                key: value
                for key, value in (
                    ("name", rng.choice(names)),
                    ("version", rng.choice(versions)),
                    ("purl", rng.choice(purls)),
                )
                if value is not None
            }
        )
        for _ in range(60)
    ]
    assert _assert_index_agrees(items, components) > 100
