"""The readiness report as Markdown (GitHub-flavoured tables), for a pull request, a wiki or a
job summary. Text from documents is escaped so it renders as text: `<`, `>` and `&` become
entities, table pipes are escaped and line breaks become spaces."""

from __future__ import annotations

from techfile.report.data import HeatMap, ReportData
from techfile.report.words import (
    ACCEPTABILITY_WORDS,
    FAMILY_TITLES,
    HASH_RULE,
    LIMITS,
    ROLE_WORDS,
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
        f"| Input hash | `sha256:{h.input_hash}` |",
        "",
        f"> {_m(LIMITS)}",
        "",
    ]
    states = data.coverage_counts()
    severity = data.severity_counts
    lines += [
        f"**Summary:** evidence coverage {states['green']} covered, {states['amber']} partial, "
        f"{count(states['red'], 'gap')}; {count(len(data.missing_threats), 'threat')} with a "
        f"safety impact outside the risk file; {count(sum(severity.values()), 'finding')} "
        f"({count(severity['error'], 'error')}, {count(severity['warning'], 'warning')}, "
        f"{severity['info']} info); {count(len(data.deviations), 'suppression')}.",
        "",
    ]
    lines += [f"Note: {_m(n)}" for n in data.notices]
    lines += _coverage(data)
    lines += _trace(data)
    lines += _heatmaps(data)
    lines += _findings(data)
    lines += _deviations(data)
    lines += _documents(data)
    lines += ["---", "", f"Input hash: {_m(HASH_RULE)}", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _coverage(data: ReportData) -> list[str]:
    lines = [
        "## 1 Evidence coverage",
        "",
        "\u2713 covered: approved product or process evidence the clause accepts; ! partial: "
        "not approved yet, or organisational evidence as support only; \u2717 gap: no evidence, "
        "or organisational evidence where product evidence is needed; \u2013 n/a: declared not "
        "applicable.",
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
            evidence = "<br>".join(
                f"{_m(e.label)} ({_m(e.kind or 'unresolved')}, {_m(e.status or 'not found')}): "
                + (
                    f"**{_m(ROLE_WORDS[e.role])}**"
                    if e.role in ("wrong-class", "unresolved")
                    else _m(ROLE_WORDS[e.role])
                )
                for e in row.evidence
            )
            status = f"{STATE_MARK[row.state]} **{STATE_WORDS[row.state]}**: {_m(row.verdict)}"
            if row.note:
                status += f" ({_m(row.note)})"
            lines.append(
                f"| {_m(row.clause)} | {_m(row.name)} | {status} | {evidence or 'none cited'} |"
            )
        lines.append("")
    return lines


def _trace(data: ReportData) -> list[str]:
    lines = ["## 2 Security \u2194 safety trace", ""]
    if not data.trace:
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
    if not data.findings:
        return [*lines, "No findings.", ""]
    for group in data.findings:
        title = FAMILY_TITLES.get(group.family, group.family)
        lines += [
            f"### {_m(title)} ({count(len(group.findings), 'finding')})",
            "",
            "| severity | rule | clause | where | finding |",
            "|---|---|---|---|---|",
        ]
        for f in group.findings:
            where = f"{f.path}:{f.line}" if f.line else f.path
            doc = f"{_m(f.document)} " if f.document else ""
            lines.append(
                f"| {f.severity} | {_m(f.code)} | {_m(f.clause)} | {doc}{_m(where)} | "
                f"{_m(f.message)} |"
            )
        lines.append("")
    return lines


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
    if data.baselined:
        lines += [f"{count(data.baselined, 'finding')} accepted in the baseline.", ""]
    return lines


def _documents(data: ReportData) -> list[str]:
    lines = ["## 6 Documents", ""]
    if not data.documents:
        return [*lines, "No documents.", ""]
    lines += [
        "| id | title | type | class | version | status | approved by | path |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for d in data.documents:
        lines.append(
            f"| {_m(d.label or '-')} | {_m(d.title)} | {_m(d.kind)} "
            f"| {_m(d.evidence_class or '-')} | {_m(d.version or '-')} | {_m(d.status or '-')} "
            f"| {_m(d.approved_by or '-')} "
            f"| {_m(d.path)} |"
        )
    lines.append("")
    return lines
