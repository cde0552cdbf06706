"""`techfile init` and `techfile template`."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from conftest import CliResult, snapshot
from techfile.data.registry import type_registry
from techfile.data.schemas import flattened, known_keys
from techfile.scaffold import starter_files

Run = Callable[..., CliResult]
# a fresh file may show what a new team still has to do (drafts, approvals, evidence), but
# never a defect of its own making: unreadable or invalid front-matter, broken ids or
# references, or a broken suppression
STRUCTURAL = ("FM", "ID", "SUP")


def _codes(result: CliResult) -> Counter[str]:
    return Counter(f["code"] for f in result.json()["findings"])


def test_init_writes_a_file_with_no_front_matter_findings(tmp_path: Path, techfile: Run) -> None:
    target = tmp_path / "heart-monitor"
    result = techfile("init", str(target))
    assert result.code == 0, result.err
    assert "wrote 31 files for heart-monitor" in result.err
    written = sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file())
    assert written == sorted(starter_files())
    for profile in ("default", "submission"):
        check = techfile(
            "check", str(target), "--format", "json", "--no-cache", "--profile", profile
        )
        codes = _codes(check)
        assert codes, "a fresh technical file has work to do"
        assert not [c for c in codes if c.startswith(STRUCTURAL)], codes
        assert "EV003" in codes  # the drafts cited as evidence
    report = techfile("report", str(target), "--output", str(tmp_path / "r.html"), "--no-cache")
    assert report.code == 0


def test_init_covers_every_type_the_rules_read(tmp_path: Path, techfile: Run) -> None:
    target = tmp_path / "tf"
    assert techfile("init", str(target)).code == 0
    types = set()
    for path in target.rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        if text.startswith("---\n"):
            meta = yaml.safe_load(text.split("---\n", 2)[1])
            types.add(meta["type"])
            assert meta["status"] == "draft", path
    expected = {
        "device-description",
        "ifu",
        "risk-management-plan",
        "risk-analysis",
        "risk-management-report",
        "threat-model",
        "security-risk-assessment",
        "security-plan",
        "security-context",
        "security-requirements",
        "security-architecture",
        "secure-coding-standard",
        "security-test-report",
        "test-report",
        "software-development-plan",
        "software-requirements",
        "soup-list",
        "sbom",
        "maintenance-plan",
        "vulnerability-management-procedure",
        "cvd-policy",
        "it-security-requirements",
        "conformity-matrix",
        "gspr-checklist",
        "release-record",
        "pms-plan",
        "qms-procedure",
    }
    assert expected <= types
    config = (target / ".techfile.toml").read_text(encoding="utf-8")
    assert "[device]" in config and 'name = "tf"' in config


def test_init_quotes_an_awkward_device_name(tmp_path: Path, techfile: Run) -> None:
    target = tmp_path / "tf"
    name = 'Cardio "Pro": #1 \\ ü'
    assert techfile("init", str(target), "--device-name", name).code == 0
    meta = yaml.safe_load(
        (target / "device" / "device-description.md").read_text(encoding="utf-8").split("---\n")[1]
    )
    assert meta["device_name"] == name
    check = techfile("check", str(target), "--format", "json", "--no-cache")
    assert not [c for c in _codes(check) if c.startswith("FM")]
    assert techfile("init", str(tmp_path / "x"), "--device-name", "bad\nname").code == 2


def test_init_refuses_a_non_empty_directory(tmp_path: Path, techfile: Run) -> None:
    target = tmp_path / "tf"
    target.mkdir()
    (target / "notes.md").write_text("mine\n")
    before = snapshot(target)
    result = techfile("init", str(target))
    assert result.code == 2
    assert "not empty" in result.err and "notes.md" in result.err
    assert snapshot(target) == before


def test_init_accepts_an_empty_directory_or_a_fresh_git_repository(
    tmp_path: Path, techfile: Run
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert techfile("init", str(empty)).code == 0
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    assert techfile("init", str(repo)).code == 0
    assert (repo / ".techfile.toml").is_file()
    file_target = tmp_path / "file"
    file_target.write_text("x")
    assert techfile("init", str(file_target)).code == 2


def _uncommented(body: str) -> str:
    """The template with its commented-out keys (`#id: ""` and their blocks) put back."""
    return re.sub(r"^#(?=[A-Za-z_]|\s\s)", "", body, flags=re.MULTILINE)


@pytest.mark.parametrize("type_name", sorted(type_registry().types))
def test_template_lists_every_schema_key(type_name: str, techfile: Run) -> None:
    result = techfile("template", type_name)
    assert result.code == 0
    assert result.out.startswith("---\n") and result.out.endswith("---\n")
    body = result.out[4:-4]
    assert yaml.safe_load(body) == {"type": type_name, "status": "draft"}  # the rest commented
    data = yaml.safe_load(_uncommented(body))
    schema_id = type_registry().types[type_name].schema_id
    assert set(data) == known_keys(flattened(schema_id))
    comments = [line for line in body.splitlines() if line.lstrip().startswith("#")]
    assert any("unique in the technical file" in line for line in comments)


def test_template_of_the_threat_model_shows_item_fields(techfile: Run) -> None:
    out = techfile("template", "threat-model").out
    data = yaml.safe_load(_uncommented(out[4:-4]))
    threat = data["threats"][0]
    assert {"id", "safety_impact", "risk_refs", "mitigations"} <= set(threat)
    assert threat["safety_impact"] == "unknown"
    assert "none | non-serious | serious | unknown" in out


def test_template_unknown_type_suggests(techfile: Run) -> None:
    result = techfile("template", "threat-modle")
    assert result.code == 2
    assert "did you mean threat-model" in result.err
    assert result.out == ""
    nothing = techfile("template", "xyzzy")
    assert nothing.code == 2 and "techfile types" in nothing.err


def test_template_accepts_an_alias(techfile: Run) -> None:
    result = techfile("template", "soa")
    assert result.code == 0
    assert "alias of isms-soa" in result.err
    assert yaml.safe_load(result.out[4:-4])["type"] == "isms-soa"
