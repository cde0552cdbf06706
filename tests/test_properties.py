"""Property-based tests: any bytes are a finding, never an exception; front-matter built from
the schemas reads back exactly."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from techfile.cli import main
from techfile.data.registry import type_registry
from techfile.data.schemas import flattened, json_types, validator
from techfile.intake.parse import ParseSettings, parse_bytes

PREFIXES = [b"", b"---\n", b"---\nid: X\ntype: risk-analysis\n", b"\xef\xbb\xbf---\n"]


@settings(max_examples=300, deadline=None)
@given(prefix=st.sampled_from(PREFIXES), data=st.binary(max_size=600))
def test_any_bytes_parse_without_exception(prefix: bytes, data: bytes) -> None:
    parsed = parse_bytes("doc.md", prefix + data, ParseSettings())
    for diagnostic in parsed.diagnostics:
        assert diagnostic.code.startswith("FM") and "\n" not in diagnostic.message
        assert diagnostic.line >= 0


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=400), text=st.text(max_size=300))
def test_any_file_through_the_whole_cli(tmp_path_factory: Any, data: bytes, text: str) -> None:
    root: Path = tmp_path_factory.mktemp("prop")
    (root / ".techfile.toml").write_text('as-of = "2026-01-15"\n', encoding="utf-8")
    (root / "bytes.md").write_bytes(b"---\n" + data)
    (root / "text.md").write_text("---\nid: T\ntype: threat-model\n" + text, encoding="utf-8")
    code = main(["check", str(root), "--format", "json", "--no-cache"])
    assert code in (0, 1)


def _strategy(schema: dict[str, Any], depth: int = 0) -> st.SearchStrategy[Any]:
    """Values a schema admits (the subset the type schemas use)."""
    if "enum" in schema:
        return st.sampled_from([v for v in schema["enum"] if v is not None] or ["x"])
    types = json_types(schema)
    if schema.get("format") == "date":
        return st.dates(datetime.date(2000, 1, 1), datetime.date(2035, 12, 31)).map(str)
    if "object" in types and depth < 2 and schema.get("properties"):
        fields = {k: _strategy(v, depth + 1) for k, v in sorted(schema["properties"].items())}
        return st.fixed_dictionaries({}, optional=fields)
    if "array" in types and depth < 2 and isinstance(schema.get("items"), dict):
        return st.lists(_strategy(schema["items"], depth + 1), max_size=3)
    if "boolean" in types:
        return st.booleans()
    if types & {"integer", "number"} and "string" not in types:
        return st.integers(-1000, 1000)
    return st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")),
        min_size=1,
        max_size=20,
    ).filter(lambda s: s.strip() == s and "\x85" not in s)


TYPES = ["threat-model", "risk-analysis", "gspr-checklist", "security-test-report", "soup-list"]


@settings(max_examples=60, deadline=None)
@given(data=st.data(), type_name=st.sampled_from(TYPES))
def test_front_matter_from_the_schema_reads_back_exactly(data: Any, type_name: str) -> None:
    schema = flattened(f"types/{type_name}.schema.json")
    properties = {
        k: v for k, v in schema["properties"].items() if k not in ("id", "type", "waivers")
    }
    mapping = data.draw(
        st.fixed_dictionaries({}, optional={k: _strategy(v) for k, v in sorted(properties.items())})
    )
    front = {"id": "DOC-1", "type": type_name, **mapping}
    text = "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=True) + "---\n"
    parsed = parse_bytes("doc.md", text.encode(), ParseSettings())
    assert parsed.document is not None
    assert parsed.document.meta == front
    assert json.loads(json.dumps(parsed.document.meta)) == front
    assert validator(f"types/{type_name}.schema.json") is not None


ALL_TYPES = sorted(type_registry().types)


def _anything() -> st.SearchStrategy[Any]:
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-5, 5),
        st.text(max_size=8),
        st.sampled_from(["2024-02-30", "2024-02-03", "approved", "none", ""]),
    )
    return st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
        ),
        max_leaves=8,
    )


@settings(max_examples=300, deadline=None)
@given(data=st.data(), type_name=st.sampled_from(ALL_TYPES))
def test_fast_check_agrees_with_jsonschema(data: Any, type_name: str) -> None:
    """The compiled check decides valid or not exactly as jsonschema does."""
    from techfile.data.schemas import is_valid

    schema_id = f"types/{type_name}.schema.json"
    schema = flattened(schema_id)
    keys = sorted(schema.get("properties", {}))
    fields = {k: st.one_of(_strategy(schema["properties"][k]), _anything()) for k in keys}
    instance = data.draw(st.fixed_dictionaries({}, optional=fields))
    if data.draw(st.booleans()):
        instance = {"id": "DOC-1", "type": type_name, **instance}
    expected = not list(validator(schema_id).iter_errors(instance))
    assert is_valid(schema_id, instance) == expected, instance
