"""Malformed, hostile and unusual files, end to end through the CLI.

Every case runs the whole rule set once (it must finish with exit code 0 or 1; the
`techfile` fixture turns an internal error into a failing traceback) and once with
`--select FM`, whose findings are compared exactly: the intake findings are what these
tests pin, and new content rules must not make them brittle.
"""

from __future__ import annotations

import codecs
import os
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from conftest import CliResult, run_subprocess, snapshot
from techfile.intake.parse import ParseSettings, parse_bytes
from techfile.rules.frontmatter import UNSAID_FIX

HEAD = "---\nid: DOC-1\ntype: ifu\n"  # lines 1-3; the next front-matter line is line 4
CLEAN = HEAD + "title: Instructions for use\n---\n\n# Instructions for use\n"


@dataclass(frozen=True)
class Lint:
    code: int  # exit code of the `--select FM` run
    findings: list[tuple[str, str, int]]  # (code, path, line), in report order
    raw: list[dict[str, Any]]  # the JSON findings of the `--select FM` run
    full: CliResult  # the run with every rule


def lint(techfile: Callable[..., CliResult], root: Path, *args: str) -> Lint:
    full = techfile("check", "--format", "json", *args, cwd=root)
    assert full.code in (0, 1), full.err
    fm = techfile("check", "--format", "json", "--select", "FM", *args, cwd=root)
    assert fm.code in (0, 1), fm.err
    raw = fm.json()["findings"]
    for finding in raw:  # what is wrong, why it matters and what to do, each on its own
        assert finding["why"].endswith(".") and finding["fix"].endswith("."), finding
        assert finding["fix"] != UNSAID_FIX, finding  # the diagnostic said what to do
        assert not finding["message"].endswith("."), finding
    every = {(f["code"], f["path"], f["line"]) for f in full.json()["findings"]}
    found = [(f["code"], f["path"], f["line"]) for f in raw]
    assert set(found) <= every, "the full run lost intake findings"
    return Lint(fm.code, found, raw, full)


def only(result: Lint, code: str) -> dict[str, Any]:
    matching = [f for f in result.raw if f["code"] == code]
    assert len(matching) == 1, result.raw
    return matching[0]


# --- encodings -------------------------------------------------------------------------


def test_invalid_utf8_reports_the_line_of_the_bad_byte(tree, techfile) -> None:
    root = tree({"a.md": (CLEAN + "\nSome text\nbad \xff byte\n").encode("latin-1")})
    result = lint(techfile, root)
    assert result.findings == [("FM009", "a.md", 10)]
    assert only(result, "FM009")["column"] == 5
    assert "0xff" in only(result, "FM009")["message"]
    assert result.code == 1


def test_invalid_utf8_column_counts_characters(tree, techfile) -> None:
    root = tree({"a.md": CLEAN.encode() + "éé".encode() + b"\xff\n"})
    result = lint(techfile, root)
    assert result.findings == [("FM009", "a.md", 8)]
    assert only(result, "FM009")["column"] == 3  # é, é, then the bad byte


@pytest.mark.parametrize("bad", [b"\xff", b"\0"], ids=["invalid-byte", "nul"])
def test_encoding_problem_line_with_cr_line_ends(tree, techfile, bad: bytes) -> None:
    text = CLEAN.replace("\n", "\r").encode() + b"text " + bad + b"\r"
    root = tree({"a.md": text})
    assert lint(techfile, root).findings == [("FM009", "a.md", 8)]


@pytest.mark.parametrize(
    "data",
    [
        CLEAN.encode("utf-16"),  # with BOM (native order)
        codecs.BOM_UTF16_BE + CLEAN.encode("utf-16-be"),
        CLEAN.encode("utf-16-le"),  # no BOM
        CLEAN.encode("utf-16-be"),  # no BOM
    ],
    ids=["bom", "bom-be", "no-bom-le", "no-bom-be"],
)
def test_utf16_is_refused(tree, techfile, data: bytes) -> None:
    result = lint(techfile, tree({"a.md": data}))
    assert result.findings == [("FM009", "a.md", 1)]
    assert "UTF-16" in only(result, "FM009")["message"]
    assert result.code == 1


def test_utf8_bom_before_front_matter_is_accepted(tree, techfile) -> None:
    bom = codecs.BOM_UTF8
    root = tree(
        {
            "bad.md": bom + (HEAD + "status: bogus\n---\n").encode(),
            "good.md": bom + CLEAN.replace("DOC-1", "DOC-2").encode(),
        }
    )
    result = lint(techfile, root)
    assert result.findings == [("FM004", "bad.md", 4)]
    assert only(result, "FM004")["document"] == "DOC-1"  # the front-matter was read
    assert result.code == 1


def test_crlf_line_ends_are_accepted(tree, techfile) -> None:
    root = tree(
        {
            "bad.md": (HEAD + "status: bogus\n---\nbody\n").replace("\n", "\r\n"),
            "good.md": CLEAN.replace("DOC-1", "DOC-2").replace("\n", "\r\n"),
            "tab.md": (HEAD.replace("DOC-1", "DOC-3") + "\tstatus: draft\n---\n").replace(
                "\n", "\r\n"
            ),
        }
    )
    result = lint(techfile, root)
    assert result.findings == [("FM004", "bad.md", 4), ("FM001", "tab.md", 4)]
    assert "\r" not in only(result, "FM004")["message"]
    assert result.code == 1


def test_crlf_clean_file_passes(tree, techfile) -> None:
    result = lint(techfile, tree({"a.md": CLEAN.replace("\n", "\r\n")}))
    assert result.findings == []
    assert result.code == 0


def test_nul_byte_is_binary(tree, techfile) -> None:
    root = tree({"a.md": CLEAN.encode() + b"text\nmore\0text\n"})
    result = lint(techfile, root)
    assert result.findings == [("FM009", "a.md", 9)]
    assert result.code == 1


# --- front-matter boundaries -------------------------------------------------------------


def test_tab_indentation_in_yaml(tree, techfile) -> None:
    root = tree({"a.md": HEAD + "title: x\n\tstatus: draft\n---\n"})
    result = lint(techfile, root)
    assert result.findings == [("FM001", "a.md", 5)]
    assert result.code == 1


def test_empty_file_is_an_unclassified_file(tree, techfile) -> None:
    """Decision: an empty .md is not an error, just a file without a type (FM007, info)."""
    result = lint(techfile, tree({"empty.md": b""}))
    assert result.findings == [("FM007", "empty.md", 1)]
    assert only(result, "FM007")["severity"] == "info"
    assert result.code == 0


@pytest.mark.parametrize(
    "yaml_text",
    ["- id: DOC-1\n- type: ifu\n", "just a sentence\n", "42\n"],
    ids=["list", "scalar", "number"],
)
def test_front_matter_that_is_not_a_mapping(tree, techfile, yaml_text: str) -> None:
    result = lint(techfile, tree({"a.md": f"---\n{yaml_text}---\n# Title\n"}))
    assert result.findings == [("FM003", "a.md", 2)]
    assert result.code == 1


def test_dashes_in_a_code_fence_are_not_front_matter(tree, techfile) -> None:
    fence = "```yaml\n---\nid: [unclosed\n---\n```\n"
    root = tree(
        {
            "doc.md": CLEAN + fence,  # front-matter, then a fence at the top of the body
            "doc2.md": HEAD.replace("DOC-1", "DOC-2") + "---\n" + fence,  # body starts fenced
            "notes.md": fence + "\ntext\n",  # no front-matter at all: the file starts fenced
        }
    )
    result = lint(techfile, root)
    assert result.findings == [("FM007", "notes.md", 1)]
    assert result.code == 0


def test_unknown_type_is_reported_at_the_type_line(tree, techfile) -> None:
    root = tree({"a.md": "---\nid: DOC-1\ntitle: x\ntype: nonsense\n---\n"})
    result = lint(techfile, root)
    assert result.findings == [("FM005", "a.md", 4)]


def test_control_character_in_yaml(tree, techfile) -> None:
    root = tree({"a.md": HEAD + "title: ok\nstatus: draft\nauthor: a\x07b\n---\n"})
    result = lint(techfile, root)
    assert result.findings == [("FM001", "a.md", 6)]
    assert "\n" not in only(result, "FM001")["message"]


@pytest.mark.parametrize("separator", ["\u2028", "\u0085"], ids=["LS", "NEL"])
def test_unicode_line_separator_in_a_value(tree, techfile, separator: str) -> None:
    root = tree({"a.md": HEAD + f"title: 'a{separator}b'\nstatus: bogus\n---\n"})
    assert lint(techfile, root).findings == [("FM004", "a.md", 5)]


def test_merge_key_is_applied_as_other_yaml_readers_do(tree, techfile) -> None:
    root = tree({"a.md": "---\nbase: &b\n  id: DOC-1\n  type: ifu\n<<: *b\n---\n"})
    codes = {code for code, _path, _line in lint(techfile, root).findings}
    assert "FM007" not in codes and "FM001" not in codes  # merged: typed and identified
    result = techfile("check", "--format", "json", "--select", "FM", cwd=root)
    assert result.json()["summary"]["classified"] == 1


def test_unterminated_front_matter(tree, techfile) -> None:
    root = tree({"a.md": HEAD + "title: x\n\n# Heading\n\nText\n"})
    result = lint(techfile, root)
    assert result.findings == [("FM002", "a.md", 1)]
    assert result.code == 1


# --- hostile YAML ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "line"),
    [
        ('title: !!python/object/apply:os.system ["touch {marker}"]\n', 4),
        ('title: !!python/object/apply:subprocess.check_call [["touch", "{marker}"]]\n', 4),
        ('title: !!python/object/new:pathlib.Path.touch ["{marker}"]\n', 4),
        ("title: !!python/name:os.system\n", 4),
        ('approvals:\n  - by: !!python/object/apply:os.system ["touch {marker}"]\n', 5),
    ],
    ids=["apply-os-system", "apply-check-call", "new-touch", "name", "nested"],
)
def test_python_tags_are_rejected_and_never_run(
    tree, techfile, tmp_path: Path, template: str, line: int
) -> None:
    marker = tmp_path / "PWNED"
    root = tree({"a.md": HEAD + template.format(marker=marker) + "---\n"})
    result = lint(techfile, root)
    assert result.findings == [("FM001", "a.md", line)]
    assert "python/" in only(result, "FM001")["message"]
    assert not marker.exists(), "a YAML tag ran a command"
    assert result.code == 1


def test_alias_bomb_stops_fast(tree, techfile) -> None:
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for parent, child in zip("abcdefghi", "bcdefghij", strict=True):
        levels.append(f"{child}: &{child} [" + ", ".join([f"*{parent}"] * 10) + "]")
    root = tree({"a.md": HEAD + "\n".join(levels) + "\n---\n"})
    # expanded, the bomb is 10**10 nodes (hours of work); stopped at the node budget, the run
    # is over in seconds, so a child process with a timeout tells the two apart
    result = run_subprocess(
        "check", "--format", "json", "--select", "FM", "--no-cache", cwd=root, timeout=60
    )
    found = [(f["code"], f["path"], f["line"]) for f in result.json()["findings"]]
    # a..j are lines 4..13; expansion first passes 250,000 nodes at `f` (line 9)
    assert found == [("FM011", "a.md", 9)]
    assert result.code == 1
    lint(techfile, root)  # and the full rule set copes too


@pytest.mark.parametrize(
    ("yaml_text", "line"),
    [
        ("x: " + "[" * 10_000 + "]" * 10_000 + "\n", 4),
        ("x: " + "{a: " * 10_000 + "1" + "}" * 10_000 + "\n", 4),
        ("x:\n" + "- " * 10_000 + "1\n", 5),
    ],
    ids=["flow-sequence", "flow-mapping", "block-sequence"],
)
def test_deep_nesting(tree, techfile, yaml_text: str, line: int) -> None:
    result = lint(techfile, tree({"a.md": HEAD + yaml_text + "---\n"}))
    assert result.findings == [("FM011", "a.md", line)]
    assert "RecursionError" not in result.full.err
    assert result.code == 1


def test_recursive_alias(tree, techfile) -> None:
    result = lint(techfile, tree({"a.md": HEAD + "x: &a [1, *a]\n---\n"}))
    assert result.findings == [("FM011", "a.md", 4)]


# --- values that other YAML readers change -------------------------------------------------


def test_unquoted_version_stays_text(tree, techfile) -> None:
    text = HEAD + "version: 1.10\n---\n"
    result = lint(techfile, tree({"a.md": text}))
    assert result.findings == [("FM006", "a.md", 4)]
    finding = only(result, "FM006")
    assert finding["severity"] == "warning"
    assert finding["column"] == 10
    # values as the file writes them, never as Python does ('1.10')
    assert "the text `1.10`" in finding["message"] and "version: 1.10" in finding["message"]
    assert "'" not in finding["message"]
    assert finding["fix"] == 'Quote it: `version: "1.10"`.'
    assert finding["why"].startswith("Under ISO 13485:2016 4.2.4 and MDR Annex II, ")
    assert result.code == 0
    parsed = parse_bytes("a.md", text.encode(), ParseSettings())
    assert parsed.document is not None and parsed.document.meta["version"] == "1.10"


def test_schema_values_are_shown_as_the_file_writes_them(tree, techfile) -> None:
    root = tree({"a.md": HEAD + "status: yes / no\nnext_review: 1.2.2026\n---\n"})
    result = lint(techfile, root)
    assert result.findings == [("FM004", "a.md", 4), ("FM004", "a.md", 5)]
    status, review = result.raw
    assert status["message"] == "`status` is `yes / no`, which is not an allowed value"
    assert status["fix"] == "Write one of: draft, in-review, approved, obsolete, superseded."
    assert review["message"] == "`next_review` is `1.2.2026`, which is not a valid date"
    assert review["fix"] == "Write the date as YYYY-MM-DD."


def test_duplicate_keys(tree, techfile) -> None:
    root = tree({"a.md": HEAD + "title: First\nstatus: draft\ntitle: Second\n---\n"})
    result = lint(techfile, root)
    assert result.findings == [("FM006", "a.md", 6)]
    assert "title" in only(result, "FM006")["message"]
    assert result.code == 0


def test_leading_zero_id_stays_text(tree, techfile) -> None:
    result = lint(techfile, tree({"a.md": "---\nid: 0012\ntype: ifu\n---\n"}))
    assert result.findings == [("FM006", "a.md", 2)]
    assert only(result, "FM006")["document"] == "0012"
    assert result.code == 0


def test_gspr_number_stays_text(tree, techfile) -> None:
    text = (
        "---\nid: GSPR-1\ntype: gspr-checklist\nrows:\n"
        "  - gspr: 17.4\n    applicable: true\n    justification: x\n"
        "  - gspr: 17.10\n    applicable: true\n---\n"
    )
    result = lint(techfile, tree({"g.md": text}))
    assert result.findings == [("FM006", "g.md", 8)]  # 17.10 would become 17.1; 17.4 is safe
    parsed = parse_bytes("g.md", text.encode(), ParseSettings())
    assert parsed.document is not None
    rows = parsed.document.items["rows"]
    assert [row.fields["gspr"] for row in rows] == ["17.4", "17.10"]
    assert [row.id for row in rows] == ["17.4", "17.10"]
    assert parsed.document.meta["rows"][0]["gspr"] == "17.4"


# --- files that cannot or must not be read -------------------------------------------------


def test_unreadable_file(tree, techfile) -> None:
    root = tree(
        {"locked.md": CLEAN, "other.md": HEAD.replace("DOC-1", "DOC-2") + "status: x\n---\n"}
    )
    locked = root / "locked.md"
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("running with privileges that read a mode-000 file")
        result = lint(techfile, root)
    finally:
        locked.chmod(0o644)
    assert result.findings == [("FM008", "locked.md", 0), ("FM004", "other.md", 4)]
    assert result.code == 1


def test_symlink_leaving_the_root(tree, techfile, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text(HEAD + "status: leaked\n---\n")
    root = tree({"a.md": CLEAN})
    (root / "escape.md").symlink_to(Path("..") / "outside" / "secret.md")
    (root / "absolute.md").symlink_to(outside / "secret.md")
    (root / "linked-dir").symlink_to(outside, target_is_directory=True)
    result = lint(techfile, root)
    assert result.findings == [("FM008", "absolute.md", 0), ("FM008", "escape.md", 0)]
    assert "leaked" not in result.full.out
    assert result.code == 1


def test_symlink_loop(tree, techfile) -> None:
    root = tree({"a.md": CLEAN})
    (root / "b.md").symlink_to("c.md")
    (root / "c.md").symlink_to("b.md")
    (root / "self.md").symlink_to("self.md")
    (root / "dangling.md").symlink_to("missing.md")
    result = lint(techfile, root)
    assert result.findings == [
        ("FM008", "b.md", 0),
        ("FM008", "c.md", 0),
        ("FM008", "dangling.md", 0),
        ("FM008", "self.md", 0),
    ]
    assert result.code == 1


def test_file_over_max_file_size(tree, techfile) -> None:
    limit = 200
    exact = CLEAN + "x" * (limit - len(CLEAN) - 1) + "\n"
    assert len(exact.encode()) == limit
    root = tree(
        {"exact.md": exact, "big.md": exact.replace("DOC-1", "DOC-22")},
        config=f"max-file-size = {limit}\n",
    )
    result = lint(techfile, root)
    assert result.findings == [("FM010", "big.md", 0)]
    assert f"{limit}" in only(result, "FM010")["message"]
    assert result.code == 1


@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "github"])
def test_file_name_not_utf8(tree, techfile, output_format: str) -> None:
    root = tree({"a.md": CLEAN})
    try:
        (root / os.fsdecode(b"caf\xe9.md")).write_bytes(b"# notes\n")
    except OSError:
        pytest.skip("the file system refuses non-UTF-8 names")
    result = techfile("check", "--format", output_format, cwd=root)
    assert result.code in (0, 1)
    assert "caf" in result.out


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_does_not_hang(tree) -> None:
    root = tree({"a.md": CLEAN})
    os.mkfifo(root / "pipe.md")
    try:
        result = run_subprocess("check", "--select", "FM", "--no-cache", cwd=root, timeout=10)
    except subprocess.TimeoutExpired:
        pytest.fail("techfile hung on a FIFO")
    assert result.code == 1
    assert "pipe.md:1:1: FM008" in result.out


# --- one bad file does not hide the rest; nothing is written ------------------------------


def test_broken_file_among_good_ones(tree, techfile) -> None:
    root = tree(
        {
            "a-good.md": CLEAN,
            "b-broken.md": b"---\nid: \xff\n---\n",
            "c-schema.md": HEAD.replace("DOC-1", "DOC-3") + "status: bogus\n---\n",
            "d-unterminated.md": "---\nid: DOC-4\n",
            "e-good.md": CLEAN.replace("DOC-1", "DOC-5").replace(
                "title: ", "version: 1.10\ntitle: "
            ),
        }
    )
    result = lint(techfile, root)
    assert result.findings == [
        ("FM009", "b-broken.md", 2),
        ("FM004", "c-schema.md", 4),
        ("FM002", "d-unterminated.md", 1),
        ("FM006", "e-good.md", 4),
    ]
    assert result.code == 1


def test_linted_tree_is_unchanged(tree, techfile, tmp_path: Path) -> None:
    root = tree(
        {
            "docs/ok.md": CLEAN,
            "docs/crlf.md": (HEAD.replace("DOC-1", "DOC-2") + "status: x\n---\n").replace(
                "\n", "\r\n"
            ),
            "docs/bom.md": codecs.BOM_UTF8 + CLEAN.replace("DOC-1", "DOC-3").encode(),
            "bad/latin1.md": b"---\nid: \xff\n---\n",
            "bad/utf16.md": CLEAN.encode("utf-16"),
            "bad/nul.md": b"a\0b",
            "bad/tag.md": HEAD.replace("DOC-1", "DOC-4") + "x: !!python/name:os.system\n---\n",
            "bad/unterminated.md": "---\nid: X\n",
            "bad/dup.md": HEAD.replace("DOC-1", "DOC-5") + "title: a\ntitle: b\n---\n",
            "empty.md": b"",
        },
        config='as-of = "2026-01-01"\n',
    )
    (root / "bad" / "loop.md").symlink_to("loop.md")
    before = snapshot(root)
    for output_format in ("text", "json", "sarif", "github"):
        result = techfile("check", "--format", output_format, cwd=root)
        assert result.code == 1
    result = techfile("check", "--output", str(tmp_path / "report.txt"), cwd=root)
    assert result.code == 1
    after = snapshot(root)
    cache = {path for path in after if path.split("/", 1)[0] == ".techfile_cache"}
    assert {path: digest for path, digest in after.items() if path not in cache} == before
    assert not set(before) & cache
