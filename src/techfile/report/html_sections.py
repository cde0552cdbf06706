"""Sections 1 and 2 of the HTML report: the coverage table and the security <-> safety trace
(sections 4 to 7 are in `html_listings`)."""

from __future__ import annotations

from techfile.report.data import (
    CoverageRow,
    CoverageSection,
    Evidence,
    ReportData,
    TraceEntry,
)
from techfile.report.html_markup import columns, escape, legend
from techfile.report.words import ROLE_WORDS, STATE_WORDS


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
                (
                    "green",
                    "approved product or process evidence the clause accepts (a wrong citation "
                    "beside it is marked)",
                ),
                (
                    "amber",
                    "that evidence is not approved yet, or organisational evidence as support only",
                ),
                (
                    "red",
                    "no accepted evidence: none cited, or only organisational evidence where "
                    "product evidence is needed",
                ),
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
    wrong = row.wrong_citations
    if wrong:
        note += '<span class="extra">\u2717 wrong extra citation</span>'
    evidence = "".join(_evidence_item(e, e in wrong) for e in row.evidence) or (
        '<li class="muted">none cited</li>'
    )
    marked = f' data-wrong="{escape(", ".join(e.label for e in wrong))}"' if wrong else ""
    return (
        f'<tr data-clause="{escape(row.clause)}" data-state="{escape(row.state)}"{marked}>'
        f'<td class="clause">{escape(row.clause)}</td>'
        f"<td>{escape(row.name)}</td>"
        f'<td class="state {escape(row.state)}"><span class="state-label">'
        f'{escape(STATE_WORDS[row.state])}</span><span class="why">{escape(row.verdict)}</span>'
        f"{note}</td>"
        f'<td><ul class="evidence">{evidence}</ul></td>'
        "</tr>"
    )


def _evidence_item(item: Evidence, wrong_extra: bool) -> str:
    links = "".join(
        f' <a class="finding-link" href="#{escape(link.anchor)}">see {escape(link.code)}</a>'
        for link in item.findings
    )
    mark = '<span class="mark">\u2717 wrong extra citation</span> ' if wrong_extra else ""
    attrs = f'data-doc="{escape(item.label)}" data-role="{escape(item.role)}"'
    attrs += ' data-extra="wrong"' if wrong_extra else ""
    if item.role == "unresolved":
        return (
            f'<li {attrs}><span class="mono">{escape(item.label)}</span> '
            f'<span class="role unresolved">{escape(ROLE_WORDS["unresolved"])}</span> '
            f'<span class="how">{escape("; ".join(item.via))}</span>{links}</li>'
        )
    return (
        f'<li {attrs}>{mark}<span class="mono">{escape(item.label)}</span> '
        f"{escape(item.kind)}, {escape(item.status)} "
        f'<span class="role {escape(item.role)}">{escape(ROLE_WORDS[item.role])}</span> '
        f'<span class="how">({escape(item.evidence_class)}; {escape("; ".join(item.via))})'
        f"</span>{links}</li>"
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
    if not data.trace_applicable:
        html.append(
            '<p class="empty na" data-applicable="no"><span class="state-label grey">n/a</span>'
            "There is no threat model in the technical file, so there is no threat to trace. "
            "This is not a pass: nothing was checked.</p>"
        )
    elif not data.trace:
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
