"""Shared test helpers: write a small technical file to disk, run the CLI on it.

def test_something(tree, techfile):
    root = tree({"risk.md": "---\\nid: RA-1\\n...", "bad.md": b"\\xff"})
    result = techfile("check", "--format", "json", cwd=root)
    assert result.code == 1 and result.json()["findings"]
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from techfile.cli import main
from techfile.fixture_tree import commit, git, materialise  # noqa: F401


def pytest_configure(config: pytest.Config) -> None:
    """The suite's cache secret lives in a directory of its own, never in the real home (child
    processes inherit it); a test that needs another sets TECHFILE_CACHE_SECRET_DIR itself."""
    import tempfile

    os.environ.setdefault("TECHFILE_CACHE_SECRET_DIR", tempfile.mkdtemp(prefix="techfile-secret-"))
    for name in ("FORCE_COLOR", "NO_COLOR"):  # expected outputs are colourless
        os.environ.pop(name, None)


Files = Mapping[str, "str | bytes"]

# The real-world corpus travels beside the repository as ../shared (CI has it too).
REALWORLD = next(
    (
        p
        for p in (
            Path(__file__).resolve().parents[2] / "shared" / "eval" / "realworld",
            Path("/work/shared/eval/realworld"),
        )
        if p.is_dir()
    ),
    None,
)
NO_CORPUS = "the real-world corpus (shared/eval/realworld) is not present on this machine"


def write_tree(root: Path, files: Files) -> Path:
    """Write `files` (root-relative POSIX path -> content) under `root`.

    Text is written as UTF-8 exactly as given (no newline translation, no BOM); bytes are
    written verbatim, so encodings, BOMs and line ends are under the test's control.
    """
    root.mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return root


def snapshot(root: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """Every entry under `root` -> a digest: file content, symlink target or `dir`.

    Symlinks are never followed. Top-level names in `skip` (e.g. `.techfile_cache`) are left
    out.
    """
    found: dict[str, str] = {}
    for directory, subdirs, files in os.walk(root, followlinks=False):
        base = Path(directory)
        for name in sorted(subdirs + files):
            path = base / name
            rel = path.relative_to(root).as_posix()
            if rel.split("/", 1)[0] in skip:
                continue
            if path.is_symlink():
                found[rel] = f"link:{os.readlink(path)}"
            elif path.is_dir():
                found[rel] = "dir"
            else:
                try:
                    found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
                except OSError as exc:  # unreadable on purpose: record its mode instead
                    found[rel] = f"unreadable:{exc.errno}:{oct(path.lstat().st_mode)}"
    return found


@dataclass(frozen=True)
class CliResult:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()


@pytest.fixture
def tree(tmp_path: Path) -> Callable[..., Path]:
    """Factory: `tree(files, config="")` writes a technical file and returns its root.

    An (empty) `.techfile.toml` is written unless `files` holds one or `config=None`, so
    the root is pinned to the tree and never found by walking up from the temp directory.
    Each call makes a new root under tmp_path.
    """
    count = 0

    def make(files: Files, config: str | None = "") -> Path:
        nonlocal count
        count += 1
        root = tmp_path / f"tree{count}"
        contents = dict(files)
        if config is not None and ".techfile.toml" not in contents:
            contents[".techfile.toml"] = config
        return write_tree(root, contents)

    return make


@pytest.fixture
def techfile(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[..., CliResult]:
    """Run `techfile.cli.main(args)` in-process from `cwd`; returns exit code, stdout, stderr.

    TECHFILE_DEBUG is set so that an internal error propagates and fails the test with its
    traceback instead of becoming exit code 2.
    """
    monkeypatch.setenv("TECHFILE_DEBUG", "1")

    def run(*args: str, cwd: Path | None = None) -> CliResult:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        capsys.readouterr()
        code = main(list(args))
        out, err = capsys.readouterr()
        return CliResult(code, out, err)

    return run


def run_subprocess(
    *args: str,
    cwd: Path,
    env: Mapping[str, str] | None = None,
    timeout: float = 60,
    **popen: Any,
) -> CliResult:
    """Run `python -m techfile ARGS` in a child process (for ttys, hangs, other users)."""
    popen.setdefault("stdout", subprocess.PIPE)
    popen.setdefault("stderr", subprocess.PIPE)
    done = subprocess.run(
        [sys.executable, "-m", "techfile", *args],
        cwd=cwd,
        env=dict(os.environ if env is None else env),
        timeout=timeout,
        check=False,
        **popen,
    )
    out = done.stdout.decode("utf-8", "replace") if done.stdout is not None else ""
    err = done.stderr.decode("utf-8", "replace") if done.stderr is not None else ""
    return CliResult(done.returncode, out, err)


def replay_history(case: Path, target: Path) -> Path:
    """A fixture as a technical file on disk (history replayed, links made)."""
    return materialise(case, target)
