"""Gathering the readiness report from one run.

Everything here is read from the same bytes: the files are read once, the rules run on them
(`engine.run.evaluate`), and the view of the index the report draws from is the one the run
built from the bytes it read, which are also what the input hash covers. Nothing depends on the
wall clock; the only date is the run's as-of date.
"""

from __future__ import annotations

import hashlib
import posixpath
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from pathlib import Path

from techfile import __version__
from techfile.engine.baseline import BaselineError, read_baseline
from techfile.engine.pipeline import RunOptions
from techfile.engine.run import evaluate
from techfile.intake.commit import SourceCommit
from techfile.intake.sources import Entry, WorkTree
from techfile.model.config import Config
from techfile.model.diagnostics import Diagnostic
from techfile.model.result import RunResult
from techfile.model.view import RunView
from techfile.report.coverage import coverage
from techfile.report.data import BaselineSection, Header, ReportData, shown_text
from techfile.report.links import link_findings
from techfile.report.listings import baselined, deviations, documents, findings
from techfile.report.trace import heat_maps, security_trace


class RecordingSource:
    """A work-tree source that keeps the bytes it read, so that the input hash covers
    exactly what the rules saw."""

    def __init__(self, inner: WorkTree) -> None:
        self.inner = inner
        self.data: dict[str, bytes] = {}

    def entries(self, include: tuple[str, ...], exclude: tuple[str, ...]) -> list[Entry]:
        return self.inner.entries(include, exclude)

    def prefetch(self, entries: list[Entry]) -> None:
        self.inner.prefetch(entries)

    def read(self, entry: Entry) -> bytes | Diagnostic:
        if entry.path in self.data:
            return self.data[entry.path]
        data = self.inner.read(entry)
        if isinstance(data, bytes):
            self.data[entry.path] = data
        return data

    def read_path(self, path: str) -> bytes | Diagnostic:
        if path in self.data:
            return self.data[path]
        data = self.inner.read_path(path)
        if isinstance(data, bytes):
            self.data[path] = data
        return data


def input_hash(files: dict[str, bytes]) -> str:
    """sha256 over the files sorted by root-relative path, each as its UTF-8 path, a NUL
    byte, its size as 8 bytes big-endian, and its bytes."""
    digest = hashlib.sha256()
    for path in sorted(files):
        data = files[path]
        digest.update(path.encode("utf-8") + b"\0" + len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


@dataclass
class Loaded:
    result: RunResult
    view: RunView
    files: dict[str, bytes]


def load(config: Config, options: RunOptions) -> Loaded:
    """Run the rules and keep the view of the index from one read of the technical file."""
    source = RecordingSource(WorkTree(config.root, config.max_file_size))
    result = evaluate(config, replace(options, reuse_results=False), source)
    view = result.view
    assert view is not None  # a run not answered from the result store always has one
    for document in view.index.documents:  # the SBOM files the sbom documents name are inputs
        named = document.meta.get("file") if document.type == "sbom" else None
        if isinstance(named, str) and named.strip():
            path = posixpath.normpath(posixpath.join(posixpath.dirname(document.path), named))
            if not path.startswith("../") and path != "..":
                source.read_path(path)
    files = dict(source.data)
    for extra in (config.source, config.root / ".techfile-baseline.json"):
        if extra is not None and extra.is_file() and extra.resolve().is_relative_to(config.root):
            rel = extra.resolve().relative_to(config.root.resolve()).as_posix()
            files.setdefault(rel, extra.read_bytes())
    return Loaded(result, view, files)


CommitReader = Callable[[Path, Collection[str]], SourceCommit]


def gather(
    config: Config, options: RunOptions, *, read_commit: CommitReader | None = None
) -> ReportData:
    """The report of one run. `read_commit` names the git commit the files read came from
    (`intake.commit.source_commit`); None leaves it unread (the bundled example)."""
    loaded = load(config, options)
    result, view = loaded.result, loaded.view
    commit = read_commit(config.root, tuple(loaded.files)) if read_commit else None
    trace, no_impact = security_trace(view)
    heatmaps, without = heat_maps(view)
    counts = Counter(f.severity.label for f in result.findings)
    baseline = _baseline(config, result)
    return ReportData(
        header=_header(view, result, loaded.files, commit),
        coverage=link_findings(coverage(view), result),
        trace=trace,
        no_impact=no_impact,
        heatmaps=heatmaps,
        plans_without_matrix=without,
        findings=findings(result),
        severity_counts={s: counts.get(s, 0) for s in ("error", "warning", "info")},
        deviations=deviations(result),
        baselined=len(baseline.findings) if baseline else 0,
        documents=documents(view),
        notices=tuple(result.notices),
        baseline=baseline,
        threat_models=tuple(d.label() for d in view.index.of_type("threat-model")),
    )


def _baseline(config: Config, result: RunResult) -> BaselineSection | None:
    if not any(s.by.kind == "baseline" for s in result.suppressed) and not result.baseline_gone:
        return None
    try:
        written = read_baseline(config.root)
    except BaselineError:
        written = None  # the run read it a moment ago; a file changed since is not this run's
    reason = (
        written.reason
        if written
        else next((s.reason for s in result.suppressions if s.kind == "baseline"), "")
    )
    return baselined(result, reason, written.created if written else "")


def _device_fact(view: RunView, field_name: str, config_key: str) -> str:
    for document in view.index.of_type("device-description"):
        value = shown_text(document.meta.get(field_name))
        if value:
            return value
    return shown_text(view.device.get(config_key))


def _header(
    view: RunView, result: RunResult, files: dict[str, bytes], commit: SourceCommit | None
) -> Header:
    commit = commit or SourceCommit(absent="not read")
    return Header(
        device_name=view.device_name() or "(device name not given)",
        device_class=_device_fact(view, "device_class", "class") or "not given",
        software_safety_class=_device_fact(view, "software_safety_class", "software_safety_class")
        or "not given",
        software_version=view.software_version() or "not given",
        as_of=result.as_of.isoformat(),
        tool_version=__version__,
        input_hash=input_hash(files),
        input_files=len(files),
        files=result.files,
        classified=result.classified,
        root_name=view.root.name,
        profile=view.profile,
        commit=commit.sha,
        commit_date=commit.date,
        commit_absent=commit.absent,
        differing=commit.differing,
    )
