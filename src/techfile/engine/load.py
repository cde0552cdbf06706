"""Load every file of a technical file: from the cache where the content is known,
else parsed, serially or in worker processes (the result is the same either way)."""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import os
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Protocol

from techfile.data.resources import bundled
from techfile.intake.cache import ParseCache, content_key
from techfile.intake.discover import check_globs
from techfile.intake.parse import ParsedFile, ParseSettings, parse_bytes
from techfile.intake.sources import Entry
from techfile.model.diagnostics import Diagnostic

SERIAL_BELOW = 300  # process start-up costs more than parsing this many files


class Lookup(Protocol):
    def get(self, path: str, key: str) -> ParsedFile | None: ...


class Source(Protocol):
    def entries(self, include: tuple[str, ...], exclude: tuple[str, ...]) -> list[Entry]: ...

    def prefetch(self, entries: list[Entry]) -> None: ...

    def read(self, entry: Entry) -> bytes | Diagnostic: ...

    def read_path(self, path: str) -> bytes | Diagnostic: ...


@functools.cache
def _resources_fingerprint() -> str:
    digest = hashlib.sha256()
    for folder in ("schemas", "data", "checks"):
        for path in sorted(bundled(folder).rglob("*")):
            if path.is_file():
                digest.update(path.name.encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def settings_key(settings: ParseSettings) -> str:
    return hashlib.sha256(f"{settings!r}{_resources_fingerprint()}".encode()).hexdigest()


def worker_count(jobs: str, pending: int) -> int:
    if jobs == "auto":
        return 1 if pending < SERIAL_BELOW else max(1, min(os.cpu_count() or 1, 8))
    return max(1, int(jobs))


@dataclass(frozen=True, slots=True)
class Input:
    """One file of the technical file as read: its bytes and content key, or its problem."""

    path: str
    data: bytes | None
    key: str  # content key (git blob id), or the problem's code and message
    problem: Diagnostic | None = None
    parsed: ParsedFile | None = None  # known from the cache: the bytes were not read


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Reading the cache of thousands of files makes millions of objects that all live until
    the run ends; the cyclic collector, left on, rescans them while they arrive, and again
    once it is back on. Paused, then told (freeze) that what exists now stays, it reads a warm
    cache in half the time. Frozen objects are still freed when nothing refers to them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def read_inputs(
    source: Source,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    cache: Lookup | None = None,
) -> list[Input]:
    """Every file's bytes and content key. Where the source knows the key (git) and the
    cache knows the file, the parse comes from the cache and the bytes are never read."""
    check_globs("include", include)
    check_globs("exclude", exclude)
    entries = source.entries(include, exclude)
    known: dict[str, ParsedFile] = {}
    if cache is not None:
        with collector_paused():
            for entry in entries:
                if entry.key and entry.problem is None:
                    parsed = cache.get(entry.path, entry.key)
                    if parsed is not None:
                        known[entry.path] = parsed
    source.prefetch([e for e in entries if e.path not in known and e.problem is None])
    found = []
    for entry in entries:
        if entry.path in known:
            assert entry.key is not None
            found.append(Input(entry.path, None, entry.key, parsed=known[entry.path]))
            continue
        data = entry.problem if entry.problem is not None else source.read(entry)
        if isinstance(data, Diagnostic):
            found.append(Input(entry.path, None, f"{data.code}:{data.message}", data))
        else:
            found.append(Input(entry.path, data, entry.key or content_key(data)))
    return found


def load_files(
    source: Source,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    settings: ParseSettings,
    cache: ParseCache,
    jobs: str = "1",
) -> list[ParsedFile]:
    parsed = parse_inputs(read_inputs(source, include, exclude), settings, cache, jobs)
    cache.save()
    return parsed


def parse_inputs(
    inputs: list[Input], settings: ParseSettings, cache: ParseCache, jobs: str = "1"
) -> list[ParsedFile]:
    check_globs("types", (pattern for pattern, _ in settings.type_globs))
    results: dict[str, ParsedFile] = {}
    pending: list[tuple[str, bytes, str]] = []
    for one in inputs:
        if one.parsed is not None:
            results[one.path] = one.parsed
            continue
        if one.data is None:
            assert one.problem is not None
            results[one.path] = ParsedFile(one.path, None, [one.problem])
            continue
        key, data = one.key, one.data
        cached = cache.get(one.path, key)
        if cached is not None:
            results[one.path] = cached
        else:
            pending.append((one.path, data, key))
    for (path, _data, key), parsed in zip(
        pending, _parse_all(pending, settings, jobs), strict=True
    ):
        results[path] = parsed
        cache.put(path, key, parsed)
    return [results[path] for path in sorted(results)]


def _parse_all(
    pending: Sequence[tuple[str, bytes, str]], settings: ParseSettings, jobs: str
) -> list[ParsedFile]:
    workers = worker_count(jobs, len(pending))
    progress = _Progress(len(pending))
    if workers == 1:
        serial: list[ParsedFile] = []
        for path, data, _key in pending:
            serial.append(parse_bytes(path, data, settings))
            progress.tick()
        progress.done()
        return serial
    chunk = max(1, len(pending) // (workers * 8))
    with ProcessPoolExecutor(max_workers=workers, initializer=_die_with_parent) as pool:
        results: list[ParsedFile] = []
        paths = [p for p, _, _ in pending]
        datas = [d for _, d, _ in pending]
        for one in pool.map(parse_bytes, paths, datas, [settings] * len(pending), chunksize=chunk):
            results.append(one)
            progress.tick()
    progress.done()
    return results


def _die_with_parent() -> None:
    """A worker ends when the run that started it ends, however it ends (SIGTERM from CI, a
    kill): Linux sends it SIGTERM then. Elsewhere a worker finishes its chunk and exits."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    pr_set_pdeathsig = 1
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


class _Progress:
    """`parsed N/M files` on stderr, only for long runs on a terminal (never in CI logs)."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.count = 0
        self.enabled = total >= 500 and sys.stderr.isatty() and not os.environ.get("CI")

    def tick(self) -> None:
        self.count += 1
        if self.enabled and (self.count % 100 == 0 or self.count == self.total):
            sys.stderr.write(f"\rtechfile: parsed {self.count}/{self.total} files")
            sys.stderr.flush()

    def done(self) -> None:
        if self.enabled:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
