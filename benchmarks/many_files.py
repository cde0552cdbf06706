#!/usr/bin/env python3
"""Run `techfile check` on a tree of very many tiny Markdown files; report wall time and peak RSS.

    python benchmarks/many_files.py [--files 500000] [--every 50] [--jobs auto] [--keep DIR]

Mostly plain notes without front-matter, and every EVERY-th file a small document (an IFU
with an id), 1,000 files a directory. `techfile check --jobs JOBS --no-cache` runs once per
JOBS value (comma-separated, e.g. `auto,1`) as a subprocess; the script prints its exit
status, wall time and the peak RSS of the largest process it ran (ru_maxrss of
RUSAGE_CHILDREN: techfile and the worker processes it reaped).

Above about 65,000 files `--jobs auto` once failed with exit 2: every file was read into a
10 MiB buffer, each left with a memory mapping of its own, and the kernel's map-count limit
(vm.max_map_count, 65,530 by default) stopped the worker processes from starting.

The tree is made under the system temporary directory (or DIR with --keep, reused when it
holds the same number of files) and deleted afterwards unless --keep is given. Exit status 2
when a run ended with anything but 0 or 1 (1 only means findings).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PER_DIRECTORY = 1_000
CONFIG = 'as-of = "2026-01-15"\n'
NOTE = "# Note {n}\n\nA plain note, not a controlled document.\n"
DOCUMENT = "---\nid: IFU-{n:07d}\ntype: ifu\ntitle: Instructions {n}\n---\n\n# Instructions {n}\n"


def make_tree(root: Path, files: int, every: int) -> None:
    root.mkdir(parents=True, exist_ok=True)
    (root / ".techfile.toml").write_text(CONFIG, encoding="utf-8")
    for number in range(files):
        directory = root / f"d{number // PER_DIRECTORY:04d}"
        if number % PER_DIRECTORY == 0:
            directory.mkdir(exist_ok=True)
        text = DOCUMENT if every and number % every == 0 else NOTE
        (directory / f"f{number:07d}.md").write_text(text.format(n=number), encoding="utf-8")
    (root / ".files").write_text(f"{files} {every}\n", encoding="utf-8")


# runs the command in a process of its own, so ru_maxrss covers that run alone
_WRAPPER = """
import resource, subprocess, sys
with open(sys.argv[1], "wb") as out:
    code = subprocess.run(sys.argv[2:], stdout=out, stderr=subprocess.STDOUT).returncode
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(code)
"""


def run(command: list[str], cwd: Path) -> tuple[int, float, int, str]:
    """Exit status, wall seconds, peak RSS in KiB (the largest process), summary line."""
    with tempfile.TemporaryDirectory() as scratch:
        output = Path(scratch) / "out"
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", _WRAPPER, str(output), *command],
            cwd=cwd,
            stdout=subprocess.PIPE,
            check=False,
        )
        wall = time.perf_counter() - started
        lines = output.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    peak = int(done.stdout.decode().strip() or 0)  # KiB on Linux
    summary = [line for line in lines if line.startswith("techfile: ") and "finding" in line]
    return done.returncode, wall, peak, (summary or lines or [""])[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=500_000)
    parser.add_argument("--every", type=int, default=50, help="one document every N files")
    parser.add_argument("--jobs", default="auto", help="comma-separated --jobs values")
    parser.add_argument("--keep", type=Path, help="make (or reuse) the tree here, keep it")
    parser.add_argument(
        "--techfile",
        default=f"{sys.executable} -m techfile",
        help="techfile command (default: the one beside this Python)",
    )
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="techfile-many-"))
    marker = root / ".files"
    try:
        wanted = [str(args.files), str(args.every)]
        if not (marker.is_file() and marker.read_text().split() == wanted):
            started = time.perf_counter()
            make_tree(root, args.files, args.every)
            print(f"made {args.files:,} files in {root} in {time.perf_counter() - started:.0f} s")
        failed = False
        for jobs in args.jobs.split(","):
            command = [*args.techfile.split(), "check", "--jobs", jobs, "--no-cache"]
            code, wall, peak, last = run(command, root)
            failed |= code not in (0, 1)
            print(
                f"--jobs {jobs}: exit {code}, wall {wall:.1f} s, "
                f"peak RSS {peak / 1024:.0f} MiB (largest process)\n  {last}"
            )
        print(f"vm.max_map_count: {_map_count()}")
        return 2 if failed else 0
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


def _map_count() -> str:
    try:
        return Path("/proc/sys/vm/max_map_count").read_text().strip()
    except OSError:
        return "unknown"


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
