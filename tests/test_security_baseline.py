"""A pull request writes `.techfile-baseline.json` too: in place of the file, a link to a device
or a FIFO is refused with exit 2, never read (it would exhaust memory or hang the run)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

DOCUMENT = "---\nid: TM-1\ntype: threat-model\ntitle: Threats\nstatus: draft\nversion: '1'\n---\n"


@pytest.mark.parametrize("kind", ["dev-zero", "fifo", "link-outside"])
def test_a_baseline_that_is_no_regular_file_is_refused(tmp_path: Path, kind: str) -> None:
    root = tmp_path / "tf"
    root.mkdir()
    (root / ".techfile.toml").write_text('as-of = "2026-06-30"\n', encoding="utf-8")
    (root / "tm.md").write_text(DOCUMENT, encoding="utf-8")
    baseline = root / ".techfile-baseline.json"
    if kind == "dev-zero":
        baseline.symlink_to("/dev/zero")
    elif kind == "fifo":
        os.mkfifo(baseline)
    else:
        outside = tmp_path / "outside.json"
        outside.write_text('{"reason": "x", "created": "2026-01-01", "findings": []}')
        baseline.symlink_to(outside)
    command = [sys.executable, "-m", "techfile", "check", "--no-cache", str(root)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2, done.stderr
    assert ".techfile-baseline.json" in done.stderr and "regular file" in done.stderr
