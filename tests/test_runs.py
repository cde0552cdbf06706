"""Run modes: --changed-since, --pre-commit from the index, the baseline, the cache, --jobs."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

DOC = """---
id: {id}
type: qms-procedure
title: {title}
version: "1.0"
status: approved
references: [{refs}]
---

# {title}
"""


# these tests are about run modes, so they look at the identity rules only
CONFIG = 'as-of = "2026-01-15"\nselect = ["ID", "FM"]\n'


def _doc(doc_id: str, refs: str = "", title: str = "Procedure") -> str:
    return DOC.format(id=doc_id, refs=refs, title=title)


def _git(root: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    done = subprocess.run(
        ["git", *args], cwd=root, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def _repo(tree, files: dict[str, str]) -> Path:  # type: ignore[no-untyped-def]
    root: Path = tree({**files, ".techfile.toml": CONFIG})
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "start")
    return root


def test_changed_since_reports_changed_files_and_what_the_change_breaks(tree, techfile) -> None:
    root = _repo(
        tree,
        {
            "a.md": _doc("SOP-A", "SOP-B"),
            "b.md": _doc("SOP-B"),
            "old.md": _doc("SOP-OLD", "SOP-GONE"),  # an old defect, untouched by the branch
            "c.md": _doc("SOP-C"),
        },
    )
    _git(root, "checkout", "-qb", "feature")
    (root / "b.md").unlink()
    (root / "c.md").write_text(_doc("SOP-C", "SOP-NOPE"), encoding="utf-8")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "change")
    whole = techfile("check", cwd=root)
    assert {line.split(":")[0] for line in whole.lines} == {"a.md", "c.md", "old.md"}
    changed = techfile("check", "--changed-since", "main", cwd=root)
    assert changed.code == 1
    assert [line.split(":")[0] for line in changed.lines] == ["a.md", "c.md"]
    assert all("ID002" in line for line in changed.lines)


def test_pre_commit_reads_the_index_not_the_work_tree(tree, techfile) -> None:
    root = _repo(tree, {"a.md": _doc("SOP-A")})
    (root / "untracked.md").write_text(_doc("SOP-X", "SOP-MISSING"), encoding="utf-8")
    (root / "a.md").write_text(_doc("SOP-A", "SOP-UNSTAGED"), encoding="utf-8")
    result = techfile("check", "--pre-commit", cwd=root)
    assert (result.code, result.out) == (0, "")
    _git(root, "add", "a.md")
    staged = techfile("check", "--pre-commit", cwd=root)
    assert staged.code == 1 and "SOP-UNSTAGED" in staged.out and "untracked" not in staged.out


def test_pre_commit_honours_git_index_file(tree, techfile, monkeypatch) -> None:
    root = _repo(tree, {"a.md": _doc("SOP-A")})
    (root / "a.md").write_text(_doc("SOP-A", "SOP-PARTIAL"), encoding="utf-8")
    other_index = root / ".git" / "other-index"
    env = {**os.environ, "GIT_INDEX_FILE": str(other_index)}
    subprocess.run(["git", "read-tree", "HEAD"], cwd=root, env=env, check=True)
    subprocess.run(["git", "add", "a.md"], cwd=root, env=env, check=True)
    assert techfile("check", "--pre-commit", cwd=root).code == 0  # the default index is clean
    monkeypatch.setenv("GIT_INDEX_FILE", str(other_index))
    assert "SOP-PARTIAL" in techfile("check", "--pre-commit", cwd=root).out


def test_baseline_accepts_current_findings_and_fails_new_ones(tree, techfile) -> None:
    root = tree({"a.md": _doc("SOP-A", "SOP-GONE"), ".techfile.toml": CONFIG})
    assert techfile("check", cwd=root).code == 1
    written = techfile("baseline", "write", "--reason", "adopting techfile", cwd=root)
    assert written.code == 0
    baseline = json.loads((root / ".techfile-baseline.json").read_text(encoding="utf-8"))
    assert baseline["reason"] == "adopting techfile"
    assert [f["code"] for f in baseline["findings"]] == ["ID002"]
    assert techfile("check", cwd=root).code == 0
    listed = techfile("waivers", cwd=root)
    assert "baseline" in listed.out and "SOP-GONE" in listed.out
    (root / "b.md").write_text(_doc("SOP-B", "SOP-NEW-GAP"), encoding="utf-8")
    new = techfile("check", cwd=root)
    assert new.code == 1 and new.lines == [new.lines[0]] and "SOP-NEW-GAP" in new.out
    (root / "a.md").write_text(_doc("SOP-A"), encoding="utf-8")
    fixed = techfile("check", cwd=root)
    assert "1 baselined finding(s) are gone" in fixed.err


def test_baseline_needs_a_reason(tree, techfile) -> None:
    root = tree({"a.md": _doc("SOP-A")})
    assert techfile("baseline", "write", "--reason", " ", cwd=root).code == 2


def test_cache_is_used_rebuilt_when_corrupt_and_never_trusted(tree, techfile) -> None:
    root = tree({"a.md": _doc("SOP-A", "SOP-GONE"), "b.md": _doc("SOP-B")}, config=CONFIG)
    first = techfile("check", cwd=root)
    cache = root / ".techfile_cache"
    assert (cache / ".gitignore").read_text(encoding="utf-8").strip().endswith("*")
    [shards] = cache.glob("parsed-*")
    assert len(list(shards.glob("*.json"))) == 2  # one shard per key prefix here
    assert _without_stored_results(root) and techfile("check", cwd=root).out == first.out
    for shard in shards.glob("*.json"):
        shard.write_text('{"format": 1, "version": "0.1.0", "entries": {"x": 1}}')
    assert _without_stored_results(root) and techfile("check", cwd=root).out == first.out
    for shard in shards.glob("*.json"):
        shard.write_bytes(b"\xff\x00 not json")
    assert _without_stored_results(root) and techfile("check", cwd=root).out == first.out
    (root / "b.md").write_text(_doc("SOP-B", "SOP-ALSO-GONE"), encoding="utf-8")
    assert "SOP-ALSO-GONE" in techfile("check", cwd=root).out


def _without_stored_results(root: Path) -> bool:
    """Drop the whole-run results, so the next run reads the parse cache."""
    for store in (root / ".techfile_cache").glob("results-*.json"):
        store.unlink()
    return True


def test_a_changed_file_rewrites_only_its_cache_shard(tree, techfile) -> None:
    files = {f"doc-{n:03d}.md": _doc(f"SOP-{n:03d}") for n in range(40)}
    root = tree(files, config=CONFIG)
    techfile("check", cwd=root)
    [shards] = (root / ".techfile_cache").glob("parsed-*")
    before = {p.name: p.stat().st_mtime_ns for p in shards.glob("*.json")}
    assert len(before) > 10
    time.sleep(0.01)
    (root / "doc-007.md").write_text(_doc("SOP-007", "SOP-008"), encoding="utf-8")
    techfile("check", cwd=root)
    after = {p.name: p.stat().st_mtime_ns for p in shards.glob("*.json")}
    rewritten = {name for name in after if after[name] != before.get(name)}
    assert len(rewritten) == 1


def test_no_cache_writes_nothing(tree, techfile) -> None:
    root = tree({"a.md": _doc("SOP-A")})
    techfile("check", "--no-cache", cwd=root)
    assert not (root / ".techfile_cache").exists()


def test_jobs_give_identical_output(tree, techfile) -> None:
    files = {f"doc-{n:03d}.md": _doc(f"SOP-{n:03d}", f"SOP-{n + 1:03d}") for n in range(40)}
    root = tree(files, config=CONFIG)
    serial = techfile("check", "--jobs", "1", "--no-cache", "--format", "json", cwd=root)
    parallel = techfile("check", "--jobs", "2", "--no-cache", "--format", "json", cwd=root)
    assert serial.out == parallel.out and serial.code == parallel.code == 1
    assert techfile("check", "--jobs", "0", cwd=root).code == 2


def test_stored_results_follow_every_input(tree, techfile) -> None:
    """An unchanged file gives its stored result; a change to a document, to a data file
    a rule opened, or to the configuration is checked again."""
    csv = "ID,Hazard,Hazardous situation,Harm\nR-1,Wrong result,Clinician misled,Delayed care\n"
    risk = (
        "---\nid: RA-1\ntype: risk-analysis\nreferences: [SOP-GONE]\n---\n\n"
        "```{csv-table} Risks\n:file: risks.csv\n```\n"
    )
    root = tree({"risk.md": risk, "risks.csv": csv, ".techfile.toml": CONFIG})
    first = techfile("check", "--format", "json", cwd=root)
    assert list((root / ".techfile_cache").glob("results-*.json"))
    assert techfile("check", "--format", "json", cwd=root).out == first.out
    (root / "risks.csv").write_text(csv + "R-1,Duplicate row,x,y\n", encoding="utf-8")
    changed = techfile("check", cwd=root)
    assert "ID001" in changed.out and "ID001" not in first.out
    (root / ".techfile.toml").write_text(CONFIG + 'exclude = ["risk.md"]\n', encoding="utf-8")
    assert techfile("check", cwd=root).out == ""
    [store] = (root / ".techfile_cache").glob("results-*.json")
    store.write_text("{not json", encoding="utf-8")
    assert techfile("check", cwd=root).out == ""
