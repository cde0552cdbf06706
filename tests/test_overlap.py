"""`techfile overlap`: ISO/IEC 27001 readiness from the QMS, on the bundled example, on small
trees and on the OpenRegulatory templates; its HTML read by parsing (html.parser), and rendered,
printed and screenshotted in headless Chromium like `techfile report`."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import CliResult
from techfile.cli import main, resolve_config
from techfile.data.clauses import clause_registry
from techfile.engine.pipeline import RunOptions
from techfile.overlap import export, html, markdown
from techfile.overlap.data import OverlapData, TargetRow
from techfile.overlap.gather import gather
from test_report import Node, parse
from test_report_browser import CHROMIUM, RED_CELL, assert_not_blank, chromium, decode_png, pixels

Tree = Callable[..., Path]
Run = Callable[..., CliResult]
ROOT = Path(__file__).resolve().parent.parent
OPENREGULATORY = ROOT / "fixtures" / "realworld" / "openregulatory-templates"
MAPPING = OPENREGULATORY / "templates" / "information_security" / "27001-mapping.md"
browser = pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium is not installed (apt-get install chromium; .ci/run installs it in CI)",
)


def example_data() -> OverlapData:
    config, _ = resolve_config((), True)
    return gather(config, RunOptions(use_cache=False))


def data_of(root: Path) -> OverlapData:
    config, _ = resolve_config((str(root),), False)
    return gather(config, RunOptions(use_cache=False))


def rows(data: OverlapData) -> dict[str, TargetRow]:
    return {row.id: row for row in data.rows()}


@pytest.fixture(scope="module")
def example() -> OverlapData:
    return example_data()


@pytest.fixture(scope="module")
def page(example: OverlapData) -> Node:
    return parse(html.render(example))


# --- the example -----------------------------------------------------------------------------


def test_the_example_reuses_document_control_from_the_qms(example: OverlapData) -> None:
    found = rows(example)
    equivalent = found["7.5.2"]
    assert equivalent.status == "reusable" and equivalent.still_needed == ()
    sop = equivalent.sources[0]
    assert (sop.document.label, sop.kind, sop.relationship) == ("SOP-001", "qms", "equivalent")
    assert (sop.document.version, sop.document.approval) == ("2.1", "approved")
    assert "ISO 13485:2016 4.2.4" in sop.via
    partial = found["7.5.3"]
    assert partial.status == "reusable" and partial.still_needed
    assert any("confidentiality" in text for text in partial.still_needed)


def test_isms_risk_is_never_equated_with_product_risk(example: OverlapData) -> None:
    for clause in ("6.1.2", "8.2", "8.3"):
        row = rows(example)[clause]
        assert row.status == "gap", clause
        assert [(s.document.label, s.relationship) for s in row.sources] == [("SOP-002", "none")]
        assert "not equated" in row.reason


def test_the_soa_declares_and_excludes(example: OverlapData) -> None:
    found = rows(example)
    assert found["4.3"].status == "declared" and found["6.1.3"].status == "declared"
    assert "section table" in found["4.3"].sources[0].via
    excluded = found["A.7.8"]
    assert excluded.status == "not-applicable" and excluded.soa is not None
    assert "data centre" in excluded.soa.justification
    vulnerabilities = found["A.8.8"]
    assert vulnerabilities.status == "declared"
    kinds = {(s.document.label, s.kind) for s in vulnerabilities.sources}
    assert {("VMP-001", "soa"), ("CVD-001", "soa"), ("VMP-001", "product")} <= kinds


def test_the_example_coverage_figures(example: OverlapData) -> None:
    clauses, annex = example.clauses_total, example.controls_total
    assert (clauses.total, annex.total) == (30, 93)
    assert clauses.counts == {
        "reusable": 2,
        "declared": 2,
        "supports": 1,
        "gap": 25,
        "not-applicable": 0,
    }
    assert (clauses.percent, clauses.partial) == (13, 1)
    assert annex.counts["not-applicable"] == 4 and annex.counts["gap"] == 0
    assert (annex.applicable, annex.percent) == (89, 100)
    assert [f.key for f in example.themes] == [
        "organisational",
        "people",
        "physical",
        "technological",
    ]
    assert [f.total for f in example.themes] == [37, 8, 14, 34]
    assert [f.key for f in example.clause_groups] == ["4", "5", "6", "7", "8", "9", "10"]


def test_isms_evidence_never_counts_for_the_qms_or_the_product(example: OverlapData) -> None:
    """One way: no ISMS document is ever reusable QMS evidence, and the run's own clause
    registry still does not know ISO/IEC 27001 afterwards."""
    for row in example.rows():
        for source in row.sources:
            if source.kind == "qms" and source.relationship in ("equivalent", "partial"):
                assert source.document.evidence_class == "process", (row.id, source)
    assert "iso-iec-27001" not in clause_registry().standards


def test_overlap_leaves_check_as_it_was(capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["check", "--example"]) == 1
    assert [line.split(" ")[1] for line in capsys.readouterr().out.splitlines()] == [
        "EV001",
        "RM001",
    ]


# --- the HTML page ---------------------------------------------------------------------------


def test_first_page_states_the_one_way_rule_and_the_limits(page: Node) -> None:
    header = page.find("header", id="overlap-header")
    one_way = header.find("div", id="one-way").text()
    assert "One way only." in one_way and "EV001" in one_way
    assert "never stands in for a product requirement" in one_way
    readiness = header.find("div", id="readiness").text()
    assert "not a certification opinion" in readiness
    assert "own analysis" in readiness
    order = [n.attrs.get("id") for n in page.walk() if n.attrs.get("id")]
    assert order.index("one-way") < order.index("summary") < order.index("clauses")


def test_every_target_has_a_row_with_its_status_in_words(page: Node) -> None:
    clauses = page.find("table", class_="overlap", data_part="clauses")
    ids = [r.attrs["data-target"] for r in clauses.find_all("tr") if "data-target" in r.attrs]
    assert len(ids) == 30 and ids[0] == "4.1" and ids[-1] == "10.2"
    controls = [
        r
        for t in page.find_all("table", class_="overlap")
        for r in t.find_all("tr")
        if r.attrs.get("data-target", "").startswith("A.")
    ]
    assert len(controls) == 93
    row = clauses.find("tr", data_target="7.5.3")
    assert row.attrs["data-status"] == "reusable"
    assert "reusable" in row.find("td", class_="state green").text()
    assert "Still needed" in row.text()
    soa = row.find("li", data_doc="SOP-001")
    assert soa.attrs["data-relationship"] == "partial" and "v2.1" in soa.text()


def test_coverage_table_shows_the_measured_numbers(page: Node) -> None:
    table = page.find("table", class_="figures", data_part="clauses")
    total = table.find("tr", data_group="clauses")
    assert total.attrs["data-percent"] == "13" and "13%" in total.text()
    themes = page.find("table", class_="figures", data_part="annex-a")
    assert themes.find("tr", data_group="physical").attrs["data-percent"] == "100"


def test_page_is_self_contained(page: Node, example: OverlapData) -> None:
    text = html.render(example)
    assert not page.find_all("script") and not page.find_all("link")
    assert not page.find_all("img") and not page.find_all("iframe")
    for node in page.walk():
        for name, value in node.attrs.items():
            if name in ("href", "src", "action"):
                assert value.startswith("#"), (node.tag, name, value)
    style = page.find("style").text()
    assert "url(" not in style and "@import" not in style and "@font-face" not in style
    assert "http://" not in text and "https://" not in text
    assert "@page" in style and "A4" in style and "@media print" in style


def test_everything_from_the_tree_is_escaped(tree: Tree) -> None:
    evil = "<script>alert('x')</script> & <b>bold</b>"
    root = tree(
        {
            "qms/sop.md": f'---\nid: SOP-9\ntype: qms-procedure\ntitle: "{evil}"\n'
            f'version: "{evil}"\nevidence_for: [ISO 13485:2016 8.2.4]\n---\n\n# SOP\n',
            "isms/soa.md": "---\nid: SOA-1\ntype: isms-soa\ntitle: SoA\n"
            "standards: [ISO/IEC 27001:2022]\n---\n\n# SoA\n\n"
            "| Control | Applicable | Justification |\n|---|---|---|\n"
            f"| A.7.8 | no | {evil} |\n",
        }
    )
    data = data_of(root)
    page = parse(html.render(data))
    assert not page.find_all("script")
    assert not any(node.text() == "bold" for node in page.find_all("b"))
    assert evil in page.text()
    assert "<script>" not in markdown.render(data)
    assert rows(data)["9.2.1"].status == "reusable"


# --- the other formats and the command ---------------------------------------------------------


def test_the_report_is_deterministic(example: OverlapData) -> None:
    again = example_data()
    for render in (html.render, markdown.render, export.render_json, export.render_csv):
        assert render(again) == render(example)


def test_json_and_csv_carry_every_target(example: OverlapData) -> None:
    data = json.loads(export.render_json(example))
    assert data["coverage"]["annex_a"]["percent"] == 100
    assert len(data["clauses"]) == 30 and len(data["controls"]) == 93
    assert "One way only" in data["statements"]["one_way"]
    table = list(csv.DictReader(io.StringIO(export.render_csv(example))))
    assert len(table) == 123
    first = table[0]
    assert (first["target"], first["kind"], first["status"]) == ("4.1", "clause", "gap")


def test_csv_cells_are_never_formulas(tree: Tree) -> None:
    root = tree(
        {
            "isms/soa.md": "---\nid: SOA-1\ntype: isms-soa\ntitle: SoA\n---\n\n# SoA\n\n"
            "| Control | Applicable | Justification |\n|---|---|---|\n"
            '| A.7.8 | no | =HYPERLINK("x") |\n',
        }
    )
    text = export.render_csv(data_of(root))
    row = next(r for r in csv.DictReader(io.StringIO(text)) if r["target"] == "A.7.8")
    assert row["soa_justification"].startswith("'=")


def test_command_writes_each_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name, check in (
        ("html", lambda t: t.startswith("<!DOCTYPE html>")),
        ("markdown", lambda t: t.startswith("# ISO/IEC 27001:2022 readiness")),
        ("json", lambda t: json.loads(t)["version"] == 1),
        ("csv", lambda t: t.startswith("target,kind,group")),
    ):
        target = tmp_path / f"overlap.{name}"
        capsys.readouterr()
        assert main(["overlap", "--example", "--format", name, "--output", str(target)]) == 0
        assert check(target.read_text(encoding="utf-8")), name
        err = capsys.readouterr().err
        assert "clauses 4-10 13% covered" in err and "Annex A 100% covered" in err


def test_command_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["overlap", "--example", "--format", "pdf"]) == 2
    assert main(["overlap", "--example", "--target", "iso-9001:2015"]) == 2
    assert main(["overlap", "--example", "--as-of", "tomorrow"]) == 2


def test_as_of_is_the_reports_date(capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["overlap", "--example", "--format", "json", "--as-of", "2027-01-31"]) == 0
    assert json.loads(capsys.readouterr().out)["header"]["as_of"] == "2027-01-31"


# --- OpenRegulatory: the clauses its 27001 mapping leaves blank ---------------------------------

# Written for this test in the OpenRegulatory style (a `| ISO 13485:2016 Section | ... |` table
# first); not copied from OpenRegulatory.
OUR_SOPS = {
    "templates/qms/sop-document-control.md": ("Document Control", ["4.2.4", "4.2.5"]),
    "templates/qms/sop-training.md": ("Training and Competence", ["6.2"]),
    "templates/qms/sop-internal-audit.md": ("Internal Audit", ["8.2.4"]),
    "templates/qms/sop-management-review.md": ("Management Review", ["5.6"]),
    "templates/qms/sop-capa.md": ("Corrective and Preventive Action", ["8.5.2", "8.5.3"]),
}


def blank_clauses() -> list[str]:
    """The clauses the OpenRegulatory 27001 mapping leaves without a document."""
    found = []
    for line in MAPPING.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and re.fullmatch(r"\d+(?:\.\d+)*", cells[0]) and not cells[2]:
            found.append(cells[0])
    return found


def openregulatory_copy(target: Path, with_sops: bool) -> Path:
    shutil.copytree(OPENREGULATORY, target)
    (target / ".techfile.toml").write_text('preset = "openregulatory"\n', encoding="utf-8")
    if with_sops:
        for rel, (title, clauses) in OUR_SOPS.items():
            table = "".join(f"| {c} | 1 |\n" for c in clauses)
            (target / rel).write_text(
                f"# SOP {title}\n\n| ISO 13485:2016 Section | Document Section |\n|---|---|\n"
                f"{table}\n## Process\n\nHow {title.lower()} is done here.\n",
                encoding="utf-8",
            )
    return target


def test_the_mapping_template_leaves_these_clauses_blank() -> None:
    assert blank_clauses() == [
        "4.1", "4.2", "6.2", "6.3", "7.1", "7.2", "7.3", "7.4", "7.5.1", "7.5.2", "7.5.3",
        "8.1", "8.2", "8.3", "9.1", "9.2.1", "9.2.2", "9.3.1", "9.3.2", "9.3.3", "10.1", "10.2",
    ]  # fmt: skip


def test_openregulatory_blank_clauses_are_gaps_without_qms_procedures(tmp_path: Path) -> None:
    data = data_of(openregulatory_copy(tmp_path / "or", with_sops=False))
    found = rows(data)
    assert {found[c].status for c in blank_clauses()} == {"gap"}
    # the clauses the mapping fills: the ISMS risk SOP says what it implements; the policy
    # the other rows name is not part of the copy
    for clause in ("6.1.1", "6.1.2", "6.1.3"):
        assert found[clause].status == "declared", clause
    for clause in ("4.3", "4.4", "5.1", "5.2", "5.3"):
        assert found[clause].status == "gap", clause
    assert data.clauses_total.percent == 10 and data.controls_total.percent == 0
    assert {f.code for f in data.findings} == {"IS001", "IS003"}


def test_openregulatory_blank_clauses_are_filled_from_qms_procedures(tmp_path: Path) -> None:
    data = data_of(openregulatory_copy(tmp_path / "or", with_sops=True))
    found = rows(data)
    filled = {}
    for clause in blank_clauses():
        row = found[clause]
        assert row.status in ("reusable", "gap"), (clause, row.status)
        if row.status == "reusable":
            qms = [s for s in row.sources if s.kind == "qms" and s.document.counts]
            assert qms and all(s.document.path.startswith("templates/qms/sop-") for s in qms)
            filled[clause] = "partial" if row.still_needed else "equivalent"
    assert filled == {
        "7.2": "equivalent",
        "7.3": "partial",
        "7.5.2": "equivalent",
        "7.5.3": "partial",
        "9.2.1": "equivalent",
        "9.2.2": "equivalent",
        "9.3.1": "equivalent",
        "9.3.2": "partial",
        "9.3.3": "equivalent",
        "10.2": "equivalent",
    }
    gaps = [c for c in blank_clauses() if found[c].status == "gap"]
    assert gaps == ["4.1", "4.2", "6.2", "6.3", "7.1", "7.4", "7.5.1", "8.1", "8.2", "8.3", "9.1",
                    "10.1"]  # fmt: skip
    assert data.clauses_total.percent == 43
    assert found["A.5.33"].status == "reusable" and found["A.6.3"].status == "reusable"


def test_overlap_command_on_the_openregulatory_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = openregulatory_copy(tmp_path / "or", with_sops=True)
    monkeypatch.chdir(root)
    capsys.readouterr()
    assert main(["overlap", "--no-cache", "--output", "overlap.html"]) == 0
    page = parse((root / "overlap.html").read_text(encoding="utf-8"))
    row = page.find("tr", data_target="9.2.1")
    assert row.attrs["data-status"] == "reusable" and "SOP Internal Audit" in row.text()
    assert page.find("section", id="soa-checks").find_all("tr", data_code="IS003")


# --- in a browser ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def overlap_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    target = tmp_path_factory.mktemp("overlap") / "overlap.html"
    assert main(["overlap", "--example", "--output", str(target)]) == 0
    return target.resolve().as_uri()


@browser
def test_screenshot_shows_header_statements_and_tiles(tmp_path: Path, overlap_url: str) -> None:
    png = tmp_path / "overlap.png"
    done = chromium(tmp_path, f"--screenshot={png}", "--window-size=1366,900", url=overlap_url)
    assert png.is_file(), done.stderr[-2000:]
    width, height, bpp, picture = decode_png(png.read_bytes())
    assert (width, height) == (1366, 900)
    for top, bottom, where in ((0, 260, "header"), (260, 560, "statements"), (560, 900, "tiles")):
        assert_not_blank(pixels(picture, bpp, top, bottom), where)


@browser
def test_full_page_shows_the_gap_cells(tmp_path: Path, overlap_url: str) -> None:
    png = tmp_path / "full.png"
    chromium(
        tmp_path,
        f"--screenshot={png}",
        "--force-device-scale-factor=0.5",
        "--window-size=1366,9000",
        url=overlap_url,
    )
    _, height, bpp, picture = decode_png(png.read_bytes())
    assert pixels(picture, bpp, 0, height)[RED_CELL] > 200, "no red gap cell"


@browser
def test_page_loads_without_console_errors(tmp_path: Path, overlap_url: str) -> None:
    done = chromium(tmp_path, "--enable-logging=stderr", "--v=0", "--dump-dom", url=overlap_url)
    assert done.returncode == 0, done.stderr[-2000:]
    console = [
        line
        for line in done.stderr.splitlines()
        if "CONSOLE" in line or "Uncaught" in line or "Failed to load resource" in line
    ]
    assert not console, console
    page = parse(done.stdout)
    assert "One way only." in page.find("div", id="one-way").text()
    assert page.find("tr", data_target="7.5.2").attrs["data-status"] == "reusable"


@browser
def test_overlap_prints_on_a4(tmp_path: Path, overlap_url: str) -> None:
    pdf = tmp_path / "overlap.pdf"
    chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", url=overlap_url)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    assert len(boxes) >= 3, "expected several pages"
    for width, height in boxes:  # A4 is 595.28 x 841.89 points
        assert abs(float(width) - 595.3) < 2 and abs(float(height) - 841.9) < 2


def test_the_soa_is_checked_even_where_check_ignores_the_family(tree: Tree) -> None:
    root = tree(
        {
            "isms/soa.md": "---\nid: SOA-1\ntype: isms-soa\ntitle: SoA\n---\n\n# SoA\n\n"
            "| Control | Applicable |\n|---|---|\n| A.5.1 | |\n",
        },
        config='ignore = ["IS"]\nextend-select = ["FM"]\n',
    )
    data = data_of(root)
    assert {f.code for f in data.findings} == {"IS001", "IS003"}
