"""The readiness report as Markdown (GitHub-flavoured tables), for a pull request, a wiki or a
job summary. Text from documents is escaped so it renders as text: `<`, `>` and `&` become
entities, table pipes are escaped and line breaks become spaces."""

from __future__ import annotations

from techfile.report.data import Evidence, FindingRow, HeatMap, ReportData
from techfile.report.words import (
    ACCEPTABILITY_WORDS,
    FAMILY_TITLES,
    HASH_RULE,
    LIMITS,
    ROLE_WORDS,
    SIGN_OFF_ROLES,
    STATE_WORDS,
    count,
)

STATE_MARK = {"green": "\u2713", "amber": "!", "red": "\u2717", "grey": "\u2013"}
MARK = {"acceptable": "A", "reduce-afap": "R", "unacceptable": "U"}


def _m(text: object) -> str:
    """Escape text for a Markdown table cell or paragraph."""
    escaped = (
        str(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("`", "\\`")
        .replace("*", "\\*")
        .replace("_", "\\_")
        .replace("[", "\\[")
        .replace("]", "\\]")
    )
    return " ".join(escaped.split())


def render(data: ReportData) -> str:
    h = data.header
    lines = [
        f"# Technical file readiness report: {_m(h.device_name)}",
        "",
        "| | |",
        "|---|---|",
        f"| Device | {_m(h.device_name)} |",
        f"| Class | {_m(h.device_class)} |",
        f"| Software version | {_m(h.software_version)} |",
        f"| Software safety class | {_m(h.software_safety_class)} |",
        f"| As of | {_m(h.as_of)} |",
        f"| techfile | {_m(h.tool_version)} (profile {_m(h.profile)}) |",
        f"| Files | {h.classified} of {h.files} Markdown files classified |",
        f"| Git commit | {_m(h.commit_words())} |",
        f"| Input hash | `sha256:{h.input_hash}` |",
        "",
        f"> {_m(LIMITS)}",
        "",
    ]
    lines += [f"**Summary:** {_summary(data)}", ""]
    lines += [f"Note: {_m(n)}" for n in data.notices]
    lines += _coverage(data)
    lines += _trace(data)
    lines += _heatmaps(data)
    lines += _findings(data)
    lines += _deviations(data)
    lines += _documents(data)
    lines += _sign_off(data)
    lines += ["---", "", f"Input hash: {_m(HASH_RULE)}", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _summary(data: ReportData) -> str:
    states = data.coverage_counts()
    severity = data.severity_counts
    wrong = [row.clause for row in data.wrong_citations]
    trace = (
        f"{count(len(data.missing_threats), 'threat')} with a safety impact outside the risk file"
        if data.trace_applicable
        else "security \u2194 safety trace n/a (no threat model)"
    )
    baselined = f" and {data.baselined} more accepted in the baseline" if data.baselined else ""
    return (
        f"evidence coverage {states['green']} covered"
        + (f" (wrong extra citation at {_m(', '.join(wrong))})" if wrong else "")
        + f", {states['amber']} partial, {count(states['red'], 'gap')}; {trace}; "
        f"{count(sum(severity.values()), 'finding')} ({count(severity['error'], 'error')}, "
        f"{count(severity['warning'], 'warning')}, {severity['info']} info){baselined}; "
        f"{count(len(data.deviations), 'suppression')}."
    )


def _coverage(data: ReportData) -> list[str]:
    lines = [
        "## 1 Evidence coverage",
        "",
        "\u2713 covered: approved product or process evidence the clause accepts (a wrong "
        "citation beside it is marked); ! partial: not approved yet, or organisational evidence "
        "as support only; \u2717 gap: no accepted evidence (none cited, or only organisational "
        "evidence where product evidence is needed); \u2013 n/a: declared not applicable.",
        "",
    ]
    for section in data.coverage:
        lines += [
            f"### {_m(section.heading)}",
            "",
            "| clause | activity or requirement | status | evidence |",
            "|---|---|---|---|",
        ]
        for row in section.rows:
            wrong = row.wrong_citations
            evidence = "<br>".join(_evidence(e, e in wrong) for e in row.evidence)
            status = f"{STATE_MARK[row.state]} **{STATE_WORDS[row.state]}**: {_m(row.verdict)}"
            if row.note:
                status += f" ({_m(row.note)})"
            if wrong:
                status += " **\u2717 wrong extra citation**"
            lines.append(
                f"| {_m(row.clause)} | {_m(row.name)} | {status} | {evidence or 'none cited'} |"
            )
        lines.append("")
    return lines


def _evidence(e: Evidence, wrong_extra: bool) -> str:
    role = _m(ROLE_WORDS[e.role])
    if e.role in ("wrong-class", "unresolved"):
        role = f"**{role}**"
    mark = "**\u2717 wrong extra citation** " if wrong_extra else ""
    see = "".join(f" (see {_m(link.code)})" for link in e.findings)
    what = f"{_m(e.kind or 'unresolved')}, {_m(e.status or 'not found')}"
    return f"{mark}{_m(e.label)} ({what}): {role}{see}"


def _trace(data: ReportData) -> list[str]:
    lines = ["## 2 Security \u2194 safety trace", ""]
    if not data.trace_applicable:
        lines += [
            "**n/a**: there is no threat model in the technical file, so there is no threat "
            "to trace. This is not a pass: nothing was checked.",
            "",
        ]
    elif not data.trace:
        lines += ["No threat with a safety impact was found.", ""]
    else:
        lines += [
            "| threat | safety impact | assessed in | ISO 14971 risk rows |",
            "|---|---|---|---|",
        ]
        for entry in data.trace:
            if entry.risks:
                reach = "<br>".join(f"{_m(r.label)} {_m(r.title)}" for r in entry.risks)
            elif entry.state == "missing":
                reach = "**\u2717 reaches no risk row**"
            elif entry.state == "unassessed":
                reach = "**safety impact not assessed**"
            else:
                reach = "reaches the risk file"
            label = f"**{_m(entry.label)}**" if entry.state != "ok" else _m(entry.label)
            lines.append(
                f"| {label} {_m(entry.title)} | {_m(entry.safety_impact)} | "
                f"{_m(', '.join(entry.assessed_in) or '-')} | {reach} |"
            )
        lines.append("")
    if data.no_impact:
        lines += [f"Rated without safety impact: {_m(', '.join(data.no_impact))}.", ""]
    return lines


def _heatmaps(data: ReportData) -> list[str]:
    lines = ["## 3 Risk heat map", ""]
    if not data.heatmaps:
        if data.plans_without_matrix:
            lines += [
                f"The risk management plan ({_m(', '.join(data.plans_without_matrix))}) "
                "defines no usable severity \u00d7 probability acceptability matrix.",
                "",
            ]
        else:
            lines += ["No risk management plan was found.", ""]
        return lines
    for heatmap in data.heatmaps:
        lines += [
            f"Plan {_m(heatmap.plan)}; each cell: acceptability (A acceptable, R reduce as far "
            "as possible, U unacceptable, ? not defined), then the number of risk rows before "
            "\u2192 after risk control.",
            "",
            *_grid(heatmap),
            "",
        ]
        for stage, unplaced in (
            ("before", heatmap.unplaced_before),
            ("after", heatmap.unplaced_after),
        ):
            if unplaced:
                lines += [f"Not placed {stage} risk control: {_m(', '.join(unplaced))}.", ""]
    return lines


def _grid(heatmap: HeatMap) -> list[str]:
    probabilities = heatmap.probabilities
    header = "| severity \\ probability | " + " | ".join(_m(p.label()) for p in probabilities)
    lines = [header + " |", "|---|" + "---|" * len(probabilities)]
    for severity in reversed(heatmap.severities):
        cells = []
        for probability in probabilities:
            key = (severity.id, probability.id)
            verdict = heatmap.cells.get(key, "?")
            before = len(heatmap.before.get(key, ()))
            after = len(heatmap.after.get(key, ()))
            cells.append(f"{MARK.get(verdict, '?')} {before} \u2192 {after}")
        lines.append(f"| {_m(severity.label())} | " + " | ".join(cells) + " |")
    words = ", ".join(f"{MARK[k]} {ACCEPTABILITY_WORDS[k]}" for k in MARK)
    lines.append("")
    lines.append(f"Legend: {words}.")
    return lines


def _findings(data: ReportData) -> list[str]:
    lines = ["## 4 Findings", ""]
    if data.baselined:
        lines += [
            f"{count(data.baselined, 'finding')} accepted in the baseline are not counted here; "
            "they are listed in 5 Deviation list.",
            "",
        ]
    if not data.findings:
        outside = " outside the baseline" if data.baselined else ""
        return [*lines, f"No findings{outside}.", ""]
    for group in data.findings:
        title = FAMILY_TITLES.get(group.family, group.family)
        lines += [f"### {_m(title)} ({count(len(group.findings), 'finding')})", ""]
        lines += _finding_table(group.findings)
    return lines


def _finding_table(rows: tuple[FindingRow, ...]) -> list[str]:
    lines = ["| severity | rule | clause | where | finding |", "|---|---|---|---|---|"]
    for f in rows:
        where = f"{f.path}:{f.line}" if f.line else f.path
        doc = f"{_m(f.document)} " if f.document else ""
        text = _m(f.message)
        text += f"<br>**Why:** {_m(f.why)}" if f.why else ""
        text += f"<br>**Fix:** {_m(f.fix)}" if f.fix else ""
        lines.append(
            f"| {f.severity} | {_m(f.code)} | {_m(f.clause)} | {doc}{_m(where)} | {text} |"
        )
    return [*lines, ""]


def _deviations(data: ReportData) -> list[str]:
    lines = ["## 5 Deviation list", ""]
    if not data.deviations:
        lines += ["No suppressions or waivers.", ""]
    else:
        lines += [
            "| kind | rules | where | reason | until | approved by | findings |",
            "|---|---|---|---|---|---|---:|",
        ]
        for d in data.deviations:
            until = _m(d.until or "-") + (" **(expired)**" if d.expired else "")
            where = f"{d.path}:{d.line}" if d.line else d.path
            lines.append(
                f"| {_m(d.kind)} | {_m(d.codes)} | {_m(where)} | {_m(d.reason or '(no reason)')} "
                f"| {until} | {_m(d.approved_by or '-')} | {d.findings} |"
            )
        lines.append("")
    baseline = data.baseline
    if baseline is not None:
        lines += [
            "### Accepted in the baseline (.techfile-baseline.json)",
            "",
            f"Reason: {_m(baseline.reason or '(no reason)')}; written on "
            f"{_m(baseline.created or '(no date)')}; "
            f"{count(len(baseline.findings), 'finding')} accepted, open until fixed.",
            "",
        ]
        if baseline.gone:
            lines += [
                f"{count(baseline.gone, 'accepted occurrence')} no longer occur; "
                "`techfile baseline prune` drops them.",
                "",
            ]
        if baseline.findings:
            lines += _finding_table(baseline.findings)
    return lines


def _documents(data: ReportData) -> list[str]:
    lines = ["## 6 Documents", "", f"Git commit: {_m(data.header.commit_words())}.", ""]
    if data.header.differing:
        lines += [f"Not as committed: {_m(', '.join(data.header.differing))}.", ""]
    if not data.documents:
        return [*lines, "No documents.", ""]
    lines += [
        "| id | title | type | class | version | status | approvals | next review | path |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for d in data.documents:
        review = _m(d.next_review or "-") + (" **(overdue)**" if d.review_overdue else "")
        approvals = "<br>".join(_m(a) for a in d.approvals) or "-"
        lines.append(
            f"| {_m(d.label or '-')} | {_m(d.title)} | {_m(d.kind)} "
            f"| {_m(d.evidence_class or '-')} | {_m(d.version or '-')} | {_m(d.status or '-')} "
            f"| {approvals} | {review} | {_m(d.path)} |"
        )
    lines.append("")
    return lines


def _sign_off(data: ReportData) -> list[str]:
    h = data.header
    return [
        "## 7 Sign-off",
        "",
        f"Signed for the state this report shows: the technical file {_m(h.root_name)} as of "
        f"{_m(h.as_of)}; git commit {_m(h.commit_words())}; input hash `sha256:{h.input_hash}`.",
        "",
        "| | name | role | signature | date |",
        "|---|---|---|---|---|",
        *(f"| {role} | | | | |" for role in SIGN_OFF_ROLES),
        "",
    ]
