"""The pre-commit hooks, run by the real pre-commit on a real git repository.

The hook repository is a snapshot of this checkout (committed into a temporary repo), so the
test exercises the code as it is, and the project's .pre-commit-config.yaml is the README's.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from techfile import __version__

ROOT = Path(__file__).resolve().parent.parent
PRE_COMMIT = [sys.executable, "-m", "pre_commit"]

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

CLEAN_FILE = {
    # a two-document file cannot satisfy the whole catalogue: the hook is what is under test
    ".techfile.toml": (
        'as-of = "2026-01-15"\nselect = ["FM", "ID", "EV001", "RM001"]\n\n'
        '[device]\nname = "Pulsar"\nconnected = true\n'
    ),
    "security/threat-model.md": """---
id: TM-001
type: threat-model
title: Threat model
version: "1.0"
status: approved
evidence_for: ["EN IEC 81001-5-1:2022 7.2"]
threats:
  - id: T-01
    title: Spoofed clinician login
    safety_impact: serious
    safety_impact_rationale: A spoofed login can change alarm limits.
    risk_refs: ["RA-001:R-01"]
---

# Threat model
""",
    "risk/risk-analysis.md": """---
id: RA-001
type: risk-analysis
title: Risk analysis
version: "1.0"
status: approved
references: [TM-001]
risks:
  - id: R-01
    hazard: Alarm limits changed by an unauthorised person
    source: security
    threat_refs: ["TM-001:T-01"]
---

# Risk analysis
""",
}

SOA = """---
id: ISMS-SOA-001
type: isms-soa
title: Statement of Applicability
version: "3.0"
status: approved
evidence_for: ["EN IEC 81001-5-1:2022 5.7.4"]
---

# Statement of Applicability
"""


def _git(
    cwd: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, env=env, check=False
    )


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        {
            "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
            "GIT_AUTHOR_NAME": "Test",
            "GIT_AUTHOR_EMAIL": "test@example.org",
            "GIT_COMMITTER_NAME": "Test",
            "GIT_COMMITTER_EMAIL": "test@example.org",
            "NO_COLOR": "1",
        }
    )
    return env


def copy_of_this_checkout(target: Path) -> Path:
    """The files of this work tree as they are now (tracked and new, not ignored), without
    git: what a runner downloads for `uses:` once the lead has committed and tagged them."""
    listed = _git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for name in filter(None, listed.stdout.split("\0")):
        source = ROOT / name
        if source.is_file() and not source.is_symlink():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def tagged_snapshot(target: Path, tag: str, env: dict[str, str] | None = None) -> str:
    """A git repository at `target` holding this work tree in one commit tagged `tag` (the
    release the README pins, before the lead has tagged it); returns the commit."""
    env = env or _env(target.parent)
    copy_of_this_checkout(target)
    _git(target, "init", "-q", env=env)
    _git(target, "add", "-A", env=env)
    _git(target, "commit", "-qm", "snapshot", env=env)
    assert _git(target, "tag", tag, env=env).returncode == 0
    return _git(target, "rev-parse", "HEAD", env=env).stdout.strip()


def _snapshot_of_this_checkout(tmp_path: Path, env: dict[str, str]) -> tuple[Path, str]:
    hook_repo = tmp_path / "hook-repo"
    return hook_repo, tagged_snapshot(hook_repo, "snapshot", env)


def readme_pre_commit_config() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"```yaml\n(# \.pre-commit-config\.yaml\n.*?)```", readme, re.DOTALL)
    assert match, "README shows no .pre-commit-config.yaml snippet"
    return match.group(1)


def test_manifest_is_valid() -> None:
    done = subprocess.run(
        [*PRE_COMMIT, "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert hooks["techfile"]["entry"] == "techfile check --pre-commit"
    assert hooks["techfile"]["always_run"] and hooks["techfile"]["require_serial"]
    assert set(hooks["techfile"]["stages"]) == {"pre-commit", "pre-merge-commit", "manual"}
    assert hooks["techfile-all"]["pass_filenames"] is False
    assert set(hooks["techfile-all"]["stages"]) == {"pre-push", "manual"}


def test_real_pre_commit_gates_commits(tmp_path: Path) -> None:
    env = _env(tmp_path)
    hook_repo, rev = _snapshot_of_this_checkout(tmp_path, env)
    project = tmp_path / "project"
    project.mkdir()
    _git(project, "init", "-q", env=env)
    for rel, text in CLEAN_FILE.items():
        (project / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / rel).write_text(text, encoding="utf-8")
    config = readme_pre_commit_config()
    pinned = re.findall(r"rev: (\S+)", config)
    assert pinned == [f"v{__version__}"], "the README pins this release"
    _git(hook_repo, "tag", pinned[0], rev, env=env)
    # the README's lines verbatim but for the repository's address: `rev:` resolves to the tag
    config = re.sub(r"repo: \S+", f"repo: {hook_repo.as_posix()}", config)
    (project / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    installed = subprocess.run(
        [*PRE_COMMIT, "install"], cwd=project, env=env, capture_output=True, text=True, check=False
    )
    assert installed.returncode == 0, installed.stderr

    _git(project, "add", "-A", env=env)
    clean = _git(project, "commit", "-m", "A clean technical file", env=env)
    assert clean.returncode == 0, clean.stdout + clean.stderr

    (project / "isms").mkdir()
    (project / "isms" / "soa.md").write_text(SOA, encoding="utf-8")
    _git(project, "add", "isms/soa.md", env=env)
    soa = _git(project, "commit", "-m", "Cite the SoA for penetration testing", env=env)
    assert soa.returncode != 0
    assert "EV001" in soa.stdout + soa.stderr
    assert "ISMS-SOA-001" in soa.stdout + soa.stderr
    _git(project, "reset", "-q", "HEAD", "--", "isms/soa.md", env=env)

    _git(project, "rm", "-q", "security/threat-model.md", env=env)
    deletion = _git(project, "commit", "-m", "Remove the threat model", env=env)
    output = deletion.stdout + deletion.stderr
    assert deletion.returncode != 0
    assert "ID002" in output and "risk/risk-analysis.md" in output
