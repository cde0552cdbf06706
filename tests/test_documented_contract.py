"""The user documentation is the contract: what docs/model.md and the README show is read the
way they say, by the schemas, the rules and the suppression matcher alike.

Each test takes its examples from the documentation itself (tables, fenced blocks, the clause
spellings listed as equivalent), so a page that drifts from the code fails here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from techfile.cli import main
from techfile.data import schemas
from techfile.data.clauses import clause_registry
from techfile.data.pages import RulePage, load_pages
from techfile.engine.load import load_files
from techfile.intake.cache import ParseCache
from techfile.intake.config import load_config, parse_settings
from techfile.intake.external import attach_external
from techfile.intake.sources import WorkTree
from techfile.model.document import Document

README = Path(__file__).resolve().parents[1] / "README.md"
# findings that say a documented construct was not read as documented
CONTRACT_CODES = ("FM", "EV004", "ID003", "SUP001", "SUP003")


def _model_text() -> str:
    return (Path(__file__).resolve().parents[1] / "docs" / "model.md").read_text(encoding="utf-8")


def _table(text: str, header: str) -> list[list[str]]:
    """The rows of the Markdown table whose header line starts with `header`."""
    block = text.split(header, 1)[1].split("\n\n", 1)[0]
    rows = []
    for line in block.splitlines()[2:]:
        cells = re.split(r"(?<!\\)\|", line.strip().strip("|"))
        rows.append([cell.strip().replace("\\|", "|") for cell in cells])
    return rows


def _top_level(fields: str) -> list[str]:
    """`a, b (x|y), c: {d, e}` -> [`a`, `b (x|y)`, `c: {d, e}`]."""
    parts, depth, current = [], 0, ""
    for char in fields:
        depth += char in "({["
        depth -= char in ")}]"
        if char == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    parts.append(current.strip())
    return [part for part in parts if part]


def _documented_items() -> list[tuple[str, str, list[str]]]:
    """(type, list, fields as documented) for each row of the item-fields table."""
    found = []
    for cells in _table(_model_text(), "| type | list | item fields |"):
        for doc_type in (t.strip() for t in cells[0].split(",")):
            found.append((doc_type, cells[1].strip("`"), _top_level(cells[2].strip("`"))))
    return found


def _item_schema(doc_type: str, list_name: str) -> dict[str, Any]:
    flat = schemas.flattened(f"types/{doc_type}.schema.json")
    return schemas.item_schema(schemas.property_schema(flat, list_name))


def _enum(schema: Any) -> set[str]:
    values: set[str] = set()
    if isinstance(schema, dict):
        for key, value in schema.items():
            values |= set(map(str, value)) if key == "enum" else _enum(value)
    elif isinstance(schema, list):
        for value in schema:
            values |= _enum(value)
    return values


ITEMS = _documented_items()


@pytest.mark.parametrize(("doc_type", "list_name", "fields"), ITEMS, ids=lambda v: str(v)[:40])
def test_item_fields_table_names_exactly_the_schema_fields(
    doc_type: str, list_name: str, fields: list[str]
) -> None:
    item = _item_schema(doc_type, list_name)
    known = schemas.known_keys(item)
    names = {re.match(r"[a-z_]+", field).group(0) for field in fields}  # type: ignore[union-attr]
    assert names - known == set(), f"documented but not in the schema of {doc_type}"
    assert known - names == set(), f"read by techfile but not documented for {doc_type}"
    for field in fields:
        choice = re.search(r"\(([^)]*\|[^)]*)\)", field)
        if choice:
            name = field.split()[0]
            documented = {value.strip() for value in choice.group(1).split("|")}
            assert documented == _enum(schemas.property_schema(item, name)), (doc_type, name)


def test_common_and_type_specific_keys_are_schema_keys() -> None:
    common = schemas.known_keys(schemas.flattened("document.schema.json"))
    for cells in _table(_model_text(), "| key | type | meaning |"):
        assert cells[0].strip("`") in common
    status = next(c for c in _table(_model_text(), "| key | type | meaning |") if "status" in c[0])
    documented = set(re.findall(r"`([a-z-]+)`", status[1]))
    assert documented == _enum(
        schemas.property_schema(schemas.flattened("document.schema.json"), "status")
    )
    for cells in _table(_model_text(), "| type | keys |"):
        for doc_type in (t.strip() for t in cells[0].split(",")):
            known = schemas.known_keys(schemas.flattened(f"types/{doc_type}.schema.json"))
            for field in _top_level(cells[1]):
                name = re.match(r"`?([a-z_]+)", field).group(1)  # type: ignore[union-attr]
                assert name in known, (doc_type, name)


def _value(schema: dict[str, Any], doc_id: str) -> Any:
    """A valid value of the schema's type, as an author would write it."""
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    kind = kind[0] if isinstance(kind, list) else kind
    if kind == "boolean":
        return True
    if kind == "array":
        return [_value(schema.get("items") or {"type": "string"}, doc_id)]
    if kind == "object":
        return {k: _value(v, doc_id) for k, v in schema.get("properties", {}).items()}
    if kind in ("integer", "number"):
        return 3
    if schema.get("format") == "date" or "YYYY-MM-DD" in str(schema.get("description", "")):
        return "2026-01-05"
    if "x-techfile-ref" in schema:
        return doc_id
    return "text"


def _run_json(
    root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> list[dict[str, Any]]:
    monkeypatch.chdir(root)
    capsys.readouterr()
    code = main(["check", "--format", "json", "--no-cache", "--as-of", "2026-12-07"])
    out = capsys.readouterr().out
    assert code in (0, 1), out
    findings: list[dict[str, Any]] = json.loads(out)["findings"]
    return findings


def _contract_findings(findings: list[dict[str, Any]]) -> list[str]:
    return [f"{f['code']} {f['message']}" for f in findings if f["code"].startswith(CONTRACT_CODES)]


@pytest.mark.parametrize(("doc_type", "list_name", "fields"), ITEMS, ids=lambda v: str(v)[:40])
def test_a_documented_item_reads_alike_from_front_matter_and_from_a_table(
    doc_type: str,
    list_name: str,
    fields: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    item_schema = _item_schema(doc_type, list_name)
    item = {
        name: _value(schemas.property_schema(item_schema, name), "DOC-1")
        for name in sorted(schemas.known_keys(item_schema))
    }
    id_key = "gspr" if "gspr" in item else "clause" if "clause" in item else "id"
    item[id_key] = {"gspr": "17.2", "clause": "7.2"}.get(id_key, "X-1")
    if doc_type == "conformity-matrix":
        item["clause"] = "EN IEC 81001-5-1:2022 7.2"
    front = {"id": "DOC-1", "type": doc_type, "title": "Doc", "status": "draft", list_name: [item]}
    (tmp_path / "front.md").write_text(
        f"---\n{yaml.safe_dump(front, sort_keys=True)}---\n\n# Doc\n", encoding="utf-8"
    )
    flat = {k: v for k, v in item.items() if not isinstance(v, dict)}
    cells = [", ".join(map(str, v)) if isinstance(v, list) else str(v) for v in flat.values()]
    table = (
        f"<!-- techfile: items={list_name} -->\n| {' | '.join(flat)} |\n"
        f"|{'---|' * len(flat)}\n| {' | '.join(cells)} |\n"
    )
    tabled = {"id": "DOC-2", "type": doc_type, "title": "Doc 2", "status": "draft"}
    (tmp_path / "table.md").write_text(
        f"---\n{yaml.safe_dump(tabled)}---\n\n# Doc 2\n\n{table}", encoding="utf-8"
    )
    findings = _run_json(tmp_path, monkeypatch, capsys)
    assert _contract_findings(findings) == []
    documents = _documents(tmp_path)
    from_front = documents["front.md"].items[list_name][0]
    from_table = documents["table.md"].items[list_name][0]
    for name, value in flat.items():
        assert from_table.get(name) == from_front.get(name), (name, value)


@pytest.mark.parametrize(("doc_type", "list_name", "fields"), ITEMS, ids=lambda v: str(v)[:40])
def test_a_documented_item_reads_alike_from_a_data_file_nested_keys_included(
    doc_type: str, list_name: str, fields: list[str], tmp_path: Path
) -> None:
    """`[[items-from]]` binds a YAML data file to a document's list: every documented field,
    nested mappings (`verification: {implementation, effectiveness}`) included, reads as it
    does from front-matter."""
    item_schema = _item_schema(doc_type, list_name)
    item = {
        name: _value(schemas.property_schema(item_schema, name), "DOC-1")
        for name in sorted(schemas.known_keys(item_schema))
    }
    front = {"id": "DOC-1", "type": doc_type, "title": "Doc", "status": "draft", list_name: [item]}
    (tmp_path / "front.md").write_text(f"---\n{yaml.safe_dump(front)}---\n\n# Doc\n", "utf-8")
    bound = {"id": "DOC-2", "type": doc_type, "title": "Doc 2", "status": "draft"}
    (tmp_path / "data.md").write_text(f"---\n{yaml.safe_dump(bound)}---\n\n# Doc 2\n", "utf-8")
    (tmp_path / "items.yaml").write_text(yaml.safe_dump({"entries": [item]}), "utf-8")
    config = (
        f'[[items-from]]\ndocument = "data.md"\nlist = "{list_name}"\nfile = "items.yaml"\n'
        'key = "entries"\n'
    )
    documents = _documents(tmp_path, config)
    from_front = documents["front.md"].items[list_name][0]
    from_data = documents["data.md"].items[list_name][0]
    assert from_data.fields == from_front.fields


def _documents(root: Path, config: str = "") -> dict[str, Document]:
    (root / ".techfile.toml").write_text(config, encoding="utf-8")
    config = load_config(root, root / ".techfile.toml")
    settings = parse_settings(config)
    tree = WorkTree(config.root, config.max_file_size)
    parsed = load_files(
        tree, config.include, config.exclude, settings, ParseCache(root, "t", False)
    )
    attach_external(parsed, config.items_from, settings, tree.read_path)
    return {p.path: p.document for p in parsed if p.document is not None}


def test_every_documented_clause_spelling_names_the_clause_it_says() -> None:
    text = _model_text().split("## Clause references", 1)[1].split("## ", 1)[0]
    spellings = re.findall(r"`([^`]+\d[^`]*)`", text.split("Prefixes", 1)[0])
    registry = clause_registry()
    for spelling in spellings:
        ref = registry.parse(spelling)
        assert ref is not None and ref.family is not None, spelling
        assert registry.lookup(ref) is not None or "(" in ref.clause, spelling
    same = ["MDR Annex I 17.2", "GSPR 17.2", "Annex I, Section 17.2"]
    assert len({(r.family, r.clause) for r in map(registry.parse, same) if r}) == 1
    prefixed = [
        "EN IEC 81001-5-1:2022 7.2",
        "IEC 81001-5-1 7.2",
        "81001-5-1 §7.2",
        "BS EN IEC 81001-5-1:2022 7.2",
    ]
    assert len({(r.family, r.clause) for r in map(registry.parse, prefixed) if r}) == 1
    exact = registry.parse("EN IEC 81001-5-1:2022 5.1.12")
    assert exact is not None and exact.clause != "5.1.1"


_CHECKLIST = """---
id: GSPR-001
type: gspr-checklist
title: GSPR checklist
status: draft
waivers:
{waivers}
rows:
  - gspr: "17.2"
    applicable: true
    standards: [EN IEC 62304:2006+A1:2015]
    evidence: []
---

# GSPR checklist
"""


@pytest.mark.parametrize(
    ("item", "clause"),
    [
        ("17.2", "GSPR 17.2"),
        ("GSPR-001:17.2", "MDR Annex I 17.2"),
        ("GSPR-001", "Annex I, Section 17.2"),
        (None, "17.2"),
    ],
)
def test_waivers_name_items_and_clauses_in_every_documented_form(
    item: str | None,
    clause: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    waiver: dict[str, str] = {"rule": "EV002", "clause": clause, "reason": "agreed with the NB"}
    if item:
        waiver["item"] = item
    waivers = yaml.safe_dump([waiver], default_flow_style=False)
    text = _CHECKLIST.format(waivers="\n".join("  " + line for line in waivers.splitlines()))
    (tmp_path / "gspr.md").write_text(text, encoding="utf-8")
    before = [f["code"] for f in _run_json(tmp_path, monkeypatch, capsys)]
    assert "EV002" not in before and "SUP002" not in before, before


def test_a_waiver_does_not_name_a_longer_clause(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    waiver = yaml.safe_dump([{"rule": "EV002", "clause": "GSPR 17", "reason": "r"}])
    text = _CHECKLIST.format(waivers="\n".join("  " + line for line in waiver.splitlines()))
    (tmp_path / "gspr.md").write_text(text, encoding="utf-8")
    codes = [f["code"] for f in _run_json(tmp_path, monkeypatch, capsys)]
    assert "EV002" in codes and "SUP002" in codes


def test_the_readme_suppression_forms_suppress(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = README.read_text(encoding="utf-8")
    block = readme.split("## Suppressing a finding", 1)[1].split("```markdown\n", 1)[1]
    directives = block.split("```", 1)[0].splitlines()
    assert len(directives) == 3
    ignore_line, disable_line, row_line = directives
    assert "ignore[EV003]" in ignore_line and "disable-file[FM007]" in disable_line
    (tmp_path / "notes.md").write_text(f"{disable_line}\n\n# Meeting notes\n", encoding="utf-8")
    risk_row = row_line.replace("| ... ", "| Data loss | x | x | 4 | 3 | RC-1 ")
    (tmp_path / "ra.md").write_text(
        "---\nid: RA-001\ntype: risk-analysis\ntitle: Risks\nstatus: draft\n---\n\n# Risks\n\n"
        "<!-- techfile: items=risks -->\n| ID | Hazard | Harm | Cause | S | P | Controls |\n"
        f"|---|---|---|---|---|---|---|\n{risk_row}\n",
        encoding="utf-8",
    )
    findings = _run_json(tmp_path, monkeypatch, capsys)
    codes = [f["code"] for f in findings]
    assert "FM007" not in codes and "SUP001" not in codes and "SUP003" not in codes, codes


PAGES = sorted(load_pages().values(), key=lambda p: p.code)


@pytest.mark.parametrize("section", ["passing example", "failing example"])
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.code)
def test_rule_page_examples_read_without_findings_the_page_does_not_promise(
    page: RulePage,
    section: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """An example on a rule page is read as the page says: no front-matter, clause or
    suppression finding, and no dangling reference, unless it is the page's own code."""
    files = page.examples(section)
    if not files:
        pytest.skip("no example files")
    for rel, text in files.items():
        target = tmp_path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    findings = _run_json(tmp_path, monkeypatch, capsys)
    # a suppression's page shows the finding its broken directive fails to suppress
    named = re.findall(r"\[([A-Z]{2,3}-?\d{3})\]", "".join(files.values()))
    promised = {page.code, *(code.replace("-", "") for code in named)}
    unpromised = [
        f"{f['code']} {f['message']}"
        for f in findings
        if f["code"].startswith((*CONTRACT_CODES, "ID002")) and f["code"] not in promised
    ]
    assert unpromised == []


_SOUP_ROW = "{id: S-1, name: numpy, version: 1.26.4, manufacturer: NumPy developers}"


@pytest.mark.parametrize("source", ["front-matter", "table", "data file"])
def test_soup_items_from_every_source_get_duplicate_id_checking(
    source: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same package at the same version listed twice is a duplicate wherever the list
    comes from; the same package at two versions (the documented layout) is not."""
    head = "---\nid: SOUP-001\ntype: soup-list\ntitle: SOUP\n"
    if source == "front-matter":
        body = f"{head}items:\n  - {_SOUP_ROW}\n  - {_SOUP_ROW}\n"
        body += "  - {id: S-1, name: numpy, version: 2.0.0, manufacturer: NumPy developers}\n"
        body += "---\n\n# SOUP\n"
    elif source == "table":
        row = "| S-1 | numpy | {} | NumPy developers |\n"
        body = (
            f"{head}---\n\n# SOUP\n\n<!-- techfile: items=items -->\n"
            "| ID | Name | Version | Manufacturer |\n|---|---|---|---|\n"
            + row.format("1.26.4") * 2
            + row.format("2.0.0")
        )
    else:
        body = f"{head}---\n\n# SOUP\n"
        rows = [yaml.safe_load(_SOUP_ROW)] * 2 + [{**yaml.safe_load(_SOUP_ROW), "version": "2.0.0"}]
        (tmp_path / "soup.yaml").write_text(yaml.safe_dump(rows), "utf-8")
        (tmp_path / ".techfile.toml").write_text(
            '[[items-from]]\ndocument = "soup.md"\nlist = "items"\nfile = "soup.yaml"\n', "utf-8"
        )
    (tmp_path / "soup.md").write_text(body, "utf-8")
    monkeypatch.chdir(tmp_path)
    capsys.readouterr()
    main(["check", "--format", "json", "--no-cache", "--select", "ID001"])
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert [f["code"] for f in findings] == ["ID001"]
