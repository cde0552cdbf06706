"""Registry, rule pages, rule code and fixtures must agree with each other."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from techfile.data.clauses import clause_registry
from techfile.data.pages import load_pages
from techfile.data.registry import type_registry
from techfile.data.resources import bundled
from techfile.data.schemas import load_all, validator
from techfile.rules.registry import registered

ENGINE_CODES = {"SUP001", "SUP002", "SUP003", "SUP004"}  # reported by engine/suppress.py
ROOT = Path(__file__).resolve().parent.parent


def test_every_page_has_an_implementation_and_back() -> None:
    implemented = {code for spec in registered() for code in spec.codes} | ENGINE_CODES
    assert set(load_pages()) == implemented


def test_page_file_names_match_code_and_name() -> None:
    for page in load_pages().values():
        assert page.filename == f"{page.code}-{page.name}.md"


@pytest.mark.parametrize("path", sorted(bundled("checks").glob("*.md")), ids=lambda p: p.name)
def test_page_front_matter_is_valid(path: Path) -> None:
    front = path.read_text(encoding="utf-8").split("---\n", 2)[1]
    errors = list(validator("check-page.schema.json").iter_errors(yaml.safe_load(front)))
    assert not errors, [e.message for e in errors]


def test_page_sections_are_present() -> None:
    for page in load_pages().values():
        for section in ("why it matters", "failing example", "passing example", "how to fix"):
            assert section in page.sections, f"{page.code} lacks ## {section}"


def test_page_clauses_name_known_clauses_exactly() -> None:
    registry = clause_registry()
    for page in load_pages().values():
        for text in page.clauses:
            ref = registry.parse(text)
            if (
                ref is not None
                and ref.family is not None
                and registry.standards[ref.family].complete
            ):
                assert registry.lookup(ref) is not None, f"{page.code}: {text} is not a clause"


def test_yields_to_names_real_codes() -> None:
    pages = load_pages()
    for page in pages.values():
        assert set(page.yields_to) <= set(pages), page.code


def test_every_rule_has_pass_and_fail_fixtures() -> None:
    fixtures = bundled("fixtures")
    for page in load_pages().values():
        base = fixtures / f"{page.code}-{page.name}"
        assert (base / "fail" / "expected.txt").is_file(), f"{base}/fail"
        assert (base / "pass" / "expected.txt").is_file(), f"{base}/pass"


def test_every_type_has_a_schema_and_back() -> None:
    types = type_registry().types
    schema_ids = {sid for sid in load_all() if sid.startswith("types/")}
    assert {t.schema_id for t in types.values()} == schema_ids


def test_registry_files_validate_and_list_clauses_explicitly() -> None:
    check = validator("clause-registry.schema.json")
    for path in sorted((bundled("data") / "clauses").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert not list(check.iter_errors(data)), path.name
        ids = [str(c["id"]) for c in data["clauses"]]
        assert len(ids) == len(set(ids)), f"{path.name} repeats a clause id"
        for clause in data["clauses"]:
            assert not re.search(r"\d\s*[-\u2013]\s*\d", str(clause["id"])), (
                "ranges are not allowed"
            )
            if clause.get("parent"):
                assert str(clause["parent"]) in ids, f"{path.name}: parent of {clause['id']}"


def test_no_rule_module_holds_a_clause_list() -> None:
    """Clause numbers come from the registry data, never from rule code."""
    clause_like = re.compile(r"""["'](?:\d+\.\d+(?:\.\d+)*|\d+\.\d+\([a-z]+\))["']""")
    for path in sorted((ROOT / "src" / "techfile" / "rules").rglob("*.py")):
        assert not clause_like.search(path.read_text(encoding="utf-8")), path.name


def test_rule_catalogue_in_docs_is_generated_from_the_pages() -> None:
    from techfile.data.pages import rules_markdown

    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == rules_markdown(load_pages())
