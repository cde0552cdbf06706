"""`techfile adopt`: the type guesses on real material (fixtures/realworld, and the corpus when
present), the configuration it writes, and that it never touches a document."""

from __future__ import annotations

import datetime
import hashlib
import shutil
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import NO_CORPUS, REALWORLD
from techfile import adopt as ad
from techfile.cli.adopt import adopt as adopt_command
from techfile.intake.config import load_config

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "realworld"
TODAY = datetime.date(2026, 6, 30)

# The documents the rules use, with the type adopt must give them; None: no type fits (the
# file is not one a rule reads), so adopt must not invent one.
EXPECTED: dict[str, tuple[str, dict[str, str | None]]] = {
    "openregulatory-templates": (
        "openregulatory",
        {
            "templates/general/checklist-mdr.md": "gspr-checklist",
            # maps ISO/IEC 27001, the ISMS: organisational, not the device's conformity matrix
            "templates/information_security/27001-mapping.md": None,
            "templates/information_security/information-security-controls.md": "isms-soa",
            "templates/information_security/sop-information-security-risk-assessment.md": (
                "qms-procedure"
            ),
            "templates/qms/software-validation/software-list.md": None,
            "templates/techdoc/14971/risk-management-plan.md": "risk-management-plan",
            "templates/techdoc/14971/risk-management-report.md": "risk-management-report",
            "templates/techdoc/14971/risk-table-fmea.md": "risk-analysis",
            "templates/techdoc/62304/software-development-maintenance-plan.md": (
                "software-development-plan"
            ),
            "templates/techdoc/62304/software-requirements-list.md": "software-requirements",
            "templates/techdoc/62304/soup-list.md": "soup-list",
            "templates/techdoc/62366/list-of-hazard-related-use-scenarios.md": None,
            "templates/techdoc/list-of-known-anomalies.md": None,
        },
    ),
    "OpenSaMD": (
        "openregulatory",
        {
            "docs/3-techdoc/14971/risk-acceptance-matrix.md": "risk-management-plan",
            "docs/3-techdoc/14971/risk-management-plan.md": "risk-management-plan",
            "docs/3-techdoc/14971/risk-management-report.md": "risk-management-report",
            "docs/3-techdoc/14971/risk-table-fmea/index.md": "risk-analysis",
            "docs/3-techdoc/62304/software-requirements-list.md": "software-requirements",
            "docs/3-techdoc/62366/list-of-hazard-related-use-scenarios.md": None,
        },
    ),
    "GSTT-CSC-QMS-Template": (
        "gstt",
        {
            "CSC-F-009-Clinical-Risk-Management-Plan-Template.md": "risk-management-plan",
            "CSC-F-012-Clinical-Safety-Case-Report-Template.md": "risk-management-report",
            "CSC-F-013-Hazard-Log-Template.md": "risk-analysis",
            "CSC-F-016-System-Architecture-Diagram-Template.md": None,
            "CSC-F-020-Verification-And-Validation-Plan-Template.md": None,
            "CSC-F-022-Unresolved-Anomalies-Template.md": None,
            "CSC-F-024-Cyber-Security-Template.md": "security-risk-assessment",
            "CSC-I-002-Third-Party-Software.md": None,  # QMS tools, not the device's SOUP
            "CSC-PR-009-Third-Party-Software-Validation.md": "qms-procedure",
        },
    ),
    "innolitics-rdm": (
        "rdm",
        {
            "rdm/init_files/documents/cyber_security.md": "security-risk-assessment",
            "rdm/init_files/documents/risk_assessment.md": "risk-analysis",
            "rdm/init_files/documents/risk_management_plan.md": "risk-management-plan",
            "rdm/init_files/documents/risk_management_report.md": "risk-management-report",
            "rdm/init_files/documents/software_requirements_specification.md": (
                "software-requirements"
            ),
            "rdm/init_files/documents/unresolved_anomalies.md": None,
        },
    ),
}


def _copy(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    (target / "ATTRIBUTION.md").unlink(missing_ok=True)  # ours, not the other team's
    return target


def _tree_hash(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(adopt_command, list(args), standalone_mode=False)
    if result.exception is not None:
        raise result.exception
    return int(result.return_value), result.stdout, result.stderr


# ------------------------------------------------------------------------------ the guesses


@pytest.mark.parametrize("source", sorted(EXPECTED))
def test_guesses_on_the_fixtures(source: str, tmp_path: Path) -> None:
    root = _copy(FIXTURES / source, tmp_path / "repo")
    preset, expected = EXPECTED[source]
    convention, guesses = ad.guess_all(ad.collect(root))
    assert convention.preset == preset, convention.reason
    assert ad.summary(guesses) == expected
    for guess in guesses:
        assert guess.reasons and all(guess.reasons)


@pytest.mark.parametrize("source", sorted(EXPECTED))
def test_guesses_without_a_preset_agree(source: str, tmp_path: Path) -> None:
    """The preset only confirms: file names, H1s, titles and GSTT template ids alone give the
    same types."""
    root = _copy(FIXTURES / source, tmp_path / "repo")
    _, expected = EXPECTED[source]
    convention, guesses = ad.guess_all(ad.collect(root), detect=False)
    assert convention.preset is None
    assert ad.summary(guesses) == expected


@pytest.mark.skipif(REALWORLD is None, reason=NO_CORPUS)
@pytest.mark.parametrize("source", sorted(EXPECTED))
def test_guesses_on_the_corpus(source: str, tmp_path: Path) -> None:
    assert REALWORLD is not None
    root = _copy(REALWORLD / source, tmp_path / "repo")
    preset, expected = EXPECTED[source]
    code, out, _ = _invoke(str(root))
    assert code == 0
    config = load_config(root, root / ".techfile.toml")
    assert config.raw.get("preset") == preset
    _, guesses = ad.guess_all(ad.collect(root))
    assert ad.summary(guesses) == expected
    for path, type_name in expected.items():
        line = next(line for line in out.splitlines() if line.strip().startswith(path))
        assert (type_name or " - ") in line


@pytest.mark.skipif(REALWORLD is None, reason=NO_CORPUS)
def test_adopt_on_the_whole_corpus(tmp_path: Path) -> None:
    assert REALWORLD is not None
    root = tmp_path / "corpus"
    shutil.copytree(REALWORLD, root)
    code, out, err = _invoke(str(root), "--print")
    assert code == 0, err
    assert "Traceback" not in err
    data = tomllib.loads(out)
    assert "preset" not in data  # several conventions: none of them is most of the files
    assert data["types"]["GSTT-CSC-QMS-Template/CSC-F-013-Hazard-Log-Template.md"] == (
        "risk-analysis"
    )
    assert not (root / ".techfile.toml").exists()


# ------------------------------------------------------------------------------ pure functions


def test_facts_read_front_matter_h1_and_marks() -> None:
    gstt = (FIXTURES / "GSTT-CSC-QMS-Template" / "CSC-F-013-Hazard-Log-Template.md").read_bytes()
    facts = ad.facts("CSC-F-013-Hazard-Log-Template.md", gstt)
    assert facts.front_matter["template_id"] == "CSC F.013"
    assert facts.front_matter["record_id"] == "HZ-001"
    assert facts.h1 == "Hazard Log"
    assert facts.conventions == {"gstt"}
    assert facts.has_id
    openreg = (
        FIXTURES / "openregulatory-templates/templates/techdoc/62304/soup-list.md"
    ).read_bytes()
    facts = ad.facts("soup-list.md", openreg)
    assert facts.conventions == {"openregulatory"} and not facts.has_front_matter


def test_facts_never_raise_on_bad_input() -> None:
    for data in (b"\xff\xfe\x00\x00", b"---\nid: [unclosed\n---\n", b"---\n- a list\n---\n", b""):
        facts = ad.facts("x.md", data)
        assert isinstance(facts, ad.FileFacts)
    assert ad.facts("x.md", b"\xff\xfeu\x00").problem is not None  # UTF-16


def test_stem_drops_form_numbers_and_template_suffixes() -> None:
    assert ad._stem("CSC-F-013-Hazard-Log-Template.md") == "hazard-log"
    assert ad._stem("docs/risk-table-fmea/index.md") == "risk-table-fmea"
    assert ad._stem("documents/risk_management_plan.md") == "risk-management-plan"


def test_an_sop_about_risk_assessment_is_an_sop() -> None:
    facts = ad.FileFacts(
        "x/y.md", {}, False, "SOP Information Security Risk Assessment", frozenset()
    )
    assert ad.guess(facts, None, {}).type == "qms-procedure"


def test_longest_phrase_wins() -> None:
    facts = ad.FileFacts(
        "a.md", {}, False, "Software Development and Maintenance Plan", frozenset()
    )
    assert ad.guess(facts, None, {}).type == "software-development-plan"
    facts = ad.FileFacts(
        "b.md", {"title": "Cybersecurity Risk Management Report"}, True, "Purpose", frozenset()
    )
    assert ad.guess(facts, None, {}).type == "security-risk-assessment"


def test_front_matter_type_is_kept() -> None:
    facts = ad.FileFacts("soup-list.md", {"type": "hazard-log"}, True, "SOUP list", frozenset())
    guess = ad.guess(facts, "openregulatory", ad.preset_types("openregulatory"))
    assert (guess.type, guess.by) == ("risk-analysis", "front-matter")


def test_an_unknown_declared_type_is_not_overridden() -> None:
    facts = ad.FileFacts("hazard-log.md", {"type": "hazard-logg"}, True, "Hazard Log", frozenset())
    guess = ad.guess(facts, None, {})
    assert guess.type is None and "[aliases.types]" in guess.reasons[0]


def test_disagreeing_signals_give_no_type() -> None:
    facts = ad.FileFacts("soup-list.md", {}, False, "Risk Management Plan", frozenset())
    guess = ad.guess(facts, None, {})
    assert guess.type is None and "disagree" in guess.reasons[0]


def test_detect_convention_needs_half_of_the_files() -> None:
    marked = ad.FileFacts("a.md", {}, False, None, frozenset({"rdm"}))
    plain = ad.FileFacts("b.md", {}, False, None, frozenset())
    assert ad.detect_convention([marked, plain]).preset == "rdm"
    assert ad.detect_convention([marked, plain, plain]).preset is None
    assert ad.detect_convention([]).preset is None


@pytest.mark.parametrize("source", sorted(EXPECTED))
def test_rendered_config_is_valid_for_each_source(source: str, tmp_path: Path) -> None:
    root = _copy(FIXTURES / source, tmp_path / "repo")
    files = ad.collect(root)
    for detect in (True, False):
        convention, guesses = ad.guess_all(files, detect=detect)
        text = ad.render_config(convention, guesses, files, TODAY)
        (root / ".techfile.toml").write_text(text, encoding="utf-8")
        config = load_config(root, root / ".techfile.toml")  # schema-valid, presets exist
        assert text.startswith("# Written by `techfile adopt` on 2026-06-30.")
        types = config.type_globs
        if detect:
            assert config.raw.get("preset") == EXPECTED[source][0]
        for path, type_name in EXPECTED[source][1].items():
            if type_name is None:
                assert path not in types
            elif not detect:
                assert types[path] == type_name


def test_render_config_quotes_awkward_paths() -> None:
    guess = ad.Guess('a "b"\\c.md', "soup-list", ("file name",), "guess")
    facts = ad.FileFacts('a "b"\\c.md', {}, False, None, frozenset())
    text = ad.render_config(ad.Convention(None, "x"), [guess], [facts], TODAY)
    assert tomllib.loads(text)["types"] == {'a "b"\\c.md': "soup-list"}


# ------------------------------------------------------------------------------ the command


def test_adopt_writes_only_the_configuration(tmp_path: Path) -> None:
    root = _copy(FIXTURES / "GSTT-CSC-QMS-Template", tmp_path / "repo")
    before = _tree_hash(root)
    code, out, _ = _invoke(str(root))
    assert code == 0
    after = _tree_hash(root)
    assert set(after) - set(before) == {".techfile.toml"}
    assert {k: v for k, v in after.items() if k != ".techfile.toml"} == before
    assert "CSC-F-013-Hazard-Log-Template.md" in out and "risk-analysis" in out
    assert "template_id `CSC F.013` is GSTT's Hazard Log" in out
    assert f"wrote {root / '.techfile.toml'}" in out
    assert tomllib.loads((root / ".techfile.toml").read_text(encoding="utf-8")) == {
        "preset": "gstt"
    }


def test_adopted_configuration_classifies_the_documents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from techfile.cli import main

    root = _copy(FIXTURES / "openregulatory-templates", tmp_path / "repo")
    assert _invoke(str(root))[0] == 0
    monkeypatch.chdir(root)
    capsys.readouterr()
    code = main(["check", "--no-cache", "--select", "FM007"])
    captured = capsys.readouterr()
    assert code == 0
    assert "9 of 13 Markdown files classified" in captured.err


def test_adopt_refuses_to_overwrite(tmp_path: Path) -> None:
    root = _copy(FIXTURES / "innolitics-rdm", tmp_path / "repo")
    (root / ".techfile.toml").write_text("# ours\n", encoding="utf-8")
    code, out, err = _invoke(str(root))
    assert code == 2
    assert "already exists" in err and "--print" in err
    assert (root / ".techfile.toml").read_text(encoding="utf-8") == "# ours\n"
    assert out == ""


def test_adopt_refuses_when_pyproject_configures_techfile(tmp_path: Path) -> None:
    root = _copy(FIXTURES / "innolitics-rdm", tmp_path / "repo")
    (root / "pyproject.toml").write_text('[tool.techfile]\nfail-on = "error"\n', encoding="utf-8")
    code, _, err = _invoke(str(root))
    assert code == 2 and "[tool.techfile]" in err
    assert not (root / ".techfile.toml").exists()


def test_adopt_print_writes_nothing(tmp_path: Path) -> None:
    root = _copy(FIXTURES / "openregulatory-templates", tmp_path / "repo")
    (root / ".techfile.toml").write_text("# ours\n", encoding="utf-8")
    before = _tree_hash(root)
    code, out, err = _invoke(str(root), "--print")
    assert code == 0
    assert tomllib.loads(out)["preset"] == "openregulatory"  # standard output is the TOML only
    assert "templates/techdoc/14971/risk-table-fmea.md" in err  # the guesses go to stderr
    assert _tree_hash(root) == before


def test_adopt_with_an_explicit_preset_or_none(tmp_path: Path) -> None:
    root = _copy(FIXTURES / "GSTT-CSC-QMS-Template", tmp_path / "repo")
    code, out, _ = _invoke(str(root), "--print", "--preset", "none")
    assert code == 0
    data = tomllib.loads(out)
    assert "preset" not in data
    assert data["id-from"] == "path-stem"
    assert data["types"]["CSC-F-013-Hazard-Log-Template.md"] == "risk-analysis"
    code, out, _ = _invoke(str(root), "--print", "--preset", "rdm")
    assert code == 0 and tomllib.loads(out)["preset"] == "rdm"


def test_adopt_on_nothing(tmp_path: Path) -> None:
    assert _invoke(str(tmp_path))[0] == 2
    (tmp_path / "file.md").write_text("# x\n", encoding="utf-8")
    assert _invoke(str(tmp_path / "file.md"))[0] == 2
    assert _invoke(str(tmp_path / "missing"))[0] == 2
