"""DC002 at commit time: the change that edits an approved document without a new version or
approval is reported on that change (staged, on a branch, or in the work tree), never on the
next commit; a change elsewhere passes. The last test runs the real pre-commit hook."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import CliResult
from techfile.fixture_tree import commit, git
from test_pre_commit import PRE_COMMIT, _env, _git, _snapshot_of_this_checkout
from test_pre_commit import readme_pre_commit_config as _readme_config

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

Run = Callable[..., CliResult]
CONFIG = 'as-of = "2026-01-15"\nselect = ["DC", "ID"]\n'
APPROVED = "2025-11-20T10:00:00+00:00"
LATER = "2025-12-01T10:00:00+00:00"


def sop(text: str, version: str = "2.0", approved: str = "2025-11-20") -> str:
    return f"""---
id: SOP-001
type: qms-procedure
title: Control of documents
version: "{version}"
status: approved
author: Tobias Brandt
approvals:
  - by: Dr. Anna Keller
    role: Head of Quality
    date: {approved}
---

# Control of documents

{text}
"""


NOTES = """---
id: SOP-002
type: qms-procedure
title: Meeting notes procedure
version: "0.1"
status: draft
author: Tobias Brandt
---

# Meeting notes procedure

Draft.
"""


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    files = {".techfile.toml": CONFIG, "qms/sop.md": sop("Approved text."), "qms/notes.md": NOTES}
    commit(root, APPROVED, files)
    monkeypatch.chdir(root)
    return root


def _stage(root: Path, path: str, text: str) -> None:
    (root / path).write_text(text, encoding="utf-8")
    git(root, "add", path)


def test_the_staged_edit_fails_with_the_last_approval(repo: Path, techfile: Run) -> None:
    _stage(repo, "qms/sop.md", sop("Edited text."))
    result = techfile("check", "--pre-commit")
    assert result.code == 1 and [line.split(" ")[1] for line in result.lines] == ["DC002"]
    line = result.lines[0]
    assert line.startswith("qms/sop.md:5:1: DC002 [error] SOP-001 (QMS procedure)")
    assert "approved on 2025-11-20 as version 2.0 by Dr. Anna Keller" in line
    assert "the change not committed yet (staged, or in the work tree) changes its content" in line
    assert techfile("check", "--pre-commit", "--no-cache").lines == result.lines  # both paths


def test_a_new_version_or_approval_in_the_same_change_passes(repo: Path, techfile: Run) -> None:
    _stage(repo, "qms/sop.md", sop("Edited text.", version="2.1"))
    assert techfile("check", "--pre-commit").code == 0
    _stage(repo, "qms/sop.md", sop("Edited text.", approved="2026-01-15"))
    assert techfile("check", "--pre-commit").code == 0
    reviewed = sop("Approved text.").replace(
        "status: approved", "status: approved\nnext_review: 2026-11-20"
    )
    _stage(repo, "qms/sop.md", reviewed)
    assert techfile("check", "--pre-commit").code == 0  # a review date is no content


def test_an_unrelated_change_passes_and_the_next_commit_is_not_blamed(
    repo: Path, techfile: Run
) -> None:
    _stage(repo, "qms/notes.md", NOTES + "More.\n")
    assert techfile("check", "--pre-commit").code == 0
    # the edit committed anyway (--no-verify): the commit after it is not blamed for it
    _stage(repo, "qms/sop.md", sop("Edited text."))
    git(repo, "commit", "-q", "-m", "edit", date=LATER)
    _stage(repo, "qms/notes.md", NOTES + "Even more.\n")
    assert techfile("check", "--pre-commit").code == 0
    full = techfile("check")  # the whole file still shows it, on the commit that made it
    assert full.code == 1 and "commit " in full.out and "of 2025-12-01 changed" in full.out


def test_only_the_staged_content_counts(repo: Path, techfile: Run) -> None:
    """A partial commit: the work tree edits the approved document, the index does not."""
    (repo / "qms/sop.md").write_text(sop("Edited, not staged."), encoding="utf-8")
    _stage(repo, "qms/notes.md", NOTES + "More.\n")
    assert techfile("check", "--pre-commit").code == 0
    assert techfile("check").code == 1  # the work tree does change it


def test_a_change_on_the_approval_day_belongs_to_the_approval(repo: Path, techfile: Run) -> None:
    _stage(repo, "qms/sop.md", sop("Edited text."))
    assert techfile("check", "--pre-commit", "--as-of", "2025-11-20").code == 0
    assert techfile("check", "--pre-commit", "--as-of", "2025-11-21").code == 1


def test_changed_since_reports_the_branch_commit(repo: Path, techfile: Run) -> None:
    main_branch = git(repo, "rev-parse", "--abbrev-ref", "HEAD").strip()
    git(repo, "checkout", "-q", "-b", "edit")
    commit(repo, LATER, {"qms/sop.md": sop("Edited on a branch.")})
    edited = git(repo, "rev-parse", "--short=7", "HEAD").strip()
    result = techfile("check", "--changed-since", main_branch)
    assert result.code == 1 and len(result.lines) == 1
    assert f"commit {edited} of 2025-12-01 changed its content" in result.out
    git(repo, "checkout", "-q", main_branch)
    git(repo, "checkout", "-q", "-b", "unrelated")
    commit(repo, LATER, {"qms/notes.md": NOTES + "More.\n"})
    assert techfile("check", "--changed-since", main_branch).code == 0


def test_pre_commit_hook_fails_the_offending_commit_only(tmp_path: Path) -> None:
    """The real pre-commit, with the README's configuration and this checkout as the hook."""
    env = _env(tmp_path)
    hook_repo, rev = _snapshot_of_this_checkout(tmp_path, env)
    project = tmp_path / "project"
    (project / "qms").mkdir(parents=True)
    _git(project, "init", "-q", env=env)
    (project / ".techfile.toml").write_text(CONFIG, encoding="utf-8")
    (project / "qms" / "sop.md").write_text(sop("Approved text."), encoding="utf-8")
    (project / "qms" / "notes.md").write_text(NOTES, encoding="utf-8")
    config = re.sub(r"repo: \S+", f"repo: {hook_repo.as_posix()}", _readme_config())
    config = re.sub(r"rev: \S+", f"rev: {rev}", config)
    (project / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    installed = subprocess.run(
        [*PRE_COMMIT, "install"], cwd=project, env=env, capture_output=True, text=True, check=False
    )
    assert installed.returncode == 0, installed.stderr
    dated = {**env, "GIT_AUTHOR_DATE": APPROVED, "GIT_COMMITTER_DATE": APPROVED}
    _git(project, "add", "-A", env=env)
    first = _git(project, "commit", "-m", "SOP-001 2.0, approved", env=dated)
    assert first.returncode == 0, first.stdout + first.stderr

    later = {**env, "GIT_AUTHOR_DATE": LATER, "GIT_COMMITTER_DATE": LATER}
    (project / "qms" / "sop.md").write_text(sop("Edited text."), encoding="utf-8")
    _git(project, "add", "qms/sop.md", env=env)
    offending = _git(project, "commit", "-m", "Edit the approved SOP", env=later)
    output = offending.stdout + offending.stderr
    assert offending.returncode != 0, output
    assert "DC002" in output and "qms/sop.md" in output
    assert "approved on 2025-11-20 as version 2.0 by Dr. Anna Keller" in output
    assert _git(project, "rev-list", "--count", "HEAD", env=env).stdout.strip() == "1"

    _git(project, "reset", "-q", "HEAD", "--", "qms/sop.md", env=env)
    (project / "qms" / "notes.md").write_text(NOTES + "More.\n", encoding="utf-8")
    _git(project, "add", "qms/notes.md", env=env)
    unrelated = _git(project, "commit", "-m", "Notes", env=later)
    assert unrelated.returncode == 0, unrelated.stdout + unrelated.stderr
