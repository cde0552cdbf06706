#!/usr/bin/env python3
"""Benchmark `techfile check` against the parse floor on synthetic technical files.

    python benchmarks/run.py [--docs 1000,5000] [--seed 1] [--keep DIR] [--repeat R] [--dangling D]

For each N the script generates a technical file of N documents with git history
(benchmarks/generate.py; reused from DIR with --keep) and measures, on that same tree:

- the parse floor: benchmarks/floor.py, which only reads every *.md file, parses its front-matter
  with python-frontmatter (C YAML loader) and its body with markdown-it-py;
- `techfile check --jobs 1 --no-cache` (cold);
- `techfile check --jobs 1` twice after clearing the cache (the first fills it, the second is warm);
- `techfile check --jobs 1 --pre-commit` with one risk analysis edited and staged (a different
  edit for each run, after the warm runs);
- `techfile check --jobs auto --no-cache` for the parallel comparison.

With --dangling D, the parse floor and the cold run are also measured on a variant of each tree
in which D references resolve to nothing (`generate.py --dangling D`): techfile reports each as
ID002 with a "did you mean" suggestion, and the search for close ids costs time that the clean
tree never shows. The extra table compares the two cold runs.

Every command runs as a subprocess (interpreter start-up and imports included) under a tiny
wrapper that records its wall time and peak RSS (ru_maxrss from wait4: the largest single process
of the command and the children it reaped; about 8 MB is the wrapper's own floor). The median of
R runs is reported (R = 3, or 1 from N = 10,000 on). Options the installed techfile does not
have (see `techfile check --help`) are left out, and variants that need them print
"not available".

Ratios to the floor matter, not absolute times. Exit status 2 when any measured command failed
(techfile exit code 2 = usage or internal error, or any code other than 0/1); exit 1 from techfile
only means findings and is fine.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

NA = "not available"
SUMMARY = re.compile(r"(\d+) of (\d+) Markdown files classified")
DANGLING_FINDING = re.compile(r"^\S+:\d+:\d+: ID002 ", re.MULTILINE)
FINDINGS = re.compile(r"techfile: (\d+) findings?")
CACHE_DIRS = (".techfile_cache",)


@dataclass
class Sample:
    seconds: float
    rss_mb: float
    rc: int
    stdout: str
    stderr: str


@dataclass
class Series:
    """Repeated runs of one variant; `samples` empty means not available."""

    label: str
    command: list[str] | None
    samples: list[Sample] = field(default_factory=list)
    note: str = ""

    @property
    def available(self) -> bool:
        return bool(self.samples)

    @property
    def seconds(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    @property
    def rss_mb(self) -> float:
        return statistics.median(s.rss_mb for s in self.samples)

    def last(self) -> Sample:
        return self.samples[-1]


@dataclass
class Result:
    n: int
    generation_s: float | None
    reused: bool
    series: dict[str, Series]
    # floor and cold run on the tree with dangling references (--dangling), else None
    dangling: dict[str, Series] | None = None


class Failure(Exception):
    pass


# ---------------------------------------------------------------------------------------------
# Running and measuring


# The measured command runs under this tiny wrapper, not directly under run.py: on Linux a
# process's ru_maxrss also counts the memory of the process it was forked from up to its exec,
# so a child of run.py (which may hold a generated tree of 10,000 documents in memory) would
# report run.py's size. The wrapper starts with `-I -S` (about 8 MB), spawns the command, waits
# for it with wait4 and writes "seconds maxrss exitcode" to the file named by its first argument.
WRAPPER = """
import os, sys, time
started = time.perf_counter()
pid = os.posix_spawnp(sys.argv[2], sys.argv[2:], os.environ)
_, status, usage = os.wait4(pid, 0)
elapsed = time.perf_counter() - started
with open(sys.argv[1], "w") as out:
    out.write(f"{elapsed} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}")
"""


def measure(command: list[str], cwd: Path, env: dict[str, str]) -> Sample:
    """Run `command` under the wrapper; its wall time, peak RSS and exit code."""
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.TemporaryDirectory() as scratch,
    ):
        report = Path(scratch) / "rusage"
        subprocess.run(
            [sys.executable, "-I", "-S", "-c", WRAPPER, str(report), *command],
            cwd=cwd,
            env=env,
            stdout=out,
            stderr=err,
            check=False,
        )
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
        try:
            seconds, maxrss, code = report.read_text().split()
        except (OSError, ValueError):
            return Sample(0.0, 0.0, 127, stdout, stderr)  # the command could not start
    # ru_maxrss is in KiB on Linux, bytes on macOS
    rss = int(maxrss) / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return Sample(float(seconds), rss, int(code), stdout, stderr)


class Bench:
    def __init__(
        self, techfile: list[str], repeat: int | None, verbose: bool, dangling: int = 0
    ) -> None:
        self.techfile = techfile
        self.repeat = repeat
        self.verbose = verbose
        self.dangling = dangling  # references that resolve to nothing in the variant trees
        self.failures: list[str] = []
        self.env = {**os.environ, "NO_COLOR": "1", "PYTHONHASHSEED": "0"}
        self.env.pop("TECHFILE_DEBUG", None)
        self.flags = self.detect_flags()
        self.loads: list[float] = []

    def note_load(self) -> None:
        with contextlib.suppress(OSError, AttributeError):
            self.loads.append(os.getloadavg()[0])

    def detect_flags(self) -> set[str]:
        try:
            result = subprocess.run(
                [*self.techfile, "check", "--help"], capture_output=True, text=True, env=self.env
            )
        except OSError as problem:
            raise SystemExit(f"run.py: cannot run {' '.join(self.techfile)}: {problem}") from None
        if result.returncode != 0:
            raise SystemExit(f"run.py: `techfile check --help` failed:\n{result.stderr}")
        return set(re.findall(r"(?<![\w-])(--[a-z][a-z0-9-]*)", result.stdout))

    def has(self, *flags: str) -> bool:
        return all(f in self.flags for f in flags)

    def check_command(self, *flags: str, required: tuple[str, ...] = ()) -> list[str] | None:
        """`techfile check` with the given flags; None if a required flag is missing. Optional
        flags the installed techfile lacks are dropped (without --jobs it is serial, without
        --no-cache it has no cache, so the command still measures the same thing)."""
        if not self.has(*required):
            return None
        args: list[str] = []
        pending = list(flags)
        while pending:
            flag = pending.pop(0)
            value = pending.pop(0) if pending and not pending[0].startswith("--") else None
            if flag in self.flags:
                args += [flag] + ([value] if value is not None else [])
        return [*self.techfile, "check", *args]

    def reps(self, n: int) -> int:
        return self.repeat if self.repeat else (1 if n >= 10000 else 3)

    def run_one(self, series: Series, root: Path, label: str | None = None) -> Sample:
        assert series.command is not None
        sample = measure(series.command, root, self.env)
        if sample.rc not in (0, 1):
            tail = "\n".join(sample.stderr.strip().splitlines()[-15:])
            message = (
                f"{label or series.label}: `{' '.join(series.command)}` exited {sample.rc} "
                f"in {root}\n{tail}"
            )
            self.failures.append(message)
            print(f"run.py: FAILED {message}", file=sys.stderr)
        if self.verbose:
            print(
                f"  {label or series.label}: {sample.seconds:.2f} s, {sample.rss_mb:.0f} MB, "
                f"exit {sample.rc}",
                file=sys.stderr,
            )
        return sample

    # -- the measurements of one tree --------------------------------------------------------

    def floor_series(self) -> Series:
        return Series("floor", [sys.executable, str(HERE / "floor.py"), "."])

    def cold_series(self) -> Series:
        return Series("cold", self.check_command("--jobs", "1", "--no-cache"))

    def bench_tree(self, n: int, root: Path) -> dict[str, Series]:
        reps = self.reps(n)
        floor = self.floor_series()
        cold = self.cold_series()
        first = Series(
            "first",
            self.check_command("--jobs", "1", required=("--no-cache",)),
            note="1st run after clearing .techfile_cache/ (fills the cache)",
        )
        warm = Series("warm", first.command)
        pre = Series(
            "pre-commit",
            self.check_command("--jobs", "1", "--pre-commit", required=("--pre-commit",)),
        )
        auto = Series(
            "jobs-auto", self.check_command("--jobs", "auto", "--no-cache", required=("--jobs",))
        )
        if not self.has("--no-cache"):
            cold.note = "this techfile has no cache (no --no-cache), so a plain run is cold"
        if not self.has("--jobs"):
            cold.note += "; no --jobs option (serial)"

        for _ in range(reps):
            floor.samples.append(self.run_one(floor, root))
        if floor.samples and floor.last().rc != 0:
            self.failures.append(f"floor failed on {root}: {floor.last().stderr.strip()}")
        for _ in range(reps):
            cold.samples.append(self.run_one(cold, root))
        if first.command is not None:
            for _ in range(reps):
                clear_cache(root)
                first.samples.append(self.run_one(first, root, "first"))
                warm.samples.append(self.run_one(warm, root, "warm"))
        if auto.command is not None:
            for _ in range(reps):
                auto.samples.append(self.run_one(auto, root))
        if pre.command is not None:
            # a new staged change each time, as a developer's commits are: re-running the hook
            # on the same staged state would only measure a cached result
            for k in range(reps):
                with staged_edit(root, k):
                    pre.samples.append(self.run_one(pre, root))
        clear_cache(root)
        return {s.label: s for s in (floor, cold, first, warm, pre, auto)}

    def bench_cold(self, n: int, root: Path, what: str) -> dict[str, Series]:
        """Only the parse floor and the cold run (`what` names the tree in messages)."""
        reps = self.reps(n)
        floor = self.floor_series()
        cold = self.cold_series()
        for _ in range(reps):
            floor.samples.append(self.run_one(floor, root, f"{what} floor"))
        if floor.samples and floor.last().rc != 0:
            self.failures.append(f"floor failed on {root}: {floor.last().stderr.strip()}")
        for _ in range(reps):
            cold.samples.append(self.run_one(cold, root, f"{what} cold"))
        clear_cache(root)
        return {s.label: s for s in (floor, cold)}


def clear_cache(root: Path) -> None:
    for name in CACHE_DIRS:
        shutil.rmtree(root / name, ignore_errors=True)
    # anything else untracked a run left behind (the generated tree is fully committed)
    subprocess.run(["git", "-C", str(root), "clean", "-fdxq"], check=False)


class staged_edit:
    """Edit the first risk analysis (one table cell, different for each k) and stage it; undo
    on exit."""

    def __init__(self, root: Path, k: int = 0) -> None:
        self.root = root
        self.k = k
        candidates = sorted((root / "risk" / "analyses").glob("*.md"))
        if not candidates:
            raise Failure(f"no risk analysis to edit under {root}")
        self.path = candidates[0]
        self.rel = self.path.relative_to(root).as_posix()

    def __enter__(self) -> staged_edit:
        text = self.path.read_text(encoding="utf-8")
        edited = text.replace("| R-01 | ", f"| R-01 | Revised after field report {self.k + 1}: ", 1)
        if edited == text:
            raise Failure(f"cannot find row R-01 in {self.rel}")
        self.path.write_text(edited, encoding="utf-8")
        subprocess.run(["git", "-C", str(self.root), "add", "--", self.rel], check=True)
        return self

    def __exit__(self, *exc: object) -> None:
        subprocess.run(["git", "-C", str(self.root), "reset", "-q", "--", self.rel], check=True)
        subprocess.run(["git", "-C", str(self.root), "checkout", "-q", "--", self.rel], check=True)


# ---------------------------------------------------------------------------------------------
# Trees


def prepare_tree(
    n: int, seed: int, commits: int | None, keep: Path | None, scratch: Path, dangling: int = 0
) -> tuple[Path, float | None, bool]:
    """The generated tree for n documents (with `dangling` references that resolve to nothing):
    reused from --keep when it is there, else generated.
    Returns (root, generation seconds or None when reused, reused)."""
    c = commits if commits is not None else max(200, n // 10)
    base = keep if keep is not None else scratch
    suffix = f"-dangling{dangling}" if dangling else ""
    root = base / f"n{n}-seed{seed}-c{c}{suffix}"
    # the marker names the parameters and the generator's source (generate.py and its
    # package), so a kept tree is reused only when this generator would write exactly the
    # same tree
    source = generate.source_digest()[:16]
    variant = f" dangling={dangling}" if dangling else ""
    stamp = f"documents={n} seed={seed} commits={c}{variant} generator={source}\n"
    marker = root / ".git" / "techfile-bench"
    if keep is not None and marker.exists() and marker.read_text(encoding="utf-8") == stamp:
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        if dirty.strip():
            print(f"run.py: {root} had local changes; resetting it to HEAD", file=sys.stderr)
            subprocess.run(["git", "-C", str(root), "reset", "-q", "--hard"], check=True)
        clear_cache(root)
        return root, None, True
    if root.exists():
        shutil.rmtree(root)
    started = time.perf_counter()
    generate.generate(root, n, seed, c, dangling)
    elapsed = time.perf_counter() - started
    marker.write_text(stamp, encoding="utf-8")
    return root, elapsed, False


# ---------------------------------------------------------------------------------------------
# Reporting


def machine() -> list[str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or "unknown"
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count() or 0
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f", {int(line.split()[1]) / 1024 / 1024:.1f} GiB RAM"
                break
    except OSError:
        pass
    git = subprocess.run(["git", "--version"], capture_output=True, text=True).stdout.strip()
    return [
        f"- CPU: {cpu}",
        f"- cores: {os.cpu_count()} ({usable} usable){memory}",
        f"- Python: {platform.python_version()} ({sys.executable})",
        f"- OS: {platform.platform()}; {git}",
    ]


def fmt_s(series: Series) -> str:
    return f"{series.seconds:.2f}" if series.available else NA


def fmt_ratio(series: Series, floor: Series) -> str:
    if not series.available or not floor.available or floor.seconds <= 0:
        return NA
    return f"{series.seconds / floor.seconds:.2f}x"


def fmt_mb(series: Series) -> str:
    return f"{series.rss_mb:.0f}" if series.available else NA


def summary_of(series: Series) -> str:
    if not series.available:
        return NA
    sample = series.last()
    classified = SUMMARY.search(sample.stderr)
    found = FINDINGS.search(sample.stderr)
    parts = []
    if found:
        parts.append(f"{found.group(1)} findings")
    if classified:
        parts.append(f"{classified.group(1)}/{classified.group(2)} classified")
    parts.append(f"exit {sample.rc}")
    return ", ".join(parts)


def report(results: list[Result], bench: Bench, seed: int) -> str:
    out: list[str] = []
    out.append("## Machine")
    out.append("")
    out += machine()
    techfile_version = subprocess.run(
        [*bench.techfile, "--version"], capture_output=True, text=True, env=bench.env
    ).stdout.strip()
    out.append(f"- techfile: {techfile_version} ({' '.join(bench.techfile)})")
    if bench.loads:
        start, end = bench.loads[0], bench.loads[-1]
        out.append(
            f"- load average (1 min) at start {start:.2f}, at end {end:.2f}: other work on the "
            "machine makes the times noisy; compare ratios from quiet runs"
        )
    options = [f for f in ("--jobs", "--no-cache", "--pre-commit") if bench.has(f)]
    missing = [f for f in ("--jobs", "--no-cache", "--pre-commit") if not bench.has(f)]
    out.append(
        f"- techfile check options detected: {', '.join(options) or 'none'}"
        + (f"; missing: {', '.join(missing)}" if missing else "")
    )
    out.append(
        f"- seed {seed}; median of 3 runs (1 run from N = 10,000)"
        if not bench.repeat
        else f"- seed {seed}; median of {bench.repeat} run(s)"
    )
    out.append("")

    out.append("## techfile check relative to the parse floor (`--jobs 1`)")
    out.append("")
    out.append(
        "| N | floor s | cold/floor | warm/floor | pre-commit/floor | RSS floor MB | "
        "RSS cold MB | RSS warm MB | RSS pre-commit MB |"
    )
    out.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        s = r.series
        out.append(
            f"| {r.n} | {fmt_s(s['floor'])} | {fmt_ratio(s['cold'], s['floor'])} | "
            f"{fmt_ratio(s['warm'], s['floor'])} | {fmt_ratio(s['pre-commit'], s['floor'])} | "
            f"{fmt_mb(s['floor'])} | {fmt_mb(s['cold'])} | {fmt_mb(s['warm'])} | "
            f"{fmt_mb(s['pre-commit'])} |"
        )
    out.append("")
    out.append("Absolute seconds:")
    out.append("")
    out.append(
        "| N | generate s | floor s | cold s | 1st run (cache fill) s | warm s | "
        "pre-commit s | cold run result |"
    )
    out.append("|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in results:
        s = r.series
        gen = "reused" if r.reused else f"{r.generation_s:.1f}"
        out.append(
            f"| {r.n} | {gen} | {fmt_s(s['floor'])} | {fmt_s(s['cold'])} | {fmt_s(s['first'])} | "
            f"{fmt_s(s['warm'])} | {fmt_s(s['pre-commit'])} | {summary_of(s['cold'])} |"
        )
    notes = sorted({s.note for r in results for s in r.series.values() if s.note})
    if notes:
        out.append("")
        out += [f"Note: {note}." for note in notes]
    out.append("")

    out.append("## `--jobs auto` vs `--jobs 1` (cold, `--no-cache`)")
    out.append("")
    if not bench.has("--jobs"):
        out.append(f"{NA}: this techfile has no --jobs option.")
    else:
        out.append("| N | jobs 1 s | jobs auto s | auto/1 | RSS jobs 1 MB | RSS jobs auto MB |")
        out.append("|---:|---:|---:|---:|---:|---:|")
        for r in results:
            s = r.series
            ratio = (
                f"{s['jobs-auto'].seconds / s['cold'].seconds:.2f}x"
                if s["jobs-auto"].available and s["cold"].available
                else NA
            )
            out.append(
                f"| {r.n} | {fmt_s(s['cold'])} | {fmt_s(s['jobs-auto'])} | {ratio} | "
                f"{fmt_mb(s['cold'])} | {fmt_mb(s['jobs-auto'])} |"
            )
        out.append("")
        out.append(
            "RSS is the largest single process (techfile or one of its workers), not the sum."
        )
    out.append("")

    dangling = [r for r in results if r.dangling is not None]
    if dangling:
        out += dangling_report(dangling, bench.dangling)

    by_n = {r.n: r for r in results}
    if len(by_n) > 1:
        small, large = (1000, 10000) if {1000, 10000} <= set(by_n) else (min(by_n), max(by_n))
        out.append(f"## Growth: time(N={large}) / time(N={small}) (documents x{large / small:g})")
        out.append("")
        out.append("| variant | growth |")
        out.append("|---|---:|")
        for key in ("floor", "cold", "warm", "pre-commit", "jobs-auto"):
            a, b = by_n[small].series[key], by_n[large].series[key]
            value = f"{b.seconds / a.seconds:.2f}x" if a.available and b.available else NA
            out.append(f"| {key} | {value} |")
        out.append("")
    return "\n".join(out)


def dangling_found(series: Series) -> str:
    """How many ID002 findings the last run printed, of how many references dangle."""
    if not series.available:
        return NA
    return str(len(DANGLING_FINDING.findall(series.last().stdout)))


def dangling_report(results: list[Result], dangling: int) -> list[str]:
    """The cold run on the trees with dangling references beside the cold run on the clean
    trees."""
    out = [
        f"## Cold run with {dangling} dangling references (`--jobs 1 --no-cache`)",
        "",
        f"The same trees with {dangling} references that resolve to nothing (`generate.py "
        f"--dangling {dangling}`): each should be one ID002 finding with a suggestion.",
        "",
        "| N | floor s | cold s | cold/floor | clean cold/floor | dangling/clean cold | "
        "ID002 findings | cold run result |",
        "|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        assert r.dangling is not None
        d, s = r.dangling, r.series
        slower = (
            f"{d['cold'].seconds / s['cold'].seconds:.2f}x"
            if d["cold"].available and s["cold"].available and s["cold"].seconds > 0
            else NA
        )
        out.append(
            f"| {r.n} | {fmt_s(d['floor'])} | {fmt_s(d['cold'])} | "
            f"{fmt_ratio(d['cold'], d['floor'])} | {fmt_ratio(s['cold'], s['floor'])} | "
            f"{slower} | {dangling_found(d['cold'])} of {dangling} | {summary_of(d['cold'])} |"
        )
    out.append("")
    return out


def find_techfile() -> list[str]:
    sibling = Path(sys.executable).with_name("techfile")
    if sibling.exists():
        return [str(sibling)]
    found = shutil.which("techfile")
    return [found] if found else [sys.executable, "-m", "techfile"]


def parse_docs(text: str) -> list[int]:
    try:
        values = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--docs wants numbers like 1000,5000, not {text!r}"
        ) from None
    if not values or min(values) < generate.MIN_DOCS:
        raise argparse.ArgumentTypeError(f"--docs values must be at least {generate.MIN_DOCS}")
    return values


def bench_dangling(
    bench: Bench, n: int, seed: int, commits: int | None, keep: Path | None, scratch: Path
) -> dict[str, Series]:
    """Floor and cold run on the tree of n documents with --dangling references."""
    root, gen_s, reused = prepare_tree(n, seed, commits, keep, scratch, bench.dangling)
    how = "reused" if reused else f"generated in {gen_s:.1f} s"
    print(
        f"run.py: N={n} with {bench.dangling} dangling references: {root} ({how}); measuring ...",
        file=sys.stderr,
    )
    return bench.bench_cold(n, root, "dangling")


def parse_dangling(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--dangling wants a number, not {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("--dangling must be 0 or more")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--docs",
        type=parse_docs,
        default=[1000, 5000],
        help="comma-separated document counts (default 1000,5000)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--commits",
        type=int,
        default=None,
        help="commits of generated history (default max(200, N/10))",
    )
    parser.add_argument(
        "--keep",
        type=Path,
        default=None,
        help="keep generated trees in DIR and reuse them on the next run",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=None,
        help="runs per variant (default 3, or 1 from N = 10,000)",
    )
    parser.add_argument(
        "--techfile", default=None, help="techfile command (default: the one beside this Python)"
    )
    parser.add_argument(
        "--dangling",
        type=parse_dangling,
        default=0,
        metavar="D",
        help="also measure floor and cold run on each tree with D references that resolve to "
        "nothing (generate.py --dangling D; ID002 with suggestions); default 0: not measured",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="print every run")
    args = parser.parse_args(argv)

    techfile = args.techfile.split() if args.techfile else find_techfile()
    bench = Bench(techfile, args.repeat, args.verbose, args.dangling)
    results: list[Result] = []
    bench.note_load()
    with tempfile.TemporaryDirectory(prefix="techfile-bench-") as scratch:
        if args.keep is not None:
            args.keep.mkdir(parents=True, exist_ok=True)
        keep = args.keep.resolve() if args.keep else None
        for n in args.docs:
            root, gen_s, reused = prepare_tree(n, args.seed, args.commits, keep, Path(scratch))
            how = "reused" if reused else f"generated in {gen_s:.1f} s"
            print(f"run.py: N={n}: {root} ({how}); measuring ...", file=sys.stderr)
            try:
                series = bench.bench_tree(n, root)
            except Failure as problem:
                bench.failures.append(str(problem))
                print(f"run.py: {problem}", file=sys.stderr)
                continue
            result = Result(n, gen_s, reused, series)
            if args.dangling:
                result.dangling = bench_dangling(
                    bench, n, args.seed, args.commits, keep, Path(scratch)
                )
            results.append(result)
    bench.note_load()
    print(report(results, bench, args.seed))
    if bench.failures:
        print(f"\nrun.py: {len(bench.failures)} command(s) failed:", file=sys.stderr)
        for failure in bench.failures:
            print(f"- {failure}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
