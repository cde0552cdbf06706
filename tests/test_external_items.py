"""Items from CSV and YAML data files are held to their list's schema, like table rows."""

from __future__ import annotations

RISK = (
    "---\nid: RA-1\ntype: risk-analysis\n---\n\n# Risks\n\n"
    "```{csv-table} Controls\n:file: controls.csv\n```\n"
)
CONTROLS = (
    "ID,Description,Type\n"
    "RC-1,Alarm on low signal,External measure\n"
    "RC-2,Checksum on every record,inherent-safety\n"
)


def test_a_csv_row_with_a_wrong_value_is_fm004_where_the_file_is_pulled_in(tree, techfile) -> None:
    root = tree({"risk.md": RISK, "controls.csv": CONTROLS})
    result = techfile("check", "--select", "FM", cwd=root)
    assert result.code == 1
    [line] = result.lines
    assert line.startswith("risk.md:8:1: FM004 [error] controls.csv line 2: `type` of RC-1")
    assert "`External measure`, which is not an allowed value" in line


def test_valid_csv_rows_give_nothing(tree, techfile) -> None:
    fixed = CONTROLS.replace("External measure", "protective-measure")
    root = tree({"risk.md": RISK, "controls.csv": fixed})
    assert techfile("check", "--select", "FM", cwd=root).code == 0


DATA_CONFIG = """
[[items-from]]
document = "risk.md"
file = "data/risks.yml"
list = "risks"
key = "risks"
"""
RISK_WITHOUT_TABLE = "---\nid: RA-1\ntype: risk-analysis\n---\n\n# Risks\n"
RISKS_YAML = """risks:
  - id: R-1
    hazard: Wrong tumour size
    hazardous_situation: Oncologist sees a wrong size
    harm: Inappropriate therapy
    severity: [3]
    controls: null
"""


def test_a_yaml_item_with_a_wrong_type_is_fm004_and_a_null_is_an_empty_cell(tree, techfile) -> None:
    root = tree({"risk.md": RISK_WITHOUT_TABLE, "data/risks.yml": RISKS_YAML}, config=DATA_CONFIG)
    result = techfile("check", "--select", "FM004", cwd=root)
    assert result.code == 1
    [line] = result.lines
    assert line.startswith(
        "risk.md:1:1: FM004 [error] data/risks.yml line 6: `severity` of R-1 should be text, "
        "but is a list (risks)"
    )


def test_an_items_from_entry_that_matches_no_document_is_told_once(tree, techfile) -> None:
    """A misspelt `document` glob would leave its data file unread without a word; a preset's
    own entries (OpenSaMD's CSV files under the openregulatory preset) stay quiet, since a tree
    made from the same templates need not have those files."""
    soup = "---\nid: SOUP-1\ntype: soup-list\ntitle: SOUP\n---\n\n# SOUP\n"
    config = (
        'preset = "openregulatory"\n[[items-from]]\ndocument = "docs/soup.md"\nlist = "items"\n'
        'file = "soup.csv"\n'
    )
    root = tree({"soup-list.md": soup, "soup.csv": "name,version\nnumpy,1.26\n"}, config=config)
    result = techfile("check", "--no-cache", cwd=root)
    told = [line for line in result.err.splitlines() if "[[items-from]]" in line]
    assert told == [
        'techfile: [[items-from]] `document = "docs/soup.md"` matches no document of the '
        "technical file, so soup.csv was not read"
    ]
