"""Precision of what techfile reads as a document's title and headings, and of `techfile adopt`'s
guesses, on other teams' real files (fixtures/realworld, copied from the evaluation corpus with
licence and attribution).

- Setext headings (`Clinical Hazards List` over `=====`, jadczak) are headings wherever techfile
  reads them: adopt's guessing, a document's title and id (`id-from = "h1"`), and the anchors a
  link may name (ID002). The line scanner is compared with markdown-it on tricky bodies.
- adopt does not type the organisation's own documents as the device's (strongdm's OS-patching
  ticket, OpenRegulatory's ISO 27001 mapping), and recognises a generated threat-model report
  without an H1 (pytm).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from techfile import adopt as ad
from techfile.intake.headings import first_h1, scan_headings
from techfile.intake.markdown import parse_body
from techfile.intake.parse import parse_bytes
from techfile.intake.settings import ParseSettings

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "realworld"
HAZARDS = FIXTURES / "jadczak-risk-management" / "docs" / "clincal-hazards.md"


def _markdown_it(body: str) -> tuple[tuple[int, str, int], ...]:
    """The top-level headings markdown-it (CommonMark and GFM tables) finds, as ours."""
    tokens = MarkdownIt("commonmark").enable("table").disable("inline").parse(body)
    found = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.level == 0:
            text = tokens[index + 1].content
            if text:
                found.append((int(token.tag[1]), text, token.map[0] + 1))
    return tuple(found)


# ------------------------------------------------------------------------------ setext headings

CASES = {
    "setext H1 as a title": ("Clinical Hazards List\n=====================\n\n# Burn\n", 2),
    "setext H2": ("Scope\n-----\ntext\n", 1),
    "two-line paragraph underlined": ("Risk Management\n  Plan\n===\n", 1),
    "thematic break after a blank line": ("Some text\n\n---\n\nMore\n", 0),
    "front-matter-like block after a break": ("---\nid: x\n---\n", 1),  # CommonMark: an H2
    "one-column table's delimiter row": ("| Hazard |\n---\n| Burn |\n", 0),
    "two cells over one dash run": ("a | b\n---\n", 1),
    "table rows absorb an underline": ("a|b\n-|-\nFoo\n===\n", 0),
    "table ends at a break": ("a|b\n-|-\nFoo\n---\nBar\n===\n", 1),
    "list item text is lazy": ("- item\nFoo\n===\n", 0),
    "list item then a blank line": ("- item\n\nFoo\n===\n", 1),
    "quote text is lazy": ("> quote\nFoo\n===\n", 0),
    "quote ends at a blank line": ("> quote\n\nFoo\n---\n", 1),
    "a break under quote text": ("> quote\n---\n", 0),
    "indented code is no paragraph": ("    code\n===\n", 0),
    "underline indented four": ("Foo\n    ===\n", 0),
    "inside a fence": ("```\nFoo\n===\n```\n", 0),
    "HTML block": ("<div>\nFoo\n===\n</div>\n", 0),
    "HTML comment across lines": ("<!--\nFoo\n===\n-->\n", 0),
    "a reference definition is no paragraph": ("[a]: /url\n===\n", 0),
    "after a reference definition": ("[a]: /url\nFoo\n===\n", 1),
    "ordered item from 2 does not interrupt": ("Foo\n2. two\n---\n", 1),
    "ATX closing sequence": ("# Title #\n## Sub ##\n# foo#\n", 3),
    "an empty item is an underline": ("Foo\n-\n", 1),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_setext_headings_as_markdown_it_reads_them(name: str) -> None:
    body, count = CASES[name]
    assert scan_headings(body, 1) == _markdown_it(body)
    assert len(scan_headings(body, 1)) == count


# Lines teams write, and lines that trip a line-by-line reader; nested quotes followed by an
# indented line are the one known difference (headings.py).
LINES = [
    *("Foo", "Bar baz", "  two", "    code", "\tTab", "   Foo", "Title  ", "Foo \\#"),
    *("===", "---", "-", "--", "  ===", "    ---", "=== ", "=====", "  ---", "\\==="),
    *("- - -", "***", "___", "* * *", "= =", "-=-"),
    *("# Title", "## Sub", "#NoSpace", "# Trailing #", "#", "####### seven", "  ## two"),
    *("> quote", ">", "> # quoted", ">     code", "> ---"),
    *("- item", "* item", "+ item", "1. one", "2. two", "1) paren", "- ", "  - nested"),
    *("- # item heading", "    - deep", "10. ten", "-\tTabbed", "1. # x", "- ---"),
    *("a | b", "| a |", "|a|b|", "--|--", "|---|---|", "| --- |", ":-:|", "a|b|c", "-|-"),
    *("<div>", "</div>", "<!-- comment", "-->", "<!-- one line -->", "<span>", "<br/>"),
    *("<pre>", "</pre>", "<?php", "?>", "<details>", "<![CDATA[", "]]>", "<a href='x'>"),
    *("```", "~~~", "```python", "    ```", "````", "``` `x`"),
    *("[a]: /url", '[b]: /u "t"', "[c]:", "  [a]: /x"),
    *("", "", "", "  "),
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(LINES), min_size=1, max_size=10))
def test_scanner_agrees_with_markdown_it(lines: list[str]) -> None:
    body = "\n".join(lines)
    assert scan_headings(body, 1) == _markdown_it(body)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(LINES), min_size=1, max_size=10))
def test_first_h1_is_the_first_level_one_heading(lines: list[str]) -> None:
    body = "\n".join(lines)
    first = next(((text, line) for level, text, line in scan_headings(body, 7) if level == 1), None)
    assert first_h1(body, 7) == first


def test_a_directive_line_is_read_past_as_parse_body_does() -> None:
    body = "Title\n<!-- techfile: ignore[RM001] reason='x' -->\n=====\n"
    assert scan_headings(body, 1) == ((1, "Title", 1),)
    assert parse_body(body, 1).headings == ((1, "Title", 1),)


def test_a_setext_heading_of_two_lines_reads_alike_parsed_or_not() -> None:
    """markdown-it's content keeps the line break (tests/test_parse_speed_tables.py pins
    parse_body to it); adopt reads the heading as one line."""
    body = "| ID | Hazard |\n|---|---|\n| R-1 | Burn |\n\nRisk Management\nPlan\n===\n"
    assert parse_body(body, 10).headings == ((1, "Risk Management\nPlan", 14),)
    assert scan_headings(body, 10) == parse_body(body, 10).headings
    assert ad.facts("x.md", body.encode()).h1 == "Risk Management Plan"


def test_the_real_hazards_list_has_its_setext_title() -> None:
    """jadczak's hazards list opens with a setext H1; before, its first ATX heading (`Allergic
    Reaction`, the first hazard) was read as its title."""
    data = HAZARDS.read_bytes()
    assert first_h1(data.decode(), 1) == ("Clinical Hazards List", 1)
    assert ad.facts("docs/clincal-hazards.md", data).h1 == "Clinical Hazards List"
    document = parse_bytes("docs/clincal-hazards.md", data, ParseSettings(id_from="h1")).document
    assert document is not None and document.type is None
    assert (document.h1, document.title, document.id) == ("Clinical Hazards List",) * 3


def test_a_document_not_parsed_has_its_setext_headings() -> None:
    data = b"---\nid: POL-1\ntype: isms-policy\n---\n\nPolicy\n======\n\nScope\n-----\n\nAll.\n"
    document = parse_bytes("policy.md", data, ParseSettings()).document
    assert document is not None
    assert document.headings == ((1, "Policy", 6), (2, "Scope", 9))
    assert document.title == "Policy"


def test_a_link_to_a_setext_heading_resolves(tmp_path: Path, techfile: Callable[..., Any]) -> None:
    """ID002 reads a link's `#anchor` against the target's headings: a setext `Scope` heading
    is one (before: `names no heading` on a link that works on GitHub)."""
    (tmp_path / "policy.md").write_text(
        "---\nid: POL-1\ntype: isms-policy\nstatus: draft\n---\n\nPolicy\n======\n\n"
        "Scope\n-----\n\nAll systems.\n",
        encoding="utf-8",
    )
    (tmp_path / "soa.md").write_text(
        "---\nid: SOA-1\ntype: isms-soa\nstatus: draft\n"
        "references: ['[scope](policy.md#scope)']\n---\n\n# SoA\n",
        encoding="utf-8",
    )
    result = techfile("check", "--no-cache", "--select", "ID002", cwd=tmp_path)
    assert " ID002 " not in result.out, result.out


# ------------------------------------------------------------------------------ adopt on real files


def _guesses(folder: str, tmp_path: Path) -> dict[str, ad.Guess]:
    root = tmp_path / folder
    shutil.copytree(FIXTURES / folder, root)
    (root / "ATTRIBUTION.md").unlink()
    _, guesses = ad.guess_all(ad.collect(root))
    return {g.path: g for g in guesses}


def test_an_enterprise_patching_ticket_is_not_the_device_procedure(tmp_path: Path) -> None:
    """strongdm comply's `OS Patch Procedure` patches the company's servers from an ops
    repository and is resolved as a ticket: organisational IT (ISO/IEC 27001 A.8.8), not the
    device's vulnerability management (IEC 81001-5-1 clause 9). Before: typed
    vulnerability-management-procedure from `patch procedure` in its H1."""
    guess = _guesses("strongdm-comply", tmp_path)["example/procedures/patch.md"]
    assert guess.type is None
    reason = guess.reasons[0]
    assert '"patch procedure"' in reason and "organisation's own IT" in reason
    assert '"os patches", "ticket"' in reason and "[types]" in reason


def test_the_iso_27001_mapping_is_not_the_device_conformity_matrix(tmp_path: Path) -> None:
    guess = _guesses("openregulatory-templates", tmp_path)[
        "templates/information_security/27001-mapping.md"
    ]
    assert guess.type is None
    assert "ISO/IEC 27001" in guess.reasons[0] and "conformity-matrix" in guess.reasons[0]


def test_a_generated_threat_model_report_is_a_threat_model(tmp_path: Path) -> None:
    """pytm's report has no H1 and a file name that says nothing (`output.md`); its headings
    `Potential Threats` beside `Dataflow Diagram` do. The template it came from stays open."""
    guesses = _guesses("OWASP-pytm", tmp_path)
    report = guesses["tests/output.md"]
    assert (report.type, report.by) == ("threat-model", "guess")
    assert '"Potential Threats"' in report.reasons[0]
    assert guesses["docs/basic_template.md"].type is None


def test_the_hazards_list_stays_untyped(tmp_path: Path) -> None:
    """Severity descriptions per harm, not a risk table: its setext title fits no type."""
    guesses = _guesses("jadczak-risk-management", tmp_path)
    assert guesses["docs/clincal-hazards.md"].type is None
    assert 'H1 "Clinical Hazards List"' in guesses["docs/clincal-hazards.md"].reasons[0]
    assert guesses["docs/risk-management-plan.md"].type == "risk-management-plan"


# ------------------------------------------------------------------------------ the general case


def _facts(path: str, text: str) -> ad.FileFacts:
    return ad.facts(path, text.encode())


def _type(path: str, text: str) -> str | None:
    return ad.guess(_facts(path, text), None, {}).type


IT_PATCHING = (
    "# Patch Management Procedure\n\nPatches are applied to all servers and employee laptops "
    "in the monthly patch window; each run is logged in a ticket.\n"
)
PRODUCT_PATCHING = (
    "# Patch Management Procedure\n\nWhen a vulnerability is found in a SOUP component of the "
    "device software, we assess it, patch the affected release and inform customers; the "
    "cloud servers are updated by the same ticket.\n"
)


def test_organisational_it_words_withhold_a_product_process_guess() -> None:
    assert _type("docs/patching.md", IT_PATCHING) is None
    assert _type("docs/patching.md", PRODUCT_PATCHING) == "vulnerability-management-procedure"


def test_one_it_word_is_not_enough() -> None:
    text = "# Vulnerability Management\n\nScans run on the build server every night.\n"
    assert _type("docs/vm.md", text) == "vulnerability-management-procedure"


def test_an_isms_standard_in_the_title_withholds_but_not_beside_a_device_standard() -> None:
    isms = "# ISO/IEC 27001 Compliance Matrix\n\n| Clause | Document |\n|---|---|\n"
    both = "# Compliance Matrix: MDR Annex I and ISO 27001\n\n| Clause | Document |\n|---|---|\n"
    assert _type("docs/matrix.md", isms) is None
    assert _type("docs/matrix.md", both) == "conformity-matrix"
    soc2 = "# SOC 2 Security Risk Assessment\n\nServers and laptops of employees.\n"
    assert _type("docs/sra.md", soc2) is None


def test_sops_training_records_and_organisational_types_keep_their_guess() -> None:
    sop = "# SOP IT Patch Management\n\nServers and laptops are patched; see the ticket.\n"
    assert _type("docs/sop-patching.md", sop) == "qms-procedure"
    training = "# Training Record\n\nEmployees trained on laptops and the help desk.\n"
    assert _type("docs/training.md", training) == "training-record"
    isms = "# ISO 27001 Statement of Applicability\n\nServers, laptops, employees.\n"
    assert _type("docs/controls.md", isms) == "isms-soa"


def test_a_declared_type_and_a_preset_are_never_withheld() -> None:
    declared = "---\ntype: vulnerability-management-procedure\n---\n" + IT_PATCHING
    assert _type("docs/patching.md", declared) == "vulnerability-management-procedure"
    facts = _facts("docs/patching.md", IT_PATCHING)
    globs = {"docs/patching.md": "vulnerability-management-procedure"}
    assert ad.guess(facts, "x", globs).type == "vulnerability-management-procedure"


def test_threat_model_sections_need_threats_and_flows_and_lose_to_a_title() -> None:
    report = "## Data Flows\n\n| From | To |\n|---|---|\n\n## Threats\n\n| ID | Threat |\n"
    assert _type("out/report.md", report) == "threat-model"
    assert _type("out/report.md", "## Threats\n\n## Mitigations\n") is None
    titled = "# Security Risk Assessment\n\n## Trust Boundaries\n\n## Identified Threats\n"
    assert _type("out/report.md", titled) == "security-risk-assessment"
    template = report + "\n{tm.description}\n"
    assert _type("out/report.md", template) is None
