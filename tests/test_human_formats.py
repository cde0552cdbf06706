"""The formats a person reads (text, full, concise, grouped): what each shows, paths from where
the reader stands, colour by flag and environment, `-q`, and hostile text kept inert."""

from __future__ import annotations

import contextlib
import datetime
import io
import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import CliResult, run_subprocess
from techfile.cli import FORMAT_NAMES
from techfile.data.resources import bundled
from techfile.data.severity import Severity
from techfile.fixture_tree import commit, git
from techfile.formatters import FORMATS, HUMAN, FormatOptions, render
from techfile.formatters.full import SOURCE_WIDTH
from techfile.model.finding import Finding, Location
from techfile.model.result import RunResult
from test_security_output import assert_inert

Run = Callable[..., CliResult]
MACHINE = sorted(set(FORMATS) - set(HUMAN))
SGR = re.compile(r"\x1b\[[0-9;]*m")
EXAMPLE = bundled("examples") / "connected-samd"
CONFIG = 'as-of = "2026-01-15"\n'
SELECT = ("--select", "FM,ID")
# ID002 at docs/a.md:6 and docs/a.md:7, FM007 (no front-matter) on notes/c.md
TREE = {
    "docs/a.md": (
        "---\nid: DOC-A\ntype: ifu\ntitle: A\nreferences:\n  - NOPE-1\n  - NOPE-2\n---\n# A\n"
    ),
    "notes/c.md": "# Notes\n",
}


@pytest.fixture
def small(tree: Callable[..., Path]) -> Path:
    return tree(TREE, config=CONFIG)


def _json(techfile: Run, cwd: Path, *args: str) -> list[dict[str, object]]:
    findings: list[dict[str, object]] = techfile(
        "check", "--format", "json", *args, cwd=cwd
    ).json()["findings"]
    return findings


def test_every_format_is_offered_and_registered() -> None:
    assert set(FORMAT_NAMES) == set(FORMATS) and set(HUMAN) < set(FORMATS)


# --- each format on the bundled example ----------------------------------------------------


@pytest.fixture(scope="module")
def example() -> dict[str, str]:
    """The example in every human format and in JSON, run once for the module (capsys is
    per test, so standard output goes to a buffer here)."""
    from techfile.cli import main

    outputs = {}
    for name in (*HUMAN, "json"):
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            assert main(["check", "--example", "--format", name, "-q", "--color", "never"]) == 1
        outputs[name] = buffer.getvalue()
    return outputs


def _position(finding: dict[str, object]) -> str:
    """`line:col` as the human formats show it: 1-based, 1 when unknown."""
    return f"{finding['line'] or 1}:{finding['column'] or 1}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def _example_findings(example: dict[str, str]) -> list[dict[str, object]]:
    findings: list[dict[str, object]] = json.loads(example["json"])["findings"]
    assert findings, "the example has its deliberate defects"
    return findings


def test_text_and_concise_have_one_line_a_finding(example: dict[str, str]) -> None:
    findings = _example_findings(example)
    for name in ("text", "concise"):
        lines = example[name].splitlines()
        assert len(lines) == len(findings)
        for line, finding in zip(lines, findings, strict=True):
            where = f"{finding['path']}:{_position(finding)}: {finding['code']} "
            assert line.startswith(where), line
            assert str(finding["message"]) in line
    assert all("[error]" in line for line in example["text"].splitlines())
    assert not any("[error]" in line for line in example["concise"].splitlines())
    assert all(line.endswith(")") for line in example["text"].splitlines())


def test_full_quotes_the_source_line_of_each_finding(example: dict[str, str]) -> None:
    out = example["full"]
    for finding in _example_findings(example):
        number = int(str(finding["line"]))
        source = (EXAMPLE / str(finding["path"])).read_text("utf-8").split("\n")[number - 1]
        quoted = source.rstrip() if len(source) <= SOURCE_WIDTH else ""
        assert f"\n{number} | {quoted}" in out, (number, source)
    blocks = out.split("\n\n")
    assert len(blocks) == len(_example_findings(example))
    assert example["text"].splitlines() == [block.split("\n")[0] for block in blocks]


def test_grouped_names_each_file_once_and_counts(example: dict[str, str]) -> None:
    findings = _example_findings(example)
    lines = example["grouped"].splitlines()
    paths = sorted({str(f["path"]) for f in findings})
    assert [line for line in lines if line and not line.startswith(" ")][:-1] == paths
    rows = [line for line in lines if line.startswith("  ")]
    assert len(rows) == len(findings)
    for row, finding in zip(rows, findings, strict=True):
        assert re.match(rf"  {_position(finding)} +error +\S", row), row
        assert row.endswith(f"  {finding['code']}")
    count = len(findings)
    assert lines[-1] == (
        f"{_plural(count, 'finding')} ({_plural(count, 'error')}) in {_plural(len(paths), 'file')}"
    )


# --- full: why, fix and source lines, from a result built here ------------------------------


def _result(*findings: Finding) -> RunResult:
    return RunResult(
        root=Path("/tf"),
        as_of=datetime.date(2026, 1, 15),
        findings=list(findings),
        suppressed=[],
        suppressions=[],
        files=3,
        classified=3,
        pages={},
    )


SOURCE = {("a.md", 3): "| R-1 | \tSpoofing | Yes |", ("a.md", 4): "x" * 149 + "Y" + "z" * 150}


def _source_line(path: str, line: int) -> str | None:
    return SOURCE.get((path, line))


def test_full_shows_why_and_fix_only_where_given() -> None:
    explained = Finding(
        "RM001",
        Severity.ERROR,
        "threat T-1 reaches no risk row",
        Location("a.md", 3, 10),
        why="MDCG 2019-16 3.2 expects security risks in the risk file.",
        fix="List T-1 in a risk row.",
        related=(Location("b.md", 7),),
    )
    bare = Finding("FM007", Severity.INFO, "no front-matter", Location("c.md"))
    out = render("full", _result(explained, bare), FormatOptions(source_line=_source_line))
    first, second = out.split("\n\n")
    lines = first.splitlines()
    assert lines[:3] == [
        "a.md:3:10: RM001 [error] threat T-1 reaches no risk row ()",
        "  |",
        "3 | | R-1 |     Spoofing | Yes |",  # the tab expanded
    ]
    assert lines[3].index("^") == lines[2].index("Spoofing")  # column 10, after the tab
    assert lines[4:] == [
        "  |",
        "   = why: MDCG 2019-16 3.2 expects security risks in the risk file.",
        "   = fix: List T-1 in a risk row.",
        "   = also: b.md:7:1",
    ]
    assert second == "c.md:1:1: FM007 [info] no front-matter ()\n"  # whole file: no source


def test_full_cuts_a_long_source_line_around_the_column_and_wraps_notes() -> None:
    finding = Finding(
        "FM004",
        Severity.WARNING,
        "bad cell",
        Location("a.md", 4, 150),
        fix=" ".join(["word"] * 60),
    )
    out = render("full", _result(finding), FormatOptions(source_line=_source_line))
    lines = out.splitlines()
    quoted = next(line for line in lines if line.startswith("4 | "))
    caret = next(line for line in lines if line.endswith("^"))
    assert quoted.startswith("4 | …x") and quoted.endswith("z…")
    assert len(quoted) <= len("4 | ") + SOURCE_WIDTH + 2
    assert quoted[caret.index("^")] == "Y"
    notes = [line for line in lines if "word" in line]
    assert len(notes) > 1 and all(len(line) <= 100 for line in notes)
    assert notes[0].startswith("   = fix: word")
    assert all(line.startswith(" " * len("   = fix: ") + "word") for line in notes[1:])


def test_full_quotes_the_staged_line_with_pre_commit(small: Path, techfile: Run) -> None:
    commit(small, "2026-01-10T10:00:00", {})
    document = small / "docs/a.md"
    document.write_text(TREE["docs/a.md"].replace("NOPE-2", "NOPE-STAGED"), encoding="utf-8")
    git(small, "add", "docs/a.md")
    document.write_text(TREE["docs/a.md"].replace("NOPE-2", "NOPE-WORK"), encoding="utf-8")
    out = techfile("check", "--pre-commit", "--format", "full", *SELECT, cwd=small).out
    assert "\n7 |   - NOPE-STAGED\n" in out and "NOPE-WORK" not in out


# --- paths from where the reader stands -----------------------------------------------------


@pytest.mark.parametrize("name", list(HUMAN))
def test_human_paths_are_relative_to_the_cwd(small: Path, techfile: Run, name: str) -> None:
    from_root = techfile("check", "--format", name, *SELECT, cwd=small).out
    from_child = techfile("check", "--format", name, *SELECT, cwd=small / "docs").out
    from_parent = techfile("check", small.name, "--format", name, *SELECT, cwd=small.parent).out
    assert "docs/a.md" in from_root and "notes/c.md" in from_root
    assert "docs/a.md" not in from_child
    assert "../notes/c.md" in from_child
    assert f"{small.name}/docs/a.md" in from_parent and f"{small.name}/notes/c.md" in from_parent
    # the path shown opens the file from where the command ran
    for out, cwd in ((from_child, small / "docs"), (from_parent, small.parent)):
        shown = re.findall(r"(?m)^\s*([^\s:]+\.md)(?::\d+:\d+:|$)", out)
        assert shown and all((cwd / path).is_file() for path in shown), shown


@pytest.mark.parametrize("name", list(MACHINE))
def test_machine_formats_keep_root_relative_paths(small: Path, techfile: Run, name: str) -> None:
    from_root = techfile("check", "--format", name, *SELECT, cwd=small).out
    from_child = techfile("check", "--format", name, *SELECT, cwd=small / "docs").out
    assert from_child == from_root
    assert "docs/a" in from_child  # (markdown writes the dot as `&#46;`)


def test_the_bundled_example_keeps_its_own_paths(techfile: Run, tmp_path: Path) -> None:
    out = techfile("check", "--example", "--format", "concise", cwd=tmp_path).out
    assert out.startswith("regulatory/"), out


# --- colour ---------------------------------------------------------------------------------


@pytest.fixture
def no_colour_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.mark.parametrize("name", list(HUMAN))
@pytest.mark.parametrize(
    ("flag", "env", "coloured"),
    [
        ("auto", {}, False),  # captured: not a terminal
        ("always", {}, True),
        ("always", {"NO_COLOR": "1"}, True),  # the flag wins over the environment
        ("never", {"FORCE_COLOR": "1"}, False),
        ("auto", {"FORCE_COLOR": "1"}, True),
        ("auto", {"FORCE_COLOR": "0"}, False),
        ("auto", {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
    ],
)
def test_colour_by_flag_and_environment(
    small: Path,
    techfile: Run,
    no_colour_env: pytest.MonkeyPatch,
    name: str,
    flag: str,
    env: dict[str, str],
    coloured: bool,
) -> None:
    plain = techfile("check", "--format", name, *SELECT, "--color", "never", cwd=small).out
    for key, value in env.items():
        no_colour_env.setenv(key, value)
    result = techfile("check", "--format", name, *SELECT, "--color", flag, cwd=small)
    assert bool(SGR.search(result.out)) is coloured
    assert SGR.sub("", result.out) == plain  # colour changes nothing but colour
    assert not SGR.search(result.err)


@pytest.mark.parametrize("name", ["json", "sarif", "github", "junit", "gitlab", "markdown"])
def test_machine_formats_are_never_coloured(
    small: Path, techfile: Run, no_colour_env: pytest.MonkeyPatch, name: str
) -> None:
    no_colour_env.setenv("FORCE_COLOR", "1")
    out = techfile("check", "--format", name, *SELECT, "--color", "always", cwd=small).out
    assert out and "\x1b" not in out


def test_files_written_with_output_or_report_are_never_coloured(
    small: Path, techfile: Run, no_colour_env: pytest.MonkeyPatch
) -> None:
    no_colour_env.setenv("FORCE_COLOR", "1")
    args = ("--format", "grouped", *SELECT, "--color", "always", "--output", "out.txt")
    result = techfile("check", *args, "--report", "full=full.txt", cwd=small)
    assert result.code == 1 and result.out == ""
    for written in ("out.txt", "full.txt"):
        text = (small / written).read_text("utf-8")
        assert "docs/a.md" in text and "\x1b" not in text


def test_a_terminal_gets_colour_unless_no_color(small: Path) -> None:
    pty = pytest.importorskip("pty")
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    outputs = []
    for extra in ({}, {"NO_COLOR": "1"}):
        try:
            master, slave = pty.openpty()
        except OSError as exc:
            pytest.skip(f"no pseudo-terminal: {exc}")
        try:
            args = ("check", "--format", "grouped", *SELECT)
            result = run_subprocess(*args, cwd=small, env={**env, **extra}, stdout=slave)
        finally:
            os.close(slave)
        assert result.code == 1
        outputs.append(_drain(master))
    coloured, plain = outputs
    assert SGR.search(coloured) and not SGR.search(plain)
    assert SGR.sub("", coloured) == plain


def _drain(master: int) -> str:
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child side is closed and drained
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


# --- quiet ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["text", "grouped", "json"])
def test_quiet_prints_the_findings_and_nothing_on_stderr(
    small: Path, techfile: Run, name: str
) -> None:
    loud = techfile("check", "--format", name, *SELECT, cwd=small)
    quiet = techfile("check", "--format", name, *SELECT, "-q", cwd=small)
    assert "techfile: " in loud.err
    assert quiet.err == "" and quiet.out == loud.out and quiet.code == loud.code == 1
    assert techfile("check", "--format", name, *SELECT, "--quiet", cwd=small).err == ""


# --- hostile text ---------------------------------------------------------------------------


HOSTILE_VALUES = [
    "::error::x",
    "##[error]x",
    "\x1b]8;;http://evil\x07link\x1b]8;;\x07",
    "\u009b",
    "ref\n::set-output name=x::y",
    "\u202eevil",
]


@pytest.fixture
def hostile(tree: Callable[..., Path]) -> Path:
    files = {}
    for number, value in enumerate(HOSTILE_VALUES):
        name = value.replace("/", "_").replace("\n", "_")
        cited = f"{json.dumps(value)}, {json.dumps(f'RA-1:{value}')}"
        files[f"{name}.md"] = (
            f"---\nid: DOC-{number}\ntype: qms-procedure\ntitle: T\nreferences: [{cited}]\n---\n"
        )
        # a raw control character in the front-matter: FM001 quotes that very line
        raw = value.replace("\n", " ")
        files[f"raw-{name}.md"] = f"---\nid: RAW-{number}\ntitle: {raw}\n---\n"
    return tree(files, config=CONFIG)


@pytest.mark.parametrize("colour", ["never", "always"])
@pytest.mark.parametrize("name", list(HUMAN))
def test_hostile_text_stays_inert_in_every_human_format(
    hostile: Path, techfile: Run, name: str, colour: str
) -> None:
    result = techfile("check", "--format", name, *SELECT, "--color", colour, cwd=hostile)
    assert result.code == 1, result.err
    assert_inert(SGR.sub("", result.out))
    assert_inert(result.err)
    assert "\\x1b]8;;http://evil\\x07link" in result.out
    assert "\\u202e" in result.out
    if name == "full":
        quoted = r"(?m)^\d+ \| title: .*\\x1b]8;;http://evil"
        assert re.search(quoted, SGR.sub("", result.out))
