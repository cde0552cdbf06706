"""The tables of the HTML overlap report: clauses 4 to 10, Annex A by theme, the SoA checks,
the documents and the sources. Every text from the repository goes through `escape`."""

from __future__ import annotations

from techfile.overlap.data import (
    DocumentRef,
    GroupFigure,
    OverlapData,
    SoaDecision,
    Source,
    TargetRow,
)
from techfile.overlap.words import (
    COVERAGE_RULE,
    KIND_WORDS,
    LIMITS,
    RELATIONSHIP_WORDS,
    STATUS_MEANING,
    STATUS_STATE,
    STATUS_WORDS,
    count,
)
from techfile.report.html_markup import DASH, columns, escape

SHOWN_STATUSES = ("reusable", "declared", "supports", "gap", "not-applicable")


def legend() -> str:
    entries = "".join(
        f'<li><span class="state-label {STATUS_STATE[s]}">{escape(STATUS_WORDS[s])}</span>'
        f"{escape(STATUS_MEANING[s])}</li>"
        for s in SHOWN_STATUSES
    )
    return f'<ul class="legend">{entries}</ul>'


def figures_table(figures: tuple[GroupFigure, ...], total: GroupFigure, part: str) -> list[str]:
    head = "".join(
        f'<th scope="col" class="num">{escape(STATUS_WORDS[s])}</th>' for s in SHOWN_STATUSES
    )
    html = [
        f'<table class="figures" data-part="{escape(part)}">',
        columns(34, 8, 9, 9, 9, 8, 9, 14),
        f'<thead><tr><th scope="col">Group</th><th scope="col" class="num">targets</th>{head}'
        '<th scope="col" class="num">covered</th></tr></thead>',
        "<tbody>",
    ]
    for figure in (*figures, total):
        cells = "".join(f'<td class="num">{figure.counts.get(s, 0)}</td>' for s in SHOWN_STATUSES)
        cls = ' class="total"' if figure is total else ""
        html.append(
            f'<tr{cls} data-group="{escape(figure.key)}" data-percent="{figure.percent}">'
            f'<td>{escape(figure.title)}</td><td class="num">{figure.total}</td>{cells}'
            f'<td class="num"><b>{figure.percent}%</b> ({figure.covered} of {figure.applicable})'
            "</td></tr>"
        )
    html += ["</tbody>", "</table>"]
    return html


def coverage_rule() -> str:
    return f'<p class="muted">{escape(COVERAGE_RULE)}</p>'


def targets_table(rows: tuple[TargetRow, ...], part: str, with_soa: bool) -> list[str]:
    soa_head = '<th scope="col">Statement of Applicability</th>' if with_soa else ""
    widths = (7, 19, 22, 34, 18) if with_soa else (7, 21, 26, 46)
    html = [
        f'<table class="overlap" data-part="{escape(part)}">',
        columns(*widths),
        '<thead><tr><th scope="col">Clause</th><th scope="col">Requirement (paraphrased)</th>'
        f'<th scope="col">Status</th><th scope="col">Evidence in this repository</th>{soa_head}'
        "</tr></thead>",
        "<tbody>",
    ]
    html += [_row(row, with_soa) for row in rows]
    html += ["</tbody>", "</table>"]
    return html


def _row(row: TargetRow, with_soa: bool) -> str:
    state = STATUS_STATE[row.status]
    needed = "".join(
        f'<span class="needed">Still needed: {escape(text)}</span>' for text in row.still_needed
    )
    sources = "".join(_source(s) for s in row.sources) or '<li class="muted">no document</li>'
    soa = f"<td>{_decision(row.soa)}</td>" if with_soa else ""
    return (
        f'<tr data-target="{escape(row.id)}" data-status="{escape(row.status)}">'
        f'<td class="target">{escape(row.id)}</td>'
        f"<td>{escape(row.title)}</td>"
        f'<td class="state {state}"><span class="state-label">'
        f'{escape(STATUS_WORDS[row.status])}</span><span class="why">{escape(row.reason)}</span>'
        f"{needed}</td>"
        f'<td><ul class="evidence">{sources}</ul></td>{soa}'
        "</tr>"
    )


def _source(source: Source) -> str:
    doc = source.document
    counted = "" if doc.counts else " not-counted"
    relation = RELATIONSHIP_WORDS.get(source.relationship, source.relationship)
    confidence = f", {escape(source.confidence)} confidence" if source.confidence else ""
    note = (
        f'<span class="how">{escape(source.note)}</span>'
        if source.note and source.relationship != "partial"
        else ""
    )
    return (
        f'<li data-doc="{escape(doc.label)}" data-kind="{escape(source.kind)}" '
        f'data-relationship="{escape(source.relationship)}">'
        f'<span class="rel {escape(source.relationship)}{counted}">{escape(relation)}</span> '
        f"<b>{escape(doc.label)}</b> {escape(_version(doc))} "
        f'<span class="approval">({escape(doc.approval)})</span> '
        f'<span class="how">{escape(KIND_WORDS.get(source.kind, source.kind))}: '
        f"{escape(source.via)}{confidence}</span>{note}</li>"
    )


def _version(doc: DocumentRef) -> str:
    return f"v{doc.version}" if doc.version else "no version"


def _decision(decision: SoaDecision | None) -> str:
    if decision is None:
        return '<span class="muted">no entry</span>'
    applicable = {True: "applicable", False: "excluded", None: "no decision"}[decision.applicable]
    parts = [f"<b>{escape(applicable)}</b>"]
    if decision.applicable is not False:
        parts.append(f"implemented: {escape(decision.implemented or 'not said')}")
    if decision.justification:
        parts.append(f'<span class="how">{escape(decision.justification)}</span>')
    for text, ref in decision.implemented_by:
        shown = f"{ref.label} ({ref.approval})" if ref else f"{text} (not found)"
        parts.append(f'<span class="how">by {escape(shown)}</span>')
    parts.append(f'<span class="how">{escape(decision.soa)} line {decision.line}</span>')
    return "<br>".join(parts)


def checks_section(data: OverlapData) -> list[str]:
    html = [
        '<section id="soa-checks">',
        "<h2>3 Statement of Applicability checks</h2>",
    ]
    if not data.soas:
        html.append(
            '<p class="empty">No Statement of Applicability (<code>type: isms-soa</code>) in '
            "this repository: every Annex A control is measured from the QMS and product "
            "evidence alone.</p>"
        )
    else:
        names = ", ".join(f"{d.label} {_version(d)} ({d.approval})" for d in data.soas)
        html.append(f"<p>Statements of Applicability read: {escape(names)}.</p>")
    if not data.findings:
        html.append('<p class="empty">The IS rules report nothing.</p>')
        html.append("</section>")
        return html
    html += [
        f"<p>{escape(count(len(data.findings), 'finding'))} of the IS rules "
        "(<code>techfile check --select IS</code> reports the same).</p>",
        '<table class="findings">',
        columns(8, 8, 16, 68),
        '<thead><tr><th scope="col">Rule</th><th scope="col">Severity</th>'
        '<th scope="col">Where</th><th scope="col">Finding</th></tr></thead>',
        "<tbody>",
    ]
    for finding in data.findings:
        html.append(
            f'<tr data-code="{escape(finding.code)}"><td class="mono">{escape(finding.code)}</td>'
            f'<td class="sev-{escape(finding.severity)}">{escape(finding.severity)}</td>'
            f'<td class="mono">{escape(finding.path)}:{finding.line}</td>'
            f'<td class="msg">{escape(finding.message)}</td></tr>'
        )
    html += ["</tbody>", "</table>", "</section>"]
    return html


def documents_section(data: OverlapData) -> list[str]:
    html = [
        '<section id="documents">',
        "<h2>4 Documents</h2>",
        "<p>Every document that gives something towards a clause or control above, with its "
        "version and approval. A draft is listed but counts for nothing.</p>",
    ]
    if not data.documents:
        html += ['<p class="empty">None.</p>', "</section>"]
        return html
    html += [
        '<table class="documents">',
        columns(18, 30, 16, 8, 14, 14),
        '<thead><tr><th scope="col">Document</th><th scope="col">Title</th>'
        '<th scope="col">Type</th><th scope="col">Version</th><th scope="col">Approval</th>'
        '<th scope="col">Path</th></tr></thead>',
        "<tbody>",
    ]
    for doc in data.documents:
        html.append(
            f'<tr data-doc="{escape(doc.label)}"><td class="mono">{escape(doc.label)}</td>'
            f"<td>{escape(doc.title)}</td><td>{escape(doc.type)} ({escape(doc.evidence_class)})"
            f"</td><td>{escape(doc.version or DASH)}</td><td>{escape(doc.approval)}</td>"
            f'<td class="mono">{escape(doc.path)}</td></tr>'
        )
    html += ["</tbody>", "</table>", "</section>"]
    return html


def sources_section(data: OverlapData) -> list[str]:
    html = [
        '<section id="sources">',
        "<h2>5 Sources and limits</h2>",
        f"<p>{escape(LIMITS)}</p>",
    ]
    for note in data.crosswalks:
        html += [
            f"<h3>{escape(note.title)}</h3>",
            f"<p><b>Where it comes from.</b> {escape(note.provenance)}</p>",
            f"<p><b>How it was checked.</b> {escape(note.verification)}</p>",
        ]
    html.append("</section>")
    return html
