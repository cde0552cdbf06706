"""Bounded on every input: "did you mean", path globs, CSV fields, file reads and paths.

Each test counts the work done (comparisons, automaton steps, bytes asked for) or runs the
hostile input in a child process with a timeout that the old, super-linear code missed by
orders of magnitude; none measures wall-clock time.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import run_subprocess
from techfile.data.clauses import clause_registry
from techfile.data.registry import type_registry
from techfile.intake import sources
from techfile.intake.discover import PathGlobs, _literal_brackets, glob_regex
from techfile.rules import identity
from techfile.util.globmatch import MAX_PATTERN_LENGTH, compile_globs
from techfile.util.nearest import MAX_COMPARED

# --- "did you mean" ----------------------------------------------------------------------


def test_did_you_mean_over_100k_ids_does_bounded_work_per_question() -> None:
    known = [f"SWR-{n:06d}" for n in range(100_000)] + [f"TC-{n:06d}" for n in range(1_000)]
    close = identity.CloseIds(known)
    asked = [f"SWR-{n:06d}9" for n in range(0, 100_000, 1_000)]  # 100 near misses
    answers = [close.suggest(word) for word in asked]
    assert all(answer is not None and answer.startswith("SWR-") for answer in answers)
    assert close.comparisons <= len(asked) * MAX_COMPARED
    assert close.suggest("TC-0000019") is not None  # each kind of id has its own index
    assert close.suggest("XYZ-1") is None  # a kind nobody declares


def test_did_you_mean_keeps_difflib_answers_on_small_registries() -> None:
    close = identity.CloseIds(["SWR-10", "SWR-11", "SWR-12", "TC-10", "SRS-001:SWR-12"])
    assert close.suggest("SWR-14") == "SWR-12"
    assert close.suggest("TM-001") is None
    assert type_registry().suggest("risk-managment-plan") == "risk-management-plan"
    mdr = clause_registry().parse("MDR Annex I 17.22")
    assert mdr is not None and clause_registry().suggest(mdr) is not None


def _many_ids_tree(root: Path, ids: int, dangling: int) -> Path:
    rows = "".join(f"| SWR-{n:05d} | Requirement {n}. | TC-1 |\n" for n in range(ids))
    cases = "".join(
        f"| TC-{n} | Case {n} | pass | SWR-{n * (ids // dangling):05d}7 |\n"
        for n in range(1, dangling + 1)
    )
    (root / "srs.md").write_text(
        "---\nid: SRS-001\ntype: software-requirements\ntitle: SRS\nversion: '1'\n"
        "status: approved\n---\n\n# SRS\n\n| ID | Requirement | Verified by |\n|---|---|---|\n"
        + rows,
        encoding="utf-8",
    )
    (root / "tr.md").write_text(
        "---\nid: TR-001\ntype: test-report\ntitle: TR\nversion: '1'\nstatus: approved\n"
        "software_version: '1.0.0'\n---\n\n# TR\n\n"
        "| Test case ID | Title | Result | Requirement(s) |\n|---|---|---|---|\n" + cases,
        encoding="utf-8",
    )
    (root / ".techfile.toml").write_text('as-of = "2026-01-15"\n', encoding="utf-8")
    return root


def test_id002_suggestions_on_a_tree_with_many_ids_are_bounded(
    tmp_path: Path, techfile, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[identity.CloseIds] = []

    class Counted(identity.CloseIds):
        def __init__(self, known: list[str]) -> None:
            super().__init__(known)
            made.append(self)

    monkeypatch.setattr(identity, "CloseIds", Counted)
    root = _many_ids_tree(tmp_path, ids=10_000, dangling=200)
    result = techfile("check", "--select", "ID002", "--no-cache", cwd=root)
    hints = re.findall(r"did you mean (SWR-\d+)\?", result.out)
    assert result.code == 1 and len(hints) == 200
    assert len(made) == 1  # the known ids are read and indexed once per run
    assert made[0].comparisons <= 200 * MAX_COMPARED


# --- path globs --------------------------------------------------------------------------

HOSTILE = "*a" * 82 + ".md"  # 82 stars: a backtracking regex never finishes on `aaa...`


def test_a_glob_with_82_stars_takes_linear_steps() -> None:
    globs = PathGlobs([HOSTILE])
    assert globs.regex is None and globs.automaton is not None
    path = "a" * 250
    assert not globs(path)
    assert globs.steps <= 2 * globs.automaton.state_count * (len(path) + 1)


def test_a_glob_with_82_stars_in_the_config_finishes(tmp_path: Path) -> None:
    root = tmp_path / "tree"
    root.mkdir()
    (root / ".techfile.toml").write_text(f'include = ["{HOSTILE}"]\n', encoding="utf-8")
    for n in range(20):
        (root / ("a" * 200 + f"{n:02d}")).write_text("x\n", encoding="utf-8")
    (root / ("a" * 84 + ".md")).write_text("# Note\n", encoding="utf-8")
    # the regex of this glob took over 120 s for one such name; linear matching takes
    # milliseconds, so the timeout leaves room only for the interpreter and the imports
    result = run_subprocess("check", "--no-cache", cwd=root, timeout=60)
    assert result.code in (0, 1), result.err
    assert "1 Markdown file" in result.out + result.err


@pytest.mark.parametrize("key", ["include", "exclude"])
def test_a_glob_past_the_length_limit_is_a_config_error_naming_the_key(
    tree, techfile, key: str
) -> None:
    long_glob = "a" * (MAX_PATTERN_LENGTH + 1)
    root = tree({"a.md": "# A\n"}, config=f'{key} = ["{long_glob}"]\n')
    result = techfile("check", cwd=root)
    assert result.code == 2
    assert len(result.err.strip().splitlines()) == 1
    assert f"`{key}`" in result.err and "path glob" in result.err


def test_a_types_glob_past_the_length_limit_is_a_config_error(tree, techfile) -> None:
    long_glob = "a" * (MAX_PATTERN_LENGTH + 1)
    root = tree({"a.md": "# A\n"}, config=f'[types]\n"{long_glob}" = "ifu"\n')
    result = techfile("check", cwd=root)
    assert result.code == 2 and "`types`" in result.err


_GLOB_TOKENS = st.lists(
    st.sampled_from(["a", "b", ".", "-", "]", "!", "[", "^", "/", "*", "**", "**/", "?"]),
    max_size=8,
).map("".join)


@given(st.lists(_GLOB_TOKENS, max_size=3), st.text(alphabet="ab./-]![^", max_size=12))
def test_globs_match_as_the_regex_globs_do(patterns: list[str], path: str) -> None:
    expected = any(glob_regex(p).fullmatch(path) is not None for p in patterns)
    assert PathGlobs(patterns)(path) == expected


@given(_GLOB_TOKENS, st.text(alphabet="ab./-]![^\n", max_size=12))
def test_the_regex_and_the_automaton_agree(pattern: str, path: str) -> None:
    """Which engine matches a glob is a matter of speed, never of the answer."""
    as_regex = re.compile(glob_regex(pattern).pattern, re.DOTALL).fullmatch(path) is not None
    assert compile_globs([_literal_brackets(pattern)])(path) == as_regex


def test_ordinary_globs_stay_regexes() -> None:
    from techfile.model.config import DEFAULT_EXCLUDES

    assert PathGlobs(["**/*.md", *DEFAULT_EXCLUDES]).automaton is None
    assert PathGlobs(["docs/**", "**/drafts/*.md", "*.md"]).automaton is None


# --- CSV fields --------------------------------------------------------------------------

RISK = (
    "---\nid: RA-1\ntype: risk-analysis\ntitle: Risk analysis\n---\n\n# Risks\n\n"
    "```{csv-table} Controls\n:file: controls.csv\n```\n"
)


def test_a_csv_field_over_csvs_limit_is_a_finding_with_its_place(tree, techfile) -> None:
    huge = "x" * (200 * 1024)
    csv_text = f"ID,Control,Type\nRC-1,Interlock,design\nRC-2,{huge},design\n"
    root = tree({"risk.md": RISK, "controls.csv": csv_text})
    result = techfile("check", "--select", "FM008", cwd=root)
    assert result.code == 1
    assert result.out.startswith("risk.md:9:1: FM008 [error] the table file controls.csv")
    assert "line 3" in result.out and "field larger than field limit" in result.out


# --- reads -------------------------------------------------------------------------------


class _Recorded(io.BytesIO):
    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.asked: list[int] = []

    def read(self, size: int | None = -1) -> bytes:
        self.asked.append(-1 if size is None else size)
        return super().read(size)


def test_a_small_file_is_read_without_asking_for_max_size() -> None:
    handle = _Recorded(b"# Note\n")
    assert sources.read_bounded(handle, 7, 10 * 1024 * 1024) == b"# Note\n"
    assert max(handle.asked) == 8  # its size + 1, not the 10 MiB limit + 1


def test_a_file_that_grew_is_read_up_to_the_limit() -> None:
    handle = _Recorded(b"x" * 100)
    assert len(sources.read_bounded(handle, 10, 50)) == 51  # > limit: reported as too large
    assert len(sources.read_bounded(_Recorded(b"x" * 30), 10, 50)) == 30


def test_a_large_staged_file_is_never_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, techfile
) -> None:
    from conftest import git

    git(tmp_path, "init", "-q")
    (tmp_path / ".techfile.toml").write_text('as-of = "2026-01-15"\nmax-file-size = 1000\n')
    (tmp_path / "big.md").write_bytes(b"# Big\n" + b"x" * 5000)
    (tmp_path / "small.md").write_bytes(b"# Small\n")
    git(tmp_path, "add", "-A")
    asked: list[bytes] = []
    real_git = sources.git

    def spy(root: Path, *args: str, stdin: bytes | None = None, **kw: tuple[str, ...]) -> bytes:
        if args[:2] == ("cat-file", "--batch") and stdin is not None:
            asked.append(stdin)
        return real_git(root, *args, stdin=stdin, **kw)

    monkeypatch.setattr(sources, "git", spy)
    result = techfile("check", "--pre-commit", "--no-cache", "--select", "FM010", cwd=tmp_path)
    assert result.code == 1 and result.out.startswith("big.md:1:1: FM010")
    big = real_git(tmp_path, "rev-parse", ":big.md").strip()
    assert asked and all(big not in request for request in asked)


# --- paths past PATH_MAX -----------------------------------------------------------------


def _deep(root: Path, depth: int = 20) -> str:
    """Directories nested past PATH_MAX (made relative to open directories), a file inside."""
    name = "d" * 250
    parts = []
    fd = os.open(root, os.O_RDONLY)
    try:
        for _ in range(depth):
            os.mkdir(name, dir_fd=fd)
            inner = os.open(name, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
            parts.append(name)
        leaf = os.open("deep.md", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(leaf, b"---\nid: DEEP-1\ntype: ifu\n---\n\n# Deep\n")
        os.close(leaf)
    finally:
        os.close(fd)
    return "/".join([*parts, "deep.md"])


def test_a_directory_past_path_max_is_a_finding(tree, techfile) -> None:
    root = tree({"a.md": "# A\n"})
    _deep(root)
    result = techfile("check", "--select", "FM008", "--format", "json", cwd=root)
    found = result.json()["findings"]
    assert result.code == 1 and [f["code"] for f in found] == ["FM008"]
    assert "PATH_MAX" in found[0]["message"] and found[0]["path"].startswith("d" * 250 + "/")


def test_a_tracked_file_past_path_max_is_a_finding(tree, techfile) -> None:
    from conftest import git

    root = tree({"a.md": "# A\n"})
    rel = _deep(root)
    git(root, "init", "-q")
    blob = git(root, "hash-object", "-w", "a.md").strip()
    git(root, "update-index", "--add", "--cacheinfo", f"100644,{blob},{rel}")
    result = techfile("check", "--select", "FM008", "--format", "json", cwd=root)
    found = result.json()["findings"]
    assert result.code == 1 and [(f["code"], f["path"]) for f in found] == [("FM008", rel)]
    assert "PATH_MAX" in found[0]["message"]


def test_a_table_file_named_past_path_max_is_a_finding(tree, techfile) -> None:
    long_name = "/".join(["d" * 250] * 20) + "/controls.csv"
    root = tree({"risk.md": RISK.replace("controls.csv", long_name)})
    result = techfile("check", "--select", "FM008", cwd=root)
    assert result.code == 1 and result.out.startswith("risk.md:9:1: FM008")
    assert "PATH_MAX" in result.out


def test_parse_workers_end_with_the_run(tmp_path: Path) -> None:
    """CI stops a job with SIGTERM: the parse workers of a `--jobs 2` run must not outlive it."""
    import signal
    import subprocess
    import sys
    import time

    root = tmp_path / "many"
    root.mkdir()
    (root / ".techfile.toml").write_text("", encoding="utf-8")
    body = "---\nid: IFU-{n}\ntype: ifu\ntitle: T{n}\n---\n\n# T{n}\n" + "text line\n" * 400
    for n in range(4000):
        (root / f"d{n}.md").write_text(body.format(n=n), encoding="utf-8")
    run = subprocess.Popen(
        [sys.executable, "-m", "techfile", "check", "--jobs", "2", "--no-cache", str(root)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def children() -> list[int]:
        out = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(run.pid)], capture_output=True, text=True
        ).stdout
        return [int(p) for p in out.split()]

    workers: list[int] = []
    for _ in range(600):  # until the workers are up (the run lasts far longer than this)
        workers = children()
        if workers or run.poll() is not None:
            break
        time.sleep(0.05)
    if not workers:
        run.wait(timeout=120)
        pytest.skip("the run ended before its workers could be seen")
    run.send_signal(signal.SIGTERM)
    run.wait(timeout=60)
    for _ in range(200):
        alive = [p for p in workers if Path(f"/proc/{p}").exists() and _not_zombie(p)]
        if not alive:
            break
        time.sleep(0.05)
    assert not alive, f"workers {alive} outlived the run"


def _not_zombie(pid: int) -> bool:
    try:
        return " Z " not in Path(f"/proc/{pid}/stat").read_text().split(")", 1)[1][:4]
    except OSError:
        return False
