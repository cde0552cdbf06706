"""Writes stay where they are told (SECURITY.md, point 3): an output path that the pull request
planted as a symbolic link is refused with exit 2, never followed, and `self-test --fixtures`
writes nothing outside its scratch directory whatever names a fixture gives."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import CliResult, snapshot
from techfile.data.resources import bundled

Run = Callable[..., CliResult]
CONFIG = 'as-of = "2026-01-15"\nselect = ["ID", "FM"]\n'
DOC = "---\nid: SOP-1\ntype: qms-procedure\ntitle: P\nstatus: approved\nreferences: [GONE]\n---\n"
PRECIOUS = "export PATH=/usr/bin  # the victim's own file\n"


def _git(root: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, check=True)


def _checkout(tmp_path: Path, links: dict[str, str]) -> tuple[Path, Path]:
    """A committed technical file whose `links` (name -> target) point outside the checkout,
    at a file standing in for ~/.bashrc; returns (checkout, that file)."""
    outside = tmp_path / "home"
    outside.mkdir()
    victim = outside / ".bashrc"
    victim.write_text(PRECIOUS, encoding="utf-8")
    repo = tmp_path / "checkout"
    repo.mkdir()
    (repo / ".techfile.toml").write_text(CONFIG, encoding="utf-8")
    (repo / "sop.md").write_text(DOC, encoding="utf-8")
    for name, target in links.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).symlink_to(
            target.replace("VICTIM", str(victim)).replace("HOME", str(outside))
        )
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "pull request")
    return repo, victim


def _untouched(victim: Path) -> bool:
    home = victim.parent
    return victim.read_text(encoding="utf-8") == PRECIOUS and [p.name for p in home.iterdir()] == [
        ".bashrc"
    ]


def _refused(result: CliResult, name: str) -> None:
    assert result.code == 2, result.err
    lines = [line for line in result.err.splitlines() if "refusing" in line]
    assert len(lines) == 1, result.err
    assert name in lines[0] and lines[0].startswith("techfile: "), lines[0]


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


# --- the GitHub Action's default SARIF path ----------------------------------------------


def test_action_refuses_a_committed_sarif_symlink(tmp_path: Path) -> None:
    repo, victim = _checkout(tmp_path, {"techfile.sarif": "VICTIM"})
    done = _run_action(repo, tmp_path)
    assert done.returncode == 2, done.stderr
    assert _untouched(victim)
    assert (repo / "techfile.sarif").is_symlink()
    assert "techfile.sarif" in done.stderr and "symbolic link" in done.stderr
    errors = [line for line in done.stdout.splitlines() if line.startswith("::error title=")]
    assert len(errors) == 1 and "techfile.sarif" in errors[0]


def test_action_refuses_a_sarif_path_below_a_committed_directory_link(tmp_path: Path) -> None:
    repo, victim = _checkout(tmp_path, {"out": "HOME"})
    done = _run_action(repo, tmp_path, sarif_file="out/techfile.sarif")
    assert done.returncode == 2, done.stderr
    assert _untouched(victim)


# --- every command that writes a file the user named ---------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("check", "--format", "sarif", "--output", "techfile.sarif"),
        ("check", "--report", "sarif=techfile.sarif"),
        ("check", "--format", "json", "--report", "junit=techfile.sarif"),
        ("report", "--format", "markdown", "--output", "techfile.sarif"),
        ("self-test", "--output", "techfile.sarif", "--as-of", "2026-06-30"),
    ],
    ids=["check-output", "check-report", "check-report-junit", "report-output", "self-test"],
)
@pytest.mark.parametrize("dangling", [False, True], ids=["link", "dangling-link"])
def test_an_output_symlink_is_refused(
    tmp_path: Path, techfile: Run, args: tuple[str, ...], dangling: bool
) -> None:
    target = "HOME/not-yet-there" if dangling else "VICTIM"
    repo, victim = _checkout(tmp_path, {"techfile.sarif": target})
    if args[0] == "self-test":  # a small fixture set keeps the run short
        fixtures = tmp_path / "fixtures"
        name = "EV001-organisational-evidence-for-product-requirement"
        shutil.copytree(bundled("fixtures") / name, fixtures / name, symlinks=True)
        args = (*args, "--fixtures", str(fixtures))
    result = techfile(*args, cwd=repo)
    _refused(result, "techfile.sarif")
    assert _untouched(victim)
    assert (repo / "techfile.sarif").is_symlink()


def test_an_output_below_a_directory_link_is_refused(tmp_path: Path, techfile: Run) -> None:
    repo, victim = _checkout(tmp_path, {"reports": "HOME"})
    result = techfile("check", "--format", "sarif", "--output", "reports/new/x.sarif", cwd=repo)
    _refused(result, "reports")
    assert _untouched(victim)  # not even the directory `new` was made through the link


def test_an_output_that_is_a_directory_is_refused(tmp_path: Path, techfile: Run) -> None:
    repo, _ = _checkout(tmp_path, {})
    (repo / "techfile.sarif").mkdir()
    result = techfile("check", "--report", "sarif=techfile.sarif", cwd=repo)
    _refused(result, "techfile.sarif")


def test_baseline_write_refuses_a_committed_baseline_symlink(tmp_path: Path, techfile: Run) -> None:
    repo, victim = _checkout(tmp_path, {".techfile-baseline.json": "VICTIM"})
    result = techfile("baseline", "write", "--reason", "adopting", cwd=repo)
    _refused(result, ".techfile-baseline.json")
    assert _untouched(victim)


def test_ordinary_outputs_are_still_written(tmp_path: Path, techfile: Run) -> None:
    repo, _ = _checkout(tmp_path, {})
    work = repo / "sub"
    work.mkdir()
    outside = tmp_path / "elsewhere" / "abs.sarif"
    result = techfile(
        "check",
        str(repo),
        "--format",
        "sarif",
        "--output",
        "out/deeper/x.sarif",  # missing directories below the working directory are made
        "--report",
        "json=../up.json",  # a relative path may climb: only what it names below is checked
        "--report",
        f"text={outside}",  # an absolute path is the user's: only the file itself is checked
        cwd=work,
    )
    assert result.code == 1, result.err
    assert (work / "out" / "deeper" / "x.sarif").read_text(encoding="utf-8").startswith("{")
    assert (repo / "up.json").is_file() and outside.is_file()
    assert not list(work.rglob(".*.tmp")), "no temporary file is left behind"
    written = techfile("baseline", "write", "--reason", "adopting", cwd=repo)
    assert written.code == 0 and (repo / ".techfile-baseline.json").is_file()


# --- self-test --fixtures with crafted names -----------------------------------------------


def _crafted_fixtures(tmp_path: Path, outside: Path) -> Path:
    """One fixture case per trick; each tries to make `outside/NAME` or escape otherwise."""
    base = bundled("fixtures") / "EV001-organisational-evidence-for-product-requirement" / "fail"
    fixtures = tmp_path / "fixtures"
    cases = {
        "relative-link": {".links.yaml": "../../../escaped-link: anywhere\n"},
        "absolute-link": {".links.yaml": f"{outside}/absolute-link: anywhere\n"},
        "link-pointing-out": {".links.yaml": f"inside.md: {outside}/pointed-at\n"},
        "link-chain": {".links.yaml": f"dir: {outside}\ndir/chained: x\n"},
        "history-relative": {
            ".history.yaml": (
                "commits:\n- date: '2025-01-01T00:00:00+00:00'\n  files:\n"
                "    ../../../escaped-file: owned\n"
            )
        },
        "history-absolute": {
            ".history.yaml": (
                "commits:\n- date: '2025-01-01T00:00:00+00:00'\n  files:\n"
                f"    {outside}/absolute-file: owned\n"
            )
        },
        "history-git-config": {
            ".history.yaml": (
                "commits:\n- date: '2025-01-01T00:00:00+00:00'\n  files:\n"
                '    .git/config: "[core]\\n\\tfsmonitor = touch '
                f'{outside}/ran-code\\n"\n'
            )
        },
        "history-copies-outside": {
            ".history.yaml": (
                "commits:\n- date: '2025-01-01T00:00:00+00:00'\n  files:\n"
                "    ../../../outside/secret: ~\n"
            )
        },
    }
    for trick, extra in cases.items():
        case = fixtures / f"EV001-{trick}" / "fail"
        shutil.copytree(base, case)
        for name, text in extra.items():
            (case / name).write_text(text, encoding="utf-8")
    linked = fixtures / "EV001-symlink-entry" / "fail"
    shutil.copytree(base, linked)
    (linked / "stolen.md").symlink_to(outside / "secret")
    linked_case = fixtures / "EV001-symlinked-case" / "fail"
    linked_case.parent.mkdir(parents=True)
    os.symlink(base, linked_case)
    return fixtures


def test_self_test_fixtures_cannot_write_outside_the_scratch_directory(
    tmp_path: Path, techfile: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret").write_text("do not copy me\n", encoding="utf-8")
    scratch_parent = tmp_path / "tmp" / "a" / "b"  # ../../../ from a case lands in tmp_path/tmp
    scratch_parent.mkdir(parents=True)
    monkeypatch.setattr(tempfile, "tempdir", str(scratch_parent))
    fixtures = _crafted_fixtures(tmp_path, outside)
    fixtures_before = snapshot(fixtures)
    record = tmp_path / "record.md"

    result = techfile("self-test", "--fixtures", str(fixtures), "--output", str(record))

    assert result.code == 1, result.err  # each crafted case is a failed fixture, not a crash
    assert sorted(p.name for p in outside.iterdir()) == ["secret"]
    assert [p for p in (tmp_path / "tmp").rglob("*") if p != scratch_parent] == [
        scratch_parent.parent
    ]
    assert not list(scratch_parent.iterdir()), "the scratch directories are removed"
    assert snapshot(fixtures) == fixtures_before
    text = record.read_text(encoding="utf-8")
    assert "do not copy me" not in text
    for trick in ("relative-link", "absolute-link", "link-chain", "history-relative"):
        assert f"### EV001-{trick}/fail: FAIL" in text
    for problem in ("leaves the technical file", "symbolic link", "points outside"):
        assert problem in text
