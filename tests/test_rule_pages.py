"""Every rule page's examples are executable: the failing one fires, the passing one does not."""

from __future__ import annotations

from pathlib import Path

import pytest

from techfile.cli import main
from techfile.data.pages import RulePage, load_pages

PAGES = sorted(load_pages().values(), key=lambda p: p.code)


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def _codes(
    page: RulePage,
    section: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> list[str]:
    files = page.examples(section)
    assert files, f"{page.code}: the {section} section has no fenced block with path="
    _write(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    capsys.readouterr()
    exit_code = main(["check", "--select", page.code, "--format", "text", "--no-cache"])
    out = capsys.readouterr().out
    assert exit_code in (0, 1), out
    return [line.split(": ", 1)[1].split(" ", 1)[0] for line in out.splitlines()]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.code)
def test_failing_example_fires(
    page: RulePage,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if "illustrative" in page.sections.get("failing example", ""):
        pytest.skip(f"{page.code}'s failing input cannot be written as text; see tests")
    assert page.code in _codes(page, "failing example", tmp_path, monkeypatch, capsys)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.code)
def test_passing_example_is_silent(
    page: RulePage,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert page.code not in _codes(page, "passing example", tmp_path, monkeypatch, capsys)
