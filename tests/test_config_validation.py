"""No silent misconfiguration: every key of the configuration is checked against its declared
type (rule options against their page's `options:`), and a mistake is exit 2 with one line
that names the key and what it should be, never a Python repr. --config and --isolated choose
the configuration as ruff's do."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from techfile.data.pages import load_pages
from techfile.intake.config_checks import _validator_for, option_schema

DOC = "---\nid: SOP-001\ntype: qms-procedure\ntitle: Document control\n---\n# Document control\n"
UNTYPED = "# Notes\n\nSome notes.\n"
REPR = re.compile(r"'[^' ]+'|datetime\.|is not of type|Additional properties|\{'|\['")


def _one_line_error(result: Any) -> str:
    assert result.code == 2, result.err
    assert result.out == ""
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert not REPR.search(lines[0]), lines[0]
    return lines[0]


@pytest.mark.parametrize(
    ("config", "says"),
    [
        (
            '[rules.SDL004]\nmax-age-months = "twelve"\n',
            [
                ".techfile.toml:2:",
                "`[rules.SDL004] max-age-months` must be a whole number of months",
                'got the text "twelve"',
            ],
        ),
        (
            '[rules.RM004]\nreduce_afap = "maybe"\n',
            ["`[rules.RM004] reduce_afap`", '"either", "acceptable" or "not-acceptable"'],
        ),
        ("[rules.SDL004]\nmax-age-months = 0\n", ["at least 1", "got the number 0"]),
        ("[rules.SDL004]\nmax-age-months = 12.0\n", ["a whole number", "the number 12.0"]),
        ('[rules.SC001]\nsbom-scope = "dirct"\n', ['"all" or "direct"', 'did you mean "direct"']),
        (
            "[rules.SC001]\nignore-components = [1]\n",
            ["components` (item 1) must be text"],
        ),
        ('[rules.RM004]\nreduce-afap = "either"\n', ["reduce-afap", "did you mean `reduce_afap`"]),
        ("[rules.EV01]\nx = 1\n", ["`[rules.EV01]`", "did you mean EV001"]),
        ("[rules.sdl004]\nmax-age-month = 3\n", ["`[rules.SDL004]`", "`max-age-months`"]),
        ('[severity]\nEV01 = "warning"\n', ["`[severity] EV01`", "did you mean EV001"]),
        ('[severity]\nFM = "warning"\n', ["`[severity] FM`", "whole codes"]),
        ('[severity]\nFM001 = "warn"\n', ["`[severity] FM001`", 'did you mean "warning"']),
        ('select = ["EV01"]\n', ["`select` (item 1)", '"EV01" matches no techfile rule', "EV001"]),
        ('ignore = ["FM", "XYZ"]\n', ["`ignore` (item 2)", '"XYZ"']),
        ('extend-select = ["SDL01"]\n', ["`extend-select`", "SDL001"]),
        (
            '[[per-file-ignores]]\npaths = ["a.md"]\nrules = ["EV01"]\nreason = "r"\n',
            [".techfile.toml:3:", "`[[per-file-ignores]] rules` (entry 1, item 1)", "EV001"],
        ),
        (
            '[[per-file-ignores]]\npaths = ["a.md"]\nrules = ["RM01"]\nreason = "r"\n',
            ["only part of a code", "RM010 or RM011", "the family RM"],
        ),
        (
            '[[per-file-ignores]]\npaths = ["a.md"]\nrules = ["FM"]\nreason = "r"\n'
            '[[per-file-ignores]]\npaths = ["b.md"]\n',
            [".techfile.toml:5:", "`[[per-file-ignores]] rules` (entry 2) is missing"],
        ),
        ('exlude = ["drafts/**"]\n', ["`exlude` is not a techfile setting", "`exclude`"]),
        ('[device]\nclas = "IIa"\n', ["`[device] clas`", "did you mean `class`"]),
        ('[device]\nclass = "2a"\n', ["`[device] class`", '"IIa"', 'the text "2a"']),
        ('[device]\nconnected = "yes"\n', ["`[device] connected`", "true or false"]),
        ('fail-on = "errors"\n', ["`fail-on`", 'did you mean "error"']),
        ('max-file-size = "big"\n', ["`max-file-size` must be a whole number", '"big"']),
        ('as-of = "2026-13-30"\n', ["`as-of` must be a date, YYYY-MM-DD", '"2026-13-30"']),
        ("as-of = 2026-06-30T10:00:00\n", ["`as-of`", "the date and time 2026-06-30T10:00:00"]),
        ('[types]\n"risk/*.md" = "risk-analisys"\n', ['"risk-analisys"', '"risk-analysis"']),
        ('[artifacts]\nsbmo = "build/sbom.json"\n', ["`[artifacts] sbmo`", "`sbom`"]),
        ('preset = "openreg"\n', ["`preset`", 'did you mean "openregulatory"']),
        ("include = 5\n", ["`include` must be a list of texts", "the number 5"]),
    ],
)
def test_a_config_mistake_is_one_line_naming_key_and_type(
    tree: Any, techfile: Any, config: str, says: list[str]
) -> None:
    root = tree({"a.md": DOC}, config=config)
    line = _one_line_error(techfile("check", "--no-cache", cwd=root))
    assert line.startswith("techfile: configuration error: ")
    for part in says:
        assert part in line, line


def _wrong_value(declared: dict[str, Any]) -> Any:
    return {"integer": "twelve", "string": 5, "boolean": "maybe", "array": "x"}[declared["type"]]


OPTIONS = [
    (code, name, declared)
    for code, page in sorted(load_pages().items())
    for name, declared in sorted(page.options.items())
]


OPTION_IDS = [f"{code}-{name}" for code, name, _ in OPTIONS]


def test_the_pages_declare_options() -> None:
    assert len(OPTIONS) >= 10  # the parametrisations below cover something


@pytest.mark.parametrize(
    ("code", "name", "declared"), OPTIONS, ids=[f"{c}-{n}" for c, n, _ in OPTIONS]
)
def test_every_rule_option_is_checked_against_its_declared_type(
    tree: Any, techfile: Any, code: str, name: str, declared: dict[str, Any]
) -> None:
    wrong = _wrong_value(declared)
    value = f'"{wrong}"' if isinstance(wrong, str) else str(wrong)
    root = tree({"a.md": DOC}, config=f"[rules.{code}]\n{name} = {value}\n")
    line = _one_line_error(techfile("check", "--no-cache", cwd=root))
    assert f"`[rules.{code}] {name}` must be " in line
    kind = {"integer": "whole number", "string": "", "boolean": "true or false"}
    assert kind.get(declared["type"], "list") in line


@pytest.mark.parametrize(
    ("code", "name", "declared"), OPTIONS, ids=[f"{c}-{n}" for c, n, _ in OPTIONS]
)
def test_every_option_default_is_valid_under_its_declaration(
    code: str, name: str, declared: dict[str, Any]
) -> None:
    assert declared["type"] in ("integer", "string", "boolean", "array")
    errors = list(_validator_for(option_schema(declared)).iter_errors(declared["default"]))
    assert not errors, f"{code} {name}: the default breaks its own declaration"


def test_every_option_set_to_its_default_is_accepted(tree: Any, techfile: Any) -> None:
    tables: dict[str, list[str]] = {}
    for code, name, declared in OPTIONS:
        written = json.dumps(declared["default"])  # TOML writes these defaults as JSON does
        tables.setdefault(code, []).append(f"{name} = {written}\n")
    config = "".join(f"[rules.{code}]\n{''.join(lines)}" for code, lines in tables.items())
    result = techfile("check", "--no-cache", cwd=tree({"a.md": DOC}, config=config))
    assert result.code in (0, 1), result.err


def test_several_mistakes_give_one_line_each(tree: Any, techfile: Any) -> None:
    config = 'fail-on = "errors"\n[severity]\nEV01 = "warning"\n[device]\nclas = "I"\n'
    result = techfile("check", "--no-cache", cwd=tree({"a.md": DOC}, config=config))
    assert result.code == 2
    lines = result.err.strip().splitlines()
    assert len(lines) == 2, result.err  # the schema's two; the codes are checked after them
    assert all(line.startswith("techfile: configuration error: ") for line in lines)


def test_a_toml_date_pins_the_date_as_text_does(tree: Any, techfile: Any) -> None:
    native = techfile("check", "--no-cache", cwd=tree({"a.md": DOC}, config="as-of = 2026-06-30\n"))
    text = techfile("check", "--no-cache", cwd=tree({"a.md": DOC}, config='as-of = "2026-06-30"\n'))
    assert native.code == text.code != 2, native.err
    assert "as of 2026-06-30" in native.err and "as of 2026-06-30" in text.err


def test_pyproject_keys_are_named_in_their_table(tree: Any, techfile: Any) -> None:
    pyproject = '[project]\nname = "x"\n\n[tool.techfile.rules.SDL004]\nmax-age-months = "twelve"\n'
    root = tree({"a.md": DOC, "pyproject.toml": pyproject}, config=None)
    line = _one_line_error(techfile("check", "--no-cache", cwd=root))
    assert "pyproject.toml:5:" in line
    assert "`[tool.techfile.rules.SDL004] max-age-months`" in line


def test_a_hostile_key_stays_one_inert_line(tree: Any, techfile: Any) -> None:
    root = tree({"a.md": DOC}, config='[device]\n"x\\n::error::y" = 1\n')
    line = _one_line_error(techfile("check", "--no-cache", cwd=root))
    assert '`[device] "x\\n::error::y"` is not a techfile setting' in line


# --- --config and --isolated ---------------------------------------------------------------

TYPES = '[types]\n"notes/*.md" = "qms-procedure"\n'


def _classified(result: Any) -> str:
    found = re.search(r"(\d+) of (\d+) Markdown files classified", result.err)
    assert found, result.err
    return found.group(0)


def test_isolated_ignores_the_configuration_file(tree: Any, techfile: Any) -> None:
    root = tree({"notes/a.md": UNTYPED}, config=TYPES)
    assert _classified(techfile("check", "--no-cache", cwd=root)).startswith("1 of 1")
    assert _classified(techfile("check", "--no-cache", "--isolated", cwd=root)).startswith("0 of 1")


def test_isolated_runs_despite_a_broken_configuration(tree: Any, techfile: Any) -> None:
    root = tree({"a.md": DOC}, config='fail-on = "errors"\n')
    assert techfile("check", "--no-cache", cwd=root).code == 2
    assert techfile("check", "--no-cache", "--isolated", cwd=root).code != 2


def test_config_reads_the_named_file_instead(tree: Any, techfile: Any, tmp_path: Path) -> None:
    root = tree({"notes/a.md": UNTYPED}, config='fail-on = "errors"\n')  # broken, and ignored
    elsewhere = tmp_path / "shared" / "techfile.toml"
    elsewhere.parent.mkdir()
    elsewhere.write_text(TYPES, encoding="utf-8")
    result = techfile("check", "--no-cache", "--config", str(elsewhere), cwd=root)
    assert result.code != 2, result.err
    assert _classified(result).startswith("1 of 1")


def test_config_mistakes_are_named_in_the_named_file(
    tree: Any, techfile: Any, tmp_path: Path
) -> None:
    root = tree({"a.md": DOC})
    other = tmp_path / "other.toml"
    other.write_text('[severity]\nEV01 = "info"\n', encoding="utf-8")
    line = _one_line_error(techfile("check", "--config", str(other), cwd=root))
    assert "other.toml:2:" in line and "EV001" in line


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--config", "missing.toml"], "does not exist"),
        (["--config", "pyproject.toml"], "no [tool.techfile] table"),
        (["--config", ".techfile.toml", "--isolated"], "cannot be combined"),
    ],
)
def test_config_option_misuse_is_exit_2(
    tree: Any, techfile: Any, args: list[str], says: str
) -> None:
    root = tree({"a.md": DOC, "pyproject.toml": '[project]\nname = "x"\n'})
    result = techfile("check", *args, cwd=root)
    assert result.code == 2 and says in result.err, result.err


@pytest.mark.parametrize(
    "command",
    [["report"], ["pack"], ["overlap"], ["waivers"], ["baseline", "write", "--reason", "r"]],
)
def test_every_command_that_reads_the_configuration_takes_isolated(
    tree: Any, techfile: Any, command: list[str]
) -> None:
    root = tree({"a.md": DOC}, config='fail-on = "errors"\n')
    assert techfile(*command, cwd=root).code == 2
    assert techfile(*command, "--isolated", cwd=root).code == 0
    help_text = techfile(*command[: 2 if command[0] == "baseline" else 1], "--help").out
    assert "--config FILE" in help_text and "--isolated" in help_text
