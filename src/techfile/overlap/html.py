"""The overlap report as one self-contained HTML file, built like the readiness report: no
scripts, no fonts, no images, no links outside the file; it works opened from disk and prints
on A4. Every text from the repository goes through `escape`. The style sheet is the readiness
report's (`report.css`) followed by `overlap.css`, both shipped beside the code and inlined."""

from __future__ import annotations

import functools
from importlib import resources

from techfile.overlap.data import GAP, OverlapData
from techfile.overlap.html_tables import (
    checks_section,
    coverage_rule,
    documents_section,
    figures_table,
    legend,
    sources_section,
    targets_table,
)
from techfile.overlap.measure import THEME_TITLES
from techfile.overlap.words import HASH_RULE, ONE_WAY, READINESS, count
from techfile.report.html import style_sheet as report_style_sheet
from techfile.report.html_markup import escape, page

SECTIONS = (
    ("clauses", "Clauses 4 to 10"),
    ("controls", "Annex A controls"),
    ("soa-checks", "Statement of Applicability checks"),
    ("documents", "Documents"),
    ("sources", "Sources and limits"),
)


@functools.cache
def style_sheet() -> str:
    own = resources.files("techfile.overlap").joinpath("overlap.css").read_text(encoding="utf-8")
    return report_style_sheet() + own


def render(data: OverlapData) -> str:
    h = data.header
    body = [
        *_header(data),
        *_summary(data),
        *_clauses(data),
        *_controls(data),
        *checks_section(data),
        *documents_section(data),
        *sources_section(data),
        *_footer(data),
    ]
    title = f"{h.target} readiness from the QMS: {h.device_name} as of {h.as_of}"
    return page(title, h.tool_version, style_sheet(), body)


def _header(data: OverlapData) -> list[str]:
    h = data.header
    facts = [
        ("Target", h.target),
        ("Technical file", h.root_name),
        ("Device", h.device_name),
        ("As of", h.as_of),
        ("techfile", h.tool_version),
        ("Files", f"{h.classified} of {h.files} Markdown files classified"),
    ]
    for cert in data.certificates:
        facts.append(
            (
                "ISMS certificate",
                f"{cert.label}: {cert.certifies or 'edition not given'}, expires "
                f"{cert.expiry or 'date not given'}; scope: {cert.scope or 'not given'}",
            )
        )
    meta = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in facts)
    meta += (
        f'<dt>Input hash</dt><dd class="hash mono" id="input-hash" title="{escape(HASH_RULE)}">'
        f"sha256:{escape(h.input_hash)}</dd>"
    )
    links = "".join(
        f'<li><a href="#{key}">{number}&nbsp;{escape(title)}</a></li>'
        for number, (key, title) in enumerate(SECTIONS, start=1)
    )
    return [
        '<header id="overlap-header">',
        f"<h1>{escape(h.target)} readiness from the QMS</h1>",
        f'<p class="subtitle">How much of an information security management system the ISO '
        f"13485 quality management system and the product security evidence of "
        f"{escape(h.root_name)} already give · as of {escape(h.as_of)}</p>",
        f'<dl class="meta">{meta}</dl>',
        f'<div class="statement" id="one-way"><p>{_bold_first(ONE_WAY)}</p></div>',
        f'<div class="statement" id="readiness"><p>{_bold_first(READINESS)}</p></div>',
        f'<nav aria-label="Sections"><ol>{links}</ol></nav>',
        "</header>",
    ]


def _bold_first(text: str) -> str:
    """The first sentence in bold: the rule, then its explanation."""
    first, _, rest = text.partition(". ")
    return f"<b>{escape(first)}.</b> {escape(rest)}"


def _summary(data: OverlapData) -> list[str]:
    c, a = data.clauses_total, data.controls_total
    gaps = c.counts[GAP] + a.counts[GAP]
    tiles = [
        (_tile_state(c.percent), "#clauses", "Clauses 4 to 10", f"{c.percent}% covered",
         f"{c.covered} of {c.applicable}; {c.partial} only partially; {c.counts[GAP]} gaps"),
        (_tile_state(a.percent), "#controls", "Annex A controls", f"{a.percent}% covered",
         f"{a.covered} of {a.applicable} applicable; {a.counts[GAP]} gaps"),
        ("red" if gaps else "green", "#clauses", "Gaps", count(gaps, "gap"),
         "clauses and controls nothing in the repository gives"),
        ("amber" if data.findings else "green", "#soa-checks", "SoA checks",
         count(len(data.findings), "finding"), f"{count(len(data.soas), 'SoA')} read"),
    ]  # fmt: skip
    html = ['<section id="summary" aria-label="Summary">', '<div class="tiles">']
    for state, target, title, big, small in tiles:
        html.append(
            f'<a class="tile t-{state}" href="{target}" data-tile="{escape(title)}">'
            f'<span class="muted">{escape(title)}</span><b>{escape(big)}</b>{escape(small)}</a>'
        )
    html.append("</div>")
    html += ["<h2>Coverage</h2>", legend()]
    html += figures_table(data.clause_groups, c, "clauses")
    html += figures_table(data.themes, a, "annex-a")
    html.append(coverage_rule())
    for notice in data.notices:
        html.append(f'<p class="muted">Note: {escape(notice)}</p>')
    html.append("</section>")
    return html


def _tile_state(percent: int) -> str:
    return "green" if percent >= 80 else "amber" if percent >= 40 else "red"


def _clauses(data: OverlapData) -> list[str]:
    return [
        '<section id="clauses">',
        "<h2>1 Clauses 4 to 10</h2>",
        "<p>The management system requirements, at their most specific level. Titles are "
        "techfile's own short paraphrases, not the standard's text.</p>",
        *targets_table(data.clauses, "clauses", with_soa=False),
        "</section>",
    ]


def _controls(data: OverlapData) -> list[str]:
    html = [
        '<section id="controls">',
        "<h2>2 Annex A controls</h2>",
        "<p>The 93 controls by theme, with what the Statement of Applicability decides.</p>",
    ]
    for figure in data.themes:
        rows = tuple(r for r in data.controls if r.group == figure.key)
        html.append(
            f'<h3 data-theme="{escape(figure.key)}">{escape(THEME_TITLES[figure.key])}: '
            f"{figure.percent}% covered</h3>"
        )
        html += targets_table(rows, figure.key, with_soa=True)
    html.append("</section>")
    return html


def _footer(data: OverlapData) -> list[str]:
    h = data.header
    return [
        "<footer>",
        f"<p>Generated by techfile {escape(h.tool_version)} (<code>techfile overlap</code>) "
        f"from {count(h.input_files, 'input file')} of <code>{escape(h.root_name)}</code>, as of "
        f"{escape(h.as_of)}. Input hash: {escape(HASH_RULE)} The report holds no time of day, "
        "so the same inputs and as-of date give the same file.</p>",
        "</footer>",
    ]
