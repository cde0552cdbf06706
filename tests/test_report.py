"""`techfile report`: the readiness report of the bundled example and of small trees, read by
parsing the HTML (html.parser), never by matching markup with regular expressions."""

from __future__ import annotations

import datetime
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from techfile import __version__
from techfile.cli import main, resolve_config
from techfile.data.clauses import clause_registry
from techfile.data.resources import bundled
from techfile.engine.pipeline import RunOptions
from techfile.intake.commit import source_commit
from techfile.model.lifecycle import lifecycle_data
from techfile.report import html, markdown
from techfile.report.coverage import clause_key
from techfile.report.data import ReportData
from techfile.report.gather import CommitReader, gather, input_hash
from techfile.report.html_listings import finding_table

VOID = {"meta", "br", "col", "link", "img", "input", "hr", "wbr", "source", "area", "base"}


class Node:
    def __init__(self, tag: str, attrs: dict[str, str], parent: Node | None) -> None:
        self.tag = tag
        self.attrs = attrs
        self.parent = parent
        self.children: list[Node | str] = []

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.walk()

    def find_all(self, tag: str | None = None, **attrs: str) -> list[Node]:
        return [
            node
            for node in self.walk()
            if (tag is None or node.tag == tag)
            and all(node.attrs.get(k.rstrip("_").replace("_", "-")) == v for k, v in attrs.items())
        ]

    def find(self, tag: str | None = None, **attrs: str) -> Node:
        found = self.find_all(tag, **attrs)
        assert len(found) == 1, f"expected one <{tag} {attrs}>, found {len(found)}"
        return found[0]


class TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, self.stack[-1])
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, self.stack[-1])
        self.stack[-1].children.append(node)

    def handle_endtag(self, tag: str) -> None:
        assert any(n.tag == tag for n in self.stack), f"unopened </{tag}>"
        while self.stack[-1].tag != tag:
            self.stack.pop()
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(text: str) -> Node:
    builder = TreeBuilder()
    builder.feed(text)
    builder.close()
    assert builder.stack == [builder.root], "unclosed elements"
    return builder.root


def example_data() -> ReportData:
    config, _ = resolve_config((), True)
    return gather(config, RunOptions(use_cache=False))


def _example_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "example"
    shutil.copytree(bundled("examples") / "connected-samd", copy)
    return copy


def _gather(root: Path, read_commit: CommitReader | None = None, **options: Any) -> ReportData:
    config, _ = resolve_config((str(root),), False)
    return gather(config, RunOptions(use_cache=False, **options), read_commit=read_commit)


@pytest.fixture(scope="module")
def example() -> ReportData:
    return example_data()


@pytest.fixture(scope="module")
def page(example: ReportData) -> Node:
    return parse(html.render(example))


def _matrix_row(page: Node, standard: str, clause: str) -> Node:
    table = page.find("table", class_="matrix", data_standard=standard)
    return table.find("tr", data_clause=clause)


# --- the example's two defects ---------------------------------------------------------------


def test_a_clause_with_approved_evidence_is_covered_and_the_wrong_citation_marked(
    page: Node,
) -> None:
    """7.2 cites the ISMS SoA beside the approved threat model: covered, not a gap; the SoA is
    marked as a wrong extra citation and links to the EV001 finding about it."""
    row = _matrix_row(page, "EN IEC 81001-5-1:2022", "7.2")
    assert row.attrs["data-state"] == "green" and row.attrs["data-wrong"] == "ISMS-SOA-001"
    state = row.find("td", class_="state green")
    assert "covered" in state.text() and "ISMS-SOA-001" in state.text()
    assert "wrong extra citation" in state.find("span", class_="extra").text()
    soa = row.find("li", data_doc="ISMS-SOA-001")
    assert soa.attrs["data-role"] == "wrong-class" and soa.attrs["data-extra"] == "wrong"
    assert "not product evidence" in soa.text() and "cited in CM-001 line 53" in soa.text()
    link = soa.find("a", class_="finding-link")
    target = page.find(id=link.attrs["href"][1:])
    assert target.tag == "tr" and target.attrs["data-code"] == "EV001" and "EV001" in link.text()
    assert "regulatory/conformity-matrix.md:53" in target.text()
    assert row.find("li", data_doc="TM-001").attrs["data-role"] == "satisfies"
    tile = page.find("a", data_tile="coverage")
    assert tile.attrs["data-state"] == "amber" and "wrong extra citation at 7.2" in tile.text()


def test_every_cell_of_the_example_is_covered(page: Node) -> None:
    states = {
        (table.attrs["data-standard"], row.attrs["data-clause"]): row.attrs["data-state"]
        for table in page.find_all("table", class_="matrix")
        for row in table.find_all("tr")
        if "data-clause" in row.attrs
    }
    assert set(states.values()) == {"green"}
    marked = [r for t in page.find_all("table", class_="matrix") for r in t.find_all("tr")]
    assert [r.attrs["data-clause"] for r in marked if "data-wrong" in r.attrs] == ["7.2"]


def test_a_clause_with_only_organisational_evidence_stays_a_gap(tmp_path: Path) -> None:
    copy = _example_copy(tmp_path)
    (copy / "security" / "threat-model.md").unlink()
    data = _gather(copy)
    row = next(r for r in data.coverage[0].rows if r.clause == "7.2")
    assert row.state == "red" and row.wrong_citations == ()
    assert [e.label for e in row.evidence] == ["ISMS-SOA-001"]
    assert "organisational evidence (ISMS-SOA-001)" in row.verdict
    page = parse(html.render(data))
    html_row = _matrix_row(page, "EN IEC 81001-5-1:2022", "7.2")
    assert html_row.attrs["data-state"] == "red" and "data-wrong" not in html_row.attrs
    assert "gap" in html_row.find("td", class_="state red").text()
    assert "7.2" in page.find("a", data_tile="coverage").text()


def test_the_threat_that_reaches_no_risk_row_stands_out(page: Node) -> None:
    trace = page.find("table", class_="trace")
    rows = {r.attrs["data-threat"]: r for r in trace.find_all("tr") if "data-threat" in r.attrs}
    t06 = rows.pop("TM-001:T-06")
    assert t06.attrs["data-state"] == "missing" and t06.attrs["class"] == "missing"
    assert "reaches no risk row" in t06.find("td", class_="reach").text()
    assert "Tampering with ECG recordings" in t06.text()
    assert rows and all(r.attrs["data-state"] == "ok" for r in rows.values())
    assert "RA-001:R-10" in rows["TM-001:T-01"].text()
    # threats rated without safety impact are named, not listed as rows
    assert "TM-001:T-02" not in rows and "TM-001:T-02" in page.find("section", id="trace").text()
    tile = page.find("a", data_tile="trace")
    assert "1 threat outside the risk file" in tile.text() and "TM-001:T-06" in tile.text()


def test_the_coverage_rows_come_from_the_data_files(example: ReportData) -> None:
    first, mdr = example.coverage
    expected = {c for a in lifecycle_data().activities for c in a.clauses} | {"5.7.5", "7.4"}
    assert [r.clause for r in first.rows] == sorted(expected, key=clause_key)
    assert [r.clause for r in mdr.rows] == [
        "14.2(d)",
        "14.5",
        "17.1",
        "17.2",
        "17.4",
        "18.8",
        "23.4(ab)",
    ]


def test_report_data_file_is_valid_and_names_registry_clauses() -> None:
    schema = yaml.safe_load((bundled("schemas") / "report.schema.json").read_text())
    data = yaml.safe_load((bundled("data") / "report.yaml").read_text())
    jsonschema.Draft202012Validator(schema).validate(data)
    registry = clause_registry()
    for section in data["coverage"]:
        family = registry.family_of(section["standard"])
        assert family is not None, section["standard"]
        for entry in section.get("clauses", []):
            assert entry["clause"] in registry.standards[family].clauses, entry


# --- the heat map ------------------------------------------------------------------------------


def test_heat_map_shows_the_plans_matrix_and_counts(page: Node) -> None:
    section = page.find("section", id="heatmap")
    figures = {f.attrs["data-stage"]: f for f in section.find_all("figure")}
    assert set(figures) == {"before", "after"}
    for stage, figure in figures.items():
        cells = figure.find("svg").find_all("g", class_="cell")
        assert len(cells) == 25
        assert sum(int(c.attrs["data-count"]) for c in cells) == 14, stage
        verdicts = {c.attrs["data-verdict"] for c in cells}
        assert verdicts == {"acceptable", "reduce-afap", "unacceptable"}
        for cell in cells:  # colour is never the only carrier: the count is written
            assert cell.attrs["data-count"] in cell.text()
    before = figures["before"].find("g", data_severity="S4", data_probability="P3")
    assert before.attrs["data-verdict"] == "reduce-afap" and before.attrs["data-count"] == "7"
    after = figures["after"].find("g", data_severity="S4", data_probability="P1")
    assert after.attrs["data-verdict"] == "acceptable" and after.attrs["data-count"] == "11"
    assert "RA-001:R-01" in after.find("title").text()
    legend = section.text()
    assert "reduce as far as possible" in legend and "unacceptable" in legend
    assert "After risk control: 14 acceptable" in " ".join(legend.split())


def test_heat_map_without_a_plan_says_so(tree: Callable[..., Path]) -> None:
    root = tree({"risk.md": "---\nid: RA-1\ntype: risk-analysis\ntitle: Risks\n---\n# Risks\n"})
    config, _ = resolve_config((str(root),), False)
    data = gather(config, RunOptions(use_cache=False))
    assert data.heatmaps == ()
    section = parse(html.render(data)).find("section", id="heatmap")
    assert "No risk management plan was found" in section.text()


# --- header, record properties -----------------------------------------------------------------


def test_header_identifies_device_version_date_tool_and_inputs(page: Node) -> None:
    header = page.find("header", id="report-header")
    facts = dict(
        zip(
            [dt.text() for dt in header.find_all("dt")],
            [dd.text() for dd in header.find_all("dd")],
            strict=True,
        )
    )
    assert facts["Device"] == "CardioWatch"
    assert facts["Class"] == "IIa"
    assert facts["Software version"] == "2.3.0"
    assert facts["As of"] == "2026-06-30"
    assert facts["techfile"].startswith(__version__)
    assert facts["Git commit"] == "none (not read)"  # gather was given no commit reader
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", facts["Input hash"])


def test_input_hash_is_over_sorted_paths_and_bytes(example: ReportData) -> None:
    root = bundled("examples") / "connected-samd"
    files = {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and ".techfile_cache" not in p.parts
    }
    assert example.header.input_hash == input_hash(files)
    assert example.header.input_files == len(files)


def test_report_is_deterministic_and_the_hash_follows_the_inputs(
    tmp_path: Path, example: ReportData
) -> None:
    first = html.render(example)
    assert html.render(example_data()) == first
    copy = tmp_path / "example"
    shutil.copytree(bundled("examples") / "connected-samd", copy)
    config, _ = resolve_config((str(copy),), False)
    same = gather(config, RunOptions(use_cache=False))
    assert same.header.input_hash == example.header.input_hash
    target = copy / "device" / "ifu.md"
    target.write_text(target.read_text() + "\nOne more line.\n")
    changed = gather(config, RunOptions(use_cache=False))
    assert changed.header.input_hash != example.header.input_hash


def test_report_is_self_contained(page: Node, example: ReportData) -> None:
    text = html.render(example)
    assert not page.find_all("script") and not page.find_all("link")
    assert not page.find_all("img") and not page.find_all("iframe")
    for node in page.walk():
        for name, value in node.attrs.items():
            if name in ("href", "src", "action", "xlink:href"):
                assert value.startswith("#"), (node.tag, name, value)
    style = page.find("style").text()
    assert "url(" not in style and "@import" not in style and "@font-face" not in style
    assert "http://" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in text
    assert "@page" in style and "A4" in style and "@media print" in style


def test_findings_are_grouped_by_family_with_clause_and_place(page: Node) -> None:
    section = page.find("section", id="findings")
    families = [h.attrs["data-family"] for h in section.find_all("h3")]
    assert families == ["evidence", "risk"]
    ev001 = section.find("tr", data_code="EV001")
    assert "EN IEC 81001-5-1:2022 7.2" in ev001.text()
    assert "regulatory/conformity-matrix.md:53" in ev001.text()
    rm001 = section.find("tr", data_code="RM001")
    assert "security/threat-model.md:79" in rm001.text() and "TM-001" in rm001.text()


def test_documents_section_lists_every_document(page: Node) -> None:
    table = page.find("section", id="documents").find("table")
    ids = [r.attrs["data-doc"] for r in table.find_all("tr") if "data-doc" in r.attrs]
    assert len(ids) == 31 and {"ISMS-SOA-001", "TM-001", "MDS2-001"} <= set(ids)


# --- escaping and deviations -------------------------------------------------------------------

EVIL = "<script>alert('x')</script> & <marquee>m</marquee>"


def _evil_tree(tree: Callable[..., Path]) -> Path:
    return tree(
        {
            "tm.md": (
                "---\nid: TM-1\ntype: threat-model\n"
                f'title: "{EVIL}"\nstatus: draft\n'
                "threats:\n"
                "  - id: T-1\n"
                f'    title: "{EVIL}"\n'
                "    safety_impact: serious\n"
                f'    safety_impact_rationale: "{EVIL}"\n'
                "evidence_for:\n  - EN IEC 81001-5-1:2022 7.2\n"
                "waivers:\n"
                "  - rule: SDL004\n"
                f'    reason: "{EVIL}"\n'
                "    until: 2026-01-01\n"
                "    approved_by: QA\n"
                "---\n# Threat model\n"
            ),
        },
        config=f'as-of = "2026-06-30"\n[device]\nname = "{EVIL}"\nconnected = true\n',
    )


def test_document_text_is_escaped(tree: Callable[..., Path]) -> None:
    root = _evil_tree(tree)
    config, _ = resolve_config((str(root),), False)
    data = gather(config, RunOptions(use_cache=False))
    rendered = html.render(data)
    page = parse(rendered)
    assert not page.find_all("script") and not page.find_all("marquee")
    assert "&lt;script&gt;" in rendered
    assert EVIL in page.find("title").text()
    assert EVIL in page.find("header", id="report-header").text()
    assert EVIL in page.find("tr", data_threat="TM-1:T-1").text()
    assert EVIL in page.find("tr", data_doc="TM-1").text()
    threat = page.find("tr", data_threat="TM-1:T-1")
    assert threat.attrs["data-state"] == "missing"
    text = markdown.render(data)
    assert "<script>" not in text and "&lt;script&gt;" in text


def test_deviation_list_shows_waivers_with_reason_and_expiry(tree: Callable[..., Path]) -> None:
    root = _evil_tree(tree)
    config, _ = resolve_config((str(root),), False)
    data = gather(config, RunOptions(use_cache=False))
    page = parse(html.render(data))
    rows = page.find("section", id="deviations").find("table").find_all("tr", data_expired="yes")
    assert len(rows) == 1
    assert "SDL004" in rows[0].text() and EVIL in rows[0].text()
    assert "2026-01-01 (expired)" in rows[0].text() and "QA" in rows[0].text()


# --- Markdown and the command ------------------------------------------------------------------


def test_markdown_report_of_the_example(example: ReportData) -> None:
    text = markdown.render(example)
    row = next(line for line in text.splitlines() if line.startswith("| 7.2 |"))
    assert "**covered**" in row and "ISMS-SOA-001" in row and "not product evidence" in row
    assert "wrong extra citation" in row and "(see EV001)" in row
    t06 = next(line for line in text.splitlines() if "TM-001:T-06" in line)
    assert "reaches no risk row" in t06
    assert "| S4 (Critical) | A 0 \u2192 11 | R 3 \u2192 0 | R 7 \u2192 0 |" in text
    assert f"sha256:{example.header.input_hash}" in text


def test_report_command_writes_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out" / "report.html"
    capsys.readouterr()
    assert main(["report", "--example", "--output", str(target)]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert f"wrote {target}" in err and "0 gap" in err and "1 citing wrong evidence" in err
    text = target.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and text.endswith("</html>\n")
    assert main(["report", "--example", "--format", "markdown"]) == 0
    out, _ = capsys.readouterr()
    assert out.startswith("# Technical file readiness report: CardioWatch")
    assert "| Git commit | none (the bundled example, not read from git) |" in out


def test_report_command_usage_errors(tmp_path: Path) -> None:
    assert main(["report", str(tmp_path / "missing")]) == 2
    assert main(["report", "--example", "--format", "pdf"]) == 2


# --- a report never greener than the truth -----------------------------------------------------


@pytest.fixture(scope="module")
def baselined(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ReportData]:
    """A copy of the example whose findings were all accepted with `techfile baseline write`."""
    copy = _example_copy(tmp_path_factory.mktemp("baselined"))
    reason = "adopting techfile; fixes planned for release 2.4"
    assert main(["baseline", "write", str(copy), "--reason", reason, "--no-cache"]) == 0
    return copy, _gather(copy)


def test_baselined_findings_are_counted_apart_and_keep_the_card_from_green(
    baselined: tuple[Path, ReportData], example: ReportData
) -> None:
    _, data = baselined
    assert sum(data.severity_counts.values()) == 0 and data.findings == ()
    assert data.baselined == sum(example.severity_counts.values()) == 2
    page = parse(html.render(data))
    tile = page.find("a", data_tile="findings")
    assert tile.find("b").text() == "0 findings"
    assert "2 more baselined (2 errors, 0 warnings, 0 info)" in tile.text()
    assert tile.attrs["data-state"] == "amber"  # open findings: not green
    section = page.find("section", id="findings")
    assert "2 findings accepted in the baseline are not counted here" in section.text()
    assert section.find("p", class_="empty").text().startswith("No findings outside the baseline.")
    text = markdown.render(data)
    assert "0 findings (0 errors, 0 warnings, 0 info) and 2 more accepted in the baseline" in text


def test_section_5_lists_the_baselined_findings_with_reason_and_date(
    baselined: tuple[Path, ReportData],
) -> None:
    copy, data = baselined
    written = json.loads((copy / ".techfile-baseline.json").read_text())
    assert data.baseline is not None
    assert (data.baseline.reason, data.baseline.created) == (written["reason"], written["created"])
    section = parse(html.render(data)).find("section", id="deviations")
    facts = section.find("dl", class_="meta baseline").text()
    assert written["reason"] in facts and written["created"] in facts
    rows = section.find("table", class_="findings baselined").find_all("tr", data_code="EV001")
    assert len(rows) == 1 and "regulatory/conformity-matrix.md:53" in rows[0].text()
    assert {r.attrs["data-code"] for r in section.find_all("tr") if "data-code" in r.attrs} == {
        "EV001",
        "RM001",
    }
    page = parse(html.render(data))  # the coverage cell links to the finding in section 5
    link = _matrix_row(page, "EN IEC 81001-5-1:2022", "7.2").find("a", class_="finding-link")
    assert page.find(id=link.attrs["href"][1:]).attrs["data-code"] == "EV001"
    text = markdown.render(data)
    assert f"Reason: {markdown._m(written['reason'])}; written on {written['created']}" in text


def test_the_trace_without_a_threat_model_is_not_applicable(tmp_path: Path, page: Node) -> None:
    assert page.find("a", data_tile="trace").attrs["data-state"] == "red"  # the example: T-06
    copy = _example_copy(tmp_path)
    for name in ("threat-model.md", "security-risk-assessment.md"):
        (copy / "security" / name).unlink()
    data = _gather(copy)
    assert data.threat_models == () and not data.trace_applicable
    rendered = parse(html.render(data))
    tile = rendered.find("a", data_tile="trace")
    assert tile.attrs["data-state"] == "grey" and tile.find("b").text() == "n/a"
    assert "outside the risk file" not in tile.text() and "no threat model" in tile.text()
    section = rendered.find("section", id="trace")
    assert section.find("p", data_applicable="no").text().startswith("n/a")
    assert "security \u2194 safety trace n/a (no threat model)" in markdown.render(data)


def test_documents_show_approvals_and_next_review(example: ReportData, page: Node) -> None:
    row = page.find("section", id="documents").find("tr", data_doc="TM-001")
    approvals = row.find("td", class_="approvals").text()
    assert "Jonas Albrecht, 2026-04-09" in approvals and "Tobias Brandt, 2026-04-09" in approvals
    assert row.find("td", class_="review").text() == "2027-04-09"
    later = example_data_as_of(datetime.date(2027, 4, 10))
    overdue = parse(html.render(later)).find("section", id="documents")
    review = overdue.find("tr", data_doc="TM-001").find("td", class_="review")
    assert review.text() == "2027-04-09 (overdue)"
    assert "| 2027-04-09 **(overdue)** |" in markdown.render(later)


def example_data_as_of(day: datetime.date) -> ReportData:
    config, _ = resolve_config((), True)
    return gather(config, RunOptions(use_cache=False, as_of=day))


GIT_ENV = {
    "GIT_AUTHOR_NAME": "Reg Lead",
    "GIT_AUTHOR_EMAIL": "lead@example.org",
    "GIT_COMMITTER_NAME": "Reg Lead",
    "GIT_COMMITTER_EMAIL": "lead@example.org",
    "GIT_AUTHOR_DATE": "2026-06-29T10:00:00+00:00",
    "GIT_COMMITTER_DATE": "2026-06-29T10:00:00+00:00",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args],
        cwd=root,
        env={**os.environ, **GIT_ENV},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_the_report_names_the_git_commit_it_was_made_from(tmp_path: Path) -> None:
    copy = _example_copy(tmp_path)
    _git(copy, "init", "-q", "-b", "main")
    _git(copy, "add", "-A")
    _git(copy, "commit", "-q", "-m", "technical file 2.3.0")
    head = _git(copy, "rev-parse", "HEAD")
    (copy / "report.html").write_text("an earlier report, not an input\n")
    clean = _gather(copy, source_commit)
    assert clean.header.commit_words() == f"{head} (2026-06-29)"
    page = parse(html.render(clean))
    assert page.find("span", id="source-commit").text() == f"{head} (2026-06-29)"
    assert head in page.find("header", id="report-header").text()
    assert html.render(_gather(copy, source_commit)) == html.render(clean)
    ifu = copy / "device" / "ifu.md"
    ifu.write_text(ifu.read_text() + "\nOne more line.\n")
    (copy / "device" / "device-description.md").unlink()
    changed = _gather(copy, source_commit)
    assert changed.header.differing == ("device/device-description.md", "device/ifu.md")
    assert "uncommitted changes to 2 of the files read" in changed.header.commit_words()
    documents = parse(html.render(changed)).find("section", id="documents").text()
    assert "Not as committed: device/device-description.md, device/ifu.md" in documents
    outside = _gather(_example_copy(tmp_path / "plain"), source_commit)
    assert outside.header.commit_words() == "none (not in a git repository)"


def test_the_report_ends_with_a_sign_off_block(page: Node, example: ReportData) -> None:
    main_element = page.find("main")
    sections = [c for c in main_element.children if isinstance(c, Node) and c.tag == "section"]
    assert sections[-1].attrs["id"] == "signoff"
    block = sections[-1]
    roles = [th.text() for th in block.find("table", class_="signoff").find_all("th")]
    assert roles[-3:] == ["Prepared by", "Reviewed by", "Approved by"]
    assert f"sha256:{example.header.input_hash}" in block.text()
    assert example.header.commit_words() in block.text() and example.header.as_of in block.text()
    text = markdown.render(example)
    assert text.index("## 7 Sign-off") > text.index("## 6 Documents")
    assert "| Approved by | | | | |" in text


def test_a_finding_shows_its_message_and_folds_only_the_why_and_fix_it_has(
    example: ReportData, page: Node
) -> None:
    shown = {f.anchor: f for group in example.findings for f in group.findings}
    assert shown
    for anchor, finding in shown.items():
        row = page.find("tr", id=anchor)
        cell = row.find("td", class_="msg")
        assert cell.text().startswith(finding.message)
        parts = {p.attrs["data-part"]: p.text() for p in cell.find_all("p")}
        assert parts == {
            k: f"{k.capitalize()}: {v}"
            for k, v in (("why", finding.why), ("fix", finding.fix))
            if v
        }
        assert bool(cell.find_all("details")) == bool(finding.why or finding.fix)
    ev001 = next(f for f in shown.values() if f.code == "EV001")
    for why, fix, summary in (("a reason", "", "Why"), ("", "a fix", "Fix"), ("", "", None)):
        only = replace(ev001, why=why, fix=fix)
        cell = parse("".join(finding_table((only,)))).find("td", class_="msg")
        details = cell.find_all("details")
        if summary is None:
            assert details == [] and cell.text() == ev001.message
        else:
            assert details[0].find("summary").text() == summary
            assert [p.attrs["data-part"] for p in cell.find_all("p")] == [summary.lower()]


def test_reading_the_commit_runs_no_program_the_repository_names(tmp_path: Path) -> None:
    copy = _example_copy(tmp_path)
    _git(copy, "init", "-q", "-b", "main")
    _git(copy, "add", "-A")
    _git(copy, "commit", "-q", "-m", "technical file 2.3.0")
    marker = tmp_path / "ran"
    for setting in ("filter.evil.clean", "filter.evil.smudge", "core.fsmonitor"):
        _git(copy, "config", setting, f"touch {marker}; cat")
    (copy / ".gitattributes").write_text("*.md filter=evil\n")
    ifu = copy / "device" / "ifu.md"
    ifu.write_text(ifu.read_text() + "\nOne more line.\n")
    commit = source_commit(copy, ["device/ifu.md", "device/device-description.md"])
    assert commit.sha == _git(copy, "rev-parse", "HEAD") and commit.differing == ("device/ifu.md",)
    assert not marker.exists()
