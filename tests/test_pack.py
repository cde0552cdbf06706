"""`techfile pack`: the customer security pack of the bundled example and of planted copies.
The HTML is read by parsing it (html.parser), and rendered in headless Chromium when it is
installed (the helpers of test_report_browser)."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from techfile.cli import main, resolve_config
from techfile.data.capabilities import capability_registry
from techfile.data.resources import bundled
from techfile.data.schemas import validator
from techfile.engine.pipeline import RunOptions
from techfile.model.capability_answers import derived_answers
from techfile.pack import PackData, gather_pack, html, markdown, tabular
from techfile.report.gather import gather, load
from test_report import Node, parse
from test_report_browser import (
    CHROMIUM,
    assert_not_blank,
    chromium,
    decode_png,
    pixels,
)

ORGANISATIONAL_IDS = ("ISMS-CERT-001", "ISMS-SOA-001", "SOC2-HOST-2025", "HDS-HOST-001")


def example_pack() -> PackData:
    config, _ = resolve_config((), True)
    return gather_pack(config, RunOptions(use_cache=False))


@pytest.fixture(scope="module")
def example() -> PackData:
    return example_pack()


@pytest.fixture(scope="module")
def page(example: PackData) -> Node:
    return parse(html.render(example))


def pack_of(root: Path) -> PackData:
    config, _ = resolve_config((str(root),), False)
    return gather_pack(config, RunOptions(use_cache=False))


def example_copy(tmp_path: Path) -> Path:
    root = tmp_path / "connected-samd"
    shutil.copytree(bundled("examples") / "connected-samd", root)
    return root


# --- the registry -------------------------------------------------------------------------------


def test_registry_validates_and_says_where_its_codes_come_from() -> None:
    raw = yaml.safe_load((bundled("data") / "capabilities" / "mds2-2019.yaml").read_text("utf-8"))
    assert not list(validator("capabilities.schema.json").iter_errors(raw))
    registry = capability_registry()
    assert "secondary sources until checked against the workbook" in registry.status
    source_ids = {s.id for s in registry.sources}
    assert len(registry.codes) == len(set(registry.codes)) == 23
    for section in registry.sections:
        assert section.confidence in ("high", "medium", "low")
        assert set(section.sources) <= source_ids, section.code
        assert [q.key for q in section.questions] == [
            f"{section.code}.{letter}" for letter in "abcdefgh"[: len(section.questions)]
        ]
    for code in ("ALOF", "AUDT", "AUTH", "NAUT", "PAUT", "TXCF", "TXIG", "STCF", "MLDP", "SAHD"):
        assert code in registry.codes
        assert registry.section(code).iec_80001_2_2 == code  # type: ignore[union-attr]
    for code in ("SGUD", "CSUP", "RDMP", "SBOM", "CONN", "RMOT", "MPII"):
        assert code in registry.codes


def test_schema_enums_list_exactly_the_registry_codes() -> None:
    codes = list(capability_registry().codes)
    types = bundled("schemas") / "types"

    def enum_at(name: str, *path: str) -> list[str]:
        node = json.loads((types / f"{name}.schema.json").read_text("utf-8"))
        for key in path:
            node = node[key]
        return list(node["enum"])

    item = ("properties", "requirements", "items", "properties", "capability", "items")
    assert enum_at("security-requirements", *item) == codes
    mitigation = ("properties", "mitigations", "items", "properties", "capability", "items")
    assert enum_at("threat-model", *mitigation) == codes
    answer = ("properties", "answers", "items", "properties", "section")
    assert enum_at("disclosure-statement", *answer) == codes


# --- the example's pack -----------------------------------------------------------------------


def test_example_answers_at_least_14_sections_from_the_file(example: PackData) -> None:
    answered, manual = example.answered_sections(), example.manual_sections()
    assert len(answered) >= 14
    assert len(answered) + len(manual) == len(capability_registry().sections)
    assert manual == ["DIDT", "DTBK", "EMRG", "OTHR"]
    by_key = {row.question: row for row in example.answers}
    assert by_key["TXCF.a"].answer == "Yes"
    assert "SEC-REQ-001:SR-01" in by_key["TXCF.a"].evidence
    assert "TR-001:TC-27" in by_key["TXCF.a"].evidence
    assert by_key["PLOK.a"].answer == "N/A"
    assert by_key["RMOT.a"].answer == "Yes" and by_key["RMOT.a"].evidence == ("SEC-ARCH-001",)
    assert by_key["SBOM.a"].answer == "Yes" and by_key["SBOM.a"].evidence == ("SBOM-001",)
    for key in ("DIDT.a", "DTBK.a", "EMRG.a", "OTHR.a", "ALOF.b"):
        assert by_key[key].manual and by_key[key].answer == "" and by_key[key].evidence == ()


def test_every_evidence_id_resolves() -> None:
    config, _ = resolve_config((), True)
    view = load(config, RunOptions(use_cache=False)).view
    source = view.index.documents[0]
    checked = 0
    for derived in derived_answers(view).values():
        for label in derived.evidence:
            found = view.index.resolve(label, source, "any")
            assert found.document is not None and found.problem is None, label
            if ":" in label:
                assert found.item is not None and found.item.id == label.split(":")[1], label
            checked += 1
    assert checked > 40


def test_support_summary_comes_from_the_file(example: PackData) -> None:
    facts = {fact.label: fact for fact in example.support}
    assert facts["Software version"].value.startswith("2.3.0 (released 2026-05-20, REL-001)")
    assert facts["End of security support"].value == "2028-05-20"
    assert facts["End of security support"].evidence == ("ITSEC-001",)
    assert "security@rhythmwise.example" in facts["Security contact"].value
    assert "CVD-001" in facts["Coordinated vulnerability disclosure"].evidence
    assert "App Store" in facts["Update channel"].value
    assert "Bluetooth LE" in facts["Interfaces"].value
    assert facts["Manufacturer"].value.startswith("Rhythmwise Health GmbH")
    stamp = example.stamp
    assert (stamp.device, stamp.software_version, stamp.as_of) == (
        "CardioWatch",
        "2.3.0",
        "2026-06-30",
    )
    assert re.fullmatch(r"[0-9a-f]{64}", stamp.input_hash)


def test_the_input_hash_covers_what_the_report_covers_and_the_sbom(example: PackData) -> None:
    config, _ = resolve_config((), True)
    report = gather(config, RunOptions(use_cache=False))
    assert example.stamp.input_hash == report.header.input_hash
    assert example.stamp.input_files == report.header.input_files


def test_transparency_development_assurance_and_customer_annex(example: PackData) -> None:
    t = example.transparency
    (sbom,) = t.sboms
    assert (sbom.document, sbom.format, sbom.components) == ("SBOM-001", "CycloneDX 1.5 JSON", 13)
    assert sbom.complete and sbom.missing == ()
    assert t.last_review.startswith("2026-05-15")
    rows = {row.clause: row for row in example.development.activities}
    assert rows["EN IEC 81001-5-1:2022 5.2.1"].state == "green"
    assert rows["EN IEC 81001-5-1:2022 5.2.1"].evidence == ("SEC-REQ-001",)
    # the example's deliberate defect: the 81001-5-1 matrix cites the ISMS SoA for 7.2 (EV001)
    # beside the approved threat model, which covers the clause; the SoA is never shown
    assert rows["EN IEC 81001-5-1:2022 7.2"].state == "green"
    assert "ISMS-SOA-001" not in rows["EN IEC 81001-5-1:2022 7.2"].evidence
    (pentest,) = example.development.pentests
    assert pentest.label == "STR-001" and "2026-04-24" in pentest.value
    assert "version 2.3.0" in pentest.value and "independent-organisation" in pentest.value
    (review,) = example.development.threat_model_review
    assert "2026-04-09" in review.value
    (certificate,) = example.certificates
    assert (certificate.document, certificate.kind) == (
        "ISMS-CERT-001",
        "ISO/IEC 27001 certificate",
    )
    assert certificate.validity == "valid until 2028-09-14"
    annex = {r.mitigation: r for r in example.responsibilities}
    assert set(annex) == {"TM-001:M-09", "TM-001:M-11", "TM-001:M-12", "TM-001:M-16"}
    assert annex["TM-001:M-12"].by == "operator" and annex["TM-001:M-12"].told_in == ("ITSEC-001",)
    assert all(r.in_disclosures == ("MDS2-001",) for r in annex.values())
    assert example.disclosure.findings == ()


def test_html_has_its_sections_and_one_row_per_question(page: Node, example: PackData) -> None:
    for key in ("support", "capabilities", "transparency", "development", "assurance"):
        assert page.find("section", id=key)
    for key in ("responsibilities", "disclosure"):
        assert page.find("section", id=key)
    rows = page.find("section", id="capabilities").find_all("tr", class_="section-start")
    rows += page.find("section", id="capabilities").find_all("tr", class_="more")
    assert len(rows) == len(capability_registry().questions())
    txcf = page.find("tr", data_question="TXCF.a")
    assert txcf.attrs["data-answer"] == "Yes" and "SEC-REQ-001:SR-01" in txcf.text()
    assert page.find("tr", data_question="DTBK.a").attrs["data-answer"] == "manual"
    assurance = page.find("section", id="assurance").text()
    assert "not product capabilities" in assurance and "ISMS-CERT-001" in assurance


def test_html_is_self_contained_and_deterministic(example: PackData) -> None:
    text = html.render(example)
    assert "<script" not in text.lower() and "@import" not in text and "url(" not in text
    for node in parse(text).walk():
        for attribute in ("href", "src"):
            value = node.attrs.get(attribute)
            assert value is None or value.startswith("#"), (node.tag, value)
    assert html.render(example_pack()) == text


def test_csv_has_one_row_per_question_in_section_order(example: PackData) -> None:
    rows = list(csv.reader(io.StringIO(tabular.render_csv(example))))
    assert rows[0] == list(tabular.CSV_COLUMNS)
    assert [r[2] for r in rows[1:]] == [q.key for q in capability_registry().questions()]
    sections = [r[0] for r in rows[1:]]
    assert list(dict.fromkeys(sections)) == list(capability_registry().codes)
    by_key = {r[2]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert by_key["TXCF.a"]["answer"] == "Yes" and by_key["TXCF.a"]["status"] == "answered"
    assert by_key["EMRG.a"]["answer"] == "" and by_key["EMRG.a"]["status"] == "manual"


def test_json_and_markdown(example: PackData) -> None:
    data = json.loads(tabular.render_json(example))
    assert data["schema"] == "techfile-pack/1"
    assert data["manual_sections"] == ["DIDT", "DTBK", "EMRG", "OTHR"]
    assert len(data["answers"]) == len(capability_registry().questions())
    text = markdown.render(example)
    assert "## 2 Security capabilities (MDS2)" in text
    assert "| TXCF Transmission confidentiality |" in text
    assert "not product capabilities" in text


def test_cli_writes_every_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("html", "json", "csv", "markdown"):
        target = tmp_path / f"pack.{name}"
        capsys.readouterr()
        assert main(["pack", "--example", "--format", name, "--output", str(target)]) == 0
        assert target.stat().st_size > 1000
        assert "capability sections answered from the technical file" in capsys.readouterr().err
    assert main(["pack", "--example", "--format", "pdf"]) == 2


# --- planted copies ---------------------------------------------------------------------------


def test_organisational_evidence_is_never_shown_for_a_capability(tmp_path: Path) -> None:
    """ISO 27001, SOC 2 and HDS documents planted as evidence for product capabilities are
    refused: never in an answer's evidence, and reported by PK003 in the pack."""
    root = example_copy(tmp_path)
    (root / "suppliers").mkdir()
    (root / "suppliers" / "soc2-hosting.md").write_text(
        "---\nid: SOC2-HOST-2025\ntype: soc2-report\ntitle: SOC 2 Type II report of the host\n"
        "status: approved\nservice_organisation: Example Cloud Ltd\nsupplier: Example Cloud Ltd\n"
        "period_start: 2025-01-01\nperiod_end: 2025-12-31\n---\n\n# SOC 2 report\n",
        "utf-8",
    )
    (root / "suppliers" / "hds-hosting.md").write_text(
        "---\nid: HDS-HOST-001\ntype: hds-certificate\ntitle: HDS certificate of the host\n"
        "status: approved\ncertifies: HDS:2018\nissued_to: Example Cloud Ltd\n"
        "supplier: Example Cloud Ltd\nexpiry_date: 2027-12-31\n---\n\n# HDS certificate\n",
        "utf-8",
    )
    disclosure = root / "regulatory" / "disclosure-statement.md"
    text = disclosure.read_text("utf-8")
    text = text.replace(
        "| SEC-REQ-001:SR-01, SEC-REQ-001:SR-11, TR-001:TC-27 |", "| ISMS-CERT-001 |"
    )
    text = text.replace("| SEC-REQ-001:SR-05, TR-001:TC-17 |", "| SOC2-HOST-2025 |")
    text = text.replace("| SEC-REQ-001:SR-03, TR-001:TC-14 |", "| HDS-HOST-001, ISMS-SOA-001 |")
    disclosure.write_text(text, "utf-8")
    requirements = root / "security" / "security-requirements.md"  # and as a "verification"
    requirements.write_text(
        requirements.read_text("utf-8").replace(
            "| TR-001:TC-15 | AUDT |", "| ISMS-CERT-001 | AUDT |"
        ),
        "utf-8",
    )
    data = pack_of(root)
    for row in data.answers:
        assert not set(row.evidence) & set(ORGANISATIONAL_IDS), row
    refused = {
        f.message.split(" cites ")[1].split(" ")[0]
        for f in data.disclosure.findings
        if f.code == "PK003"
    }
    assert refused == {"ISMS-CERT-001", "SOC2-HOST-2025", "HDS-HOST-001", "ISMS-SOA-001"}
    page = parse(html.render(data))
    for row in page.find("section", id="capabilities").find_all("tr"):
        for org in ORGANISATIONAL_IDS:
            assert org not in row.text(), (org, row.attrs)
    kinds = {c.document: c.holder for c in data.certificates}
    assert kinds["SOC2-HOST-2025"] == "supplier: Example Cloud Ltd"
    assert "HDS-HOST-001" in kinds


def test_without_capabilities_every_capability_question_is_manual(tmp_path: Path) -> None:
    root = example_copy(tmp_path)
    requirements = root / "security" / "security-requirements.md"
    text = requirements.read_text("utf-8")
    text = re.sub(r" \| [A-Z]{4}(?:, [A-Z]{4})* \|$", " | |", text, flags=re.MULTILINE)
    text = text.replace("capabilities_not_provided:", "old_capabilities_not_provided:")
    requirements.write_text(text, "utf-8")
    data = pack_of(root)
    registry = capability_registry()
    for row in data.answers:
        question = registry.question(row.question)
        assert question is not None
        if question.answer_from == "capability":
            assert row.manual, row
    assert "CONN" in data.answered_sections() and "SBOM" in data.answered_sections()


def test_text_from_the_file_is_escaped(tmp_path: Path) -> None:
    root = example_copy(tmp_path)
    architecture = root / "security" / "security-architecture.md"
    architecture.write_text(
        architecture.read_text("utf-8").replace(
            "  - name: Clinician portal", '  - name: "<script>alert(1)</script> portal"'
        ),
        "utf-8",
    )
    text = html.render(pack_of(root))
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; portal" in text


# --- in a browser ---------------------------------------------------------------------------

browser = pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium is not installed (apt-get install chromium; .ci/run installs it in CI)",
)


@pytest.fixture(scope="module")
def pack_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    target = tmp_path_factory.mktemp("pack") / "pack.html"
    assert main(["pack", "--example", "--output", str(target)]) == 0
    return target.resolve().as_uri()


@browser
def test_browser_screenshot_is_not_blank(tmp_path: Path, pack_url: str) -> None:
    png = tmp_path / "pack.png"
    done = chromium(tmp_path, f"--screenshot={png}", "--window-size=1200,1600", url=pack_url)
    assert png.is_file(), done.stderr[-2000:]
    width, height, bpp, rows = decode_png(png.read_bytes())
    assert (width, height) == (1200, 1600)
    for top, bottom, where in ((0, 300, "header"), (300, 900, "summary"), (900, 1600, "answers")):
        assert_not_blank(pixels(rows, bpp, top, bottom), where)
    green = sum(
        n for colour, n in pixels(rows, bpp, 0, height).items() if colour[:3] == (0xDC, 0xF1, 0xE2)
    )
    assert green > 500, "no Yes answer drawn"


@browser
def test_browser_no_console_errors_and_the_dom_has_the_answers(
    tmp_path: Path, pack_url: str
) -> None:
    done = chromium(tmp_path, "--enable-logging=stderr", "--v=0", "--dump-dom", url=pack_url)
    assert done.returncode == 0, done.stderr[-2000:]
    console = [
        line
        for line in done.stderr.splitlines()
        if "CONSOLE" in line or "Uncaught" in line or "Failed to load resource" in line
    ]
    assert not console, console
    page = parse(done.stdout)
    assert page.find("tr", data_question="TXCF.a").attrs["data-answer"] == "Yes"


@browser
def test_browser_prints_on_a4(tmp_path: Path, pack_url: str) -> None:
    pdf = tmp_path / "pack.pdf"
    chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", url=pack_url)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    assert len(boxes) >= 2, "expected several pages"
    for width, height in boxes:  # A4 is 595.28 x 841.89 points
        assert abs(float(width) - 595.3) < 2 and abs(float(height) - 841.9) < 2
