"""Data layer of the ISO 13485 -> ISO/IEC 27001 overlap: the two registries in data/isms/, the
crosswalks in data/crosswalks/ and their schemas. Reads the files directly (PyYAML, jsonschema)
so it does not depend on techfile's loaders."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SCHEMAS = ROOT / "schemas"
ISMS_27001 = DATA / "isms" / "iso-iec-27001.yaml"
QMS_13485 = DATA / "isms" / "iso-13485.yaml"
CW_13485 = DATA / "crosswalks" / "iso13485-2016--iso-iec-27001-2022.yaml"
CW_PRODUCT = DATA / "crosswalks" / "iec-81001-5-1-2022--iso-iec-27001-2022.yaml"
CW_2013 = DATA / "crosswalks" / "iso-iec-27001-2013--2022-annex-a.yaml"
CROSSWALKS = sorted((DATA / "crosswalks").glob("*.yaml"))

ISMS_RISK = {"6.1.2", "6.1.3", "8.2", "8.3"}  # never equated with ISO 14971 product risk
THEMES = {
    "A.5": ("organisational", 37),
    "A.6": ("people", 8),
    "A.7": ("physical", 14),
    "A.8": ("technological", 34),
}
CLAUSES_27001 = {
    "4", "4.1", "4.2", "4.3", "4.4",
    "5", "5.1", "5.2", "5.3",
    "6", "6.1", "6.1.1", "6.1.2", "6.1.3", "6.2", "6.3",
    "7", "7.1", "7.2", "7.3", "7.4", "7.5", "7.5.1", "7.5.2", "7.5.3",
    "8", "8.1", "8.2", "8.3",
    "9", "9.1", "9.2", "9.2.1", "9.2.2", "9.3", "9.3.1", "9.3.2", "9.3.3",
    "10", "10.1", "10.2",
}  # fmt: skip
CLAUSES_13485 = {
    "4", "4.1", *(f"4.1.{i}" for i in range(1, 7)), "4.2", *(f"4.2.{i}" for i in range(1, 6)),
    "5", "5.1", "5.2", "5.3", "5.4", "5.4.1", "5.4.2", "5.5", "5.5.1", "5.5.2", "5.5.3",
    "5.6", "5.6.1", "5.6.2", "5.6.3",
    "6", "6.1", "6.2", "6.3", "6.4", "6.4.1", "6.4.2",
    "7", "7.1", "7.2", "7.2.1", "7.2.2", "7.2.3", "7.3", *(f"7.3.{i}" for i in range(1, 11)),
    "7.4", "7.4.1", "7.4.2", "7.4.3", "7.5", *(f"7.5.{i}" for i in range(1, 12)),
    "7.5.9.1", "7.5.9.2", "7.6",
    "8", "8.1", "8.2", *(f"8.2.{i}" for i in range(1, 7)),
    "8.3", *(f"8.3.{i}" for i in range(1, 5)),
    "8.4", "8.5", "8.5.1", "8.5.2", "8.5.3",
}  # fmt: skip
# ISO/IEC 27001:2013 Annex A: controls per domain (A.5 ... A.18), 114 in all.
DOMAINS_2013 = {5: 2, 6: 7, 7: 6, 8: 10, 9: 14, 10: 2, 11: 15, 12: 14, 13: 7, 14: 13, 15: 5,
                16: 7, 17: 4, 18: 8}  # fmt: skip
PRODUCT_TARGETS = {"A.5.8", "A.8.8", "A.8.25", "A.8.26", "A.8.27", "A.8.28", "A.8.29", "A.8.32"}


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@cache
def schema(name: str) -> Any:
    import json

    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


def errors(data: Any, schema_name: str) -> list[str]:
    check = jsonschema.Draft202012Validator(schema(schema_name))
    return [f"{list(e.absolute_path)}: {e.message}" for e in check.iter_errors(data)]


@cache
def registries() -> dict[str, dict[str, Any]]:
    """Every clause registry the project ships (auto-loaded data/clauses and data/isms), by key."""
    found: dict[str, dict[str, Any]] = {}
    for folder in ("clauses", "isms"):
        for path in sorted((DATA / folder).glob("*.yaml")):
            data = load(path)
            assert data["key"] not in found, f"registry key {data['key']} shipped twice"
            found[data["key"]] = data
    return found


def ids(registry_key: str) -> set[str]:
    return {str(c["id"]) for c in registries()[registry_key]["clauses"]}


def controls(registry: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for c in registry["clauses"] if re.fullmatch(r"A\.[5-8]\.\d+", c["id"])]


def children(registry: dict[str, Any]) -> dict[str, list[str]]:
    kids: dict[str, list[str]] = {}
    for c in registry["clauses"]:
        if c.get("parent"):
            kids.setdefault(c["parent"], []).append(c["id"])
    return kids


# --- schemas ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["crosswalk.schema.json", "clause-registry.schema.json"])
def test_schemas_are_valid_draft_2020_12(name: str) -> None:
    jsonschema.Draft202012Validator.check_schema(schema(name))


def test_registry_schema_change_is_backwards_compatible() -> None:
    """Every older registry (data/clauses) still validates, and `theme` is optional."""
    clause = schema("clause-registry.schema.json")["$defs"]["clause"]
    assert "theme" in clause["properties"] and "theme" not in clause["required"]
    for path in sorted((DATA / "clauses").glob("*.yaml")):
        assert not errors(load(path), "clause-registry.schema.json"), path.name


# --- registries ------------------------------------------------------------------------


@pytest.mark.parametrize("path", [ISMS_27001, QMS_13485], ids=lambda p: p.name)
def test_registry_validates_and_is_well_formed(path: Path) -> None:
    data = load(path)
    assert not errors(data, "clause-registry.schema.json")
    listed: list[str] = []
    for clause in data["clauses"]:
        assert isinstance(clause["id"], str)
        assert clause["id"] not in listed, f"{clause['id']} listed twice"
        if clause.get("parent"):
            assert clause["parent"] in listed, f"parent of {clause['id']} must come first"
        listed.append(clause["id"])
    accepts = {c["id"]: set(c["accepts"]) for c in data["clauses"]}
    for parent, kids in children(data).items():
        assert accepts[parent] == set().union(*(accepts[k] for k in kids)), parent


def test_isms_registries_are_not_auto_loaded() -> None:
    """data/clauses/*.yaml is loaded by techfile itself; an ISO/IEC 27001 or ISO 13485 registry
    there changes how existing rules resolve citations (see data/NOTES.md before moving them)."""
    keys = {load(p)["key"] for p in (DATA / "clauses").glob("*.yaml")}
    assert not keys & {"iso-iec-27001", "iso-13485"}


def test_27001_registry_lists_clauses_4_to_10() -> None:
    data = load(ISMS_27001)
    numbered = {c["id"] for c in data["clauses"] if not c["id"].startswith("A")}
    assert numbered == CLAUSES_27001
    titles = {c["id"]: c["title"].lower() for c in data["clauses"]}
    assert "continual improvement" in titles["10.1"]
    assert "nonconformit" in titles["10.2"] and "corrective" in titles["10.2"]
    assert data["complete"] is True


def test_27001_registry_has_93_annex_a_controls_by_theme() -> None:
    data = load(ISMS_27001)
    found = controls(data)
    assert len(found) == 93
    for prefix, (theme, count) in THEMES.items():
        mine = [c for c in found if c["id"].rsplit(".", 1)[0] == prefix]
        assert [c["id"] for c in mine] == [f"{prefix}.{n}" for n in range(1, count + 1)]
        assert {c["theme"] for c in mine} == {theme}
        assert all(c["parent"] == prefix for c in mine)
    themed = {c["id"] for c in data["clauses"] if "theme" in c}
    assert themed == {c["id"] for c in found} | set(THEMES), "theme only on Annex A entries"


def test_13485_registry_lists_clauses_4_to_8() -> None:
    data = load(QMS_13485)
    assert {c["id"] for c in data["clauses"]} == CLAUSES_13485
    assert len(CLAUSES_13485) == 91
    assert data["complete"] is True


@pytest.mark.parametrize("path", [ISMS_27001, QMS_13485], ids=lambda p: p.name)
def test_titles_are_short_paraphrases(path: Path) -> None:
    """Titles are our own few words: short, one line, no normative wording copied in."""
    data = load(path)
    for clause in data["clauses"]:
        title = clause["title"]
        assert 3 <= len(title) < 80, clause["id"]
        assert "\n" not in title and not title.endswith(".")
        assert not re.search(r"\b(shall|should)\b", title, re.IGNORECASE), clause["id"]
        assert not re.search(r"\b(shall)\b", clause.get("note", ""), re.IGNORECASE), clause["id"]
    annex_titles = [c["title"].lower() for c in controls(data)] if path == ISMS_27001 else []
    assert len(annex_titles) == len(set(annex_titles))


# --- crosswalks ------------------------------------------------------------------------


def test_the_expected_crosswalks_exist() -> None:
    assert {CW_13485, CW_PRODUCT, CW_2013} <= set(CROSSWALKS)


@pytest.mark.parametrize("path", CROSSWALKS, ids=lambda p: p.name)
def test_crosswalk_validates(path: Path) -> None:
    data = load(path)
    assert not errors(data, "crosswalk.schema.json")
    assert data["key"] == path.stem


@pytest.mark.parametrize("path", CROSSWALKS, ids=lambda p: p.name)
def test_crosswalk_ids_exist_in_their_registries(path: Path) -> None:
    data = load(path)
    sources = {s["registry"] for s in [data["from"], *data.get("additional_from", [])]}
    to_ids = ids(data["to"]["registry"])
    seen = set()
    for row in data["rows"]:
        registry = row.get("from_registry", data["from"]["registry"])
        assert registry in sources, f"{row['from']}: from_registry {registry} not declared"
        if registry is not None:
            assert row["from"] in ids(registry), f"{row['from']} is not a clause of {registry}"
        assert row["to"] in to_ids, f"{row['to']} is not a clause of {data['to']['registry']}"
        key = (registry, row["from"], row["to"])
        assert key not in seen, f"row {key} repeated"
        seen.add(key)
    unmatched = set(data.get("unmatched_to", []))
    assert unmatched <= to_ids
    assert not unmatched & {row["to"] for row in data["rows"]}, "unmatched_to also has a row"


@pytest.mark.parametrize("path", CROSSWALKS, ids=lambda p: p.name)
def test_isms_risk_is_never_equated_with_product_risk(path: Path) -> None:
    data = load(path)
    if data["to"]["registry"] != "iso-iec-27001":
        return
    for row in data["rows"]:
        if row["to"] in ISMS_RISK:
            assert row["relationship"] == "none", f"{row['from']} -> {row['to']}"
            assert "14971" in row["note"] or "information" in row["note"], row["note"]


def test_13485_crosswalk_names_the_risk_clauses_explicitly() -> None:
    rows = load(CW_13485)["rows"]
    for clause in ISMS_RISK:
        assert any(r["to"] == clause and r["from"] == "7.1" for r in rows), clause


def test_13485_crosswalk_covers_every_27001_clause_and_control() -> None:
    data = load(CW_13485)
    isms = load(ISMS_27001)
    reached = {row["to"] for row in data["rows"]}
    kids = children(isms)
    for clause in CLAUSES_27001:
        if clause in kids:  # a heading: covered through its sub-clauses
            assert any(k in reached for k in kids[clause]), clause
        else:
            assert clause in reached, f"ISO/IEC 27001 {clause} has no row"
    every_control = {c["id"] for c in controls(isms)}
    assert (reached & every_control) | set(data["unmatched_to"]) == every_control


def test_13485_crosswalk_is_plain_about_its_provenance() -> None:
    data = load(CW_13485)
    provenance = data["provenance"].lower()
    assert "own analysis" in provenance and "not an official" in provenance
    assert "no official" in provenance
    assert "annex sl" in provenance and "9001:2015" in provenance and "annex b" in provenance
    assert data["verification"].strip()


def test_partial_rows_say_what_is_still_needed() -> None:
    for row in load(CW_13485)["rows"]:
        if row["relationship"] == "partial":
            assert "still needed" in row["note"].lower(), f"{row['from']} -> {row['to']}"


def test_the_examples_of_the_brief_are_rows() -> None:
    rows = {(r["from"], r["to"]): r["relationship"] for r in load(CW_13485)["rows"]}
    for pair in [("4.2.4", "7.5.3"), ("4.2.5", "7.5.3"), ("8.2.4", "9.2.1"), ("8.2.4", "9.2.2"),
                 ("5.6.2", "9.3.2"), ("8.5.2", "10.2"), ("6.2", "7.2"), ("6.2", "A.6.3"),
                 ("7.4.1", "A.5.19"), ("7.4.2", "A.5.20"), ("7.4.1", "A.5.21"),
                 ("7.4.1", "A.5.22")]:  # fmt: skip
        assert rows.get(pair) not in (None, "none"), pair


def test_product_crosswalk_only_supports_the_development_controls() -> None:
    data = load(CW_PRODUCT)
    assert {row["to"] for row in data["rows"]} == PRODUCT_TARGETS
    assert {row["relationship"] for row in data["rows"]} == {"supports"}
    assert {row.get("from_registry", "iec-81001-5-1") for row in data["rows"]} == {
        "iec-81001-5-1",
        "iec-62304",
    }


def test_all_114_controls_of_2013_map_to_2022_controls() -> None:
    data = load(CW_2013)
    assert data["from"]["registry"] is None
    old = {row["from"] for row in data["rows"]}
    assert len(old) == 114
    per_domain: dict[int, set[str]] = {}
    for control in old:
        match = re.fullmatch(r"A\.(\d+)\.(\d+)\.(\d+)", control)
        assert match, control
        per_domain.setdefault(int(match.group(1)), set()).add(control)
    assert {domain: len(found) for domain, found in per_domain.items()} == DOMAINS_2013
    isms = load(ISMS_27001)
    every_control = {c["id"] for c in controls(isms)}
    reached = {row["to"] for row in data["rows"]}
    assert reached <= every_control
    new = set(data["unmatched_to"])
    assert len(new) == 11 and reached | new == every_control
    noted_new = {c["id"] for c in controls(isms) if "New in the 2022" in c.get("note", "")}
    assert noted_new == new, "registry notes and crosswalk disagree on the new controls"
    assert {row["confidence"] for row in data["rows"]} == {"high"}
    assert ("A.12.6.1", "A.8.8") in {(row["from"], row["to"]) for row in data["rows"]}


@pytest.mark.parametrize("path", CROSSWALKS, ids=lambda p: p.name)
def test_crosswalk_notes_are_our_words(path: Path) -> None:
    for row in load(path)["rows"]:
        assert not re.search(r"\bshall\b", row["note"], re.IGNORECASE), row
        assert len(row["note"]) < 700
