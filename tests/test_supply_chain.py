"""Supply-chain rules (SC001-SC005) and the SBOM reader behind them."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

from conftest import REALWORLD
from techfile.cli import main
from techfile.cli.options import resolve_config
from techfile.data.clauses import clause_registry
from techfile.data.resources import bundled
from techfile.data.schemas import validator
from techfile.engine.pipeline import RunOptions
from techfile.engine.run import run
from techfile.fixture_tree import materialise
from techfile.intake import sbom as sb
from techfile.model.finding import Finding

ROOT = Path(__file__).resolve().parent.parent
CONFIG = 'as-of = "2026-01-15"\n'


def _write(root: Path, files: dict[str, str | bytes]) -> None:
    for rel, content in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")


def _check(
    root: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    *args: str,
) -> tuple[int, list[str]]:
    monkeypatch.chdir(root)
    capsys.readouterr()
    code = main(["check", "--no-cache", *args])
    return code, capsys.readouterr().out.splitlines()


def _explained(root: Path, *codes: str) -> list[Finding]:
    """The findings with their `why` and `fix`, which the text format does not show."""
    config, _ = resolve_config((str(root),), False)
    return run(config, RunOptions(codes, use_cache=False)).findings


def _bom(components: list[dict[str, object]], **extra: object) -> str:
    data: dict[str, object] = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "metadata": {
            "timestamp": "2026-01-10T09:00:00Z",
            "authors": [{"name": "CI"}],
            "component": {
                "type": "application",
                "bom-ref": "app",
                "name": "App",
                "version": "1.0.0",
                "supplier": {"name": "Acme"},
            },
        },
        "components": components,
    }
    data.update(extra)
    return json.dumps(data, indent=2)


def _lib(name: str, version: str, ref: str | None = None, **extra: object) -> dict[str, object]:
    purl = f"pkg:pypi/{name}@{version}"
    return {
        "type": "library",
        "bom-ref": ref or purl,
        "name": name,
        "version": version,
        "purl": purl,
        "supplier": {"name": f"{name} developers"},
        **extra,
    }


SBOM_DOC = """---
id: SBOM-001
type: sbom
title: SBOM
file: app.cdx.json
---

# SBOM
"""


def _soup(*rows: str) -> str:
    return (
        "---\nid: SOUP-001\ntype: soup-list\ntitle: SOUP list\n---\n\n# SOUP list\n\n"
        "| ID | Name | Version | Manufacturer | PURL |\n|---|---|---|---|---|\n"
        + "".join(f"{row}\n" for row in rows)
    )


# ------------------------------------------------------------------------------ data files


def test_references_file_validates_and_resolves() -> None:
    data = yaml.safe_load((bundled("data") / "supply-chain.yaml").read_text(encoding="utf-8"))
    assert not list(validator("supply-chain.schema.json").iter_errors(data))
    registry = clause_registry()
    for topic, text in data["references"].items():
        ref = registry.parse(text)
        if ref is not None and ref.family is not None:
            assert registry.lookup(ref) is not None, f"{topic}: {text} is not in the registry"


def test_shipped_json_schemas_are_valid_draft7_schemas() -> None:
    from jsonschema import Draft7Validator

    files = sorted(sb.schema_dir().rglob("*.schema.json"))
    assert len(files) == len(sb.CYCLONEDX_SCHEMAS) + len(sb.CYCLONEDX_SHARED) + len(sb.SPDX_SCHEMAS)
    for path in files:
        Draft7Validator.check_schema(json.loads(path.read_text(encoding="utf-8")))


# ------------------------------------------------------------------------------ real-world files


def _realworld_files() -> list[Path]:
    if REALWORLD is None:
        return []
    folders = (
        "CycloneDX-specification",
        "CycloneDX-bom-examples",
        "spdx-examples",
        "spdx-tools-python",
    )
    found = [p for f in folders for p in sorted((REALWORLD / f).rglob("*.json"))]
    found.append(
        REALWORLD / "OWASP-threat-dragon" / "ThreatDragonModels" / "tmbom-pytm-example.cdx.json"
    )
    return found


# Files whose verdict does not follow from their name, with the reason.
EXPECTED_OTHERWISE = {
    # specVersion 1.6 with component type `threat-model`, which is not in the 1.6 schema (a
    # proposal for threat-model BOMs); SOURCES.md says strict validation rejects it.
    "tmbom-pytm-example.cdx.json": "invalid",
    # SPDX 3.0 JSON-LD: not read by this version (SC003 warns), so neither valid nor invalid.
    "hello-source.spdx3.json": "unsupported",
}


@pytest.mark.skipif(REALWORLD is None, reason="shared/eval/realworld is not present")
@pytest.mark.parametrize("path", _realworld_files(), ids=lambda p: p.name)
def test_realworld_sbom_is_classified_as_its_name_says(path: Path) -> None:
    expected = EXPECTED_OTHERWISE.get(path.name)
    if expected is None:
        expected = "invalid" if path.name.startswith("invalid-") else "valid"
    loaded = sb.load_path(path, path.name, 10 * 1024 * 1024)
    if expected == "unsupported":
        assert loaded.format == sb.SPDX3 and not loaded.readable
        return
    assert loaded.readable, loaded.problem
    result = sb.validate(loaded)
    assert result.checked, result.note
    verdict = "invalid" if result.errors else "valid"
    assert verdict == expected, f"{result.first_path}: {result.first_message}"


@pytest.mark.skipif(REALWORLD is None, reason="shared/eval/realworld is not present")
def test_our_verdicts_agree_with_cyclonedx_python_lib() -> None:
    """Where cyclonedx-python-lib (a test dependency) finds a file invalid, so do we; we also
    check `date-time`, which it checks only when optional format packages are installed."""
    pytest.importorskip("cyclonedx.validation.json")
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    compared = 0
    for path in _realworld_files():
        loaded = sb.load_path(path, path.name, 10 * 1024 * 1024)
        if loaded.format != sb.CYCLONEDX or loaded.spec_version not in sb.CYCLONEDX_SCHEMAS:
            continue
        theirs = JsonStrictValidator(SchemaVersion.from_version(loaded.spec_version)).validate_str(
            loaded.text
        )
        ours = sb.validate(loaded)
        if theirs is not None:
            assert ours.errors, path.name
        elif ours.errors:
            assert "date-time" in ours.first_message, (path.name, ours.first_message)
        compared += 1
    assert compared > 50


# ------------------------------------------------------------------------------ reading


def test_decoding_never_raises() -> None:
    doc = '{"bomFormat": "CycloneDX", "specVersion": "1.6"}'
    assert sb.decode_json(doc.encode("utf-16"))[2] == "utf-16"
    assert sb.decode_json(doc.encode("utf-32"))[2] == "utf-32"
    _, data, encoding, problem, _ = sb.decode_json(b"\xef\xbb\xbf" + doc.encode())
    assert (encoding, problem, data["specVersion"]) == ("utf-8-sig", None, "1.6")
    assert "not valid UTF-8" in (sb.decode_json(b'{"a": "\xff\xfe\xfa"}')[3] or "")
    assert "not valid JSON" in (sb.decode_json(b'{"a": NaN}')[3] or "")
    assert "not valid JSON" in (sb.decode_json(b"[" * 100_000)[3] or "")
    assert "not valid JSON" in (sb.decode_json(b'{"a": 1,}')[3] or "")


def test_files_that_are_not_sboms(tmp_path: Path) -> None:
    cases = {
        "list.json": "[1, 2]",
        "other.json": '{"hello": "world"}',
        "big.json": "{" + " " * 200 + "}",
    }
    _write(tmp_path, dict(cases))
    assert "not an object" in (sb.load_path(tmp_path / "list.json", "l", 100).problem or "")
    assert "neither CycloneDX" in (sb.load_path(tmp_path / "other.json", "o", 100).problem or "")
    assert "larger than" in (sb.load_path(tmp_path / "big.json", "b", 100).problem or "")
    assert sb.load_path(tmp_path / "absent.json", "a", 100).problem == "does not exist"
    assert "directory" in (sb.load_path(tmp_path, "d", 100).problem or "")


def test_bad_values_inside_an_sbom_do_not_crash(tmp_path: Path) -> None:
    weird = {
        "bomFormat": "CycloneDX",
        "specVersion": 1.6,
        "metadata": [],
        "components": [1, None, {"name": 5, "purl": ["x"], "components": "no"}, {"name": "ok"}],
        "dependencies": {"ref": 1},
        "vulnerabilities": [{"id": 3, "affects": "x", "analysis": []}, "x"],
    }
    _write(tmp_path, {"weird.json": json.dumps(weird)})
    loaded = sb.load_path(tmp_path / "weird.json", "weird.json", 10_000)
    assert loaded.format == sb.CYCLONEDX and [c.name for c in loaded.components] == [None, "ok"]
    assert sb.validate(loaded).checked is False  # specVersion is not a string


def test_purl_and_name_normalisation() -> None:
    purl = sb.parse_purl("pkg:pypi/Fhir_Resources@8.0.0?extra=1#sub")
    assert purl == sb.Purl("pypi", "", "fhir-resources", "8.0.0")
    maven = sb.parse_purl("pkg:maven/com.squareup.okhttp3/okhttp@4.12.0?type=jar")
    assert maven is not None and maven.namespace == "com.squareup.okhttp3"
    assert sb.parse_purl("numpy") is None and sb.parse_purl("pkg:pypi") is None
    assert sb.normalise_name("Fhir_Resources") == sb.normalise_name("fhir.resources")
    assert sb.normalise_version("v2.1.3") == "2.1.3" and sb.normalise_version("vX") == "vx"


# ------------------------------------------------------------------------------ SC001


def test_sc001_scope_direct_and_ignored_components(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bom = _bom(
        [_lib("numpy", "2.1.3"), _lib("six", "1.16.0"), _lib("acme-core", "1.0.0")],
        dependencies=[
            {"ref": "app", "dependsOn": ["pkg:pypi/numpy@2.1.3", "pkg:pypi/acme-core@1.0.0"]},
            {"ref": "pkg:pypi/numpy@2.1.3", "dependsOn": ["pkg:pypi/six@1.16.0"]},
        ],
    )
    files: dict[str, str | bytes] = {
        ".techfile.toml": CONFIG,
        "sbom.md": SBOM_DOC,
        "app.cdx.json": bom,
        "soup.md": _soup("| S-01 | NumPy | v2.1.3 | NumPy Developers | |"),
    }
    _write(tmp_path, files)
    _, lines = _check(tmp_path, monkeypatch, capsys, "--select", "SC001")
    assert len(lines) == 2 and all("is not in the SOUP list" in line for line in lines)
    six = [f for f in _explained(tmp_path, "SC001") if "six 1.16.0" in f.message]
    assert len(six) == 1 and "It is a transitive dependency" in six[0].fix
    assert 'sbom-scope = "direct"' in six[0].fix
    (tmp_path / ".techfile.toml").write_text(
        CONFIG + '[rules.SC001]\nsbom-scope = "direct"\nignore-components = ["pkg:pypi/acme-*"]\n',
        encoding="utf-8",
    )
    code, lines = _check(tmp_path, monkeypatch, capsys, "--select", "SC001")
    assert (code, lines) == (0, [])


def test_sc001_bad_option_is_a_configuration_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(
        tmp_path,
        {
            ".techfile.toml": CONFIG + '[rules.SC001]\nsbom-scope = "direkt"\n',
            "sbom.md": SBOM_DOC,
            "app.cdx.json": _bom([_lib("numpy", "2.1.3")]),
        },
    )
    code, _ = _check(tmp_path, monkeypatch, capsys, "--select", "SC001")
    assert code == 2


def test_sc001_without_soup_list_and_with_old_release_sbom(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    old = SBOM_DOC.replace("id: SBOM-001", "id: SBOM-000").replace("file: app", "file: old")
    old = old.replace("title: SBOM", 'title: SBOM\nsoftware_version: "0.9.0"')
    _write(
        tmp_path,
        {
            ".techfile.toml": CONFIG + '[device]\nsoftware_version = "1.0.0"\n',
            "sbom.md": SBOM_DOC,
            "old-sbom.md": old,
            "app.cdx.json": _bom([_lib("numpy", "2.1.3")]),
            "old.cdx.json": _bom([_lib("numpy", "1.0.0"), _lib("six", "1.0.0")]),
        },
    )
    _, lines = _check(tmp_path, monkeypatch, capsys, "--select", "SC001")
    assert len(lines) == 1 and "no SOUP list" in lines[0] and "1 component(s)" in lines[0]


def test_sc001_artifact_from_the_command_line_may_live_outside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    tech, build = tmp_path / "tech", tmp_path / "build"
    _write(tech, {".techfile.toml": CONFIG, "soup.md": _soup("| S-01 | numpy | 2.1.3 | N | |")})
    _write(build, {"sbom.json": _bom([_lib("numpy", "2.1.3"), _lib("six", "1.16.0")])})
    _, lines = _check(
        tech, monkeypatch, capsys, "--select", "SC001", "--artifact", f"sbom={build / 'sbom.json'}"
    )
    assert len(lines) == 1 and "six 1.16.0" in lines[0] and str(build / "sbom.json") in lines[0]


# ------------------------------------------------------------------------------ SC003


def test_sc003_paths_outside_the_root_are_never_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    tech = tmp_path / "tech"
    _write(tmp_path, {"secret.json": "not json at all"})
    _write(
        tech,
        {
            ".techfile.toml": CONFIG + '[artifacts]\nsbom = "../secret.json"\n',
            "a.md": SBOM_DOC.replace("app.cdx.json", "../secret.json"),
            "b.md": SBOM_DOC.replace("SBOM-001", "SBOM-002").replace("app.cdx.json", "/etc/hosts"),
            "c.md": SBOM_DOC.replace("SBOM-001", "SBOM-003").replace("app.cdx.json", "link.json"),
        },
    )
    if hasattr(os, "symlink"):
        (tech / "link.json").symlink_to(tmp_path / "secret.json")
    _, lines = _check(tech, monkeypatch, capsys, "--select", "SC003")
    assert not any("not valid JSON" in line for line in lines)
    assert sum("outside the technical file" in line for line in lines) == 3
    assert any("absolute" in line for line in lines)


def test_sc003_us_market_requires_a_machine_readable_sbom(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    device = '[device]\nmarkets = ["EU", "US"]\n'
    _write(
        tmp_path, {".techfile.toml": CONFIG + device, "soup.md": _soup("| S-01 | a | 1 | b | |")}
    )
    _, lines = _check(tmp_path, monkeypatch, capsys, "--select", "SC003")
    assert len(lines) == 1 and "no machine-readable SBOM" in lines[0]
    assert lines[0].startswith("soup.md:1:")
    (finding,) = _explained(tmp_path, "SC003")
    assert finding.clause == "FD&C Act 524B(b)(3)" and finding.why.startswith("FD&C Act 524B(b)(3)")
    assert "--artifact sbom=PATH" in finding.fix
    (tmp_path / ".techfile.toml").write_text(
        CONFIG + device + "connected = false\n", encoding="utf-8"
    )
    assert _check(tmp_path, monkeypatch, capsys, "--select", "SC003")[1] == []


def test_sc003_unknown_versions_and_spdx3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    future = json.loads(_bom([_lib("numpy", "2.1.3")]))
    future["specVersion"] = "1.9"
    xml_only = dict(future, specVersion="1.1")
    spdx3 = {"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": []}
    files: dict[str, str | bytes] = {".techfile.toml": CONFIG}
    for index, data in enumerate((future, xml_only, spdx3)):
        files[f"s{index}.md"] = SBOM_DOC.replace("SBOM-001", f"SBOM-{index}").replace(
            "app.cdx.json", f"s{index}.json"
        )
        files[f"s{index}.json"] = json.dumps(data)
    _write(tmp_path, files)
    _, lines = _check(tmp_path, monkeypatch, capsys, "--select", "SC003")
    assert any(line.startswith("s0.md") and "[warning]" in line and "1.9" in line for line in lines)
    assert any(
        line.startswith("s1.md") and "[error]" in line and "no JSON" in line for line in lines
    )
    assert any(line.startswith("s2.md") and "SPDX 3" in line for line in lines)


def test_example_is_clean_for_supply_chain(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    main(["check", "--example", "--select", "SC"])
    assert capsys.readouterr().out == ""


# ------------------------------------------------------------------------------ SC002, SC004


def test_soup_items_with_odd_values_do_not_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    soup = """---
id: SOUP-001
type: soup-list
title: SOUP list
items:
  - name: numpy
    version: 2
    manufacturer: [a, b]
    requirements: {x: 1}
    anomaly_review: "yes"
  - name: [1]
  - 5
---

# SOUP list
"""
    _write(tmp_path, {".techfile.toml": CONFIG, "soup.md": soup})
    code, lines = _check(tmp_path, monkeypatch, capsys, "--select", "SC")
    assert code in (0, 1) and any("no anomaly review" in line for line in lines)


def test_safety_class_a_skips_class_b_checks_and_staleness(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    soup = (
        "---\nid: SOUP-001\ntype: soup-list\ntitle: SOUP\n---\n\n# SOUP\n\n"
        "| Name | Version | Manufacturer | Anomaly review date |\n|---|---|---|---|\n"
        "| numpy | 2.1.3 | NumPy Developers | 2020-01-01 |\n"
    )
    config = CONFIG + '[device]\nsoftware_safety_class = "Class A"\n'
    _write(tmp_path, {".techfile.toml": config, "soup.md": soup})
    assert _check(tmp_path, monkeypatch, capsys, "--select", "SC002,SC004")[1] == []
    (tmp_path / ".techfile.toml").write_text(CONFIG, encoding="utf-8")
    _, lines = _check(tmp_path, monkeypatch, capsys, "--select", "SC002,SC004")
    assert any("SC004" in line for line in lines)
    (no_class,) = [f for f in _explained(tmp_path, "SC002") if "requirements" in f.message]
    assert "No software safety class is recorded" in no_class.why
    assert "applies class C requirements until one is." in no_class.why


# ------------------------------------------------------------------------------ SC005


def test_sc005_vex_entries_for_components_not_shipped_are_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    vex = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "version": 1,
        "vulnerabilities": [
            {"id": "CVE-1", "affects": [{"ref": "urn:cdx:abc/1#pkg:pypi/numpy@2.1.3"}]},
            {"id": "CVE-2", "affects": [{"ref": "pkg:npm/left-pad@1.3.0"}]},
            {
                "id": "CVE-3",
                "affects": [{"ref": "pkg:pypi/numpy@2.1.3"}],
                "analysis": {"state": "not_affected", "justification": "code_not_reachable"},
            },
        ],
    }
    report = """---
id: VR-001
type: vulnerability-report
title: VEX
file: vex.json
---

# VEX
"""
    _write(
        tmp_path,
        {
            ".techfile.toml": CONFIG,
            "vr.md": report,
            "vex.json": json.dumps(vex),
            "soup.md": _soup("| S-01 | numpy | 2.1.3 | N | pkg:pypi/numpy@2.1.3 |"),
        },
    )
    _, lines = _check(tmp_path, monkeypatch, capsys, "--select", "SC005")
    assert len(lines) == 1 and "CVE-1" in lines[0] and lines[0].startswith("vr.md:5:")


def test_unique_items_is_checked_quickly_and_as_the_schema_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from techfile.data import sbom_schemas

    many = [_lib(f"p{i}", "1.0.0") for i in range(3000)]
    _write(tmp_path, {"big.json": _bom(many), "dup.json": _bom([many[0], dict(many[0])])})
    canonical = sbom_schemas._canonical
    visits = [0]  # JSON values put in canonical form, each compared by one dictionary lookup

    def counted(value: object) -> object:
        visits[0] += 1
        return canonical(value)

    monkeypatch.setattr(sbom_schemas, "_canonical", counted)
    result = sb.validate(sb.load_path(tmp_path / "big.json", "big.json", 10**8))
    assert result.checked and not result.errors
    # linear: each component's few values once (jsonschema's own check compares every pair)
    assert len(many) <= visits[0] <= 20 * len(many)
    monkeypatch.setattr(sbom_schemas, "_canonical", canonical)
    duplicate = sb.validate(sb.load_path(tmp_path / "dup.json", "dup.json", 10**8))
    assert duplicate.errors == 1 and "non-unique" in duplicate.first_message
    assert sb._canonical([1.0, {"a": 2.0}, True]) == [1, {"a": 2}, True]


@pytest.mark.parametrize(
    "case",
    sorted(bundled("fixtures").glob("SC0*/fail")),
    ids=lambda p: p.parent.name.split("-", 1)[0],
)
def test_findings_say_what_why_and_fix_apart(case: Path, tmp_path: Path) -> None:
    """The message says what is wrong (no advice, no notified body); `why` starts from the
    clause the finding names; `fix` says what to do. Each a sentence of its own."""
    code = case.parent.name.split("-", 1)[0]
    found = _explained(materialise(case, tmp_path / "case"), code)
    assert found
    for finding in found:
        assert not finding.message.endswith(".") and "notified body" not in finding.message
        assert finding.why.endswith(".")
        assert any(who in finding.why for who in ("notified body", "FDA")), finding.why
        assert finding.clause is None or finding.clause in finding.why
        assert finding.fix[:1].isupper() and finding.fix.endswith(".")
