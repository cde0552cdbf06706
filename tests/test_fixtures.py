"""Golden tests: each rule's pass/fail mini technical file gives exactly its expected.txt."""

from __future__ import annotations

from pathlib import Path

import pytest

from techfile.cli import main
from techfile.data.resources import bundled
from techfile.fixture_tree import materialise

CASES = sorted(p.parent for p in bundled("fixtures").glob("*/*/expected.txt"))


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture(
    case: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    code = case.parent.name.split("-", 1)[0]
    monkeypatch.chdir(materialise(case, tmp_path / "case"))
    capsys.readouterr()
    exit_code = main(["check", "--select", code, "--no-cache"])
    out = capsys.readouterr().out
    assert out == (case / "expected.txt").read_text(encoding="utf-8")
    if case.name == "fail":
        assert code in out and exit_code in (0, 1)
    else:
        assert code not in out
