"""Findings a person reads: `message` says what is wrong in one short sentence, `why` names the
clause and what a notified body makes of it, `fix` says what to do. Measured where users meet
them: the bundled example, a new technical file from `techfile init`, every rule's failing
fixture, and other teams' real files."""

from __future__ import annotations

import json
import re
import shutil
import statistics
from pathlib import Path
from typing import Any

import pytest

from conftest import NO_CORPUS, REALWORLD
from techfile.cli import main
from techfile.data.clauses import clause_registry
from techfile.data.pages import load_pages
from techfile.data.resources import bundled
from techfile.fixture_tree import materialise
from test_realworld_pins import RUNS

MEDIAN_LIMIT = 120


def _findings(
    args: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> list[dict[str, Any]]:
    capsys.readouterr()
    code = main(["check", "--format", "json", "--no-cache", *args])
    out = capsys.readouterr().out
    assert code in (0, 1), out
    findings: list[dict[str, Any]] = json.loads(out)["findings"]
    return findings


def _incomplete(findings: list[dict[str, Any]]) -> list[str]:
    return [
        f"{f['code']}: {f['message']}"
        for f in findings
        if not f["message"].strip() or not f["why"].strip() or not f["fix"].strip()
    ]


def _one_sentence(findings: list[dict[str, Any]]) -> list[str]:
    """What a message must not hold: the why or the fix run on after it."""
    return [
        f"{f['code']}: {f['message']}"
        for f in findings
        if "; a notified body" in f["message"] or "a notified body will" in f["message"]
    ]


def test_the_example_reads_short(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    findings = _findings(["--example"], monkeypatch, capsys)
    assert findings and _incomplete(findings) == [] and _one_sentence(findings) == []
    assert statistics.median(len(f["message"]) for f in findings) <= MEDIAN_LIMIT


def test_a_new_technical_file_reads_short(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", str(tmp_path / "file")]) == 0
    monkeypatch.chdir(tmp_path / "file")
    findings = _findings([], monkeypatch, capsys)
    assert findings, "a placeholder technical file has findings to read"
    assert _incomplete(findings) == [] and _one_sentence(findings) == []
    assert statistics.median(len(f["message"]) for f in findings) <= MEDIAN_LIMIT


FAILING = sorted(p.parent for p in bundled("fixtures").glob("*/fail/expected.txt"))


@pytest.mark.parametrize("case", FAILING, ids=lambda p: p.parent.name)
def test_every_rule_says_what_why_and_how_to_fix_apart(
    case: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = case.parent.name.split("-", 1)[0]
    monkeypatch.chdir(materialise(case, tmp_path / "case"))
    findings = [f for f in _findings(["--select", code], monkeypatch, capsys) if f["code"] == code]
    assert findings
    assert _incomplete(findings) == [] and _one_sentence(findings) == []
    for finding in findings:
        message, why, fix = finding["message"], finding["why"], finding["fix"]
        assert not message.endswith(".") and "notified body" not in message, message
        assert why.endswith(".") and fix.endswith(".") and fix[0].isupper(), (why, fix)
        page = load_pages()[code].clauses  # a policy rule (no clause) names none
        named = [*page, finding.get("clause") or page[0]] if page else []
        assert not named or any(_squeezed(_bare(c)) in _squeezed(why) for c in named), why


def _bare(clause: str) -> str:
    """`5.7.4` of `EN IEC 81001-5-1:2022 5.7.4`, `4.4(d)` of `ISO 14971:2019 4.4 d)`: a why
    may name the standard once for several clauses; a page may cite a whole document."""
    ref = clause_registry().parse(clause)
    return ref.clause if ref is not None else clause


def _squeezed(text: str) -> str:
    return re.sub(r"[\s()]", "", text).casefold()


@pytest.mark.skipif(REALWORLD is None, reason=NO_CORPUS)
def test_real_files_read_short(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert REALWORLD is not None
    every: list[dict[str, Any]] = []
    for folder, preset in sorted(RUNS.items()):
        root = tmp_path / folder
        shutil.copytree(REALWORLD / folder, root)
        monkeypatch.chdir(root)
        if preset is None:
            assert main(["adopt"]) == 0
        else:
            (root / ".techfile.toml").write_text(f'preset = "{preset}"\n', encoding="utf-8")
        every += _findings(["--as-of", "2026-12-07"], monkeypatch, capsys)
    assert _incomplete(every) == [] and _one_sentence(every) == []
    assert statistics.median(len(f["message"]) for f in every) <= MEDIAN_LIMIT


def test_a_schema_finding_names_a_renamed_key_as_the_document_writes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """GSTT's forms write `record_version`, which the gstt preset reads as `version`: the
    finding names the key the author sees, not techfile's name for it."""
    (tmp_path / ".techfile.toml").write_text(
        '[aliases.fields]\nrecord_version = "version"\n', encoding="utf-8"
    )
    (tmp_path / "plan.md").write_text(
        "---\nid: RMP-1\ntype: risk-management-plan\ntitle: Plan\nrecord_version:\n---\n\n# Plan\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    (finding,) = [f for f in _findings(["--select", "FM004"], monkeypatch, capsys)]
    assert finding["message"].startswith("`record_version` should be text")
