"""What techfile reports on other teams' real technical files, pinned per folder as the set of
(code, place) pairs a person has read (tests/golden/realworld/<folder>.txt): a false error that
comes back, or a true finding that goes missing, shows here. The presets that fit, or `adopt`
where none does, as a new user would run them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import NO_CORPUS, REALWORLD
from techfile.cli import main

GOLDEN = Path(__file__).parent / "golden" / "realworld"
RUNS = {
    "openregulatory-templates": "openregulatory",
    "OpenSaMD": "openregulatory",
    "Fabrizio250-test_ct_covid": "openregulatory",
    "GSTT-CSC-QMS-Template": "gstt",
    "innolitics-rdm": "rdm",
    "jadczak-risk-management": None,  # no preset fits: `techfile adopt`
    "strongdm-comply": None,
}


def pairs(out: str) -> list[str]:
    """`CODE place` per finding, place being the file (or the technical file as a whole)."""
    found = set()
    for line in out.splitlines():
        place, _, rest = line.partition(": ")
        found.add(f"{rest.split(' ', 1)[0]} {place.split(':', 1)[0]}")
    return sorted(found)


def run_folder(folder: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> list[str]:
    assert REALWORLD is not None
    root = tmp_path / folder
    shutil.copytree(REALWORLD / folder, root)
    monkeypatch.chdir(root)
    preset = RUNS[folder]
    if preset is None:
        assert main(["adopt"]) == 0
    else:
        (root / ".techfile.toml").write_text(f'preset = "{preset}"\n', encoding="utf-8")
    capsys.readouterr()
    code = main(["check", "--no-cache", "--as-of", "2026-12-07"])
    assert code in (0, 1)
    return pairs(capsys.readouterr().out)


@pytest.mark.skipif(REALWORLD is None, reason=NO_CORPUS)
@pytest.mark.parametrize("folder", sorted(RUNS))
def test_real_folder_gives_the_read_findings(
    folder: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = (GOLDEN / f"{folder}.txt").read_text(encoding="utf-8").splitlines()
    assert run_folder(folder, tmp_path, monkeypatch, capsys) == expected
