"""`techfile self-test`: the validation record, and a failing fixture makes it fail."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import CliResult
from techfile import __version__
from techfile.data.pages import load_pages
from techfile.data.resources import bundled

Run = Callable[..., CliResult]
IGNORE = shutil.ignore_patterns(".techfile_cache")


def _copy_fixtures(target: Path, names: list[str]) -> Path:
    for name in names:
        source = bundled("fixtures") / name
        shutil.copytree(source, target / name, symlinks=True, ignore=IGNORE)
    return target


def test_self_test_of_the_shipped_fixtures_passes(tmp_path: Path, techfile: Run) -> None:
    output = tmp_path / "records" / "validation.md"
    result = techfile("self-test", "--output", str(output), "--as-of", "2026-06-30")
    assert result.code == 0, result.err
    assert "self-test PASS" in result.err
    record = output.read_text(encoding="utf-8")
    cases = sorted(bundled("fixtures").glob("*/*/expected.txt"))
    assert f"**PASS**: {len(cases)} of {len(cases)} fixtures" in record
    assert "| Date of the run | 2026-06-30 |" in record
    assert f"| techfile version | {__version__} |" in record
    for heading in ("## Intended use", "## Limits", "## Dependencies", "## Rule set"):
        assert heading in record
    assert "| click |" in record and "| jsonschema |" in record
    assert "ISO 13485:2016 4.1.6" in record and "not all of it" in record
    for code, page in load_pages().items():
        assert f"| {code} | {page.name} | {page.severity.label} |" in record
    assert "### EV001-organisational-evidence-for-product-requirement/fail: PASS" in record
    assert "ISMS-SOA-001 is cited for EN IEC 81001-5-1:2022 5.2.1" in record
    assert "Executed by" in record


def test_a_broken_fixture_fails_the_self_test(tmp_path: Path, techfile: Run) -> None:
    fixtures = _copy_fixtures(
        tmp_path / "fixtures",
        [
            "EV001-organisational-evidence-for-product-requirement",
            "RM001-threat-absent-from-risk-file",
            "FM008-unreadable-file",
        ],
    )
    expected = fixtures / "RM001-threat-absent-from-risk-file" / "fail" / "expected.txt"
    expected.write_text(expected.read_text().replace("T-", "X-", 1), encoding="utf-8")
    output = tmp_path / "validation.md"
    result = techfile(
        "self-test", "--fixtures", str(fixtures), "--output", str(output), "--as-of", "2026-06-30"
    )
    assert result.code == 1
    assert "self-test FAIL: 5 of 6" in result.err
    assert "FAILED RM001-threat-absent-from-risk-file/fail" in result.err
    record = output.read_text(encoding="utf-8")
    assert "**FAIL**: 5 of 6 fixtures" in record
    assert "### RM001-threat-absent-from-risk-file/fail: FAIL" in record
    assert "Problem: the output differs from expected.txt" in record
    section = record.split("### RM001-threat-absent-from-risk-file/fail: FAIL", 1)[1]
    section = section.split("###", 1)[0]
    assert "X-" in section.split("Actual:", 1)[0] and "T-" in section.split("Actual:", 1)[1]
    assert "### FM008-unreadable-file/fail: PASS" in record  # its link is made in scratch
    assert "| RM001 | threat-absent-from-risk-file | error |" in record
    assert "**FAIL** | pass |" in record


def test_a_pass_fixture_that_reports_its_code_fails(tmp_path: Path, techfile: Run) -> None:
    fixtures = _copy_fixtures(tmp_path / "fixtures", ["RM001-threat-absent-from-risk-file"])
    case = fixtures / "RM001-threat-absent-from-risk-file"
    shutil.rmtree(case / "pass")
    shutil.copytree(case / "fail", case / "pass")  # a "pass" case whose output has RM001
    result = techfile("self-test", "--fixtures", str(fixtures), "--as-of", "2026-06-30")
    assert result.code == 1
    assert "a pass fixture must not produce RM001" in result.out


def test_self_test_without_fixtures_is_a_usage_error(tmp_path: Path, techfile: Run) -> None:
    result = techfile("self-test", "--fixtures", str(tmp_path))
    assert result.code == 2 and "no fixtures" in result.err


HISTORY_FIXTURES = sorted(
    p.parent.parent.name for p in bundled("fixtures").glob("*/*/.history.yaml")
)


@pytest.mark.skipif(not HISTORY_FIXTURES, reason="no fixture with a .history.yaml is shipped")
def test_history_fixtures_are_replayed_into_a_scratch_repository(
    tmp_path: Path, techfile: Run
) -> None:
    name = HISTORY_FIXTURES[0]
    fixtures = _copy_fixtures(tmp_path / "fixtures", [name])
    before = sorted(p.relative_to(fixtures).as_posix() for p in fixtures.rglob("*"))
    result = techfile("self-test", "--fixtures", str(fixtures), "--as-of", "2026-06-30")
    assert result.code == 0, result.out[-3000:]
    assert f"### {name}/fail: PASS" in result.out
    assert sorted(p.relative_to(fixtures).as_posix() for p in fixtures.rglob("*")) == before
