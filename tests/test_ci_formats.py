"""The CI formats mean what they say (issue 13, point 4): JUnit fails exactly the findings at
or above `--fail-on` and validates against the schema the README names; SARIF describes only
the rules with results, links each rule's page and its related places; the job summary lists
every finding that the annotations leave out; GitLab issues carry type, categories, why and fix.
"""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import xmlschema
from markdown_it import MarkdownIt

from conftest import CliResult
from techfile import __version__
from techfile.data.pages import load_pages
from techfile.formatters import gitlab, markdown
from techfile.util.escape import for_terminal
from test_formats import sarif_schema, validate

Run = Callable[..., CliResult]
REPO = Path(__file__).resolve().parent.parent
SCHEMAS = Path(__file__).parent / "schemas" / "junit"
REALWORLD = REPO / "fixtures" / "realworld" / "openregulatory-templates"
CONFIG = 'as-of = "2026-01-15"\n'
SELECT = ("--select", "FM,ID")
HOSTILE = [
    "::error::x",
    "##[error]x",
    "\x1b]8;;http://evil\x07link\x1b]8;;\x07",
    "ref\n::set-output name=x::y",
    "a<b>&c'\"d",
    "]]>",
    "[link](http://x) [y](1)",
    "\u202eevil",
    "\x00\x0b\ufffe",
]
CODE_CLIMATE_CATEGORIES = {
    "Bug Risk",
    "Clarity",
    "Compatibility",
    "Complexity",
    "Duplication",
    "Performance",
    "Security",
    "Style",
}


def _document(number: int, *, status: str = "bogus", refs: str = "[]") -> str:
    return (
        f"---\nid: DOC-{number}\ntype: ifu\ntitle: Document {number}\nstatus: {status}\n"
        f"version: 1.10\nreferences: {refs}\n---\n\n# Document {number}\n"
    )


def _many(count: int) -> dict[str, str]:
    """`count` errors (FM004), warnings (FM006) and infos (FM007), in 2 * count files."""
    files = {f"docs/d{n:02}.md": _document(n) for n in range(count)}
    files.update({f"notes{n:02}/notes.md": "# Notes\n" for n in range(count)})
    return files


def _hostile() -> dict[str, str]:
    files = {}
    for number, value in enumerate(HOSTILE):
        name = value.replace("/", "_").replace("\x00", "")
        refs = json.dumps([value, f"RA-1:{value}"])
        files[f"{name}.md"] = _document(number, refs=refs)
        files[f"dir-{number}-{name}/{name}.md"] = "# no front-matter\n"
    return files


@pytest.fixture(scope="module")
def junit_schema() -> xmlschema.XMLSchema11:
    return xmlschema.XMLSchema11(str(SCHEMAS / "techfile-junit.xsd"))


@pytest.fixture(scope="module")
def jenkins_schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMAS / "junit-10.xsd"))


@pytest.fixture
def realworld(tmp_path: Path) -> Path:
    root = tmp_path / "openregulatory"
    shutil.copytree(REALWORLD, root)
    (root / ".techfile.toml").write_text('preset = "openregulatory"\n' + CONFIG, "utf-8")
    return root


def _without_file_and_line(xml: str) -> str:
    root = ET.fromstring(xml.encode("utf-8"))
    for case in root.iter("testcase"):
        case.attrib.pop("file", None)
        case.attrib.pop("line", None)
    return ET.tostring(root, encoding="unicode")


def _junit(techfile: Run, root: Path | None, *args: str) -> tuple[str, list[dict[str, Any]]]:
    where = ("--example",) if root is None else ()
    out = techfile("check", "--format", "junit", "--no-cache", *where, *args, cwd=root).out
    findings = techfile("check", "--format", "json", "--no-cache", *where, *args, cwd=root)
    return out, findings.json()["findings"]


# --- JUnit ------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["example", "realworld", "hostile"])
def test_junit_validates_against_the_named_schema(
    which: str, request, tree, techfile: Run, junit_schema, jenkins_schema
) -> None:
    root = {
        "example": lambda: None,
        "realworld": lambda: request.getfixturevalue("realworld"),
        "hostile": lambda: tree(_hostile(), config=CONFIG),
    }[which]()
    xml, findings = _junit(techfile, root)
    assert findings
    junit_schema.validate(xml)
    # nothing but the two added testcase attributes departs from Jenkins xUnit's schema
    assert not jenkins_schema.is_valid(xml)
    jenkins_schema.validate(_without_file_and_line(xml))
    cases = list(ET.fromstring(xml.encode("utf-8")).iter("testcase"))
    assert len(cases) == len(findings)


def test_the_schema_is_not_vacuous(junit_schema) -> None:
    case = '<testcase name="a" classname="c" file="a.md" line="{line}"{extra}/>'
    document = (
        '<testsuites><testsuite name="s" tests="1" failures="0" errors="0">{}</testsuite>'
        "</testsuites>"
    )
    assert junit_schema.is_valid(document.format(case.format(line=3, extra="")))
    assert not junit_schema.is_valid(document.format(case.format(line=0, extra="")))
    assert not junit_schema.is_valid(document.format(case.format(line=3, extra=' bogus="1"')))
    assert not junit_schema.is_valid(document.replace(' errors="0"', "").format(""))


@pytest.mark.parametrize(
    ("args", "failing"),
    [
        ((), {"error"}),
        (("--fail-on", "warning"), {"error", "warning"}),
        (("--fail-on", "info"), {"error", "warning", "info"}),
    ],
)
def test_junit_fails_only_findings_at_or_above_fail_on(
    tree, techfile: Run, args: tuple[str, ...], failing: set[str]
) -> None:
    root = tree(_many(2), config=CONFIG)
    xml, findings = _junit(techfile, root, *SELECT, *args)
    suites = ET.fromstring(xml.encode("utf-8"))
    cases = {case.get("name"): case for case in suites.iter("testcase")}
    severities = Counter(f["severity"] for f in findings)
    assert severities == {"error": 2, "warning": 2, "info": 2}
    expected_failures = sum(severities[s] for s in failing)
    assert suites.get("failures") == str(expected_failures)
    assert sum(int(s.get("failures", "")) for s in suites.iter("testsuite")) == expected_failures
    for finding in findings:
        (case,) = [c for n, c in cases.items() if n.endswith(f"({finding['fingerprint'][:12]})")]
        failure, output = case.find("failure"), case.find("system-out")
        if finding["severity"] in failing:
            assert failure is not None and output is None
            assert failure.get("message") == finding["message"]
        else:  # a passing testcase that still carries the finding
            assert failure is None and output is not None
            assert finding["message"] in (output.text or "")


def test_junit_honours_fail_on_from_the_configuration(tree, techfile: Run) -> None:
    root = tree(_many(1), config=CONFIG + 'fail-on = "warning"\n')
    xml, _ = _junit(techfile, root, *SELECT)
    assert ET.fromstring(xml.encode("utf-8")).get("failures") == "2"


def test_junit_names_are_unique_and_stable_with_file_and_line(tree, techfile: Run) -> None:
    files = _many(3)
    files["docs/twice.md"] = _document(9, status="draft", refs="[NOPE-1, NOPE-1, NOPE-2]")
    root = tree(files, config=CONFIG)
    xml, findings = _junit(techfile, root, *SELECT)
    names = {}
    for suite in ET.fromstring(xml.encode("utf-8")).iter("testsuite"):
        cases = list(suite.iter("testcase"))
        assert len({c.get("name") for c in cases}) == len(cases), suite.get("name")
        names.update({c.get("name"): (c.get("file"), c.get("line")) for c in cases})
    places = {(f["path"], str(f["line"] or 1)) for f in findings}
    assert set(names.values()) == places
    # lines moved above every finding: the same names, the lines moved with them
    for path in [p for p in files if p.startswith("docs/")]:
        text = (root / path).read_text("utf-8")
        (root / path).write_text(text.replace("---\n", "---\n# moved\n", 1), "utf-8")
    moved, _ = _junit(techfile, root, *SELECT)
    after = {c.get("name"): c for c in ET.fromstring(moved.encode("utf-8")).iter("testcase")}
    assert set(after) == set(names)
    shifted = [n for n, (path, line) in names.items() if path.startswith("docs/")]
    assert shifted and all(int(after[n].get("line")) == int(names[n][1]) + 1 for n in shifted)


# --- SARIF ------------------------------------------------------------------------------


def _sarif(techfile: Run, root: Path | None, *args: str) -> dict[str, Any]:
    where = ("--example",) if root is None else ("--no-cache",)
    return techfile("check", "--format", "sarif", *where, *args, cwd=root).json()


def test_sarif_describes_only_the_rules_with_results(techfile: Run) -> None:
    log = _sarif(techfile, None)
    run = log["runs"][0]
    rules = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert rules == sorted({r["ruleId"] for r in run["results"]})
    assert all(rules[r["ruleIndex"]] == r["ruleId"] for r in run["results"])
    size = len(json.dumps(log))
    assert size < 50_000, size  # was 640 kB for two results with every page's whole text
    every_log = _sarif(techfile, None, "--sarif-all-rules")
    assert validate(log, sarif_schema()) == [] == validate(every_log, sarif_schema())
    every = every_log["runs"][0]
    assert len(every["tool"]["driver"]["rules"]) > len(rules)
    assert {r["id"] for r in every["tool"]["driver"]["rules"]} >= set(rules)


def test_sarif_rules_link_their_page_and_give_how_to_fix(techfile: Run) -> None:
    pages = load_pages()
    rules = _sarif(techfile, None, "--sarif-all-rules")["runs"][0]["tool"]["driver"]["rules"]
    prefix = f"https://github.com/techfile/techfile/blob/v{__version__}/checks/"
    for rule in rules:
        page = pages[rule["id"]]
        assert rule["helpUri"] == prefix + page.filename
        assert (REPO / "checks" / page.filename).is_file()
        assert rule["help"]["text"] == page.sections["how to fix"].strip()
        assert rule["help"]["markdown"] == rule["help"]["text"]


def test_sarif_results_carry_message_related_links_columns_why_and_fix(
    realworld: Path, techfile: Run
) -> None:
    findings = techfile("check", "--format", "json", "--no-cache", cwd=realworld).json()
    log = _sarif(techfile, realworld)
    assert validate(log, sarif_schema()) == []
    results = log["runs"][0]["results"]
    assert len(results) == len(findings["findings"])
    related_seen = 0
    for result, finding in zip(results, findings["findings"], strict=True):
        text = result["message"]["text"]
        assert text.startswith(finding["message"])
        region = result["locations"][0]["physicalLocation"].get("region", {})
        assert region.get("startColumn", 0) == finding["column"]
        assert result["partialFingerprints"]["techfile/v2"] == finding["fingerprint"]
        properties = result.get("properties", {})
        assert properties.get("why", "") == finding["why"]
        assert properties.get("fix", "") == finding["fix"]
        related = result.get("relatedLocations", [])
        assert len(related) == len(finding["related"])
        ids = [loc["id"] for loc in related]
        assert len(set(ids)) == len(ids)
        linked = [int(n) for n in re.findall(r"\]\((\d+)\)", text[len(finding["message"]) :])]
        assert linked == ids[: len(linked)] and len(linked) == min(len(ids), 10)
        related_seen += bool(related)
    assert related_seen, "the real-world folder has findings with related places"


def test_sarif_link_text_escapes_brackets(tree, techfile: Run) -> None:
    root = tree({"docs/a[1].md": _document(1), "docs/b.md": _document(1)}, config=CONFIG)
    results = _sarif(techfile, root, "--select", "ID001")["runs"][0]["results"]
    texts = [r["message"]["text"] for r in results if r.get("relatedLocations")]
    assert any("[docs/a\\[1\\].md:2](1)" in text for text in texts), texts


# --- GitHub annotations and the job summary -----------------------------------------------


def test_annotations_are_capped_and_the_summary_lists_every_finding(tree, techfile: Run) -> None:
    root = tree(_many(12), config=CONFIG)
    annotations = techfile("check", "--format", "github", *SELECT, cwd=root).lines
    levels = Counter(line.split(" ", 1)[0] for line in annotations)
    assert levels == {"::error": 10, "::warning": 10, "::notice": 10}
    trailer = annotations[-1]
    hidden = int(re.match(r"::notice title=techfile::(\d+) more finding", trailer)[1])
    assert hidden == 36 - 29  # 2 errors, 2 warnings and 3 notices: one slot for the trailer

    summary = techfile("check", "--format", "markdown", *SELECT, cwd=root).out
    assert f"{hidden} of these 36 findings have no annotation" in summary
    rows = [line for line in summary.splitlines() if re.match(r"\| \d+ \| FM\d{3} \|", line)]
    assert len(rows) == 36
    summaries = re.findall(r"<summary>(.*?): (\d+) findings? \((.*?)\)</summary>", summary)
    assert len(summaries) == 24  # one collapsible block per document
    assert sum(int(count) for _, count, _ in summaries) == 36
    assert summary.count("<details>") == summary.count("</details>") == 24
    assert ("docs/d00&#46;md (DOC-0)", "2", "1 error, 1 warning") in summaries


def test_the_summary_stays_under_the_limit_and_says_what_it_left_out(
    tree, techfile: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tree(_many(12), config=CONFIG)
    monkeypatch.setattr(markdown, "LIMIT", 6000)
    summary = techfile("check", "--format", "markdown", *SELECT, cwd=root).out
    assert len(summary.encode()) <= 6000
    listed = len([line for line in summary.splitlines() if re.match(r"\| \d+ \| FM", line)])
    assert 0 < listed < 36
    assert f"{36 - listed} more findings are not listed" in summary
    assert summary.count("<details>") == summary.count("</details>")


# --- GitLab and JSON ----------------------------------------------------------------------


def test_gitlab_issues_have_type_categories_and_unique_fingerprints(
    realworld: Path, techfile: Run
) -> None:
    findings = techfile("check", "--format", "json", "--no-cache", cwd=realworld).json()
    issues = techfile("check", "--format", "gitlab", cwd=realworld).json()
    assert len(issues) == len(findings["findings"]) > 10
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    for issue, finding in zip(issues, findings["findings"], strict=True):
        assert issue["type"] == "issue"
        assert issue["description"] == finding["message"]
        assert set(issue["categories"]) <= CODE_CLIMATE_CATEGORIES and issue["categories"]
        body = issue["content"]["body"]
        assert f"/checks/{load_pages()[finding['code']].filename})" in body
        for part in ("why", "fix"):
            assert bool(finding[part]) == (f"**{part.capitalize()}:**" in body)


@pytest.mark.parametrize("value", [*HOSTILE, "www.evil.example *x* `y`", "me@x.org &amp; <b>"])
def test_gitlab_body_text_renders_as_the_text_itself(value: str) -> None:
    source = gitlab._markdown_text(value)
    tokens = MarkdownIt("commonmark").parseInline(source)[0].children or []
    assert {t.type for t in tokens} == {"text"}
    assert "".join(t.content for t in tokens) == for_terminal(value)
    # nor can GFM's autolink extension (GitLab, GitHub) find a URL or an address in it
    assert not re.search(r"(?<!\\)://|www\.|(?<!\\)@", source, re.IGNORECASE), source


def test_json_and_sarif_and_junit_carry_why_and_fix(techfile: Run) -> None:
    findings = techfile("check", "--format", "json", "--example").json()["findings"]
    explained = [f for f in findings if f["why"] and f["fix"]]
    assert explained, "the example has a finding with why and fix"
    junit = techfile("check", "--format", "junit", "--example").out
    details = "".join(f.text or "" for f in ET.fromstring(junit.encode()).iter("failure"))
    for finding in explained:
        assert f"Why: {finding['why']}" in details and f"Fix: {finding['fix']}" in details
