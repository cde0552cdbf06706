"""The readiness report as one self-contained HTML file.

No scripts, no fonts, no images but inline SVG, no links outside the file: it works opened
from disk, attached to an email or printed to PDF on A4. Every text that comes from the
technical file goes through `_e` (HTML escaping); nothing from a document is ever markup.
Colour never carries meaning alone: every coloured cell also says what it means in words.
"""

from __future__ import annotations

from collections.abc import Iterable

from techfile.model.plan import Level
from techfile.report.data import (
    CoverageRow,
    CoverageSection,
    Deviation,
    Evidence,
    FindingGroup,
    HeatMap,
    ReportData,
    TraceEntry,
)
from techfile.report.words import (
    ACCEPTABILITY_WORDS,
    FAMILY_TITLES,
    HASH_RULE,
    LIMITS,
    ROLE_WORDS,
    STATE_WORDS,
    count,
)

CSS = """
:root {
  --ink: #1d232b; --muted: #5b6570; --line: #d5dae0; --paper: #ffffff; --band: #f4f6f8;
  --green: #1e6b37; --green-bg: #dcf1e2; --amber: #7a4d00; --amber-bg: #ffedc2;
  --red: #9c1c1f; --red-bg: #fbdcdb; --grey: #4f5963; --grey-bg: #eceff2;
  --acc: #a9dbb5; --afap: #ffd97a; --unacc: #f19b9b; --unknown: #d9dde2;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: var(--band); color: var(--ink);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    "Liberation Sans", sans-serif;
  -webkit-print-color-adjust: exact; print-color-adjust: exact;
}
main { max-width: 1240px; margin: 0 auto; padding: 20px 28px 40px; background: var(--paper); }
h1 { font-size: 24px; margin: 0 0 2px; }
h2 { font-size: 19px; margin: 30px 0 8px; padding-bottom: 4px;
  border-bottom: 2px solid var(--ink); }
h3 { font-size: 15px; margin: 20px 0 6px; }
p { margin: 6px 0; }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono",
  monospace; font-size: 0.92em; }
.subtitle { font-size: 16px; color: var(--muted); margin: 0 0 12px; }
.meta { display: grid; grid-template-columns: max-content 1fr max-content 1fr; gap: 2px 14px;
  margin: 0 0 10px; padding: 10px 12px; background: var(--band); border: 1px solid var(--line); }
.meta dt { color: var(--muted); }
.meta dd { margin: 0; font-weight: 600; overflow-wrap: anywhere; }
.meta dd.hash { font-weight: 400; }
.limits { font-size: 13px; color: var(--muted); border-left: 3px solid var(--line);
  padding-left: 10px; }
nav ol { display: flex; flex-wrap: wrap; gap: 4px 18px; list-style: none; padding: 0;
  margin: 10px 0 0; font-size: 13px; }
nav a { color: var(--ink); }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(210px, 1fr)); gap: 10px;
  margin: 8px 0; }
.tile { display: block; border: 1px solid var(--line); border-left-width: 6px; padding: 8px 10px;
  color: var(--ink); text-decoration: none; font-size: 13px; }
.tile b { display: block; font-size: 20px; line-height: 1.25; }
.t-red { border-left-color: var(--red); } .t-red b { color: var(--red); }
.t-amber { border-left-color: var(--amber); } .t-amber b { color: var(--amber); }
.t-green { border-left-color: var(--green); } .t-green b { color: var(--green); }
.t-grey { border-left-color: var(--grey); }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; font-size: 13px;
  table-layout: fixed; }
th, td { border: 1px solid var(--line); padding: 4px 7px; text-align: left; vertical-align: top; }
th { background: var(--band); font-weight: 600; }
tr { break-inside: avoid; }
td.num, th.num { text-align: right; }
.matrix td.clause { font-weight: 600; }
td.nowrap { white-space: nowrap; }
.state-label { display: inline-block; font-weight: 700; font-size: 11px; letter-spacing: .04em;
  text-transform: uppercase; padding: 0 6px; border-radius: 3px; border: 1px solid currentColor;
  margin-right: 4px; }
.green { background: var(--green-bg); color: var(--green); }
.amber { background: var(--amber-bg); color: var(--amber); }
.red { background: var(--red-bg); color: var(--red); }
.grey { background: var(--grey-bg); color: var(--grey); }
td.state .why { display: block; color: var(--ink); font-size: 12px; margin-top: 2px; }
ul.evidence { margin: 0; padding: 0; list-style: none; }
ul.evidence li { margin: 0 0 2px; }
ul.evidence li .how { color: var(--muted); font-size: 12px; }
.role { font-size: 11px; font-weight: 700; padding: 0 4px; border-radius: 3px; }
.role.wrong-class, .role.unresolved { background: var(--red-bg); color: var(--red); }
.role.satisfies { background: var(--green-bg); color: var(--green); }
.role.pending, .role.supporting { background: var(--amber-bg); color: var(--amber); }
.role.not-accepted { background: var(--grey-bg); color: var(--grey); }
tr.missing td { background: var(--red-bg); }
tr.missing td.reach { color: var(--red); font-weight: 700; }
tr.unassessed td.reach { color: var(--amber); font-weight: 700; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 12px; margin: 4px 0 8px;
  padding: 0; list-style: none; }
.swatch { display: inline-block; width: 12px; height: 12px; border: 1px solid #7b8590;
  vertical-align: -2px; margin-right: 4px; }
.maps { display: flex; flex-wrap: wrap; gap: 18px; }
figure { margin: 0; break-inside: avoid; }
figure svg { width: 100%; max-width: 560px; height: auto; display: block; }
figcaption { font-size: 13px; font-weight: 600; margin-bottom: 4px; }
.muted { color: var(--muted); }
.sev-error { color: var(--red); font-weight: 700; }
.sev-warning { color: var(--amber); font-weight: 700; }
.sev-info { color: var(--grey); font-weight: 700; }
td.msg { overflow-wrap: anywhere; }
.empty { padding: 8px 10px; background: var(--band); border: 1px solid var(--line); }
footer { margin-top: 30px; padding-top: 8px; border-top: 1px solid var(--line); font-size: 12px;
  color: var(--muted); }
@media (max-width: 760px) {
  main { padding: 12px; }
  .meta { grid-template-columns: max-content 1fr; }
}
@page { size: A4 portrait; margin: 13mm 11mm 14mm; }
@media print {
  body { background: #fff; font-size: 9.5pt; }
  main { max-width: none; padding: 0; }
  nav { display: none; }
  h2 { break-after: avoid; margin-top: 18px; }
  h3 { break-after: avoid; }
  table { font-size: 8.5pt; }
  thead { display: table-header-group; }
  .maps { gap: 8px; }
  figure svg { max-width: 88mm; }
  a { color: inherit; text-decoration: none; }
}
"""

DASH = "\u2014"
SECTIONS = (
    ("coverage", "Evidence coverage"),
    ("trace", "Security \u2194 safety trace"),
    ("heatmap", "Risk heat map"),
    ("findings", "Findings"),
    ("deviations", "Deviation list"),
    ("documents", "Documents"),
)


def _e(text: object) -> str:
    """Escape text for HTML content and attribute values."""
    return (
        str(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#x27;")
    )


def render(data: ReportData) -> str:
    header = data.header
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="techfile {_e(header.tool_version)}">',
        f"<title>Readiness report: {_e(header.device_name)} as of {_e(header.as_of)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
        *_header(data),
        *_summary(data),
        *_coverage(data.coverage),
        *_trace(data),
        *_heatmaps(data),
        *_findings(data.findings),
        *_deviations(data),
        *_documents(data),
        *_footer(data),
        "</main>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


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
    ]
    meta = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in facts)
    meta += (
        f'<dt>Input hash</dt><dd class="hash mono" id="input-hash" title="{_e(HASH_RULE)}">'
        f"sha256:{_e(h.input_hash)}</dd>"
    )
    links = "".join(
        f'<li><a href="#{key}">{number}&nbsp;{_e(title)}</a></li>'
        for number, (key, title) in enumerate(SECTIONS, start=1)
    )
    return [
        '<header id="report-header">',
        "<h1>Technical file readiness report</h1>",
        f'<p class="subtitle">{_e(h.device_name)} · class {_e(h.device_class)} · software '
        f"{_e(h.software_version)} · as of {_e(h.as_of)}</p>",
        f'<dl class="meta">{meta}</dl>',
        f'<p class="limits">{_e(LIMITS)}</p>',
        f'<nav aria-label="Sections"><ol>{links}</ol></nav>',
        "</header>",
    ]


def _summary(data: ReportData) -> list[str]:
    states = data.coverage_counts()
    gaps_by_section = [
        (section.standard, [row.clause for row in section.rows if row.state == "red"])
        for section in data.coverage
    ]
    gap_count = sum(len(clauses) for _, clauses in gaps_by_section)
    gap_names = "; ".join(
        f"{standard} {_names(clauses)}" for standard, clauses in gaps_by_section if clauses
    )
    missing = [t.label for t in data.missing_threats]
    unassessed = sum(1 for t in data.trace if t.state == "unassessed")
    severity = data.severity_counts
    total = sum(severity.values())
    expired = sum(1 for d in data.deviations if d.expired)
    tiles = [
        (
            "red" if gap_count else "amber" if states["amber"] else "green",
            "#coverage",
            "Evidence coverage",
            count(gap_count, "gap"),
            (f"{gap_names}; " if gap_names else "")
            + f"{states['green']} covered, {states['amber']} partial"
            + (f", {states['grey']} not applicable" if states["grey"] else ""),
        ),
        (
            "red" if missing else "amber" if unassessed else "green",
            "#trace",
            "Security \u2194 safety trace",
            f"{count(len(missing), 'threat')} outside the risk file",
            (f"{_names(missing)}; " if missing else "")
            + f"of {count(len(data.trace), 'threat')} with a safety impact"
            + (f"; {unassessed} not assessed" if unassessed else ""),
        ),
        (
            "red" if severity["error"] else "amber" if total else "green",
            "#findings",
            "Findings",
            count(total, "finding"),
            f"{count(severity['error'], 'error')}, {count(severity['warning'], 'warning')}, "
            f"{severity['info']} info",
        ),
        (
            "red" if expired else "grey",
            "#deviations",
            "Deviations",
            count(len(data.deviations), "suppression"),
            (f"{expired} expired" if expired else "none expired")
            + (f"; {data.baselined} baselined findings" if data.baselined else ""),
        ),
    ]
    html = ['<section id="summary" aria-label="Summary">', '<div class="tiles">']
    for state, target, title, big, small in tiles:
        html.append(
            f'<a class="tile t-{state}" href="{target}" data-tile="{target[1:]}">'
            f'<span class="muted">{_e(title)}</span><b>{_e(big)}</b>{_e(small)}</a>'
        )
    html.append("</div>")
    for notice in data.notices:
        html.append(f'<p class="muted">Note: {_e(notice)}</p>')
    html.append("</section>")
    return html


def _names(names: list[str], limit: int = 4) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


# --- 1 coverage --------------------------------------------------------------------------------


def _columns(*widths: int) -> str:
    cols = "".join(f'<col style="width:{w}%">' for w in widths)
    return f"<colgroup>{cols}</colgroup>"


def _legend(items: Iterable[tuple[str, str]]) -> str:
    entries = "".join(
        f'<li><span class="state-label {state}">{_e(STATE_WORDS[state])}</span>{_e(text)}</li>'
        for state, text in items
    )
    return f'<ul class="legend">{entries}</ul>'


def _coverage(sections: tuple[CoverageSection, ...]) -> list[str]:
    html = [
        '<section id="coverage">',
        "<h2>1 Evidence coverage</h2>",
        "<p>Which documents are evidence for each EN IEC 81001-5-1:2022 activity and each "
        "cybersecurity requirement of MDR Annex I, and whether a notified body would accept "
        "them: cited in a conformity matrix or GSPR checklist, in the document's own "
        "<code>evidence_for</code>, or a document of the activity's type.</p>",
        _legend(
            (
                ("green", "approved product or process evidence the clause accepts"),
                (
                    "amber",
                    "that evidence is not approved yet, or organisational evidence as support only",
                ),
                ("red", "no evidence, or organisational evidence where product evidence is needed"),
                ("grey", "declared not applicable in the GSPR checklist"),
            )
        ),
    ]
    for section in sections:
        html += [
            f"<h3>{_e(section.heading)}</h3>",
            f'<table class="matrix" data-standard="{_e(section.standard)}">',
            _columns(8, 24, 20, 48),
            '<thead><tr><th scope="col">Clause</th><th scope="col">Activity or requirement</th>'
            '<th scope="col">Status</th><th scope="col">Evidence</th></tr></thead>',
            "<tbody>",
        ]
        html += [_coverage_row(row) for row in section.rows]
        html += ["</tbody>", "</table>"]
    html.append("</section>")
    return html


def _coverage_row(row: CoverageRow) -> str:
    note = f'<span class="why">Justification: {_e(row.note)}</span>' if row.note else ""
    evidence = "".join(_evidence_item(e) for e in row.evidence) or (
        '<li class="muted">none cited</li>'
    )
    return (
        f'<tr data-clause="{_e(row.clause)}" data-state="{_e(row.state)}">'
        f'<td class="clause">{_e(row.clause)}</td>'
        f"<td>{_e(row.name)}</td>"
        f'<td class="state {_e(row.state)}"><span class="state-label">'
        f'{_e(STATE_WORDS[row.state])}</span><span class="why">{_e(row.verdict)}</span>{note}</td>'
        f'<td><ul class="evidence">{evidence}</ul></td>'
        "</tr>"
    )


def _evidence_item(item: Evidence) -> str:
    if item.role == "unresolved":
        return (
            f'<li data-doc="{_e(item.label)}" data-role="unresolved">'
            f'<span class="mono">{_e(item.label)}</span> '
            f'<span class="role unresolved">{_e(ROLE_WORDS["unresolved"])}</span> '
            f'<span class="how">{_e("; ".join(item.via))}</span></li>'
        )
    return (
        f'<li data-doc="{_e(item.label)}" data-role="{_e(item.role)}">'
        f'<span class="mono">{_e(item.label)}</span> {_e(item.kind)}, {_e(item.status)} '
        f'<span class="role {_e(item.role)}">{_e(ROLE_WORDS[item.role])}</span> '
        f'<span class="how">({_e(item.evidence_class)}; {_e("; ".join(item.via))})</span></li>'
    )


# --- 2 trace -----------------------------------------------------------------------------------


def _trace(data: ReportData) -> list[str]:
    html = [
        '<section id="trace">',
        "<h2>2 Security \u2194 safety trace</h2>",
        "<p>Each threat with a safety impact and the ISO 14971 risk-analysis rows it reaches "
        "(through its <code>risk_refs</code>, a risk row's threat refs, or a security risk "
        "assessment entry). MDCG 2019-16 Rev.1 §3.2 expects every security risk that can "
        "lead to harm in the safety risk file; a threat that reaches no row is marked.</p>",
    ]
    if not data.trace:
        html.append('<p class="empty">No threat with a safety impact was found.</p>')
    else:
        html += [
            '<table class="trace">',
            _columns(30, 33, 12, 25),
            '<thead><tr><th scope="col">Threat</th><th scope="col">Safety impact</th>'
            '<th scope="col">Assessed in</th><th scope="col">ISO 14971 risk rows</th></tr></thead>',
            "<tbody>",
        ]
        html += [_trace_row(entry) for entry in data.trace]
        html += ["</tbody>", "</table>"]
    if data.no_impact:
        html.append(
            f'<p class="muted">Rated without safety impact (not listed): '
            f"{_e(', '.join(data.no_impact))}.</p>"
        )
    html.append("</section>")
    return html


def _trace_row(entry: TraceEntry) -> str:
    if entry.risks:
        reach = "<br>".join(
            f'<span class="mono">{_e(r.label)}</span> {_e(r.title)}' for r in entry.risks
        )
    elif entry.state == "missing":
        reach = "\u2717 reaches no risk row"
    elif entry.state == "unassessed":
        reach = "safety impact not assessed"
    else:
        reach = "reaches the risk file"
    rationale = f'<br><span class="muted">{_e(entry.rationale)}</span>' if entry.rationale else ""
    assessed = ", ".join(entry.assessed_in) or "\u2014"
    return (
        f'<tr class="{_e(entry.state)}" data-threat="{_e(entry.label)}" '
        f'data-state="{_e(entry.state)}">'
        f'<td><span class="mono">{_e(entry.label)}</span> {_e(entry.title)}'
        f'<br><span class="muted">{_e(entry.path)}:{entry.line}</span></td>'
        f"<td>{_e(entry.safety_impact)}{rationale}</td>"
        f"<td>{_e(assessed)}</td>"
        f'<td class="reach">{reach}</td>'
        "</tr>"
    )


# --- 3 heat map --------------------------------------------------------------------------------

CELL_W, CELL_H, LEFT, TOP, BOTTOM = 74, 46, 150, 6, 58
FILL_PRINT = {"acceptable": "#a9dbb5", "reduce-afap": "#ffd97a", "unacceptable": "#f19b9b"}
MARK = {"acceptable": "A", "reduce-afap": "R", "unacceptable": "U"}


def _heatmaps(data: ReportData) -> list[str]:
    html = [
        '<section id="heatmap">',
        "<h2>3 Risk heat map</h2>",
        "<p>The risk management plan's severity \u00d7 probability matrix with its "
        "acceptability regions, and how many ISO 14971 risk rows fall in each cell before and "
        "after risk control.</p>",
    ]
    if not data.heatmaps:
        if data.plans_without_matrix:
            what = (
                f"The risk management plan ({', '.join(data.plans_without_matrix)}) defines no "
                "usable severity \u00d7 probability acceptability matrix."
            )
        else:
            what = "No risk management plan was found."
        html.append(f'<p class="empty">{_e(what)}</p>')
    legend = "".join(
        f'<li><span class="swatch" style="background:{FILL_PRINT[k]}"></span>'
        f"<b>{MARK[k]}</b> {_e(ACCEPTABILITY_WORDS[k])}</li>"
        for k in ("acceptable", "reduce-afap", "unacceptable")
    )
    legend += (
        '<li><span class="swatch" style="background:#d9dde2"></span><b>?</b> not defined '
        "by the plan</li><li>numbers: risk rows in the cell</li>"
    )
    for heatmap in data.heatmaps:
        html += [
            f'<h3>Plan {_e(heatmap.plan)} <span class="muted">({_e(heatmap.path)}); risk '
            f"analyses: {_e(', '.join(heatmap.analyses) or 'none')}</span></h3>",
            f'<ul class="legend">{legend}</ul>',
            '<div class="maps">',
            _figure(heatmap, "before", "Before risk control"),
            _figure(heatmap, "after", "After risk control"),
            "</div>",
            _heat_summary(heatmap),
        ]
    html.append("</section>")
    return html


def _figure(heatmap: HeatMap, stage: str, caption: str) -> str:
    counts = heatmap.before if stage == "before" else heatmap.after
    total = sum(len(v) for v in counts.values())
    return (
        f'<figure class="heatmap" data-stage="{stage}">'
        f"<figcaption>{_e(caption)} ({count(total, 'risk')})</figcaption>"
        f"{_svg(heatmap, counts, caption)}</figure>"
    )


def _level_text(level: Level) -> tuple[str, str]:
    name = level.name if level.name and level.name.casefold() != level.id.casefold() else ""
    return level.id, name


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _svg(heatmap: HeatMap, counts: dict[tuple[str, str], tuple[str, ...]], caption: str) -> str:
    severities = list(reversed(heatmap.severities))  # the worst severity on top
    probabilities = list(heatmap.probabilities)
    width = LEFT + CELL_W * len(probabilities) + 8
    height = TOP + CELL_H * len(severities) + BOTTOM
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        f'aria-label="{_e(caption)}: severity by probability, risk rows per cell" '
        'font-family="system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif">',
        f'<text x="{LEFT + CELL_W * len(probabilities) / 2:.0f}" y="{height - 6}" '
        'text-anchor="middle" font-size="13" font-weight="600" fill="#1d232b">'
        "Probability \u2192</text>",
        f'<text transform="translate(14 {TOP + CELL_H * len(severities) / 2:.0f}) rotate(-90)" '
        'text-anchor="middle" font-size="13" font-weight="600" fill="#1d232b">'
        "Severity \u2192</text>",
    ]
    for row, severity in enumerate(severities):
        y = TOP + row * CELL_H
        sid, sname = _level_text(severity)
        out.append(
            f'<text x="{LEFT - 8}" y="{y + CELL_H / 2 - (3 if sname else -5):.0f}" '
            f'text-anchor="end" font-size="13" font-weight="600" fill="#1d232b">{_e(sid)}</text>'
        )
        if sname:
            out.append(
                f'<text x="{LEFT - 8}" y="{y + CELL_H / 2 + 13:.0f}" text-anchor="end" '
                f'font-size="11" fill="#5b6570">{_e(_clip(sname, 18))}</text>'
            )
        for column, probability in enumerate(probabilities):
            x = LEFT + column * CELL_W
            key = (severity.id, probability.id)
            verdict = heatmap.cells.get(key, "?")
            rows = counts.get(key, ())
            fill = FILL_PRINT.get(verdict, "#d9dde2")
            mark = MARK.get(verdict, "?")
            words = ACCEPTABILITY_WORDS.get(verdict, "not defined by the plan")
            listed = f": {', '.join(rows)}" if rows else ""
            tip = (
                f"{severity.label()} \u00d7 {probability.label()}: {words}; "
                f"{count(len(rows), 'risk row')}{listed}"
            )
            out.append(
                f'<g class="cell" data-severity="{_e(severity.id)}" '
                f'data-probability="{_e(probability.id)}" data-verdict="{_e(verdict)}" '
                f'data-count="{len(rows)}"><title>{_e(tip)}</title>'
                f'<rect x="{x}" y="{y}" width="{CELL_W}" height="{CELL_H}" fill="{fill}" '
                'stroke="#ffffff" stroke-width="2"/>'
                f'<text x="{x + 5}" y="{y + 13}" font-size="10" fill="#39424c">{mark}</text>'
                f'<text x="{x + CELL_W / 2:.0f}" y="{y + CELL_H / 2 + 7:.0f}" '
                f'text-anchor="middle" font-size="{20 if rows else 14}" '
                f'font-weight="{700 if rows else 400}" '
                f'fill="{"#1d232b" if rows else "#6d7781"}">{len(rows)}</text></g>'
            )
    for column, probability in enumerate(probabilities):
        cx = LEFT + column * CELL_W + CELL_W / 2
        base = TOP + CELL_H * len(severities)
        pid, pname = _level_text(probability)
        out.append(
            f'<text x="{cx:.0f}" y="{base + 16}" text-anchor="middle" font-size="13" '
            f'font-weight="600" fill="#1d232b">{_e(pid)}</text>'
        )
        if pname:
            out.append(
                f'<text x="{cx:.0f}" y="{base + 31}" text-anchor="middle" font-size="11" '
                f'fill="#5b6570">{_e(_clip(pname, 12))}</text>'
            )
    out.append("</svg>")
    return "".join(out)


def _heat_summary(heatmap: HeatMap) -> str:
    lines = []
    for stage, counts, unplaced in (
        ("Before risk control", heatmap.before, heatmap.unplaced_before),
        ("After risk control", heatmap.after, heatmap.unplaced_after),
    ):
        by_verdict: dict[str, int] = {}
        for key, rows in counts.items():
            verdict = heatmap.cells.get(key, "?")
            by_verdict[verdict] = by_verdict.get(verdict, 0) + len(rows)
        parts = [
            f"{by_verdict[k]} {ACCEPTABILITY_WORDS.get(k, 'in cells the plan does not define')}"
            for k in ("unacceptable", "reduce-afap", "acceptable", "?")
            if by_verdict.get(k)
        ]
        text = "; ".join(parts) or "no risk rows"
        if unplaced:
            text += (
                f"; not placed (a level the plan does not define, or no residual estimate): "
                f"{', '.join(unplaced)}"
            )
        lines.append(f"<li><b>{_e(stage)}:</b> {_e(text)}</li>")
    return f'<ul class="heat-summary">{"".join(lines)}</ul>'


# --- 4 findings --------------------------------------------------------------------------------


def _findings(groups: tuple[FindingGroup, ...]) -> list[str]:
    html = [
        '<section id="findings">',
        "<h2>4 Findings</h2>",
    ]
    if not groups:
        html.append(
            '<p class="empty">No findings. That is not conformity: techfile checks '
            "classification, structure and traceability, not whether the content is "
            "adequate.</p>"
        )
    for group in groups:
        title = FAMILY_TITLES.get(group.family, group.family.replace("-", " ").capitalize())
        html += [
            f'<h3 data-family="{_e(group.family)}">{_e(title)} '
            f'<span class="muted">({count(len(group.findings), "finding")})</span></h3>',
            '<table class="findings">',
            _columns(8, 15, 14, 17, 46),
            '<thead><tr><th scope="col">Severity</th><th scope="col">Rule</th>'
            '<th scope="col">Clause</th><th scope="col">Where</th>'
            '<th scope="col">Finding</th></tr></thead>',
            "<tbody>",
        ]
        for f in group.findings:
            where = f"{f.path}:{f.line}" if f.line else f.path
            doc = f"{_e(f.document)}<br>" if f.document else ""
            html.append(
                f'<tr data-code="{_e(f.code)}"><td class="sev-{_e(f.severity)}">'
                f"{_e(f.severity)}</td>"
                f'<td><span class="mono">{_e(f.code)}</span><br>'
                f'<span class="muted">{_e(f.name)}</span></td>'
                f"<td>{_e(f.clause)}</td>"
                f'<td>{doc}<span class="mono">{_e(where)}</span></td>'
                f'<td class="msg">{_e(f.message)}</td></tr>'
            )
        html += ["</tbody>", "</table>"]
    html.append("</section>")
    return html


# --- 5 deviations ------------------------------------------------------------------------------


def _deviations(data: ReportData) -> list[str]:
    html = [
        '<section id="deviations">',
        "<h2>5 Deviation list</h2>",
        "<p>Every suppression and waiver in the technical file, with its reason and expiry "
        "(<code>techfile waivers</code> prints the same list).</p>",
    ]
    if not data.deviations:
        html.append('<p class="empty">No suppressions or waivers.</p>')
    else:
        html += [
            '<table class="deviations">',
            _columns(10, 12, 18, 30, 10, 12, 8),
            '<thead><tr><th scope="col">Kind</th><th scope="col">Rules</th>'
            '<th scope="col">Where</th><th scope="col">Reason</th><th scope="col">Until</th>'
            '<th scope="col">Approved by</th><th scope="col" class="num">Findings</th>'
            "</tr></thead>",
            "<tbody>",
        ]
        html += [_deviation_row(d) for d in data.deviations]
        html += ["</tbody>", "</table>"]
    if data.baselined:
        html.append(
            f"<p>{count(data.baselined, 'finding')} accepted in the baseline "
            "(<code>.techfile-baseline.json</code>) are not shown above.</p>"
        )
    html.append("</section>")
    return html


def _deviation_row(d: Deviation) -> str:
    until = _e(d.until or DASH)
    if d.expired:
        until = f'<span class="sev-error">{until} (expired)</span>'
    where = f"{d.path}:{d.line}" if d.line else d.path
    return (
        f'<tr data-expired="{"yes" if d.expired else "no"}"><td>{_e(d.kind)}</td>'
        f'<td class="mono">{_e(d.codes)}</td><td class="mono">{_e(where)}</td>'
        f"<td>{_e(d.reason or '(no reason)')}</td><td>{until}</td>"
        f'<td>{_e(d.approved_by or DASH)}</td><td class="num">{d.findings}</td></tr>'
    )


# --- 6 documents -------------------------------------------------------------------------------


def _documents(data: ReportData) -> list[str]:
    html = [
        '<section id="documents">',
        "<h2>6 Documents</h2>",
        f"<p>The {count(len(data.documents), 'document')} this report was made from, with the "
        "version and status they had.</p>",
    ]
    if data.documents:
        html += [
            '<table class="documents">',
            _columns(12, 30, 16, 11, 7, 9, 15),
            '<thead><tr><th scope="col">Id</th><th scope="col">Title</th>'
            '<th scope="col">Type</th><th scope="col">Class</th><th scope="col">Version</th>'
            '<th scope="col">Status</th><th scope="col">Approved by</th></tr></thead>',
            "<tbody>",
        ]
        for d in data.documents:
            html.append(
                f'<tr data-doc="{_e(d.label)}"><td class="mono">{_e(d.label or DASH)}</td>'
                f'<td>{_e(d.title)}<br><span class="muted mono">{_e(d.path)}</span></td>'
                f"<td>{_e(d.kind)}</td><td>{_e(d.evidence_class or DASH)}</td>"
                f"<td>{_e(d.version or DASH)}</td><td>{_e(d.status or DASH)}</td>"
                f"<td>{_e(d.approved_by or DASH)}</td></tr>"
            )
        html += ["</tbody>", "</table>"]
    html.append("</section>")
    return html


def _footer(data: ReportData) -> list[str]:
    h = data.header
    return [
        "<footer>",
        f"<p>Generated by techfile {_e(h.tool_version)} from {count(h.input_files, 'input file')}"
        f" of the technical file <code>{_e(h.root_name)}</code>, as of {_e(h.as_of)}. "
        f"Input hash: {_e(HASH_RULE)} The report holds no time of day, so the same inputs "
        "and as-of date give the same file.</p>",
        "</footer>",
    ]
