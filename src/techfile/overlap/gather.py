"""Gathering the overlap report from one run: the files are read once, the IS rules run on them
(the SoA checks), and the statuses are measured on the view of the index that run built, the
same bytes the input hash covers. Nothing depends on the wall clock; the only date is the run's
as-of date."""

from __future__ import annotations

from dataclasses import replace

from techfile import __version__
from techfile.data.isms import DEFAULT_TARGET, ISMS_27001, TARGETS, THEME_ORDER, crosswalks_into
from techfile.data.pages import load_pages
from techfile.engine.pipeline import RunOptions
from techfile.model.config import Config
from techfile.model.result import RunResult
from techfile.model.view import RunView
from techfile.overlap.data import (
    CrosswalkNote,
    DocumentRef,
    GroupFigure,
    Header,
    IsFinding,
    OverlapData,
    TargetRow,
)
from techfile.overlap.documents import certificates, decisions, document_ref, statements
from techfile.overlap.evidence import read_citations
from techfile.overlap.measure import (
    THEME_TITLES,
    Measure,
    clause_group_titles,
    figure,
    figures,
    targets,
)
from techfile.report.gather import input_hash, load

RULE_FAMILY = "IS"


def gather(config: Config, options: RunOptions, target: str = DEFAULT_TARGET) -> OverlapData:
    # the IS rules by their full codes: a configuration that ignores a wider prefix (`IS`)
    # still gets the SoA checked here; one that ignores a code itself does not
    codes = tuple(sorted(c for c in load_pages() if c.startswith(RULE_FAMILY)))
    loaded = load(config, replace(options, select=codes))
    view = loaded.view
    measure = Measure(view, read_citations(view), decisions(view))
    clauses, controls = targets()
    clause_rows = tuple(measure.row(entry) for entry in clauses)
    control_rows = tuple(measure.row(entry) for entry in controls)
    groups = clause_group_titles()
    return OverlapData(
        header=_header(view, loaded.result, loaded.files, TARGETS[target]),
        clauses=clause_rows,
        controls=control_rows,
        clause_groups=tuple(figures(clause_rows, list(groups), groups)),
        themes=tuple(figures(control_rows, list(THEME_ORDER), THEME_TITLES)),
        clauses_total=figure("clauses", "Clauses 4 to 10", list(clause_rows)),
        controls_total=figure("annex-a", "Annex A controls", list(control_rows)),
        findings=_findings(loaded.result),
        documents=_documents(clause_rows + control_rows),
        soas=tuple(document_ref(view, d) for d in statements(view)),
        certificates=certificates(view),
        crosswalks=tuple(_crosswalk_notes()),
        notices=tuple(loaded.result.notices),
    )


def _header(view: RunView, result: RunResult, files: dict[str, bytes], target: str) -> Header:
    return Header(
        target=target,
        device_name=view.device_name() or "(device name not given)",
        as_of=result.as_of.isoformat(),
        tool_version=__version__,
        input_hash=input_hash(files),
        input_files=len(files),
        files=result.files,
        classified=result.classified,
        root_name=view.root.name,
    )


def _findings(result: RunResult) -> tuple[IsFinding, ...]:
    found = []
    for finding in sorted(result.findings, key=lambda f: f.sort_key()):
        if not finding.code.startswith(RULE_FAMILY):
            continue  # a rule the configuration's `extend-select` added
        page = result.pages.get(finding.code)
        found.append(
            IsFinding(
                code=finding.code,
                severity=finding.severity.label,
                clause=page.clause_text if page else "",
                message=finding.message,
                path=finding.location.path,
                line=finding.location.line,
            )
        )
    return tuple(found)


def _documents(rows: tuple[TargetRow, ...]) -> tuple[DocumentRef, ...]:
    found: dict[str, DocumentRef] = {}
    for row in rows:
        for source in row.sources:
            found.setdefault(source.document.path, source.document)
    return tuple(sorted(found.values(), key=lambda d: (d.label, d.path)))


def _crosswalk_notes() -> list[CrosswalkNote]:
    return [
        CrosswalkNote(walk.title, walk.provenance, walk.verification)
        for walk in crosswalks_into(ISMS_27001)
    ]


def coverage_line(data: OverlapData) -> str:
    """The one-line summary the command prints on standard error."""
    c, a = data.clauses_total, data.controls_total
    return (
        f"clauses 4-10 {c.percent}% covered ({_counts(c)}); Annex A {a.percent}% covered "
        f"({_counts(a)}); {len(data.findings)} SoA finding(s); as of {data.header.as_of}"
    )


def _counts(figure: GroupFigure) -> str:
    parts = [f"{figure.counts[s]} {s.replace('-', ' ')}" for s in figure.counts if figure.counts[s]]
    return ", ".join(parts) or "nothing to measure"
