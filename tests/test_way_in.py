"""The way in is visible: `check` points at `techfile adopt` when most files have no type,
`template` output used as-is states no empty value, and `template`/`explain` help a slip."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from techfile.data.registry import type_registry

FOOTER = "\n---\n\nTemplate Copyright [openregulatory.com](https://openregulatory.com).\n"
TYPED = "---\nid: SOP-{n}\ntype: qms-procedure\ntitle: Procedure {n}\n---\n# Procedure {n}\n"
# a value left empty shows in a message as '', "", ``, a doubled space or a bare comma
EMPTY_VALUE = re.compile(r"''|\"\"|``|\S  +\S| ,|\(\s*\)|: *$")


# a key the template comments out (`#id: ""`) and the indented lines of its block
COMMENTED_OUT = re.compile(r"^#(?=[A-Za-z_]|\s\s)", re.MULTILINE)


def _untyped(tree: Any, count: int, typed: int = 0, config: str | None = "") -> Any:
    files = {f"docs/sop-{n}.md": f"# Procedure {n}\n\nText.\n{FOOTER}" for n in range(count)}
    files.update({f"typed/sop-{n}.md": TYPED.format(n=n) for n in range(typed)})
    return tree(files, config=config)


def _hint(err: str) -> list[str]:
    return [line for line in err.splitlines() if "techfile adopt" in line]


def test_check_points_at_adopt_and_the_convention_it_recognises(tree: Any, techfile: Any) -> None:
    root = _untyped(tree, 3, config=None)
    (root / ".git").mkdir()  # the root, without a configuration
    (hint,) = _hint(techfile("check", "--no-cache", cwd=root).err)
    assert "3 of 3 Markdown files have no document type" in hint
    assert "`techfile adopt` can type 3 of them" in hint
    assert "openregulatory" in hint


def test_with_a_configuration_the_hint_is_adopt_print(tree: Any, techfile: Any) -> None:
    root = _untyped(tree, 3)
    (hint,) = _hint(techfile("check", "--no-cache", cwd=root).err)
    assert "`techfile adopt --print`" in hint


def test_without_a_known_convention_the_hint_says_so(tree: Any, techfile: Any) -> None:
    files = {"soup-list.md": "# SOUP list\n", "risk-management-plan.md": "# Plan\n"}
    root = tree({**files, "notes.md": "# Notes\n"})
    (hint,) = _hint(techfile("check", "--no-cache", cwd=root).err)
    assert "can type 2 of them" in hint and "recognises no template set" in hint


def test_no_hint_when_adopt_could_type_nothing_more(tree: Any, techfile: Any) -> None:
    root = tree({f"n{n}.md": f"# Note {n}\n" for n in range(3)})  # after adopt, say
    assert _hint(techfile("check", "--no-cache", cwd=root).err) == []


@pytest.mark.parametrize("args", [["-q"], ["--format", "json"], ["--format", "sarif"]])
def test_no_hint_when_quiet_or_for_machines(tree: Any, techfile: Any, args: list[str]) -> None:
    root = _untyped(tree, 3)
    assert _hint(techfile("check", "--no-cache", *args, cwd=root).err) == []


def test_no_hint_when_most_files_are_typed(tree: Any, techfile: Any) -> None:
    root = _untyped(tree, 1, typed=2)
    assert _hint(techfile("check", "--no-cache", cwd=root).err) == []


# --- template --------------------------------------------------------------------------------


def test_templates_used_as_is_state_no_empty_value(tree: Any, techfile: Any) -> None:
    names = sorted(type_registry().types)
    files = {f"{name}.md": techfile("template", name).out for name in names}
    root = tree(files)
    result = techfile("check", "--no-cache", "--format", "json", cwd=root)
    findings = result.json()["findings"]
    assert findings, "the templates are incomplete documents, so something is reported"
    empty = [f["message"] for f in findings if EMPTY_VALUE.search(f["message"])]
    assert not empty, empty[:5]


def test_the_empty_value_pattern_catches_what_templates_used_to_cause() -> None:
    for message in (
        "`approvals[0].date` is '', which is not a valid date",
        "security requirement  in security-requirements.md has no test",
        "`waivers.item` of ifu.md refers to , which exists in several documents",
    ):
        assert EMPTY_VALUE.search(message), message


def test_a_template_uncommented_lists_every_key_with_its_placeholder(techfile: Any) -> None:
    out = techfile("template", "threat-model").out
    live = yaml.safe_load(out[4:-4])
    assert live == {"type": "threat-model", "status": "draft"}
    uncommented = COMMENTED_OUT.sub("", out[4:-4])
    threat = yaml.safe_load(uncommented)["threats"][0]
    assert {"id", "safety_impact", "mitigations"} <= set(threat)


def test_template_without_a_type_lists_the_types(techfile: Any) -> None:
    result = techfile("template")
    assert result.code == 0
    listed = {line.split()[0] for line in result.out.splitlines()}
    assert listed == set(type_registry().types)
    assert "techfile template TYPE" in result.err


# --- explain ---------------------------------------------------------------------------------


def test_explain_suggests_the_nearest_codes(techfile: Any) -> None:
    result = techfile("explain", "EV01")
    assert result.code == 2
    assert "did you mean EV001" in result.err


def test_explain_of_a_family_prefix_names_its_rules(techfile: Any) -> None:
    result = techfile("explain", "sdl")
    assert result.code == 2
    assert "SDL001 to SDL009" in result.err


def test_explain_shows_the_options_and_their_types(techfile: Any) -> None:
    out = techfile("explain", "SDL004").out
    assert "[rules.SDL004]" in out
    assert "max-age-months = 12  (a whole number of months, at least 1)" in out
