"""A generated hostile corpus in one technical file: every file yields findings, the run
finishes with exit 1 in bounded time, and nothing is written into the tree."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from conftest import run_subprocess, snapshot
from techfile.intake import sources

ROW = "| R-{n} | Hazard {n} | Situation | Harm | S2 | P2 |\n"


def _hostile_corpus(root: Path) -> dict[str, str]:
    """Writes the corpus; returns path -> the finding code that file must give."""
    root.mkdir(parents=True)
    (root / ".techfile.toml").write_text('as-of = "2026-01-15"\n', encoding="utf-8")
    expected: dict[str, str] = {}

    def put(name: str, data: bytes, code: str) -> None:
        (root / name).write_bytes(data)
        expected[name] = code

    head = b"---\nid: DOC-{n}\ntype: ifu\n---\n\n# Doc\n"
    put("invalid-utf8.md", head.replace(b"{n}", b"1") + b"caf\xe9\n", "FM009")
    put("utf16.md", codecs.BOM_UTF16_LE + "---\nid: DOC-2\n---\n".encode("utf-16-le"), "FM009")
    put("nul.md", head.replace(b"{n}", b"3") + b"\x00\x01\x02", "FM009")
    with (root / "huge.md").open("wb") as handle:  # 50 MB, over the default 10 MiB limit
        handle.write(b"# Export\n")
        handle.seek(50 * 1024 * 1024)
        handle.write(b"\n")
    expected["huge.md"] = "FM010"
    put(
        "deep.md",
        b"---\nid: DOC-5\ntype: ifu\nx: " + b"[" * 10_000 + b"]" * 10_000 + b"\n---\n",
        "FM011",
    )
    bomb = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, 10):
        previous, name = chr(96 + level), chr(97 + level)
        bomb.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    put("bomb.md", ("---\n" + "\n".join(bomb) + "\n---\n").encode(), "FM011")
    table = "".join(ROW.format(n=n) for n in range(100_000))
    put(
        "table.md",
        (
            "---\nid: RA-9\ntype: risk-analysis\n---\n\n| ID | Hazard | Hazardous situation | Harm "
            "| S | P |\n|---|---|---|---|---|---|\n" + table
        ).encode(),
        "FM014",
    )
    duplicates = "".join("status: draft\n" for _ in range(10_000))
    put("duplicates.md", f"---\nid: DOC-8\ntype: ifu\n{duplicates}---\n".encode(), "FM006")
    put(
        "cycle-a.md",
        b"---\nid: SOP-A\ntype: qms-procedure\nreferences: [SOP-B]\nbogus_date: 1\n"
        b"next_review: not-a-date\n---\n",
        "FM004",
    )
    put(
        "cycle-b.md",
        b"---\nid: SOP-B\ntype: qms-procedure\nreferences: [SOP-A]\nnext_review: not-a-date\n---\n",
        "FM004",
    )
    os.symlink("loop-b.md", root / "loop-a.md")
    os.symlink("loop-a.md", root / "loop-b.md")
    expected["loop-a.md"] = expected["loop-b.md"] = "FM008"
    put("vanishing.md", head.replace(b"{n}", b"10"), "FM008")
    put("locked.md", head.replace(b"{n}", b"11"), "FM008")
    return expected


def test_hostile_corpus(tmp_path: Path, techfile, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "hostile"
    expected = _hostile_corpus(root)
    before = snapshot(root)
    original_read = sources.WorkTree.read

    def read(self: sources.WorkTree, entry: sources.Entry) -> object:
        if entry.path == "vanishing.md":  # deleted between discovery and reading
            (root / "vanishing.md").unlink(missing_ok=True)
        if entry.path == "locked.md":  # root can read anything, so refuse as a kernel would
            return sources.unreadable("permission to read the file was denied")
        return original_read(self, entry)

    monkeypatch.setattr(sources.WorkTree, "read", read)
    result = techfile("check", "--format", "json", "--no-cache", cwd=root)
    assert result.code == 1, result.err
    found: dict[str, set[str]] = {}
    for finding in result.json()["findings"]:
        found.setdefault(finding["path"], set()).add(finding["code"])
    for path, code in expected.items():
        assert code in found.get(path, set()), (path, found.get(path))
    (root / "vanishing.md").write_bytes(b"---\nid: DOC-10\ntype: ifu\n---\n\n# Doc\n")
    assert snapshot(root) == before


def test_the_hostile_corpus_finishes_in_bounded_time(tmp_path: Path) -> None:
    """In a child process with a timeout: the corpus takes seconds, while its worst inputs
    handled without their bounds (the alias bomb expanded, the 100,000-row table gone over
    once per row) would take hours."""
    root = tmp_path / "hostile"
    _hostile_corpus(root)
    result = run_subprocess("check", "--format", "json", "--no-cache", cwd=root, timeout=300)
    assert result.code == 1, result.err
    assert {"FM010", "FM011", "FM014"} <= {f["code"] for f in result.json()["findings"]}


def test_alias_bomb_alone_stops_early(tree) -> None:
    bomb = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, 10):
        previous, name = chr(96 + level), chr(97 + level)
        bomb.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    root = tree({"bomb.md": "---\nid: X\ntype: ifu\n" + "\n".join(bomb) + "\n---\n"})
    # expanded, the bomb is 9**10 (3.5 billion) nodes: hours, far past the timeout
    result = run_subprocess("check", "--no-cache", cwd=root, timeout=60)
    assert "FM011" in result.out and result.code == 1
