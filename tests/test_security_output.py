"""Output cannot command (SECURITY.md, point 4): file names, ids, titles and reference values
that carry workflow commands, escape sequences, line breaks or Markdown links reach no output
format, no line on standard error and no job summary in a form a terminal, a CI runner or a
Markdown renderer would act on."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from conftest import CliResult
from techfile.cli import FORMAT_NAMES

Run = Callable[..., CliResult]
HOSTILE = [
    "::error::x",
    "::add-mask::x",
    "::stop-commands::x",
    "##[error]x",
    "\x1b]8;;http://evil\x07link\x1b]8;;\x07",
    "\x1b[31m",
    "\x07",
    "\u009b",
    "ref\n::set-output name=x::y",
    "x\ntouch /tmp/pwned #",
    "![img](http://x)",
    "[link](http://x)",
    "\x00\x0b\ufffe",
]
# C0 controls but tab and line feed, DEL, C1 controls
RAW_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")
GITHUB_COMMAND = re.compile(r"::(error|warning|notice) [^\n]*::")
WORKFLOW_HASH = re.compile(r"##(\[|vso\[)", re.IGNORECASE)


def _quoted(value: str) -> str:
    return json.dumps(value)  # a JSON string is a YAML double-quoted scalar


def _document(number: int, value: str, title: str | None = None, suffix: str = "") -> str:
    return (
        "---\n"
        f"id: {_quoted(f'DOC-{number}-{value}{suffix}')}\n"
        "type: qms-procedure\n"
        f"title: {_quoted(value if title is None else title)}\n"
        'version: "1.0"\n'
        "status: draft\n"
        f"references: [{_quoted(value)}, {_quoted(f'RA-1:{value}')}]\n"
        "---\n\n# Procedure\n"
    )


def _threat_model() -> str:
    threats = "".join(
        f"  - id: {_quoted(f'T-{n}')}\n    title: {_quoted(value)}\n    safety_impact: serious\n"
        f"    safety_impact_rationale: {_quoted(value)}\n"
        for n, value in enumerate(HOSTILE)
    )
    return (
        '---\nid: TM-1\ntype: threat-model\ntitle: Threats\nversion: "1.0"\nstatus: draft\n'
        f"threats:\n{threats}---\n\n# Threats\n"
    )


@pytest.fixture
def hostile(tree: Callable[..., Path]) -> Path:
    files = {"threat-model.md": _threat_model()}
    for number, value in enumerate(HOSTILE):
        name = value.replace("/", "_").replace("\x00", "")  # all a file name can hold
        files[f"{name}.md"] = _document(number, value)
        files[f"dir-{number}-{name}/{name}.md"] = "# no front-matter\n"  # FM007 names the path
    return tree(files, config='as-of = "2026-01-15"\n')


def _lines(text: str) -> list[str]:
    return text.split("\n")


def assert_inert(text: str, *, github: bool = False) -> None:
    """No line a runner would obey and no raw control character (tab and line feed aside);
    in the github format only the format's own annotation may open a line with `::`."""
    for line in _lines(text):
        for found in RAW_CONTROL.finditer(line):
            pytest.fail(f"raw {found[0]!r} in {line!r}")
        assert not WORKFLOW_HASH.search(line), line
        stripped = line.lstrip()
        if github and stripped.startswith("::"):
            assert GITHUB_COMMAND.match(line), line
        else:
            assert not stripped.startswith("::"), line


def _check(techfile: Run, root: Path, output_format: str) -> CliResult:
    result = techfile("check", "--format", output_format, "--statistics", "--no-cache", cwd=root)
    assert result.code == 1, result.err
    return result


def test_the_tree_really_is_hostile(hostile: Path, techfile: Run) -> None:
    findings = _check(techfile, hostile, "json").json()["findings"]
    messages = "\n".join(f["message"] for f in findings)
    paths = {f["path"] for f in findings}
    for value in HOSTILE:
        if "\x00" not in value:  # a NUL cannot be in a file name, nor survive YAML
            assert value in messages, value
            assert any(value.replace("/", "_") in path for path in paths), value


@pytest.mark.parametrize("output_format", FORMAT_NAMES)
def test_no_format_and_no_stderr_line_can_command(
    hostile: Path, techfile: Run, output_format: str
) -> None:
    result = _check(techfile, hostile, output_format)
    assert_inert(result.out, github=output_format == "github")
    assert_inert(result.err)
    assert "techfile: " in result.err  # the summary line is there, escaped like the rest


def test_text_shows_what_the_values_were(hostile: Path, techfile: Run) -> None:
    out = _check(techfile, hostile, "text").out
    assert "\\x1b]8;;http://evil\\x07link\\x1b]8;;\\x07" in out
    assert "ref\\n:\\:set-output name=x::y" in out or "ref\\n::set-output name=x::y" in out
    assert "x\\ntouch /tmp/pwned #" in out
    assert "\\u009b" in out or "\\x9b" in out
    assert ":\\:error::x.md:" in out  # a file name at the start of a line is broken apart
    assert "#\\#[error]x" in out


@pytest.mark.parametrize("output_format", ["json", "sarif", "gitlab"])
def test_json_formats_keep_the_exact_values(
    hostile: Path, techfile: Run, output_format: str
) -> None:
    document = json.loads(_check(techfile, hostile, output_format).out)
    strings = "\n".join(_strings(document))
    for value in HOSTILE:
        if "\x00" not in value:
            assert value in strings, value  # escaped in the file, the same text when read


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("ref\n::set-output name=x::y", "ref%0A::set-output name=x::y"),  # as before
        ("a\rb%c", "a%0Db%25c"),  # as before
        ("\x1b]8;;http://evil\x07link", "\\x1b]8;;http://evil\\x07link"),
        ("##[error]x", "#\\#[error]x"),
        ("\u009b", "\\x9b"),
    ],
)
def test_github_annotations_escape_their_data(
    tree: Callable[..., Path], techfile: Run, value: str, shown: str
) -> None:
    # ID002 resolves a citation by a title or an id that ends with or contains its words: the
    # document gets a title of its own and an id that does not end with the value's last word
    document = _document(0, value, title="Procedure", suffix="x")
    root = tree({"a.md": document}, config='as-of = "2026-01-15"\n')
    out = techfile("check", "--format", "github", "--select", "ID002", cwd=root).out
    assert_inert(out, github=True)
    lines = out.splitlines()
    assert lines and all(GITHUB_COMMAND.match(line) for line in lines), lines
    assert any(f"refers to {shown}," in line for line in lines), lines


def test_junit_is_valid_xml_for_any_input(hostile: Path, techfile: Run, tmp_path: Path) -> None:
    from junitparser import JUnitXml

    out = _check(techfile, hostile, "junit").out
    root = ET.fromstring(out.encode("utf-8"))
    failures = [f.get("message", "") for f in root.iter("failure")]
    assert any("::error::x" in message for message in failures)
    assert any("ref\n::set-output name=x::y" in message for message in failures)
    path = tmp_path / "report.xml"
    path.write_text(out, encoding="utf-8")
    cases = [case for suite in JUnitXml.fromfile(str(path)) for case in suite]
    # below --fail-on a finding is a passing testcase that carries it in system-out
    assert cases and all(not case.is_passed or case.system_out for case in cases)


def _inline_tokens(tokens: list[Token]) -> Iterator[Token]:
    for token in tokens:
        if token.children:
            yield from _inline_tokens(token.children)
        yield token


# the summary's own HTML: a collapsible block per document, its name as character references
OWN_HTML = re.compile(r"<details( open)?>|</details>|<summary>[^<>`\[\]]*</summary>")


def assert_markdown_renders_no_link(text: str) -> None:
    markdown = MarkdownIt("commonmark").enable("table")
    tokens = list(_inline_tokens(markdown.parse(text)))
    kinds = {token.type for token in tokens}
    assert not kinds & {"link_open", "image", "html_inline"}, kinds
    for token in tokens:
        if token.type == "html_block":
            for line in token.content.splitlines():
                assert OWN_HTML.fullmatch(line), line
    html = markdown.render(text)
    assert "<a " not in html and "<img" not in html
    assert any(token.type == "table_open" for token in tokens)
    for token in tokens:
        if token.type == "text":  # outside code spans: nothing GitHub would link by itself
            for sign in ("](", "://", "www.", "<"):
                assert sign not in token.content, token.content


def test_markdown_shows_values_as_code(hostile: Path, techfile: Run) -> None:
    out = _check(techfile, hostile, "markdown").out
    assert_markdown_renders_no_link(out)
    assert "`" in out and "\\x1b]8;;http://evil" in out


def test_a_toml_key_with_a_newline_gives_one_escaped_line(
    tree: Callable[..., Path], techfile: Run
) -> None:
    # jsonschema quotes an unknown key, but names the path of a wrongly typed value as it is
    root = tree({}, config='[types]\n"bad\\n::error::key\\u001b]8;;x\\u0007" = 5\n')
    result = techfile("check", cwd=root)
    assert result.code == 2
    assert result.err.count("\n") == 1, result.err
    assert_inert(result.err)
    assert "configuration error" in result.err and "bad\\n" in result.err


# --- the GitHub Action: annotations, re-emitted stderr and the job summary -------------------


def _run_action(root: Path, tmp_path: Path, **inputs: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INPUT_", "GITHUB_"))}
    env.update(
        {
            "GITHUB_ACTIONS": "true",
            "GITHUB_WORKSPACE": str(root),
            "GITHUB_STEP_SUMMARY": str(tmp_path / "step-summary.md"),
            "RUNNER_TEMP": str(tmp_path),
            **{f"INPUT_{k.upper()}": v for k, v in inputs.items()},
        }
    )
    return subprocess.run(
        [sys.executable, "-m", "techfile.integrations.github_action"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_action_step_and_its_summary_are_inert(hostile: Path, tmp_path: Path) -> None:
    done = _run_action(hostile, tmp_path, args="--no-cache")
    assert done.returncode == 1, done.stderr
    assert_inert(done.stdout, github=True)
    assert_inert(done.stderr)
    summary = (tmp_path / "step-summary.md").read_text(encoding="utf-8")
    assert_inert(summary)
    assert_markdown_renders_no_link(summary)


def test_the_action_re_emits_a_configuration_error_inertly(
    tree: Callable[..., Path], tmp_path: Path
) -> None:
    root = tree({}, config='[types]\n"bad\\n::error::key" = 5\n')
    done = _run_action(root, tmp_path)
    assert done.returncode == 2
    assert_inert(done.stderr)
    assert_inert(done.stdout, github=True)
    (annotation,) = done.stdout.splitlines()
    assert annotation.startswith("::error title=techfile::techfile: configuration error")
