"""Old contents of files, read from git in one batch (`git cat-file --batch`).

History rules ask for a file as it was in some commit. Asking git once per file would make a
large technical file slow, so every wanted `commit:path` goes to one `git cat-file --batch`.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from techfile.intake.sources import GitError


def read_blobs(root: Path, specs: list[tuple[str, str]]) -> dict[tuple[str, str], bytes]:
    """The content of each `(commit, path)` that exists, the path relative to the top of the
    repository (as `git log` names it); one git call for all.
    Paths holding a line break cannot be asked for in a batch and are left out."""
    wanted = sorted({(c, p) for c, p in specs if "\n" not in p and "\r" not in p})
    if not wanted:
        return {}
    request = b"".join(
        f"{commit}:{path}\n".encode("utf-8", "surrogateescape") for commit, path in wanted
    )
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0"}
    try:
        done = subprocess.run(
            ["git", "cat-file", "--batch"],
            cwd=root,
            input=request,
            capture_output=True,
            env=env,
            check=False,
        )
    except OSError as exc:
        raise GitError(f"git could not be run: {exc}") from None
    if done.returncode != 0:
        raise GitError(f"git cat-file failed: {done.stderr.decode(errors='replace')}")
    return _parse_batch(done.stdout, wanted)


def _parse_batch(out: bytes, wanted: list[tuple[str, str]]) -> dict[tuple[str, str], bytes]:
    found: dict[tuple[str, str], bytes] = {}
    position = 0
    for spec in wanted:
        header_end = out.find(b"\n", position)
        if header_end < 0:
            break
        header = out[position:header_end]
        position = header_end + 1
        if header.endswith((b" missing", b" ambiguous")):
            continue
        parts = header.split()
        if len(parts) != 3 or not parts[2].isdigit():
            break  # not the answer we expected: stop rather than misread the rest
        size = int(parts[2])
        if parts[1] == b"blob":
            found[spec] = out[position : position + size]
        position += size + 1
    return found
