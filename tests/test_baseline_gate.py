"""The baseline as a gate: fingerprints are unique and stable, and a baseline never hides a new
occurrence of a finding (phpstan-like counts per file), whatever tree it was written for."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import NO_CORPUS, REALWORLD, CliResult
from techfile.cli import main
from techfile.data.severity import Severity
from techfile.engine.pipeline import RunOptions
from techfile.engine.run import run
from techfile.intake.config import load_config
from techfile.model.finding import Finding, Location, number_occurrences, stable_message

Run = Callable[..., CliResult]
Tree = Callable[..., Path]
CONFIG = 'as-of = "2026-01-15"\nselect = ["ID"]\n'
BASELINE = ".techfile-baseline.json"


def _finding(**changes: object) -> Finding:
    base = Finding(
        "ID002",
        Severity.ERROR,
        "`evidence` of 3(b) in GSPR-001 refers to Risk Table, which is not in the technical file",
        Location("regulatory/gspr.md", 11, 0, "GSPR-001", "3(b)"),
        "MDR Annex I 3(b)",
        ("evidence", "Risk Table"),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


# --- the fingerprint -------------------------------------------------------------------------


def test_different_findings_never_share_a_fingerprint() -> None:
    base = _finding()
    variants = [
        base,
        replace(base, code="ID003"),
        replace(base, location=replace(base.location, path="regulatory/other.md")),
        replace(base, location=replace(base.location, doc_id="GSPR-002")),
        replace(base, location=replace(base.location, item_id="4(b)")),
        replace(base, location=replace(base.location, item_id="23.4(b)")),
        replace(base, clause="MDR Annex I 4(b)"),
        replace(base, key=("evidence", "Risk Tables")),
        replace(base, message=base.message.replace("Risk Table", "Risk Report")),
    ]
    assert len({f.fingerprint for f in variants}) == len(variants)


def test_lines_counts_and_hints_are_not_part_of_the_identity() -> None:
    base = _finding()
    moved = replace(base, location=replace(base.location, line=74))
    assert moved.fingerprint == base.fingerprint
    assert stable_message("(line 5) in 12 days; (and 1 later commit)") == stable_message(
        "(line 9) in 3 days; (and 2 later commits)"
    )
    assert stable_message("SOUP-03 is not in the file (did you mean SOUP-01?); a") == (
        stable_message("SOUP-03 is not in the file (did you mean SOUP-04?); a")
    )
    # ids, versions, dates and clauses stay: they name the defect
    for one, other in [("R-12", "R-13"), ("2.0", "2.1"), ("2025-11-20", "2025-11-21")]:
        assert stable_message(f"a {one} b") != stable_message(f"a {other} b")
    assert _finding(key=("items[0].requirements",)).identity == (
        _finding(key=("items[3].requirements",)).identity
    )


def test_identical_findings_are_numbered_in_the_order_of_their_places() -> None:
    first, second = _finding(), _finding(location=replace(_finding().location, line=40))
    numbered = number_occurrences([second, first, _finding(code="ID003")])
    by_line = {f.location.line: f for f in numbered if f.code == "ID002"}
    assert by_line[11].occurrence == 1 and by_line[40].occurrence == 2
    assert by_line[11].fingerprint == first.identity  # the first keeps the plain identity
    assert len({f.fingerprint for f in numbered}) == 3
    # lines moved above both: the same numbers; numbering again changes nothing
    shifted = [replace(f, location=replace(f.location, line=f.location.line + 7)) for f in numbered]
    assert [f.fingerprint for f in number_occurrences(shifted)] == [f.fingerprint for f in numbered]
    # the same place twice (one target cited twice in one row): two fingerprints
    assert len({f.fingerprint for f in number_occurrences([first, first])}) == 2


# --- small technical files -------------------------------------------------------------------

SRS_HEAD = """---
id: {id}
type: software-requirements
title: Software requirements {id}
version: "1.0"
status: approved
{references}---

# Software requirements
{preamble}
| ID | Requirement | Verified by |
|---|---|---|
"""
TR_HEAD = """---
id: {id}
type: test-report
title: Test report {id}
version: "1.0"
status: approved
software_version: "1.0.0"
{references}---

# Test report
{preamble}
| Test case ID | Title | Result | Requirement(s) |
|---|---|---|---|
"""


@dataclass
class Doc:
    """A document with one table: rows are (id, [cited ids])."""

    path: str
    id: str
    kind: str  # "srs" | "tr"
    rows: list[tuple[str, list[str]]]
    references: list[str] = field(default_factory=list)
    preamble: int = 0  # paragraphs above the table

    def text(self) -> str:
        refs = "".join(f"  - {r}\n" for r in self.references)
        head = SRS_HEAD if self.kind == "srs" else TR_HEAD
        text = head.format(
            id=self.id,
            references=f"references:\n{refs}" if refs else "",
            preamble="".join(f"\nParagraph {n}.\n" for n in range(self.preamble)),
        )
        for row_id, cited in self.rows:
            cell = ", ".join(cited)
            if self.kind == "srs":
                text += f"| {row_id} | The software does {row_id}. | {cell} |\n"
            else:
                text += f"| {row_id} | Test of {row_id} | pass | {cell} |\n"
        return text


def _write(root: Path, docs: list[Doc]) -> None:
    root.mkdir(parents=True, exist_ok=True)
    (root / ".techfile.toml").write_text(CONFIG, encoding="utf-8")
    for doc in docs:
        (root / doc.path).parent.mkdir(parents=True, exist_ok=True)
        (root / doc.path).write_text(doc.text(), encoding="utf-8")


def _cli(*args: str) -> CliResult:
    """techfile in-process, output captured (usable inside a hypothesis example)."""
    out, err = io.StringIO(), io.StringIO()
    with (
        mock.patch.dict(os.environ, {"TECHFILE_DEBUG": "1"}),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        code = main(list(args))
    return CliResult(code, out.getvalue(), err.getvalue())


def _base_docs() -> list[Doc]:
    return [
        Doc(
            "software/srs.md",
            "SRS-001",
            "srs",
            [("SWR-1", ["TC-1"]), ("SWR-2", ["TC-90", "TC-90"]), ("SWR-3", ["TC-90"])],
            ["RMR-090"],
        ),
        Doc("verification/tr.md", "TR-001", "tr", [("TC-1", ["SWR-1", "SWR-91"])]),
    ]


def _fingerprints(root: Path, *args: str) -> Counter[str]:
    result = _cli("check", str(root), "--no-cache", "--format", "gitlab", *args)
    assert result.code == 1, result.err
    return Counter(issue["fingerprint"] for issue in json.loads(result.out))


# "`verified_by` of SWR-3 in SRS-001 refers to TC-90, which ..." (one place) or
# "SRS-001 cites TC-90 in 3 places (lines 16, 17), which ..." (one finding for them all)
CITES = re.compile(r"(?:refers to (?P<one>[^,\s]+),|cites (?P<many>\S+) in (?P<n>\d+) places)")


def _places(message: str) -> tuple[str, int]:
    """The missing target an ID002 message names, and how many places cite it."""
    found = CITES.search(message)
    assert found is not None, message
    if found["one"]:
        return found["one"], 1
    return found["many"], int(found["n"])


def _line_of(doc: Doc, prefix: str) -> int:
    return next(n for n, line in enumerate(doc.text().split("\n"), 1) if line.startswith(prefix))


def test_fingerprints_survive_moved_lines_unrelated_rows_and_jobs(tmp_path: Path) -> None:
    docs = _base_docs()
    _write(tmp_path / "tf", docs)
    before = _fingerprints(tmp_path / "tf")
    # unique; TC-90, cited twice in SWR-2 and once in SWR-3, is one finding with three places
    assert len(before) == sum(before.values()) == 3
    docs[0].preamble = 3  # lines move above every finding
    docs[0].rows.insert(0, ("SWR-0", ["TC-1"]))  # an unrelated row, above the others
    docs[1].rows.append(("TC-2", ["SWR-2"]))  # and one below
    _write(tmp_path / "tf", docs)
    assert _fingerprints(tmp_path / "tf") == before
    assert _fingerprints(tmp_path / "tf", "--jobs", "2") == before


def _baseline(root: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads((root / BASELINE).read_text(encoding="utf-8"))
    return data


def test_baseline_counts_occurrences_and_never_hides_a_new_one(tmp_path: Path) -> None:
    root = tmp_path / "tf"
    docs = _base_docs()
    _write(root, docs)
    assert _cli("baseline", "write", str(root), "--reason", "adopting", "--no-cache").code == 0
    data = _baseline(root)
    assert data["version"] == 2 and data["reason"] == "adopting"
    entries = data["findings"]
    assert isinstance(entries, list)
    counts = sorted(
        (_places(e["message"])[0], e["count"]) for e in entries if e["path"] == "software/srs.md"
    )
    # TC-90 cited twice in SWR-2 and once in SWR-3: one finding, three occurrences
    assert counts == [("RMR-090", 1), ("TC-90", 3)]
    assert all({"fingerprint", "root", "code", "message"} <= set(e) for e in entries)
    assert _cli("check", str(root), "--no-cache").code == 0

    docs[0].rows[1] = ("SWR-2", ["TC-90", "TC-90", "TC-90"])  # a third citation in the row
    _write(root, docs)
    third = _cli("check", str(root), "--no-cache")
    swr2 = _line_of(docs[0], "| SWR-2 |")
    assert third.code == 1 and len(third.out.splitlines()) == 1
    assert f"cites TC-90 in 4 places (lines {swr2}, {swr2 + 1})" in third.out  # SWR-2, SWR-3

    docs[0].rows[1] = ("SWR-2", ["TC-90"])  # two fixed: the row cites it once
    _write(root, docs)
    fixed = _cli("check", str(root), "--no-cache")
    assert fixed.code == 0 and "1 baselined finding(s) are gone" in fixed.err

    pruned = _cli("baseline", "prune", str(root), "--no-cache")
    assert pruned.code == 0, pruned.err
    after = _baseline(root)
    assert (after["reason"], after["created"]) == ("adopting", data["created"])
    tc90 = [e for e in after["findings"] if " TC-90 " in e["message"]]  # type: ignore[attr-defined]
    assert [e["count"] for e in tc90] == [2]  # SWR-2 and SWR-3 cite it once each
    docs[0].rows[1] = ("SWR-2", ["TC-90", "TC-90"])  # what the baseline once accepted: new now
    _write(root, docs)
    assert _cli("check", str(root), "--no-cache").code == 1


def test_prune_accepts_nothing_new(tmp_path: Path) -> None:
    root = tmp_path / "tf"
    docs = _base_docs()
    _write(root, docs)
    _cli("baseline", "write", str(root), "--reason", "adopting", "--no-cache")
    docs[1].rows.append(("TC-2", ["SWR-92"]))  # new
    docs[0].references = []  # fixed
    _write(root, docs)
    assert _cli("baseline", "prune", str(root), "--no-cache").code == 0
    entries = _baseline(root)["findings"]
    assert isinstance(entries, list) and len(entries) == 2  # TC-90 (three places), SWR-91
    assert not any("SWR-92" in e["message"] or "RMR-090" in e["message"] for e in entries)
    again = _cli("check", str(root), "--no-cache")
    assert again.code == 1 and "SWR-92" in again.out and len(again.out.splitlines()) == 1

    docs[0].rows.append(("SWR-4", ["TC-90"]))  # a fourth place of a baselined finding
    _write(root, docs)

    def accepted() -> list[tuple[str, int]]:
        entries = _baseline(root)["findings"]
        assert isinstance(entries, list)
        return sorted((e["fingerprint"], e["count"]) for e in entries)

    before = accepted()
    assert _cli("baseline", "prune", str(root), "--no-cache").code == 0
    assert accepted() == before  # the three accepted places still occur
    grown = _cli("check", str(root), "--no-cache")
    assert grown.code == 1 and "cites TC-90 in 4 places" in grown.out
    assert "are gone" not in grown.err  # nothing accepted went away
    docs[0].rows.pop()  # back to the three accepted places: only the new SWR-92 is reported
    _write(root, docs)
    back = _cli("check", str(root), "--no-cache")
    assert "TC-90" not in back.out and "SWR-92" in back.out and len(back.out.splitlines()) == 1


def test_prune_without_a_baseline_is_an_error(tmp_path: Path) -> None:
    _write(tmp_path / "tf", _base_docs())
    result = _cli("baseline", "prune", str(tmp_path / "tf"), "--no-cache")
    assert result.code == 2 and "no .techfile-baseline.json" in result.err


GSPR = """---
id: GSPR-001
type: gspr-checklist
title: GSPR checklist
version: "1.0"
status: approved
---

# GSPR checklist

| GSPR | Applicable | Justification | Evidence |
|---|---|---|---|
"""
DRAFT = """---
id: TM-001
type: threat-model
title: Threat model
version: "0.1"
status: draft
---

# Threat model
"""


def test_a_grouped_finding_counts_each_of_its_places(tree: Tree, techfile: Run) -> None:
    """EV003 groups every row that cites one draft into one finding: a new row citing it is
    a new occurrence, a row fixed is one occurrence gone."""
    rows = ["| 17.2 | yes | Software | TM-001 |", "| 17.4 | yes | Software | TM-001 |"]
    files = {".techfile.toml": 'as-of = "2026-01-15"\nselect = ["EV003"]\n', "tm.md": DRAFT}
    root = tree({**files, "gspr.md": GSPR + "\n".join(rows) + "\n"})
    first = techfile("check", "--no-cache", "--format", "json", cwd=root).json()["findings"]
    assert [(f["code"], len(f["related"])) for f in first] == [("EV003", 1)]
    assert techfile("baseline", "write", "--reason", "adopting", "--no-cache", cwd=root).code == 0
    assert [e["count"] for e in _baseline(root)["findings"]] == [2]  # type: ignore[attr-defined]
    grown = [*rows, "| 18.8 | yes | Software | TM-001 |"]
    (root / "gspr.md").write_text(GSPR + "\n".join(grown) + "\n", encoding="utf-8")
    assert techfile("check", "--no-cache", cwd=root).code == 1
    (root / "gspr.md").write_text(GSPR + rows[1] + "\n", encoding="utf-8")
    shrunk = techfile("check", "--no-cache", cwd=root)
    assert shrunk.code == 0 and "1 baselined finding(s) are gone" in shrunk.err


def test_a_format_1_baseline_is_still_read(tmp_path: Path) -> None:
    """Format 1 (no `version`) merged findings that shared the old fingerprint: each of its
    entries accepts one occurrence now, so what it merged is reported, never hidden."""
    root = tmp_path / "tf"
    docs = _base_docs()
    _write(root, docs)
    result = run(load_config(root, root / ".techfile.toml"), RunOptions(use_cache=False))
    # what a format 1 baseline holds: techfile then reported one ID002 per citing row
    rows = {
        (doc.path, _line_of(doc, f"| {row_id} |")): row_id for doc in docs for row_id, _ in doc.rows
    }
    per_row = [
        replace(f, location=row, related=(), message=_row_message(f, row))
        for f in result.findings
        for place in (f.location, *f.related)
        for row in [replace(place, item_id=place.item_id or rows.get((place.path, place.line)))]
    ]
    old = {
        f.legacy_fingerprint: {
            "fingerprint": f.legacy_fingerprint,
            "code": f.code,
            "path": f.location.path,
            "document": f.location.doc_id,
            "item": f.location.item_id,
            "message": f.message,
        }
        for f in per_row
    }
    payload = {"reason": "old", "created": "2025-01-01", "findings": list(old.values())}
    (root / BASELINE).write_text(json.dumps(payload), encoding="utf-8")
    checked = _cli("check", str(root), "--no-cache")
    assert len(per_row) == 5 and len(old) == 4 and checked.code == 1  # four old fingerprints
    assert len(checked.out.splitlines()) == 1 and "cites TC-90 in 3 places" in checked.out
    rewritten = _cli("baseline", "prune", str(root), "--no-cache")
    assert rewritten.code == 0 and _baseline(root)["version"] == 2
    assert _cli("check", str(root), "--no-cache").code == 1  # the merged one stays reported


def _row_message(finding: Finding, place: Location) -> str:
    """The message of one place of `finding` as it was before ID002 grouped its places."""
    if not finding.related:
        return finding.message
    target, _ = _places(finding.message)
    return (
        f"`verified_by` of {place.item_id} in {place.doc_id} refers to {target}, which is not "
        "in the technical file; a reviewer following this trace finds nothing"
    )


def test_an_unknown_baseline_format_says_what_to_do(tmp_path: Path) -> None:
    root = tmp_path / "tf"
    _write(root, _base_docs())
    payload = {"version": 9, "reason": "x", "created": "2030-01-01", "findings": []}
    (root / BASELINE).write_text(json.dumps(payload), encoding="utf-8")
    result = _cli("check", str(root), "--no-cache")
    assert result.code == 2
    assert "format 9" in result.err and "techfile baseline write" in result.err
    (root / BASELINE).write_text('{"version": 2, "findings": [{}]}', encoding="utf-8")
    broken = _cli("check", str(root), "--no-cache")
    assert broken.code == 2 and "rewrite it with `techfile baseline write" in broken.err


# --- property: a baseline never hides one more defect ----------------------------------------

DANGLING = ["SWR-90", "SWR-91", "TC-90", "TC-91", "RMR-090"]  # never defined in a tree


@st.composite
def trees(draw: st.DrawFn) -> list[Doc]:
    """Two to four documents citing each other's rows; some citations dangle, some repeat."""
    docs: list[Doc] = []
    requirements = [f"SWR-{n}" for n in range(1, draw(st.integers(1, 4)) + 1)]
    cases = [f"TC-{n}" for n in range(1, draw(st.integers(1, 4)) + 1)]
    cite_cases = st.lists(st.sampled_from([*cases, "TC-90", "TC-91"]), max_size=3)
    cite_requirements = st.lists(st.sampled_from([*requirements, "SWR-90", "SWR-91"]), max_size=3)
    references = st.lists(st.sampled_from(["RMR-090", "SRS-001", "TR-001"]), max_size=2)
    docs.append(
        Doc(
            "software/srs.md",
            "SRS-001",
            "srs",
            [(r, draw(cite_cases)) for r in requirements],
            draw(references),
            draw(st.integers(0, 1)),
        )
    )
    split = draw(st.integers(1, len(cases)))
    for number, chunk in enumerate((cases[:split], cases[split:]), start=1):
        if chunk:
            rows = [(c, draw(cite_requirements)) for c in chunk]
            docs.append(Doc(f"verification/tr-{number}.md", f"TR-00{number}", "tr", rows))
    return docs


@dataclass(frozen=True)
class Defect:
    kind: str  # "row" | "cell" | "reference" | "document"
    document: int
    position: int
    target: str
    shift: int  # paragraphs added above the tables of the document (lines move)
    unrelated: bool  # also add a row that cites only what exists


defects = st.builds(
    Defect,
    kind=st.sampled_from(["row", "cell", "reference", "document"]),
    document=st.integers(0, 3),
    position=st.integers(0, 5),
    target=st.sampled_from([*DANGLING, "TC-99", "SWR-99"]),
    shift=st.integers(0, 2),
    unrelated=st.booleans(),
)


def _add(docs: list[Doc], defect: Defect) -> tuple[Doc, int]:
    """Apply one defect (one more dangling citation) to `docs`: the document it is in, and
    its line there."""
    doc = docs[defect.document % len(docs)]
    doc.preamble += defect.shift
    if defect.unrelated:
        doc.rows.insert(defect.position % (len(doc.rows) + 1), (_fresh(doc, 70), []))
    if defect.kind == "document":
        docs.append(Doc("verification/tr-9.md", "TR-009", "tr", [("TC-80", [defect.target])]))
        return docs[-1], _line_of(docs[-1], "| TC-80 |")
    if defect.kind == "reference":
        position = defect.position % (len(doc.references) + 1)
        doc.references.insert(position, defect.target)
        return doc, _line_of(doc, "references:") + 1 + position
    if defect.kind == "cell" and doc.rows:
        row_id, cited = doc.rows[defect.position % len(doc.rows)]
        cited.insert(defect.position % (len(cited) + 1), defect.target)
    else:
        row_id = _fresh(doc, 50)
        doc.rows.insert(defect.position % (len(doc.rows) + 1), (row_id, [defect.target]))
    return doc, _line_of(doc, f"| {row_id} |")


def _citations(doc: Doc, target: str) -> int:
    return doc.references.count(target) + sum(cited.count(target) for _, cited in doc.rows)


def _fresh(doc: Doc, start: int) -> str:
    taken = {row_id for row_id, _ in doc.rows}
    prefix = "SWR" if doc.kind == "srs" else "TC"
    return next(f"{prefix}-{n}" for n in range(start, start + 20) if f"{prefix}-{n}" not in taken)


@settings(max_examples=200, deadline=None)
@given(docs=trees(), defect=defects)
def test_a_baseline_never_hides_one_more_defect(docs: list[Doc], defect: Defect) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "tf"
        _write(root, docs)
        written = _cli("baseline", "write", str(root), "--reason", "adopting", "--no-cache")
        assert written.code == 0, written.err
        doc, line = _add(docs, defect)
        _write(root, docs)
        result = _cli("check", str(root), "--no-cache", "--format", "json")
        findings = result.json()["findings"]
        assert result.code == 1, (defect, result.err)
        # the new occurrence, and nothing that only moved: a new finding, or the finding for
        # every citation of the target in the document, which the new place has grown
        assert len(findings) == 1, findings
        found = findings[0]
        places = [found["line"], *(r["line"] for r in found["related"])]
        assert found["path"] == doc.path and found["code"] == "ID002", found
        assert _places(found["message"]) == (defect.target, _citations(doc, defect.target))
        assert len(places) == _citations(doc, defect.target) and line in places, (line, found)


# --- real technical files ----------------------------------------------------------------------

OPENREGULATORY = "openregulatory-templates"
PRESET_OF = {
    OPENREGULATORY: "openregulatory",
    "OpenSaMD": "openregulatory",
    "Fabrizio250-test_ct_covid": "openregulatory",
    "GSTT-CSC-QMS-Template": "gstt",
    "innolitics-rdm": "rdm",
}
CHECKLIST = "templates/general/checklist-mdr.md"
ROW_11_1_B = "| (b) | allow easy and safe handling, | No | Software device |  |  |"


@pytest.mark.skipif(REALWORLD is None, reason=NO_CORPUS)
def test_openregulatory_baseline_reports_a_new_user_manual_citation(
    tmp_path: Path, techfile: Run
) -> None:
    assert REALWORLD is not None
    root = tmp_path / "or"
    shutil.copytree(REALWORLD / OPENREGULATORY, root)
    assert techfile("adopt", cwd=root).code == 0
    assert techfile("baseline", "write", "--reason", "adopting", cwd=root).code == 0
    assert techfile("check", cwd=root).code == 0
    # `Risk Table` is the FMEA Risk Table by its title; `User Manual` is missing, cited in
    # many rows below 11.1(b) and accepted as one finding with all of its places
    accepted = [
        e["count"]
        for e in _baseline(root)["findings"]  # type: ignore[attr-defined]
        if e["path"] == CHECKLIST and " cites User Manual in " in e["message"]
    ]
    assert len(accepted) == 1 and accepted[0] > 1
    checklist = root / CHECKLIST
    lines = checklist.read_text(encoding="utf-8").split("\n")
    row = next(n for n, line in enumerate(lines) if line.startswith(ROW_11_1_B))
    assert 70 <= row + 1 <= 80  # GSPR 11.1(b), around line 74
    lines[row] = lines[row].replace("|  |  |", "|  | User Manual |")
    checklist.write_text("\n".join(lines), encoding="utf-8")
    result = techfile("check", cwd=root)
    assert result.code == 1, result.err
    assert result.lines == [line for line in result.lines if line.startswith(f"{CHECKLIST}:")]
    new = [line for line in result.lines if line.startswith(f"{CHECKLIST}:{row + 1}:")]
    grown = f"cites User Manual in {accepted[0] + 1} places (lines {row + 1}, "
    assert len(new) == 1 and "ID002" in new[0] and grown in new[0], result.out


def _corpus() -> list[str]:
    return sorted(p.name for p in REALWORLD.iterdir() if p.is_dir()) if REALWORLD else []


@pytest.mark.skipif(REALWORLD is None, reason=NO_CORPUS)
@pytest.mark.parametrize("folder", _corpus())
def test_gitlab_fingerprints_are_unique_on_the_corpus(
    folder: str, tmp_path: Path, techfile: Run
) -> None:
    assert REALWORLD is not None
    root = tmp_path / "tf"
    shutil.copytree(REALWORLD / folder, root)
    preset = PRESET_OF.get(folder)
    config = f'preset = "{preset}"\n' if preset else ""
    (root / ".techfile.toml").write_text(config, encoding="utf-8")
    result = techfile("check", "--format", "gitlab", "--no-cache", cwd=root)
    assert result.code in (0, 1), result.err
    fingerprints = Counter(issue["fingerprint"] for issue in result.json())
    assert [f for f, n in fingerprints.items() if n > 1] == []
    assert all(re.fullmatch(r"[0-9a-f]{20}", f) for f in fingerprints)
