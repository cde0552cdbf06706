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
from dataclasses import dataclass, replace

from techfile import __version__
from techfile.engine.pipeline import RunOptions
from techfile.engine.run import evaluate
from techfile.intake.sources import Entry, WorkTree
from techfile.model.config import Config
from techfile.model.diagnostics import Diagnostic
from techfile.model.result import RunResult
from techfile.model.view import RunView
from techfile.report.coverage import coverage
from techfile.report.data import Header, ReportData, shown_text
from techfile.report.listings import deviations, documents, findings
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


def gather(config: Config, options: RunOptions) -> ReportData:
    loaded = load(config, options)
    result, view = loaded.result, loaded.view
    trace, no_impact = security_trace(view)
    heatmaps, without = heat_maps(view)
    counts = Counter(f.severity.label for f in result.findings)
    return ReportData(
        header=_header(view, result, loaded.files),
        coverage=coverage(view),
        trace=trace,
        no_impact=no_impact,
        heatmaps=heatmaps,
        plans_without_matrix=without,
        findings=findings(result),
        severity_counts={s: counts.get(s, 0) for s in ("error", "warning", "info")},
        deviations=deviations(result),
        baselined=sum(1 for s in result.suppressed if s.by.kind == "baseline"),
        documents=documents(view),
        notices=tuple(result.notices),
    )


def _device_fact(view: RunView, field_name: str, config_key: str) -> str:
    for document in view.index.of_type("device-description"):
        value = shown_text(document.meta.get(field_name))
        if value:
            return value
    return shown_text(view.device.get(config_key))


def _header(view: RunView, result: RunResult, files: dict[str, bytes]) -> Header:
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
    )
