"""`--pre-commit` checks file-scoped rules on the changed documents only: whatever the change,
its report must be the one checking both states in full gives."""

from __future__ import annotations

import datetime
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from techfile.data.resources import bundled
from techfile.engine import changes, incremental
from techfile.engine.pipeline import RunOptions
from techfile.engine.run import run
from techfile.formatters import FORMATTERS
from techfile.intake.config import load_config

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

EXAMPLE = bundled("examples") / "connected-samd"
AS_OF = datetime.date(2026, 6, 30)


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".techfile_cache"))
    _git(root, "init", "-q")
    _git(root, "-c", "user.name=T", "-c", "user.email=t@example.org", "add", "-A")
    _git(root, "-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-qm", "start")
    return root


def _report(root: Path, incremental: bool) -> str:
    """The JSON report of `check --pre-commit`; `incremental=False` checks both states in full."""
    config = load_config(root, root / ".techfile.toml")
    options = RunOptions(jobs="1", pre_commit=True, as_of=AS_OF, incremental=incremental)
    return FORMATTERS["json"](run(config, options))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _row_text(root: Path) -> None:
    _edit(root / "risk/risk-analysis.md", "| R-01 |", "| R-01 | (revised) ")


def _broken_reference(root: Path) -> None:
    _edit(root / "security/threat-model.md", "RA-001:R-10", "RA-001:R-99")


def _deleted_citation_target(root: Path) -> None:
    (root / "isms/isms-soa.md").unlink()


def _renamed_item(root: Path) -> None:
    """The threat model cites RA-001:R-10; renamed, the citation dangles in an unchanged file."""
    _edit(root / "risk/risk-analysis.md", "| R-10 |", "| R-10X |")


def _plan_changed(root: Path) -> None:
    _edit(root / "risk/risk-management-plan.md", "version:", 'version: "9.9"\nold_version:')


def _duplicate_id(root: Path) -> None:
    shutil.copy(root / "security/threat-model.md", root / "security/threat-model-copy.md")


def _schema_violation(root: Path) -> None:
    _edit(root / "software/soup-list.md", "version:", "version: [1, 2]\nold_version:")


def _soup_version_changed(root: Path) -> None:
    """The SOUP list no longer matches the SBOM: SC001, from a rule scoped by types."""
    _edit(root / "software/soup-list.md", "| numpy | 2.1.3 |", "| numpy | 2.2.0 |")


def _sbom_changed(root: Path) -> None:
    _edit(root / "software/cardiowatch-2.3.0.cdx.json", '"components"', '"components_renamed"')


CHANGES: dict[str, Callable[[Path], None]] = {
    "row-text": _row_text,
    "broken-reference": _broken_reference,
    "deleted-citation-target": _deleted_citation_target,
    "plan-changed": _plan_changed,
    "renamed-item": _renamed_item,
    "duplicate-id": _duplicate_id,
    "schema-violation": _schema_violation,
    "sbom-changed": _sbom_changed,
    "soup-version-changed": _soup_version_changed,
}


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_incremental_report_equals_the_full_one(
    repo: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    CHANGES[name](repo)
    _git(repo, "add", "-A")
    full = _report(repo, incremental=False)
    used: list[bool] = []

    def recording(*args: object) -> object:
        both = incremental.check_change(*args)  # type: ignore[arg-type]
        used.append(both is not None)
        return both

    monkeypatch.setattr(changes, "check_change", recording)
    first = _report(repo, incremental=True)  # the state at HEAD is checked in full here
    again = _report(repo, incremental=True)  # and comes from the result store here
    assert first == full
    assert again == full
    # a change to a context document (the plan) needs both states in full
    assert used == ([False, False] if name == "plan-changed" else [True, True])


def test_a_change_that_adds_findings_reports_them(repo: Path) -> None:
    _broken_reference(repo)
    _schema_violation(repo)
    _git(repo, "add", "-A")
    report = _report(repo, incremental=True)
    assert "ID002" in report and "FM004" in report


def test_a_renamed_item_is_reported_where_it_is_cited(repo: Path) -> None:
    _renamed_item(repo)
    _git(repo, "add", "-A")
    report = _report(repo, incremental=True)
    assert '"ID002"' in report and "security/threat-model.md" in report


def test_the_state_at_head_stays_stored_through_many_commits_attempts(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each run stores its staged state; the state at HEAD, used by every run, is kept."""
    checked_in_full: list[int] = []
    whole = incremental._whole_context

    def counting(*args: object) -> object:
        checked_in_full.append(1)
        return whole(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(incremental, "_whole_context", counting)
    for attempt in range(12):
        _edit(repo / "risk/risk-analysis.md", "| R-01 |", f"| R-01 | (attempt {attempt}) ")
        _git(repo, "add", "-A")
        _report(repo, incremental=True)
    assert len(checked_in_full) == 1


def test_a_technical_file_in_a_subdirectory(tmp_path: Path) -> None:
    """git reports paths from the repository's top; the root's own paths must match them."""
    top = tmp_path / "repo"
    shutil.copytree(EXAMPLE, top / "tf", ignore=shutil.ignore_patterns(".techfile_cache"))
    (top / "README.md").write_text("# product code lives here\n", encoding="utf-8")
    _git(top, "init", "-q")
    _git(top, "-c", "user.name=T", "-c", "user.email=t@example.org", "add", "-A")
    _git(top, "-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-qm", "start")
    _schema_violation(top / "tf")
    _renamed_item(top / "tf")
    _git(top, "add", "-A")
    full = _report(top / "tf", incremental=False)
    report = _report(top / "tf", incremental=True)
    assert report == full
    found = {(f["code"], f["path"]) for f in json.loads(report)["findings"]}
    assert ("FM004", "software/soup-list.md") in found
    assert ("ID002", "security/threat-model.md") in found
    assert not any(code in ("EV001", "RM001") for code, _ in found)  # there before the change
