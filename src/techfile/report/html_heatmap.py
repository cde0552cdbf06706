"""Section 3 of the HTML report: the risk heat map of each plan, as inline SVG (no scripts, no
images), before and after risk control, with the counts also said in words."""

from __future__ import annotations

from techfile.model.plan import Level
from techfile.report.data import HeatMap, ReportData
from techfile.report.html_markup import escape
from techfile.report.words import ACCEPTABILITY_WORDS, count

CELL_W, CELL_H, LEFT, TOP, BOTTOM = 74, 46, 150, 6, 58
FILL_PRINT = {"acceptable": "#a9dbb5", "reduce-afap": "#ffd97a", "unacceptable": "#f19b9b"}
MARK = {"acceptable": "A", "reduce-afap": "R", "unacceptable": "U"}


def heatmap_section(data: ReportData) -> list[str]:
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
        html.append(f'<p class="empty">{escape(what)}</p>')
    legend = "".join(
        f'<li><span class="swatch" style="background:{FILL_PRINT[k]}"></span>'
        f"<b>{MARK[k]}</b> {escape(ACCEPTABILITY_WORDS[k])}</li>"
        for k in ("acceptable", "reduce-afap", "unacceptable")
    )
    legend += (
        '<li><span class="swatch" style="background:#d9dde2"></span><b>?</b> not defined '
        "by the plan</li><li>numbers: risk rows in the cell</li>"
    )
    for heatmap in data.heatmaps:
        html += [
            f'<h3>Plan {escape(heatmap.plan)} <span class="muted">({escape(heatmap.path)}); risk '
            f"analyses: {escape(', '.join(heatmap.analyses) or 'none')}</span></h3>",
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
        f"<figcaption>{escape(caption)} ({count(total, 'risk')})</figcaption>"
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
        f'aria-label="{escape(caption)}: severity by probability, risk rows per cell" '
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
            'text-anchor="end" font-size="13" font-weight="600" fill="#1d232b">'
            f"{escape(sid)}</text>"
        )
        if sname:
            out.append(
                f'<text x="{LEFT - 8}" y="{y + CELL_H / 2 + 13:.0f}" text-anchor="end" '
                f'font-size="11" fill="#5b6570">{escape(_clip(sname, 18))}</text>'
            )
        for column, probability in enumerate(probabilities):
            key = (severity.id, probability.id)
            out.append(
                _cell(
                    severity,
                    probability,
                    heatmap.cells.get(key, "?"),
                    counts.get(key, ()),
                    LEFT + column * CELL_W,
                    y,
                )
            )
    for column, probability in enumerate(probabilities):
        cx = LEFT + column * CELL_W + CELL_W / 2
        base = TOP + CELL_H * len(severities)
        pid, pname = _level_text(probability)
        out.append(
            f'<text x="{cx:.0f}" y="{base + 16}" text-anchor="middle" font-size="13" '
            f'font-weight="600" fill="#1d232b">{escape(pid)}</text>'
        )
        if pname:
            out.append(
                f'<text x="{cx:.0f}" y="{base + 31}" text-anchor="middle" font-size="11" '
                f'fill="#5b6570">{escape(_clip(pname, 12))}</text>'
            )
    out.append("</svg>")
    return "".join(out)


def _cell(
    severity: Level, probability: Level, verdict: str, rows: tuple[str, ...], x: int, y: int
) -> str:
    """One cell of the matrix at (x, y): its verdict's colour and letter, and its row count."""
    fill = FILL_PRINT.get(verdict, "#d9dde2")
    mark = MARK.get(verdict, "?")
    words = ACCEPTABILITY_WORDS.get(verdict, "not defined by the plan")
    listed = f": {', '.join(rows)}" if rows else ""
    tip = (
        f"{severity.label()} \u00d7 {probability.label()}: {words}; "
        f"{count(len(rows), 'risk row')}{listed}"
    )
    return (
        f'<g class="cell" data-severity="{escape(severity.id)}" '
        f'data-probability="{escape(probability.id)}" data-verdict="{escape(verdict)}" '
        f'data-count="{len(rows)}"><title>{escape(tip)}</title>'
        f'<rect x="{x}" y="{y}" width="{CELL_W}" height="{CELL_H}" fill="{fill}" '
        'stroke="#ffffff" stroke-width="2"/>'
        f'<text x="{x + 5}" y="{y + 13}" font-size="10" fill="#39424c">{mark}</text>'
        f'<text x="{x + CELL_W / 2:.0f}" y="{y + CELL_H / 2 + 7:.0f}" '
        f'text-anchor="middle" font-size="{20 if rows else 14}" '
        f'font-weight="{700 if rows else 400}" '
        f'fill="{"#1d232b" if rows else "#6d7781"}">{len(rows)}</text></g>'
    )


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
        lines.append(f"<li><b>{escape(stage)}:</b> {escape(text)}</li>")
    return f'<ul class="heat-summary">{"".join(lines)}</ul>'
