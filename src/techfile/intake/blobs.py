"""Old contents of files, read from git in one batch (`git cat-file --batch`).

History rules ask for a file as it was in some commit. Asking git once per file would make a
large technical file slow, so every wanted `commit:path` goes to one `git cat-file --batch`.
"""

from __future__ import annotations

from pathlib import Path

from techfile.intake.sources import cat_batch


def read_blobs(root: Path, specs: list[tuple[str, str]]) -> dict[tuple[str, str], bytes]:
    """The content of each `(commit, path)` that exists, the path relative to the top of the
    repository (as `git log` names it); one git call for all."""
    wanted = {f"{commit}:{path}": (commit, path) for commit, path in specs}
    return {wanted[spec]: data for spec, data in cat_batch(root, list(wanted)).items()}
