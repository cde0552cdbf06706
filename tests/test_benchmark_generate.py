"""The benchmark generator's opt-in variant with dangling references (benchmarks/generate.py
--dangling N): exactly N ID002 findings, each with a suggestion, and nothing else changes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"
DOCS = 40
COMMITS = 30

pytestmark = pytest.mark.skipif(
    subprocess.run(["git", "--version"], capture_output=True).returncode != 0,
    reason="git is not installed",
)


def _generate(out: Path, *extra: str) -> str:
    """Generate a tree with the command line; its stderr."""
    result = subprocess.run(
        [
            sys.executable,
            str(BENCH / "generate.py"),
            str(out),
            "--docs",
            str(DOCS),
            "--seed",
            "7",
            "--commits",
            str(COMMITS),
            *extra,
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stderr


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


def _head(root: Path) -> str:
    return subprocess.run(
        ["git", "-C", str(root), "rev-parse", "HEAD"], check=True, capture_output=True, text=True
    ).stdout.strip()


def _findings(root: Path) -> list[dict[str, object]]:
    sibling = Path(sys.executable).with_name("techfile")
    techfile = [str(sibling)] if sibling.exists() else [sys.executable, "-m", "techfile"]
    result = subprocess.run(
        [*techfile, "check", "--format", "json", "--no-cache"],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert result.returncode in (0, 1), result.stderr
    findings: list[dict[str, object]] = json.loads(result.stdout)["findings"]
    return findings


# "  software/soup/soup-0001.md: references: SBOM-0010 (near miss of SBOM-0001)"
CITED = re.compile(r"^  (?P<path>\S+): (?P<field>[^:]+): (?P<value>\S+) \(near miss of ", re.M)


@pytest.mark.parametrize("dangling", [9, 3])
def test_dangling_variant_yields_exactly_n_id002_findings(tmp_path: Path, dangling: int) -> None:
    stderr = _generate(tmp_path / "tree", "--dangling", str(dangling))
    cited = [m.groupdict() for m in CITED.finditer(stderr)]
    assert len(cited) == dangling, stderr

    findings = _findings(tmp_path / "tree")
    assert [f["code"] for f in findings] == ["ID002"] * dangling, findings
    assert sorted(str(f["path"]) for f in findings) == sorted(c["path"] for c in cited)
    for finding in findings:
        message = str(finding["message"])
        assert "did you mean" in message, message
        assert any(f"refers to {c['value']}," in message for c in cited), message
    if dangling >= 9:  # one of each place: requirement, test, security and SOUP fields
        paths = {c["path"].split("/")[0] for c in cited}
        assert paths == {"software", "verification", "security"}
        assert any("/soup/" in c["path"] for c in cited)


def test_dangling_variant_changes_only_the_cited_documents(tmp_path: Path) -> None:
    _generate(tmp_path / "clean")
    _generate(tmp_path / "zero", "--dangling", "0")
    stderr = _generate(tmp_path / "dangling", "--dangling", "9")

    clean, dangling = _files(tmp_path / "clean"), _files(tmp_path / "dangling")
    assert _files(tmp_path / "zero") == clean
    assert _head(tmp_path / "zero") == _head(tmp_path / "clean")
    changed = {path for path in clean if clean[path] != dangling.get(path)}
    cited = {m["path"] for m in CITED.finditer(stderr)}
    assert changed == cited | {".techfile.toml"}
    assert set(dangling) == set(clean)


def test_dangling_rejects_a_negative_count(tmp_path: Path) -> None:
    command = [sys.executable, str(BENCH / "generate.py"), str(tmp_path / "t"), "--docs", "40"]
    result = subprocess.run(
        [*command, "--dangling", "-1"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "--dangling" in result.stderr
    assert not (tmp_path / "t").exists()


def test_generator_modules_stay_small() -> None:
    """The generator is split by what it generates; no module of it grows back past 400 lines."""
    modules = [BENCH / "generate.py", *sorted((BENCH / "synthetic_techfile").glob("*.py"))]
    assert len(modules) > 10
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in modules}
    assert max(sizes.values()) < 400, sizes
