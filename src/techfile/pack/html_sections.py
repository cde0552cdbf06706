"""The sections of the HTML pack. Every text from the technical file goes through `escape`."""

from __future__ import annotations

from techfile.pack.data import Fact, PackData
from techfile.report.html_markup import DASH, columns, escape

ANSWER_CLASS = {"Yes": "a-yes", "No": "a-no", "N/A": "a-na", "See note": "a-note"}
ASSURANCE_IS_NOT = (
    "These certificates and reports say how the organisation (or a supplier, such as the hosting "
    "provider) manages information security or quality, within the scope written on them. They "
    "are not evidence that the device has any of the security capabilities above: no capability "
    "answer of this pack rests on them, and a disclosure statement that cites one for a product "
    "question is reported (PK003)."
)


def _ids(ids: tuple[str, ...]) -> str:
    if not ids:
        return f'<span class="muted">{DASH}</span>'
    return f'<span class="ids mono">{escape(", ".join(ids))}</span>'


def _value(text: str) -> str:
    return escape(text) if text else '<span class="muted">not stated in the technical file</span>'


def _facts_table(facts: tuple[Fact, ...], first: str) -> list[str]:
    html = [
        "<table>",
        columns(22, 58, 20),
        f"<thead><tr><th>{escape(first)}</th><th>What the file says</th>"
        "<th>Evidence</th></tr></thead><tbody>",
    ]
    for fact in facts:
        html.append(
            f'<tr data-fact="{escape(fact.label)}"><td>{escape(fact.label)}</td>'
            f"<td>{_value(fact.value)}</td><td>{_ids(fact.evidence)}</td></tr>"
        )
    html.append("</tbody></table>")
    return html


def support_section(data: PackData) -> list[str]:
    return [
        '<section id="support">',
        "<h2>1 Device and support summary</h2>",
        *_facts_table(data.support, "Item"),
        "</section>",
    ]


def _answer_cell(answer: str) -> str:
    if not answer:
        return '<span class="answer a-manual">Manual</span>'
    return f'<span class="answer {ANSWER_CLASS.get(answer, "a-note")}">{escape(answer)}</span>'


def answers_section(data: PackData) -> list[str]:
    answered, manual = data.answered_sections(), data.manual_sections()
    html = [
        '<section id="capabilities">',
        "<h2>2 Security capabilities (MDS2)</h2>",
        f"<p><b>{len(answered)} of {len(data.sections())} sections answered from the technical "
        f"file</b>; manual, for a person to answer: {escape(', '.join(manual) or 'none')}. An "
        "answer is Yes only when an approved security requirement (or product mitigation) "
        "carrying the section's code is verified by a passed test of the released version.</p>",
        '<table class="answers">',
        columns(13, 27, 9, 33, 18),
        "<thead><tr><th>Section</th><th>Question</th><th>Answer</th><th>Note</th>"
        "<th>Evidence</th></tr></thead><tbody>",
    ]
    for code, title, rows in data.sections():
        for position, row in enumerate(rows):
            first = position == 0
            section_cell = (
                f'<td class="code">{escape(code)}<br>'
                f'<span class="muted">{escape(title)}</span></td>'
                if first
                else '<td class="code"></td>'
            )
            html.append(
                f'<tr class="{"section-start" if first else "more"}" data-section="{escape(code)}" '
                f'data-question="{escape(row.question)}" '
                f'data-answer="{escape(row.answer or "manual")}">'
                f"{section_cell}"
                f'<td class="q"><span class="mono">{escape(row.question)}</span> '
                f"{escape(row.text)}</td>"
                f"<td>{_answer_cell(row.answer)}</td><td>{escape(row.note)}</td>"
                f"<td>{_ids(row.evidence)}</td></tr>"
            )
    html += [
        "</tbody></table>",
        '<p class="provenance">Question keys (TXCF.a) are techfile\'s own and do not match the '
        "workbook's question numbers; the questions are paraphrased. Section codes and their "
        "confidence: data/capabilities/mds2-2019.yaml.</p>",
        "</section>",
    ]
    return html


def transparency_section(data: PackData) -> list[str]:
    t = data.transparency
    html = ['<section id="transparency">', "<h2>3 Software transparency</h2>"]
    if not t.sboms:
        html.append('<p class="empty">The technical file names no SBOM file.</p>')
    for sbom in t.sboms:
        if sbom.problem:
            html.append(
                f"<p><b>{escape(sbom.document)}</b> ({escape(sbom.path)}) "
                f"{escape(sbom.problem)}.</p>"
            )
            continue
        missing = "; ".join(f"{element}: {count}" for element, count in sbom.missing)
        ntia = "complete" if sbom.complete else f"incomplete ({missing})"
        html.append(
            f'<dl class="facts" data-sbom="{escape(sbom.document)}"><dt>SBOM</dt>'
            f"<dd>{escape(sbom.document)} "
            f'<span class="mono">{escape(sbom.path)}</span></dd>'
            f"<dt>Format</dt><dd>{escape(sbom.format)}</dd>"
            f"<dt>NTIA minimum elements</dt><dd>{escape(ntia)}</dd>"
            f"<dt>Components</dt><dd>{sbom.components}</dd></dl>"
        )
    states = ", ".join(f"{state}: {count}" for state, count in t.vulnerability_states)
    rows = [
        ("Past end of support", "; ".join(t.past_support) or "none"),
        ("End of support within 12 months", "; ".join(t.near_support) or "none"),
        ("Without an end-of-support date", f"{t.support_unknown} component(s)"),
        (
            "Vulnerability status (VEX)",
            states or "no vulnerability statements in the technical file",
        ),
        ("VEX sources", ", ".join(t.vex_sources) or "none"),
        ("Last vulnerability review", t.last_review),
    ]
    html.append('<dl class="facts">')
    html += [f"<dt>{escape(k)}</dt><dd>{_value(v)}</dd>" for k, v in rows]
    html += ["</dl>", "</section>"]
    return html


def development_section(data: PackData) -> list[str]:
    d = data.development
    html = [
        '<section id="development">',
        "<h2>4 Secure development evidence</h2>",
        "<p>EN IEC 81001-5-1:2022 activities and the approved evidence for each, as in the "
        "readiness report (<code>techfile report</code>).</p>",
        '<table class="matrix">',
        columns(24, 36, 12, 28),
        "<thead><tr><th>Clause</th><th>Activity</th><th>State</th><th>Evidence</th></tr></thead><tbody>",
    ]
    for row in d.activities:
        html.append(
            f'<tr data-clause="{escape(row.clause)}" data-state="{escape(row.state)}">'
            f"<td>{escape(row.clause)}</td><td>{escape(row.name)}</td>"
            f'<td class="state"><span class="state-label {escape(row.state)}">'
            f"{escape(row.verdict)}</span></td>"
            f"<td>{_ids(row.evidence)}</td></tr>"
        )
    html.append("</tbody></table>")
    html.append("<h3>Penetration testing and threat model</h3>")
    facts = (*d.pentests, *d.threat_model_review)
    if facts:
        html += _facts_table(facts, "Document")
    else:
        html.append('<p class="empty">No penetration test report and no threat model.</p>')
    html.append("</section>")
    return html


def assurance_section(data: PackData) -> list[str]:
    html = [
        '<section id="assurance">',
        "<h2>5 Organisational assurance: certificates and reports (not product capabilities)</h2>",
        f'<p class="isnot">{escape(ASSURANCE_IS_NOT)}</p>',
    ]
    if not data.certificates:
        html.append('<p class="empty">The technical file holds no certificate or SOC 2 report.</p>')
    else:
        html += [
            "<table>",
            columns(14, 16, 14, 14, 20, 12, 10),
            "<thead><tr><th>Document</th><th>Kind</th><th>Standard</th><th>Holder</th>"
            "<th>Scope</th><th>Issuer</th><th>Validity</th></tr></thead><tbody>",
        ]
        for c in data.certificates:
            html.append(
                f'<tr data-certificate="{escape(c.document)}" data-state="{escape(c.state)}">'
                f"<td>{escape(c.document)}</td><td>{escape(c.kind)}</td><td>{escape(c.standard)}</td>"
                f"<td>{escape(c.holder)}</td><td>{escape(c.scope)}</td><td>{escape(c.issuer)}</td>"
                f"<td>{escape(c.validity)}</td></tr>"
            )
        html.append("</tbody></table>")
    html.append("</section>")
    return html


def responsibility_section(data: PackData) -> list[str]:
    html = [
        '<section id="responsibilities">',
        "<h2>6 Annex: customer responsibilities</h2>",
        "<p>Security measures the threat model relies on the customer for: the hospital's IT "
        "environment, its operators or the users. Each must be in place for the device to be "
        "as secure as the answers above say.</p>",
    ]
    if not data.responsibilities:
        html.append('<p class="empty">The threat model relies on no measure of the customer.</p>')
        return [*html, "</section>"]
    html += [
        "<table>",
        columns(14, 44, 12, 14, 16),
        "<thead><tr><th>Mitigation</th><th>What the customer must do</th><th>Who</th>"
        "<th>Told in</th><th>In the disclosure</th></tr></thead><tbody>",
    ]
    for r in data.responsibilities:
        told = _ids(r.told_in) if r.told_in else '<span class="sev-error">not told (SDL008)</span>'
        listed = (
            _ids(r.in_disclosures) if r.in_disclosures else f'<span class="muted">{DASH}</span>'
        )
        html.append(
            f'<tr data-mitigation="{escape(r.mitigation)}">'
            f'<td class="mono">{escape(r.mitigation)}</td>'
            f"<td>{escape(r.description)}</td><td>{escape(r.by)}</td><td>{told}</td><td>{listed}</td></tr>"
        )
    html += ["</tbody></table>", "</section>"]
    return html


def disclosure_section(data: PackData) -> list[str]:
    check = data.disclosure
    html = [
        '<section id="disclosure">',
        "<h2>7 Your disclosure statement against the technical file</h2>",
    ]
    if not check.statements:
        html.append(
            '<p class="empty">The technical file holds no disclosure statement '
            "(<code>type: disclosure-statement</code>); the answers above are the file's own.</p>"
        )
    else:
        html += _facts_table(check.statements, "Statement")
        if check.findings:
            html += [
                "<table>",
                columns(8, 10, 64, 18),
                "<thead><tr><th>Rule</th><th>Severity</th><th>Finding</th><th>Where</th></tr></thead><tbody>",
            ]
            for f in check.findings:
                html.append(
                    f'<tr data-code="{escape(f.code)}"><td>{escape(f.code)}</td>'
                    f'<td class="sev-{escape(f.severity)}">{escape(f.severity)}</td>'
                    f'<td class="msg">{escape(f.message)}</td>'
                    f'<td class="mono">{escape(f.place)}</td></tr>'
                )
            html.append("</tbody></table>")
        else:
            html.append(
                "<p>No PK finding: every answer checked agrees with the technical file.</p>"
            )
    html.append("</section>")
    return html
