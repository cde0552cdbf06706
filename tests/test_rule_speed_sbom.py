"""The compiled yes/no check that SC003 runs first when it validates many SBOMs says "valid"
only where jsonschema finds no error: on the CycloneDX and SPDX test files of the corpus, on
copies of them broken in many ways, and where the two libraries read a pattern's `$`
differently unless the pattern is rewritten."""

from __future__ import annotations

import copy
import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from techfile.data.resources import bundled
from techfile.intake import sbom as sb

Checks = tuple[Any, Callable[[Any], bool]]


def _corpus() -> list[tuple[Path, dict[str, Any]]]:
    found = []
    for path in sorted(bundled("fixtures").glob("**/*.json")):
        _, data, _, problem, _ = sb.decode_json(path.read_bytes())
        if problem is None and isinstance(data, dict) and _checks(data) is not None:
            found.append((path, data))
    return found


def _checks(data: dict[str, Any]) -> Checks | None:
    """(jsonschema validator, fast check) for the document's format and version."""
    version = data.get("specVersion")
    if data.get("bomFormat") == "CycloneDX" and isinstance(version, str):
        if version not in sb.CYCLONEDX_SCHEMAS:
            return None
        fast = sb._cyclonedx_fast_check(version)
        assert fast is not None
        return sb._cyclonedx_validator(version), fast
    spdx = str(data.get("spdxVersion", "")).removeprefix("SPDX-")
    if spdx in sb.SPDX_SCHEMAS:
        fast = sb._spdx_fast_check(spdx)
        assert fast is not None
        return sb._spdx_validator(spdx), fast
    return None


def _valid(validator: Any, data: Any) -> bool:
    return next(iter(validator.iter_errors(data)), None) is None


CORPUS = _corpus()


def test_every_shipped_schema_has_a_fast_check() -> None:
    for version in sb.CYCLONEDX_SCHEMAS:
        assert sb._cyclonedx_fast_check(version) is not None, version
    for version in sb.SPDX_SCHEMAS:
        assert sb._spdx_fast_check(version) is not None, version


def test_the_corpus_has_valid_and_invalid_files() -> None:
    verdicts = {_valid(_checks(data)[0], data) for _, data in CORPUS}  # type: ignore[index]
    assert len(CORPUS) >= 30 and verdicts == {True, False}


@pytest.mark.parametrize("path, data", CORPUS, ids=lambda value: getattr(value, "name", ""))
def test_fast_check_agrees_with_jsonschema(path: Path, data: dict[str, Any]) -> None:
    checks = _checks(data)
    assert checks is not None
    validator, fast = checks
    before = copy.deepcopy(data)
    assert fast(data) == _valid(validator, data)
    assert data == before  # no defaults filled in


def _places(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, sub in value.items():
            yield from _places(sub, (*path, key))
    elif isinstance(value, list):
        for index, sub in enumerate(value):
            yield from _places(sub, (*path, index))


REPLACEMENTS: list[Any] = [
    "",
    "x\n",
    "library",
    0,
    1,
    1.0,
    True,
    False,
    None,
    [],
    {},
    ["a"],
    "2024-01-01T00:00:00Z\n",
    "2024-13-01",
    "ab",
    "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79\n",
    "MIT",
    "d41d8cd98f00b204e9800998ecf8427e\n",
]


def _broken(data: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    broken = copy.deepcopy(data)
    places = [p for p in _places(broken) if p]
    path = rng.choice(places)
    parent: Any = broken
    for part in path[:-1]:
        parent = parent[part]
    choice = rng.random()
    if choice < 0.6:
        parent[path[-1]] = copy.deepcopy(rng.choice(REPLACEMENTS))
    elif choice < 0.8 and isinstance(parent, dict):
        del parent[path[-1]]
    elif isinstance(parent, list):
        parent.append(copy.deepcopy(parent[path[-1]]))  # a duplicate, for uniqueItems
    elif isinstance(parent[path[-1]], str):
        parent[path[-1]] += "\n"
    return broken


def test_fast_check_never_passes_a_file_jsonschema_rejects() -> None:
    rng = random.Random(2024)
    small = [data for _, data in CORPUS if len(str(data)) < 50_000]
    passed = rejected = 0
    for _ in range(400):
        broken = _broken(rng.choice(small), rng)
        checks = _checks(broken)
        if checks is None:
            continue
        validator, fast = checks
        if fast(broken):
            assert _valid(validator, broken), broken
            passed += 1
        rejected += not _valid(validator, broken)
    assert passed > 50 and rejected > 50


def test_a_final_line_break_matches_a_patterns_dollar_as_in_python() -> None:
    validator, fast = sb._cyclonedx_validator("1.6"), sb._cyclonedx_fast_check("1.6")
    assert fast is not None
    data = next(
        d
        for _, d in CORPUS
        if d.get("specVersion") == "1.6" and "serialNumber" in d and _valid(validator, d)
    )
    uuid = "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79"
    for serial, valid in ((uuid + "\n", True), (uuid + "\n\n", False), (uuid + " ", False)):
        changed = {**data, "serialNumber": serial}
        assert _valid(validator, changed) is valid
        assert fast(changed) is valid


def test_validate_all_gives_the_verdicts_of_validate() -> None:
    files = [
        sb.load(path.read_bytes(), path, path.name)
        for path, _ in CORPUS * (sb.FAST_FROM // len(CORPUS) + 1)
    ]
    assert sb.validate_all(files) == [sb.validate(file) for file in files]
