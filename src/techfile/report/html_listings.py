"""Sections 4 to 7 of the HTML report: the findings, the deviation list with the findings the
baseline accepted, the documents, and the sign-off block the report ends with."""

from __future__ import annotations

from techfile.report.data import BaselineSection, Deviation, FindingRow, ReportData
from techfile.report.html_markup import DASH, columns, escape
from techfile.report.words import FAMILY_TITLES, SIGN_OFF_ROLES, count

FINDING_HEAD = (
    '<thead><tr><th scope="col">Severity</th><th scope="col">Rule</th>'
    '<th scope="col">Clause</th><th scope="col">Where</th>'
    '<th scope="col">Finding</th></tr></thead>'
)


def finding_table(rows: tuple[FindingRow, ...], css: str = "findings") -> list[str]:
    html = [f'<table class="{css}">', columns(8, 15, 14, 17, 46), FINDING_HEAD, "<tbody>"]
    html += [_finding_row(f) for f in rows]
    return [*html, "</tbody>", "</table>"]


def _finding_row(f: FindingRow) -> str:
    where = f"{f.path}:{f.line}" if f.line else f.path
    doc = f"{escape(f.document)}<br>" if f.document else ""
    ident = f' id="{escape(f.anchor)}"' if f.anchor else ""
    return (
        f'<tr{ident} data-code="{escape(f.code)}"><td class="sev-{escape(f.severity)}">'
        f"{escape(f.severity)}</td>"
        f'<td><span class="mono">{escape(f.code)}</span><br>'
        f'<span class="muted">{escape(f.name)}</span></td>'
        f"<td>{escape(f.clause)}</td>"
        f'<td>{doc}<span class="mono">{escape(where)}</span></td>'
        f'<td class="msg">{escape(f.message)}{_why_fix(f)}</td></tr>'
    )


def _why_fix(f: FindingRow) -> str:
    """The finding's why and fix, folded under its message; only the parts it has."""
    parts = [(label, text) for label, text in (("Why", f.why), ("Fix", f.fix)) if text]
    if not parts:
        return ""
    summary = " and ".join(label.lower() if i else label for i, (label, _) in enumerate(parts))
    body = "".join(
        f'<p data-part="{label.lower()}"><b>{label}:</b> {escape(text)}</p>'
        for label, text in parts
    )
    return f'<details class="why-fix"><summary>{summary}</summary>{body}</details>'


# --- 4 findings --------------------------------------------------------------------------------


def findings_section(data: ReportData) -> list[str]:
    html = ['<section id="findings">', "<h2>4 Findings</h2>"]
    if data.baselined:
        html.append(
            f"<p>{count(data.baselined, 'finding')} accepted in the baseline "
            'are not counted here; they are listed under <a href="#baseline">5 Deviation '
            "list</a>.</p>"
        )
    if not data.findings:
        html.append(
            f'<p class="empty">No findings{" outside the baseline" if data.baselined else ""}. '
            "That is not conformity: techfile checks classification, structure and "
            "traceability, not whether the content is adequate.</p>"
        )
    for group in data.findings:
        title = FAMILY_TITLES.get(group.family, group.family.replace("-", " ").capitalize())
        html += [
            f'<h3 data-family="{escape(group.family)}">{escape(title)} '
            f'<span class="muted">({count(len(group.findings), "finding")})</span></h3>',
            *finding_table(group.findings),
        ]
    html.append("</section>")
    return html


# --- 5 deviations ------------------------------------------------------------------------------


def deviations_section(data: ReportData) -> list[str]:
    html = [
        '<section id="deviations">',
        "<h2>5 Deviation list</h2>",
        "<p>Every suppression and waiver in the technical file, with its reason and expiry "
        "(<code>techfile waivers</code> prints the same list), and the findings the baseline "
        "accepted.</p>",
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
    if data.baseline is not None:
        html += _baseline(data.baseline)
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


def _baseline(baseline: BaselineSection) -> list[str]:
    facts = (
        ("Reason", baseline.reason or "(no reason)"),
        ("Written on", baseline.created or "(no date)"),
        ("Findings accepted", str(len(baseline.findings))),
    )
    meta = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in facts)
    html = [
        '<h3 id="baseline">Accepted in the baseline <span class="muted mono">'
        ".techfile-baseline.json</span></h3>",
        "<p>Findings the team accepted to fix later. They are open: the baseline hides them "
        "from <code>techfile check</code>, not from this report.</p>",
        f'<dl class="meta baseline">{meta}</dl>',
    ]
    if baseline.gone:
        html.append(
            f"<p>{count(baseline.gone, 'accepted occurrence')} no longer occur; "
            "<code>techfile baseline prune</code> drops them from the baseline.</p>"
        )
    if baseline.findings:
        html += finding_table(baseline.findings, "findings baselined")
    return html


# --- 6 documents -------------------------------------------------------------------------------


def documents_section(data: ReportData) -> list[str]:
    commit = data.header.commit_words()
    html = [
        '<section id="documents">',
        "<h2>6 Documents</h2>",
        f"<p>The {count(len(data.documents), 'document')} this report was made from, with the "
        "version, status, approvals and next review they had. Git commit: "
        f'<span class="mono" id="source-commit">{escape(commit)}</span>.</p>',
    ]
    if data.header.differing:
        html.append(
            '<p class="sev-warning">Not as committed: '
            f"{escape(', '.join(data.header.differing))}.</p>"
        )
    if data.documents:
        html += [
            '<table class="documents">',
            columns(11, 26, 15, 6, 9, 21, 12),
            '<thead><tr><th scope="col">Id</th><th scope="col">Title</th>'
            '<th scope="col">Type (class)</th><th scope="col">Version</th>'
            '<th scope="col">Status</th><th scope="col">Approvals</th>'
            '<th scope="col">Next review</th></tr></thead>',
            "<tbody>",
        ]
        for d in data.documents:
            kind = f"{d.kind} ({d.evidence_class})" if d.evidence_class else d.kind
            approvals = "<br>".join(escape(a) for a in d.approvals) or DASH
            review = escape(d.next_review or DASH)
            if d.review_overdue:
                review = f'<span class="sev-error">{review} (overdue)</span>'
            html.append(
                f'<tr data-doc="{escape(d.label)}"><td class="mono">{escape(d.label or DASH)}</td>'
                f'<td>{escape(d.title)}<br><span class="muted mono">{escape(d.path)}</span></td>'
                f"<td>{escape(kind)}</td>"
                f"<td>{escape(d.version or DASH)}</td><td>{escape(d.status or DASH)}</td>"
                f'<td class="approvals">{approvals}</td><td class="review">{review}</td></tr>'
            )
        html += ["</tbody>", "</table>"]
    html.append("</section>")
    return html


# --- 7 sign-off --------------------------------------------------------------------------------


def sign_off_section(data: ReportData) -> list[str]:
    h = data.header
    rows = "".join(
        f'<tr><th scope="row">{escape(role)}</th><td></td><td></td><td></td><td></td></tr>'
        for role in SIGN_OFF_ROLES
    )
    return [
        '<section id="signoff">',
        "<h2>7 Sign-off</h2>",
        "<p>Signed for the state this report shows: the technical file "
        f"<code>{escape(h.root_name)}</code> as of {escape(h.as_of)}; git commit "
        f'<span class="mono">{escape(h.commit_words())}</span>; input hash '
        f'<span class="mono">sha256:{escape(h.input_hash)}</span>.</p>',
        '<table class="signoff">',
        columns(16, 26, 22, 22, 14),
        '<thead><tr><th scope="col"></th><th scope="col">Name</th><th scope="col">Role</th>'
        '<th scope="col">Signature</th><th scope="col">Date</th></tr></thead>',
        f"<tbody>{rows}</tbody>",
        "</table>",
        "</section>",
    ]
