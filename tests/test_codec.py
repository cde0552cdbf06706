"""The parse cache's encoding gives back exactly the parsed file it was given."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from techfile.data.resources import bundled
from techfile.intake import codec
from techfile.intake.config import load_config, parse_settings
from techfile.intake.parse import parse_bytes

FILES = sorted(
    [*bundled("fixtures").rglob("*.md"), *(bundled("examples") / "connected-samd").rglob("*.md")]
)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(p.parents[2])))
def test_round_trip(path: Path) -> None:
    settings = parse_settings(load_config(path.parent, None))
    parsed = parse_bytes(path.name, path.read_bytes(), settings)
    encoded = json.loads(json.dumps(codec.encode(parsed)))
    assert codec.decode(encoded) == parsed


def test_items_from_elsewhere_keep_their_own_path_and_lines() -> None:
    text = b"---\nid: RA-1\ntype: risk-analysis\n---\n\n| ID | Hazard |\n|---|---|\n| R-1 | x |\n"
    settings = parse_settings(load_config(Path("."), None))
    parsed = parse_bytes("risk.md", text, settings)
    assert parsed.document is not None
    [item] = parsed.document.items["risks"]
    item.path, item.doc_id, item.lines = "risks.csv", None, {"hazard": 3}
    decoded = codec.decode(json.loads(json.dumps(codec.encode(parsed))))
    assert decoded == parsed
