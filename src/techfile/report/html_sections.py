"""Sections 1, 2 and 4 to 6 of the HTML report: the coverage table, the security <-> safety
trace, the findings, the deviation list and the documents."""

from __future__ import annotations

from techfile.report.data import (
    CoverageRow,
    CoverageSection,
    Deviation,
    Evidence,
    FindingGroup,
    ReportData,
    TraceEntry,
)
from techfile.report.html_markup import DASH, columns, escape, legend
from techfile.report.words import FAMILY_TITLES, ROLE_WORDS, STATE_WORDS, count


def coverage_section(sections: tuple[CoverageSection, ...]) -> list[str]:
    html = [
        '<section id="coverage">',
        "<h2>1 Evidence coverage</h2>",
        "<p>Which documents are evidence for each EN IEC 81001-5-1:2022 activity and each "
        "cybersecurity requirement of MDR Annex I, and whether a notified body would accept "
        "them: cited in a conformity matrix or GSPR checklist, in the document's own "
        "<code>evidence_for</code>, or a document of the activity's type.</p>",
        legend(
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
            f"<h3>{escape(section.heading)}</h3>",
            f'<table class="matrix" data-standard="{escape(section.standard)}">',
            columns(8, 24, 20, 48),
            '<thead><tr><th scope="col">Clause</th><th scope="col">Activity or requirement</th>'
            '<th scope="col">Status</th><th scope="col">Evidence</th></tr></thead>',
            "<tbody>",
        ]
        html += [_coverage_row(row) for row in section.rows]
        html += ["</tbody>", "</table>"]
    html.append("</section>")
    return html


def _coverage_row(row: CoverageRow) -> str:
    note = f'<span class="why">Justification: {escape(row.note)}</span>' if row.note else ""
    evidence = "".join(_evidence_item(e) for e in row.evidence) or (
        '<li class="muted">none cited</li>'
    )
    return (
        f'<tr data-clause="{escape(row.clause)}" data-state="{escape(row.state)}">'
        f'<td class="clause">{escape(row.clause)}</td>'
        f"<td>{escape(row.name)}</td>"
        f'<td class="state {escape(row.state)}"><span class="state-label">'
        f'{escape(STATE_WORDS[row.state])}</span><span class="why">{escape(row.verdict)}</span>'
        f"{note}</td>"
        f'<td><ul class="evidence">{evidence}</ul></td>'
        "</tr>"
    )


def _evidence_item(item: Evidence) -> str:
    if item.role == "unresolved":
        return (
            f'<li data-doc="{escape(item.label)}" data-role="unresolved">'
            f'<span class="mono">{escape(item.label)}</span> '
            f'<span class="role unresolved">{escape(ROLE_WORDS["unresolved"])}</span> '
            f'<span class="how">{escape("; ".join(item.via))}</span></li>'
        )
    return (
        f'<li data-doc="{escape(item.label)}" data-role="{escape(item.role)}">'
        f'<span class="mono">{escape(item.label)}</span> {escape(item.kind)}, '
        f"{escape(item.status)} "
        f'<span class="role {escape(item.role)}">{escape(ROLE_WORDS[item.role])}</span> '
        f'<span class="how">({escape(item.evidence_class)}; {escape("; ".join(item.via))})'
        "</span></li>"
    )


# --- 2 trace -----------------------------------------------------------------------------------


def trace_section(data: ReportData) -> list[str]:
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
            columns(30, 33, 12, 25),
            '<thead><tr><th scope="col">Threat</th><th scope="col">Safety impact</th>'
            '<th scope="col">Assessed in</th><th scope="col">ISO 14971 risk rows</th></tr></thead>',
            "<tbody>",
        ]
        html += [_trace_row(entry) for entry in data.trace]
        html += ["</tbody>", "</table>"]
    if data.no_impact:
        html.append(
            f'<p class="muted">Rated without safety impact (not listed): '
            f"{escape(', '.join(data.no_impact))}.</p>"
        )
    html.append("</section>")
    return html


def _trace_row(entry: TraceEntry) -> str:
    if entry.risks:
        reach = "<br>".join(
            f'<span class="mono">{escape(r.label)}</span> {escape(r.title)}' for r in entry.risks
        )
    elif entry.state == "missing":
        reach = "\u2717 reaches no risk row"
    elif entry.state == "unassessed":
        reach = "safety impact not assessed"
    else:
        reach = "reaches the risk file"
    rationale = (
        f'<br><span class="muted">{escape(entry.rationale)}</span>' if entry.rationale else ""
    )
    assessed = ", ".join(entry.assessed_in) or "\u2014"
    return (
        f'<tr class="{escape(entry.state)}" data-threat="{escape(entry.label)}" '
        f'data-state="{escape(entry.state)}">'
        f'<td><span class="mono">{escape(entry.label)}</span> {escape(entry.title)}'
        f'<br><span class="muted">{escape(entry.path)}:{entry.line}</span></td>'
        f"<td>{escape(entry.safety_impact)}{rationale}</td>"
        f"<td>{escape(assessed)}</td>"
        f'<td class="reach">{reach}</td>'
        "</tr>"
    )


# --- 4 findings --------------------------------------------------------------------------------


def findings_section(groups: tuple[FindingGroup, ...]) -> list[str]:
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
            f'<h3 data-family="{escape(group.family)}">{escape(title)} '
            f'<span class="muted">({count(len(group.findings), "finding")})</span></h3>',
            '<table class="findings">',
            columns(8, 15, 14, 17, 46),
            '<thead><tr><th scope="col">Severity</th><th scope="col">Rule</th>'
            '<th scope="col">Clause</th><th scope="col">Where</th>'
            '<th scope="col">Finding</th></tr></thead>',
            "<tbody>",
        ]
        for f in group.findings:
            where = f"{f.path}:{f.line}" if f.line else f.path
            doc = f"{escape(f.document)}<br>" if f.document else ""
            html.append(
                f'<tr data-code="{escape(f.code)}"><td class="sev-{escape(f.severity)}">'
                f"{escape(f.severity)}</td>"
                f'<td><span class="mono">{escape(f.code)}</span><br>'
                f'<span class="muted">{escape(f.name)}</span></td>'
                f"<td>{escape(f.clause)}</td>"
                f'<td>{doc}<span class="mono">{escape(where)}</span></td>'
                f'<td class="msg">{escape(f.message)}</td></tr>'
            )
        html += ["</tbody>", "</table>"]
    html.append("</section>")
    return html


# --- 5 deviations ------------------------------------------------------------------------------


def deviations_section(data: ReportData) -> list[str]:
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
            columns(10, 12, 18, 30, 10, 12, 8),
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
    until = escape(d.until or DASH)
    if d.expired:
        until = f'<span class="sev-error">{until} (expired)</span>'
    where = f"{d.path}:{d.line}" if d.line else d.path
    return (
        f'<tr data-expired="{"yes" if d.expired else "no"}"><td>{escape(d.kind)}</td>'
        f'<td class="mono">{escape(d.codes)}</td><td class="mono">{escape(where)}</td>'
        f"<td>{escape(d.reason or '(no reason)')}</td><td>{until}</td>"
        f'<td>{escape(d.approved_by or DASH)}</td><td class="num">{d.findings}</td></tr>'
    )


# --- 6 documents -------------------------------------------------------------------------------


def documents_section(data: ReportData) -> list[str]:
    html = [
        '<section id="documents">',
        "<h2>6 Documents</h2>",
        f"<p>The {count(len(data.documents), 'document')} this report was made from, with the "
        "version and status they had.</p>",
    ]
    if data.documents:
        html += [
            '<table class="documents">',
            columns(12, 30, 16, 11, 7, 9, 15),
            '<thead><tr><th scope="col">Id</th><th scope="col">Title</th>'
            '<th scope="col">Type</th><th scope="col">Class</th><th scope="col">Version</th>'
            '<th scope="col">Status</th><th scope="col">Approved by</th></tr></thead>',
            "<tbody>",
        ]
        for d in data.documents:
            html.append(
                f'<tr data-doc="{escape(d.label)}"><td class="mono">{escape(d.label or DASH)}</td>'
                f'<td>{escape(d.title)}<br><span class="muted mono">{escape(d.path)}</span></td>'
                f"<td>{escape(d.kind)}</td><td>{escape(d.evidence_class or DASH)}</td>"
                f"<td>{escape(d.version or DASH)}</td><td>{escape(d.status or DASH)}</td>"
                f"<td>{escape(d.approved_by or DASH)}</td></tr>"
            )
        html += ["</tbody>", "</table>"]
    html.append("</section>")
    return html
