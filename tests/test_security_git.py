"""git as data, never as code: the repository (its files and its .git, both from whoever
opened the pull request) cannot make techfile run a program, pass options to git, or stop
it quietly; history git cannot read is an error, not a silent pass."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from conftest import git
from techfile.intake import sources

CONFIG = 'as-of = "2026-01-15"\n'
DOC = "---\nid: IFU-{n}\ntype: ifu\ntitle: Instructions {n}\n---\n\n# Instructions {n}\n"


def _repo(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / ".techfile.toml").write_text(CONFIG, encoding="utf-8")
    (root / "a.md").write_text(DOC.format(n=1), encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "one", date="2026-01-01T10:00:00Z")
    return root


def _script(path: Path, marker: Path, then: str = "exit 1") -> str:
    path.write_text(f'#!/bin/sh\necho "$0 $*" >> "{marker}"\n{then}\n', encoding="utf-8")
    path.chmod(0o755)
    return str(path)


def _plain_git(root: Path, *args: str) -> None:
    """git as a user would run it, with the repository's configuration in force."""
    subprocess.run(["git", *args], cwd=root, capture_output=True, check=False)


@pytest.mark.parametrize("ref", ["--octopus", "--output=out.txt", "-"])
def test_changed_since_is_a_revision_never_an_option(tmp_path: Path, techfile, ref: str) -> None:
    root = _repo(tmp_path / "repo")
    result = techfile("check", f"--changed-since={ref}", cwd=root)
    assert result.code == 2
    assert "not a git revision" in result.err and len(result.err.strip().splitlines()) == 1
    assert not (root / "out.txt").exists()


def test_changed_since_an_unknown_revision_says_so(tmp_path: Path, techfile) -> None:
    result = techfile("check", "--changed-since", "no-such-branch", cwd=_repo(tmp_path / "r"))
    assert result.code == 2 and "no such commit" in result.err


def test_the_repositorys_fsmonitor_never_runs(tmp_path: Path, techfile) -> None:
    root = _repo(tmp_path / "repo")
    marker = tmp_path / "FSMONITOR-RAN"
    git(root, "config", "core.fsmonitor", _script(tmp_path / "hook.sh", marker))
    _plain_git(root, "status")
    assert marker.exists(), "the hook should run for plain git: the test would prove nothing"
    marker.unlink()
    (root / "b.md").write_text(DOC.format(n=2), encoding="utf-8")
    git(root, "add", "b.md")
    for args in ([], ["--pre-commit"], ["--changed-since", "HEAD"], ["--no-cache"]):
        result = techfile("check", *args, cwd=root)
        assert result.code in (0, 1), (args, result.err)
        assert not marker.exists(), f"core.fsmonitor ran in `techfile check {' '.join(args)}`"


def test_the_repositorys_clean_filter_never_runs(tmp_path: Path, techfile) -> None:
    root = _repo(tmp_path / "repo")
    marker = tmp_path / "FILTER-RAN"
    git(root, "config", "filter.x.clean", _script(tmp_path / "clean.sh", marker, then="cat"))
    git(root, "config", "filter.x.required", "true")
    (root / ".git" / "info" / "attributes").write_text("*.md filter=x\n", encoding="utf-8")
    os.utime(root / "a.md", (1_000_000_000, 1_000_000_000))  # stat data no longer match
    _plain_git(root, "diff", "--name-only", "HEAD")
    assert marker.exists(), "the filter should run for plain git: the test would prove nothing"
    marker.unlink()
    os.utime(root / "a.md", (1_000_000_001, 1_000_000_001))
    result = techfile("check", "--changed-since", "HEAD", cwd=root)
    assert result.code in (0, 1), result.err
    assert not marker.exists(), "a clean filter ran in `techfile check --changed-since`"


def test_a_filter_driver_whose_name_cannot_be_turned_off_stops_the_run(
    tmp_path: Path, techfile
) -> None:
    root = _repo(tmp_path / "repo")
    marker = tmp_path / "FILTER-RAN"
    git(root, "config", "filter.a=b.clean", _script(tmp_path / "clean.sh", marker, then="cat"))
    result = techfile("check", "--changed-since", "HEAD", cwd=root)
    assert result.code == 2 and "filter driver" in result.err
    assert not marker.exists()


def test_git_runs_with_the_safety_settings(tmp_path: Path, monkeypatch) -> None:
    root = _repo(tmp_path / "repo")
    seen: list[list[str]] = []
    real_run = subprocess.run

    def spy(command: list[str], *args: object, **kwargs: object) -> object:
        seen.append(list(command))
        return real_run(command, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(sources.subprocess, "run", spy)
    sources.git(root, "ls-files")
    assert seen and seen[0][0] == "git"
    settings = {seen[0][i + 1] for i, item in enumerate(seen[0]) if item == "-c"}
    assert {"core.fsmonitor=false", "protocol.allow=never", "protocol.file.allow=never"} <= settings


@pytest.mark.parametrize("mode", [["--pre-commit"], ["--changed-since", "HEAD~1"]])
def test_a_file_name_that_is_not_utf8_is_reported_not_a_crash(
    tmp_path: Path, techfile, mode: list[str]
) -> None:
    root = _repo(tmp_path / "repo")
    name = os.fsdecode(b"b\xff.md")
    (root / name).write_text(DOC.format(n=2), encoding="utf-8")
    git(root, "add", "-A")
    if mode[0] == "--changed-since":
        git(root, "commit", "-qm", "two", date="2026-01-02T10:00:00Z")
    result = techfile("check", *mode, "--format", "json", cwd=root)
    assert result.code == 1, result.err
    found = [(f["code"], f["path"]) for f in result.json()["findings"]]
    assert found == [("FM009", "b\ufffd.md")]


def test_history_with_missing_objects_is_an_error_not_a_silent_pass(
    tmp_path: Path, techfile
) -> None:
    root = _repo(tmp_path / "repo")
    head = git(root, "rev-parse", "HEAD").strip()
    (root / ".git" / "objects" / head[:2] / head[2:]).unlink()
    result = techfile("check", "--no-cache", cwd=root)
    assert result.code == 2
    assert "history" in result.err and "cannot be read" in result.err


@pytest.mark.skipif(os.geteuid() != 0, reason="giving the repository away needs root")
def test_a_repository_git_refuses_to_read_is_an_error(tmp_path: Path, techfile) -> None:
    root = _repo(tmp_path / "repo")
    for directory, subdirs, files in os.walk(root):
        for name in [directory, *(os.path.join(directory, n) for n in subdirs + files)]:
            os.lchown(name, 54321, 54321)  # another user's repository: "dubious ownership"
    result = techfile("check", "--no-cache", cwd=root)
    assert result.code == 2
    assert "dubious ownership" in result.err and "safe.directory" in result.err


def test_no_repository_or_no_commit_only_skips_the_history_rules(tree, techfile) -> None:
    root = tree({"a.md": DOC.format(n=1)}, config=CONFIG)
    assert techfile("check", cwd=root).code == 0
    git(root, "init", "-q")
    result = techfile("check", cwd=root)
    assert result.code == 0 and "rules that read git history were skipped" in result.err


def test_a_configuration_that_selects_no_rule_is_an_error(tree, techfile) -> None:
    root = tree({"a.md": DOC.format(n=1)}, config=CONFIG + 'ignore = ["ALL"]\n')
    result = techfile("check", cwd=root)
    assert result.code == 2 and "no rule selected" in result.err
    result = techfile("check", "--select", "ID002", "--ignore", "ID002", cwd=root)
    assert result.code == 2 and "no rule selected" in result.err


def test_a_blob_over_the_limit_is_not_read_by_the_long_lived_reader(tmp_path: Path) -> None:
    root = _repo(tmp_path / "repo")
    (root / "big.md").write_bytes(b"x" * 5000)
    git(root, "add", "big.md")
    tree = sources.GitTree(root, 1000)
    problem = tree.read_path("big.md")
    assert not isinstance(problem, bytes) and problem.code == "FM010"
    assert "5,000 bytes" in problem.message
    assert tree.read_path("a.md") == DOC.format(n=1).encode()  # a new process answers


def test_reading_history_never_runs_the_repositorys_signature_program(
    tmp_path: Path, techfile
) -> None:
    """`log.showSignature` with a repository-chosen `gpg.program` would run that program on
    every signed commit git log shows; the history reader switches signature display off."""
    root = _repo(tmp_path / "repo")
    marker = tmp_path / "GPG-RAN"
    tree = subprocess.run(
        ["git", "rev-parse", "HEAD^{tree}"], cwd=root, capture_output=True, text=True, check=True
    ).stdout.strip()
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True
    ).stdout.strip()
    signed = (
        f"tree {tree}\nparent {head}\n"
        "author A <a@example.com> 1767261600 +0000\ncommitter A <a@example.com> 1767261600 +0000\n"
        "gpgsig -----BEGIN PGP SIGNATURE-----\n \n AAAA\n -----END PGP SIGNATURE-----\n\nsigned\n"
    )
    commit = subprocess.run(
        ["git", "hash-object", "-t", "commit", "-w", "--stdin"],
        cwd=root,
        input=signed,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    git(root, "update-ref", "HEAD", commit)
    git(root, "config", "log.showSignature", "true")
    git(root, "config", "gpg.program", _script(tmp_path / "gpg.sh", marker))
    _plain_git(root, "log", "-1")
    assert marker.exists(), "plain git log should run it: the test would prove nothing"
    marker.unlink()
    result = techfile("check", "--select", "DC002", "--no-cache", cwd=root)
    assert result.code in (0, 1), result.err
    assert not marker.exists(), "the repository's gpg.program ran while reading history"
