"""Remembered conversions give what the conversions themselves give."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from techfile.data.registry import type_registry, value_aliases
from techfile.data.schemas import property_schema
from techfile.intake.items import lists_of
from techfile.intake.values import cell_typer, type_cell
from techfile.intake.yamltree import _plain_tag

CELLS = st.sampled_from(
    [
        "Yes",
        "no",
        "",
        "-",
        "n/a",
        "RC-01, RC-02",
        "RC-01<br>RC-02",
        "**P1**",
        "`S3`",
        "12",
        "1.5",
        "none",
        "Acceptable",
        "true",
        "TBD",
        "a; b; ;c",
    ]
) | st.text(max_size=12)


def _column_schemas() -> list[dict[str, object]]:
    schemas = []
    for doc_type in type_registry().types.values():
        for item_list in lists_of(doc_type.schema_id):
            for name in item_list.schema.get("properties", {}):
                schemas.append(property_schema(item_list.schema, name))
    return schemas


SCHEMAS = _column_schemas()


@settings(max_examples=600, deadline=None)
@given(text=CELLS, index=st.integers(0, len(SCHEMAS) - 1))
def test_a_remembered_cell_is_typed_as_type_cell_types_it(text: str, index: int) -> None:
    schema, aliases = SCHEMAS[index], value_aliases()
    typer = cell_typer(schema, aliases)
    first, again = typer.value(text), typer.value(text)
    expected = type_cell(text, schema, aliases)
    assert first == expected and again == expected
    assert type(first) is type(expected) and type(again) is type(expected)
    if isinstance(first, list):
        assert first is not again  # each item gets a list of its own


@settings(max_examples=500, deadline=None)
@given(value=st.text(alphabet="0123456789.-+_:eExXoObBTtRrUuFfAaLlSsNnYy~ ", max_size=10))
def test_plain_scalar_tags_are_the_resolver_s(value: str) -> None:
    resolver = yaml.resolver.Resolver()
    for implicit in ((True, False), (True, True)):
        assert _plain_tag(value) == resolver.resolve(yaml.ScalarNode, value, implicit)
