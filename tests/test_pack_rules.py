"""The PK rules on a copy of the bundled example, each with one planted contradiction between its
disclosure statement (regulatory/disclosure-statement.md, MDS2-001) and the technical file."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest

from techfile.cli import main
from techfile.data.resources import bundled
from techfile.engine.pipeline import RunOptions
from techfile.engine.run import run
from techfile.fixture_tree import commit, git, materialise
from techfile.intake.config import load_config
from techfile.model.finding import Finding

DISCLOSURE = Path("regulatory") / "disclosure-statement.md"


def example_copy(tmp_path: Path) -> Path:
    root = tmp_path / "connected-samd"
    shutil.copytree(bundled("examples") / "connected-samd", root)
    return root


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not once in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def pk_findings(root: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> list[str]:
    capsys.readouterr()
    code = main(["check", str(root), "--select", "PK", "--no-cache", *extra])
    out = capsys.readouterr().out
    assert code in (0, 1), out
    return out.splitlines()


def pk_parts(root: Path, as_of: str | None = None, code: str = "PK") -> list[Finding]:
    """The findings with their `why` and `fix`, which the text output does not show."""
    config = load_config(root, root / ".techfile.toml")
    day = datetime.date.fromisoformat(as_of) if as_of else None
    return run(config, RunOptions((code,), as_of=day, use_cache=False)).findings


def codes(lines: list[str]) -> list[str]:
    return [line.split(": ", 1)[1].split(" ", 1)[0] for line in lines]


def test_the_example_disclosure_agrees_with_the_example(capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["check", "--example", "--select", "PK"]) == 0
    assert capsys.readouterr().out == ""


def test_pk001_no_where_the_file_shows_the_capability(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = example_copy(tmp_path)
    replace_once(
        root / DISCLOSURE,
        "| TXCF | TXCF.a | Yes | TLS 1.2 or 1.3 on every connection;",
        "| TXCF | TXCF.a | No | TLS 1.2 or 1.3 on every connection;",
    )
    lines = pk_findings(root, capsys)
    assert codes(lines) == ["PK001"]
    assert "answers No to TXCF.a" in lines[0] and "SEC-REQ-001:SR-01" in lines[0]
    (finding,) = pk_parts(root)
    assert finding.location.path == DISCLOSURE.as_posix()
    assert "MDCG 2019-16 Rev.1 4.3" in finding.why and "NIS2 Art. 21(2)(d)" in finding.why
    assert "Transmission confidentiality" in finding.why  # the question the hospital reads
    assert finding.fix.startswith("Answer Yes and cite SEC-REQ-001:SR-01")


def test_pk001_yes_where_the_only_test_failed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = example_copy(tmp_path)
    replace_once(
        root / "verification" / "test-report.md",
        "| TC-19 | Labelling review of IFU and IT security requirements | pass |",
        "| TC-19 | Labelling review of IFU and IT security requirements | fail |",
    )
    lines = pk_findings(root, capsys)
    assert codes(lines) == ["PK001"]
    assert "answers Yes to SGUD.a" in lines[0]
    (finding,) = pk_parts(root)
    assert "its only tests failed (TR-001:TC-19)" in finding.fix


def test_pk001_a_fact_the_architecture_contradicts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = example_copy(tmp_path)
    replace_once(root / DISCLOSURE, "| RMOT | RMOT.a | Yes |", "| RMOT | RMOT.a | No |")
    lines = pk_findings(root, capsys)
    assert codes(lines) == ["PK001"]
    assert "answers No to RMOT.a" in lines[0] and "SEC-ARCH-001" in lines[0]


def test_pk002_disclosure_of_another_version(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = example_copy(tmp_path)
    replace_once(root / DISCLOSURE, 'software_version: "2.3.0"', 'software_version: "2.2.0"')
    lines = pk_findings(root, capsys)
    assert codes(lines) == ["PK002"]
    assert "software version 2.2.0" in lines[0] and "2.3.0 (REL-001)" in lines[0]


def test_pk002_sbom_changed_after_the_disclosure_was_approved(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """From git history: the SBOM file changes in a commit after MDS2-001's approval."""
    root = example_copy(tmp_path)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "technical file as approved", date="2026-06-02T17:00:00+00:00")
    assert pk_findings(root, capsys) == []
    sbom = root / "software" / "cardiowatch-2.3.0.cdx.json"
    regenerated = sbom.read_text("utf-8").replace('"version": 1,', '"version": 2,', 1)
    commit(
        root,
        "2026-06-20T10:00:00+00:00",
        {"software/cardiowatch-2.3.0.cdx.json": regenerated},
        message="SBOM regenerated",
    )
    lines = pk_findings(root, capsys)
    assert codes(lines) == ["PK002"]
    assert "MDS2-001 was approved on 2026-06-02" in lines[0]
    assert "before SBOM-001 changed" in lines[0]
    (finding,) = pk_parts(root)
    assert "SBOM-001 (SBOM) was changed by commit" in finding.fix and "2026-06-20" in finding.fix
    # a commit after the as-of date has not happened yet for a check made as of an earlier day
    assert pk_findings(root, capsys, "--as-of", "2026-06-19") == []


def test_pk003_isms_certificate_as_evidence_for_a_capability(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = example_copy(tmp_path)
    replace_once(
        root / DISCLOSURE,
        "| SEC-REQ-001:SR-01, SEC-REQ-001:SR-11, TR-001:TC-27 |",
        "| ISMS-CERT-001 |",
    )
    lines = pk_findings(root, capsys)
    assert codes(lines) == ["PK003"]
    assert "cites ISMS-CERT-001 (ISMS certificate)" in lines[0] and "TXCF.a" in lines[0]
    (finding,) = pk_parts(root)
    assert "such as SEC-REQ-001:SR-01" in finding.fix


def test_pk004_support_end_earlier_than_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = example_copy(tmp_path)
    replace_once(root / DISCLOSURE, "support_end: 2028-05-20", "support_end: 2027-05-20")
    lines = pk_findings(root, capsys)
    assert codes(lines) == ["PK004"]
    assert "earlier than the technical file (ITSEC-001 states 2028-05-20)" in lines[0]


def test_pk004_support_end_already_past(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = example_copy(tmp_path)
    lines = pk_findings(root, capsys, "--as-of", "2028-06-01")
    assert codes(lines) == ["PK004"]
    assert "which has passed as of 2028-06-01" in lines[0]


def test_pk005_operator_measure_missing_from_the_disclosure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = example_copy(tmp_path)
    replace_once(
        root / DISCLOSURE,
        "| TM-001:M-12 | ITSEC-001 | Clinic IT registers the EHR endpoint and manages its "
        "certificates. |\n",
        "",
    )
    lines = pk_findings(root, capsys)
    assert codes(lines) == ["PK005"]
    assert "TM-001:M-12" in lines[0] and "relies on the operator" in lines[0]
    (finding,) = pk_parts(root)
    assert "MDR Annex I 23.4(ab)" in finding.why and "TM-001:M-12" in finding.fix


def test_unknown_section_code_is_a_schema_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = example_copy(tmp_path)
    replace_once(root / DISCLOSURE, "| TXIG | TXIG.a |", "| TXIQ | TXIG.a |")
    capsys.readouterr()
    main(["check", str(root), "--select", "FM004", "--no-cache"])
    out = capsys.readouterr().out
    assert "FM004" in out and "TXIQ" in out


@pytest.mark.parametrize(
    "case", sorted(bundled("fixtures").glob("PK0*/fail")), ids=lambda p: p.parent.name
)
def test_every_finding_says_what_why_and_how_to_fix_apart(case: Path, tmp_path: Path) -> None:
    code = case.parent.name.split("-", 1)[0]
    found = pk_parts(materialise(case, tmp_path / "case"), code=code)
    assert found
    for finding in found:
        assert not finding.message.endswith(".") and "hospital" not in finding.message
        assert "MDCG 2019-16 Rev.1" in finding.why and finding.why.endswith(".")
        assert finding.fix.endswith("."), finding
