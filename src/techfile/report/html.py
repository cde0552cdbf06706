"""The readiness report as one self-contained HTML file.

No scripts, no fonts, no images but inline SVG, no links outside the file: it works opened
from disk, attached to an email or printed to PDF on A4. Every text that comes from the
technical file goes through `escape` (HTML escaping); nothing from a document is ever markup.
Colour never carries meaning alone: every coloured cell also says what it means in words.
The style sheet is `report.css`, shipped beside this module and inlined into every report.
"""

from __future__ import annotations

import functools
from importlib import resources

from techfile.report.data import ReportData
from techfile.report.html_heatmap import heatmap_section
from techfile.report.html_listings import (
    deviations_section,
    documents_section,
    findings_section,
    sign_off_section,
)
from techfile.report.html_markup import escape, page
from techfile.report.html_sections import coverage_section, trace_section
from techfile.report.words import HASH_RULE, LIMITS, count

SECTIONS = (
    ("coverage", "Evidence coverage"),
    ("trace", "Security \u2194 safety trace"),
    ("heatmap", "Risk heat map"),
    ("findings", "Findings"),
    ("deviations", "Deviation list"),
    ("documents", "Documents"),
    ("signoff", "Sign-off"),
)


@functools.cache
def style_sheet() -> str:
    """The report's CSS (`report.css`), inlined into the `<style>` element."""
    return resources.files("techfile.report").joinpath("report.css").read_text(encoding="utf-8")


def render(data: ReportData) -> str:
    header = data.header
    body = [
        *_header(data),
        *_summary(data),
        *coverage_section(data.coverage),
        *trace_section(data),
        *heatmap_section(data),
        *findings_section(data),
        *deviations_section(data),
        *documents_section(data),
        *sign_off_section(data),
        *_footer(data),
    ]
    title = f"Readiness report: {header.device_name} as of {header.as_of}"
    return page(title, header.tool_version, style_sheet(), body)


def _header(data: ReportData) -> list[str]:
    h = data.header
    facts = [
        ("Device", h.device_name),
        ("Class", h.device_class),
        ("Software version", h.software_version),
        ("Software safety class", h.software_safety_class),
        ("As of", h.as_of),
        ("techfile", f"{h.tool_version} (profile {h.profile})"),
        ("Files", f"{h.classified} of {h.files} Markdown files classified"),
        ("Git commit", h.commit_words()),
    ]
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
        '<header id="report-header">',
        "<h1>Technical file readiness report</h1>",
        f'<p class="subtitle">{escape(h.device_name)} · class {escape(h.device_class)} · software '
        f"{escape(h.software_version)} · as of {escape(h.as_of)}</p>",
        f'<dl class="meta">{meta}</dl>',
        f'<p class="limits">{escape(LIMITS)}</p>',
        f'<nav aria-label="Sections"><ol>{links}</ol></nav>',
        "</header>",
    ]


def _summary(data: ReportData) -> list[str]:
    tiles = [_coverage_tile(data), _trace_tile(data), _findings_tile(data), _deviations_tile(data)]
    html = ['<section id="summary" aria-label="Summary">', '<div class="tiles">']
    for state, target, title, big, small in tiles:
        html.append(
            f'<a class="tile t-{state}" href="{target}" data-tile="{target[1:]}" '
            f'data-state="{state}"><span class="muted">{escape(title)}</span>'
            f"<b>{escape(big)}</b>{escape(small)}</a>"
        )
    html.append("</div>")
    for notice in data.notices:
        html.append(f'<p class="muted">Note: {escape(notice)}</p>')
    html.append("</section>")
    return html


Tile = tuple[str, str, str, str, str]  # state, target, title, big text, small text


def _coverage_tile(data: ReportData) -> Tile:
    states = data.coverage_counts()
    gaps_by_section = [
        (section.standard, [row.clause for row in section.rows if row.state == "red"])
        for section in data.coverage
    ]
    gap_count = sum(len(clauses) for _, clauses in gaps_by_section)
    gap_names = "; ".join(
        f"{standard} {_names(clauses)}" for standard, clauses in gaps_by_section if clauses
    )
    wrong = [row.clause for row in data.wrong_citations]
    small = (
        (f"{gap_names}; " if gap_names else "")
        + f"{states['green']} covered, {states['amber']} partial"
        + (f", {states['grey']} not applicable" if states["grey"] else "")
        + (f"; wrong extra citation at {_names(wrong)}" if wrong else "")
    )
    state = "red" if gap_count else "amber" if states["amber"] or wrong else "green"
    return state, "#coverage", "Evidence coverage", count(gap_count, "gap"), small


def _trace_tile(data: ReportData) -> Tile:
    title = "Security \u2194 safety trace"
    if not data.trace_applicable:
        return "grey", "#trace", title, "n/a", "no threat model in the technical file"
    missing = [t.label for t in data.missing_threats]
    unassessed = sum(1 for t in data.trace if t.state == "unassessed")
    small = (
        (f"{_names(missing)}; " if missing else "")
        + f"of {count(len(data.trace), 'threat')} with a safety impact"
        + (f"; {unassessed} not assessed" if unassessed else "")
    )
    state = "red" if missing else "amber" if unassessed else "green"
    return state, "#trace", title, f"{count(len(missing), 'threat')} outside the risk file", small


def _findings_tile(data: ReportData) -> Tile:
    """Findings the baseline accepted are counted apart, and keep the tile from green: they
    are open, only hidden from `check`."""
    severity = data.severity_counts
    total = sum(severity.values())
    small = f"{_severities(severity)}"
    if data.baseline is not None and data.baseline.findings:
        small += f"; {len(data.baseline.findings)} more baselined ("
        small += f"{_severities(data.baseline.severity_counts())})"
    state = "red" if severity["error"] else "amber" if total or data.baselined else "green"
    return state, "#findings", "Findings", count(total, "finding"), small


def _deviations_tile(data: ReportData) -> Tile:
    expired = sum(1 for d in data.deviations if d.expired)
    small = (f"{expired} expired" if expired else "none expired") + (
        f"; {data.baselined} baselined findings" if data.baselined else ""
    )
    return (
        "red" if expired else "grey",
        "#deviations",
        "Deviations",
        count(len(data.deviations), "suppression"),
        small,
    )


def _severities(counts: dict[str, int]) -> str:
    return (
        f"{count(counts['error'], 'error')}, {count(counts['warning'], 'warning')}, "
        f"{counts['info']} info"
    )


def _names(names: list[str], limit: int = 4) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _footer(data: ReportData) -> list[str]:
    h = data.header
    return [
        "<footer>",
        f"<p>Generated by techfile {escape(h.tool_version)} from "
        f"{count(h.input_files, 'input file')}"
        f" of the technical file <code>{escape(h.root_name)}</code>, as of {escape(h.as_of)}. "
        f"Input hash: {escape(HASH_RULE)} The report holds no time of day, so the same inputs, "
        "commit and as-of date give the same file.</p>",
        "</footer>",
    ]
