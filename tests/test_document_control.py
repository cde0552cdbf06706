"""Document-control family (DC001-DC005): approvals, git history, references, reviews,
the document register, and odd input."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import CliResult
from techfile.cli.options import resolve_config
from techfile.engine.pipeline import RunOptions
from techfile.engine.run import run
from techfile.fixture_tree import commit, git
from techfile.model.finding import Finding
from techfile.model.register import effective_approvals, effective_status, is_approved
from techfile.rules.document_control import dc002_changed_after_approval as document_control

Tree = Callable[..., Path]
Run = Callable[..., CliResult]
TOML = 'as-of = "2026-01-15"\n'
REGISTER = 'approval-source = "register"\n'


def doc(front: str, body: str = "") -> str:
    text = f"---\n{textwrap.dedent(front).strip()}\n---\n\n# Document\n"
    return text + ("\n" + textwrap.dedent(body).strip() + "\n" if body else "")


def codes(result: CliResult) -> list[str]:
    return [line.split(": ", 1)[1].split(" ", 1)[0] for line in result.lines]


def check(tree: Tree, techfile: Run, files: dict[str, str], config: str = "", *args: str) -> Any:
    root = tree({".techfile.toml": TOML + config, **files})
    return techfile("check", "--no-cache", *args, cwd=root)


# --- git repositories with fixed dates ------------------------------------------------------


def plan(version: str, approvals: list[str], text: str = "Acceptance criteria A.") -> str:
    listed = "".join(
        f"\n  - by: Dr. Anna Keller\n    role: Head of Quality\n    date: {day}"
        for day in approvals
    )
    head = f"approvals:{listed}" if approvals else ""
    return (
        doc(
            f"""
        id: RMP-001
        type: risk-management-plan
        title: Risk management plan
        version: "{version}"
        status: {"approved" if approvals else "in-review"}
        author: Tobias Brandt
        """
        ).replace("---\n\n#", f"{head}\n---\n\n#")
        + f"\n{text}\n"
    )


def run_dc002(techfile: Run, root: Path, *args: str) -> CliResult:
    (root / ".techfile.toml").write_text(TOML, encoding="utf-8")
    return techfile("check", "--no-cache", "--select", "DC002", *args, cwd=root)


# --- DC002 -----------------------------------------------------------------------------------


def test_change_after_approval_with_the_same_version(tmp_path: Path, techfile: Run) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    commit(root, "2025-11-20T10:00:00+00:00", {"rmp.md": plan("2.0", ["2025-11-20"])})
    commit(root, "2025-12-01T10:00:00+00:00", {"rmp.md": plan("2.0", ["2025-11-20"], "B.")})
    commit(root, "2025-12-02T10:00:00+00:00", {"rmp.md": plan("2.0", ["2025-11-20"], "C.")})
    result = run_dc002(techfile, root)
    assert codes(result) == ["DC002"]
    line = result.lines[0]
    assert line.startswith("rmp.md:5:")  # the version line
    first = git(root, "log", "--format=%h", "--reverse").split()[1]
    assert f"commit {first} of 2025-12-01 (and 1 later commit)" in line
    assert "approved on 2025-11-20 as version 2.0" in line and result.code == 1


def test_commit_on_the_approval_day_is_part_of_the_approved_text(
    tmp_path: Path, techfile: Run
) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    commit(root, "2025-11-20T08:00:00+00:00", {"rmp.md": plan("2.0", ["2025-11-20"])})
    commit(root, "2025-11-20T18:00:00+00:00", {"rmp.md": plan("2.0", ["2025-11-20"], "B.")})
    assert codes(run_dc002(techfile, root)) == []


def test_day_boundaries_are_utc(tmp_path: Path, techfile: Run) -> None:
    """21:00 on the approval day in New York is the next day in UTC: after the approval."""
    root = tmp_path / "repo"
    root.mkdir()
    commit(root, "2025-11-19T10:00:00+00:00", {"rmp.md": plan("2.0", ["2025-11-20"])})
    commit(root, "2025-11-20T21:00:00-05:00", {"rmp.md": plan("2.0", ["2025-11-20"], "B.")})
    assert codes(run_dc002(techfile, root)) == ["DC002"]


def test_raised_version_and_new_approval_are_fine(tmp_path: Path, techfile: Run) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    commit(root, "2025-11-20T10:00:00+00:00", {"rmp.md": plan("2.0", ["2025-11-20"])})
    commit(root, "2025-12-01T10:00:00+00:00", {"rmp.md": plan("2.1", ["2025-11-20"], "B.")})
    assert codes(run_dc002(techfile, root)) == []  # version raised (approval is DC001's etc.)
    commit(root, "2025-12-03T10:00:00+00:00", {"rmp.md": plan("2.1", ["2025-12-03"], "B.")})
    assert codes(run_dc002(techfile, root)) == []


def test_version_raised_in_the_work_tree_silences_it(tmp_path: Path, techfile: Run) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    commit(root, "2025-11-20T10:00:00+00:00", {"rmp.md": plan("2.0", ["2025-11-20"])})
    commit(root, "2025-12-01T10:00:00+00:00", {"rmp.md": plan("2.0", ["2025-11-20"], "B.")})
    assert codes(run_dc002(techfile, root)) == ["DC002"]
    (root / "rmp.md").write_text(plan("2.1", ["2025-11-20"], "B."), encoding="utf-8")
    assert codes(run_dc002(techfile, root)) == []


def test_approval_recorded_later_is_no_change(tmp_path: Path, techfile: Run) -> None:
    """The approval is signed on the 20th and copied into the front-matter on the 22nd,
    with the version raised from the draft's; later edits are reported against that."""
    root = tmp_path / "repo"
    root.mkdir()
    commit(root, "2025-11-18T10:00:00+00:00", {"rmp.md": plan("1.9", [])})
    commit(root, "2025-11-22T10:00:00+00:00", {"rmp.md": plan("2.0", ["2025-11-20"], "A2.")})
    assert codes(run_dc002(techfile, root)) == []
    commit(root, "2025-11-25T10:00:00+00:00", {"rmp.md": plan("2.0", ["2025-11-20"], "B.")})
    result = run_dc002(techfile, root)
    assert codes(result) == ["DC002"] and "of 2025-11-25" in result.out


def test_review_keys_are_no_change(tmp_path: Path, techfile: Run) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    commit(root, "2025-11-20T10:00:00+00:00", {"rmp.md": plan("2.0", ["2025-11-20"])})
    reviewed = plan("2.0", ["2025-11-20"]).replace(
        "status: approved", "status: approved\nnext_review: 2026-11-20"
    )
    commit(root, "2025-12-01T10:00:00+00:00", {"rmp.md": reviewed + "   \n\n"})
    assert codes(run_dc002(techfile, root)) == []


def test_renamed_after_approval_is_followed(tmp_path: Path, techfile: Run) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    commit(root, "2025-11-20T10:00:00+00:00", {"old/rmp.md": plan("2.0", ["2025-11-20"])})
    commit(root, "2025-11-25T10:00:00+00:00", renames={"old/rmp.md": "risk/plan.md"})
    assert codes(run_dc002(techfile, root)) == []  # a rename alone changes nothing
    commit(root, "2025-12-01T10:00:00+00:00", {"risk/plan.md": plan("2.0", ["2025-11-20"], "B.")})
    result = run_dc002(techfile, root)
    assert codes(result) == ["DC002"] and result.lines[0].startswith("risk/plan.md:5:")


def test_file_imported_after_approval(tmp_path: Path, techfile: Run) -> None:
    """A document approved before it came into git: its first commit is the approved text."""
    root = tmp_path / "repo"
    root.mkdir()
    commit(root, "2025-12-01T10:00:00+00:00", {"rmp.md": plan("2.0", ["2024-03-01"])})
    assert codes(run_dc002(techfile, root)) == []
    commit(root, "2025-12-05T10:00:00+00:00", {"rmp.md": plan("2.0", ["2024-03-01"], "B.")})
    assert codes(run_dc002(techfile, root)) == ["DC002"]


def test_root_in_a_subdirectory(tmp_path: Path, techfile: Run) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    commit(root, "2025-11-20T10:00:00+00:00", {"docs/tf/rmp.md": plan("2.0", ["2025-11-20"])})
    commit(root, "2025-12-01T10:00:00+00:00", {"docs/tf/rmp.md": plan("2.0", ["2025-11-20"], "B.")})
    result = run_dc002(techfile, root / "docs" / "tf")
    assert codes(result) == ["DC002"] and result.lines[0].startswith("rmp.md:5:")


def test_register_gives_the_approval_date(tmp_path: Path, techfile: Run) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    body = "Text A."
    unsigned = doc(
        """
        id: SOP-1
        type: qms-procedure
        title: SOP
        version: "3"
        """
    )
    register = doc(
        """
        id: REG-1
        type: document-register
        title: Register
        """,
        """
        | ID | Version | Status | Approved by | Date |
        |---|---|---|---|---|
        | SOP-1 | 3 | approved | Dr. Anna Keller | 2025-11-20 |
        """,
    )
    commit(root, "2025-11-19T10:00:00+00:00", {"sop.md": unsigned + body, "reg.md": register})
    commit(root, "2025-12-01T10:00:00+00:00", {"sop.md": unsigned + "Text B."})
    (root / ".techfile.toml").write_text(TOML + REGISTER, encoding="utf-8")
    result = techfile("check", "--no-cache", "--select", "DC002", cwd=root)
    assert codes(result) == ["DC002"]
    (root / ".techfile.toml").write_text(TOML, encoding="utf-8")
    result = techfile("check", "--no-cache", "--select", "DC002", cwd=root)
    assert codes(result) == []  # without the register the SOP is not approved


def test_uncommitted_document_and_drafts_are_left_alone(tmp_path: Path, techfile: Run) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    commit(root, "2025-11-20T10:00:00+00:00", {"a.md": plan("1.0", [])})
    commit(root, "2025-12-01T10:00:00+00:00", {"a.md": plan("1.0", [], "B.")})
    (root / "new.md").write_text(plan("2.0", ["2025-11-20"]), encoding="utf-8")
    assert codes(run_dc002(techfile, root)) == []


def test_not_a_repository_is_a_notice(tree: Tree, techfile: Run) -> None:
    root = tree({".techfile.toml": TOML, "rmp.md": plan("2.0", ["2025-11-20"])})
    result = techfile("check", "--no-cache", "--select", "DC002", cwd=root)
    assert result.code == 0 and result.out == ""
    assert result.err.count("not a git repository") == 1


def test_shallow_clone_stops_unless_allowed(tmp_path: Path, techfile: Run) -> None:
    origin = tmp_path / "origin"
    origin.mkdir()
    commit(origin, "2025-11-20T10:00:00+00:00", {"rmp.md": plan("2.0", ["2025-11-20"])})
    commit(origin, "2025-12-01T10:00:00+00:00", {"rmp.md": plan("2.0", ["2025-11-20"], "B.")})
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{origin}", str(clone))
    (clone / ".techfile.toml").write_text(TOML, encoding="utf-8")
    result = techfile("check", "--no-cache", "--select", "DC002", cwd=clone)
    assert result.code == 2 and "fetch-depth: 0" in result.err
    assert techfile("check", "--no-cache", "--select", "DC001", cwd=clone).code == 0
    allowed = techfile("check", "--no-cache", "--select", "DC002", "--allow-shallow", cwd=clone)
    assert allowed.code == 0  # one commit seen: the change after approval is cut off


def test_history_and_old_contents_are_read_in_batches(
    tmp_path: Path, techfile: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    names = [f"d{n}.md" for n in range(12)]
    first = {n: plan("2.0", ["2025-11-20"]).replace("RMP-001", n) for n in names}
    commit(root, "2025-11-20T10:00:00+00:00", dict(first))
    commit(root, "2025-12-01T10:00:00+00:00", {n: t + "B.\n" for n, t in first.items()})
    commit(root, "2025-12-02T10:00:00+00:00", {n: t + "C.\n" for n, t in first.items()})
    calls: list[int] = []
    original = document_control.read_blobs

    def counting(root_: Path, specs: list[tuple[str, str]]) -> dict[tuple[str, str], bytes]:
        calls.append(len(specs))
        return original(root_, specs)

    monkeypatch.setattr(document_control, "read_blobs", counting)
    result = run_dc002(techfile, root)
    assert codes(result) == ["DC002"] * len(names)
    assert len(calls) == 2  # the file at approval and now; then the commits in between


def test_bundled_example_history_is_not_read(techfile: Run) -> None:
    result = techfile("check", "--example", "--select", "DC002")
    assert result.code == 0 and result.out == "" and "git" not in result.err


# --- DC001 -----------------------------------------------------------------------------------


def test_dc001_register_entry(tree: Tree, techfile: Run) -> None:
    register = doc(
        """
        id: REG-1
        type: document-register
        title: Register
        """,
        """
        | ID | Version | Status | Approved by | Date |
        |---|---|---|---|---|
        | SOP-1 |  | approved | Dr. Anna Keller | 2025-11-20 |
        | SOP-2 | 1.0 | approved |  | 20.11.2025 |
        | SOP-3 | 1.0 | approved | Dr. Anna Keller | 2025-11-20 |
        """,
    )
    sop = "---\nid: {id}\ntype: qms-procedure\ntitle: SOP\nstatus: draft\n---\n\n# SOP\n"
    files = {"reg.md": register, **{f"s{n}.md": sop.format(id=f"SOP-{n}") for n in (1, 2, 3)}}
    result = check(tree, techfile, files, REGISTER, "--select", "DC001")
    assert codes(result) == ["DC001", "DC001"]
    assert result.lines[0].startswith("reg.md:") and "has no `version`" in result.lines[0]
    assert "names no approver" in result.lines[1] and "`20.11.2025`" in result.lines[1]
    assert "register" in result.lines[1]
    assert check(tree, techfile, files, "", "--select", "DC001").out == ""  # drafts


def test_dc001_odd_values_never_crash(tree: Tree, techfile: Run) -> None:
    files = {
        "a.md": doc("id: A\ntype: qms-procedure\nstatus: approved\napprovals: yes"),
        "b.md": doc("id: B\ntype: qms-procedure\nstatus: approved\nversion: 2\napprovals: [x, 3]"),
        "c.md": doc("id: C\ntype: qms-procedure\nstatus: [approved]\napprovals: {by: x}"),
        "d.md": doc('id: D\ntype: qms-procedure\nstatus: Approved\nversion: "1"\napprovals: []'),
    }
    result = check(tree, techfile, files, "", "--select", "DC")
    assert result.code in (0, 1)
    assert [line.split(":")[0] for line in result.lines if "DC001" in line] == [
        "a.md",
        "b.md",
        "d.md",
    ]


# --- DC003 -----------------------------------------------------------------------------------


def test_dc003_register_status_and_row_evidence(tree: Tree, techfile: Run) -> None:
    approved = (
        "approvals:\n  - by: Dr. Anna Keller\n    role: Head of Quality\n    date: 2025-11-20"
    )
    files = {
        "report.md": doc(
            f'id: RMR-1\ntype: risk-management-report\nversion: "1"\nstatus: approved\n'
            f"{approved}\nreferences: [RA-1, SOP-9]"
        ),
        "ra.md": doc("id: RA-1\ntype: risk-analysis\nstatus: approved"),
        "sop.md": doc("id: SOP-9\ntype: qms-procedure\nstatus: approved"),
        "reg.md": doc(
            "id: REG-1\ntype: document-register",
            "| ID | Status |\n|---|---|\n| SOP-9 | obsolete |",
        ),
        "gspr.md": doc(
            f'id: GSPR-1\ntype: gspr-checklist\nversion: "1"\nstatus: approved\n{approved}',
            "| GSPR | Applicable | Evidence |\n|---|---|---|\n| 1 | yes | SOP-9 |",
        ),
    }
    result = check(tree, techfile, files, REGISTER, "--select", "DC003,EV003")
    assert codes(result) == ["EV003", "DC003"]
    assert result.lines[1].startswith("report.md:") and "SOP-9" in result.lines[1]
    assert check(tree, techfile, files, "", "--select", "DC003").out == ""


# --- DC004 -----------------------------------------------------------------------------------


def test_dc004_threat_models_belong_to_sdl004_once_released(tree: Tree, techfile: Run) -> None:
    tm = doc("id: TM-1\ntype: threat-model\nstatus: approved\nnext_review: 2025-06-01")
    release = doc("id: REL-1\ntype: release-record\nstatus: approved")
    assert codes(check(tree, techfile, {"tm.md": tm}, "", "--select", "DC004")) == ["DC004"]
    both = {"tm.md": tm, "rel.md": release}
    assert codes(check(tree, techfile, both, "", "--select", "DC004")) == []


def test_dc004_boundaries_and_odd_values(tree: Tree, techfile: Run) -> None:
    files = {
        "due-today.md": doc("id: A\ntype: qms-procedure\nnext_review: 2026-01-15"),
        "yesterday.md": doc("id: B\ntype: qms-procedure\nnext_review: 2026-01-14"),
        "number.md": doc("id: C\ntype: qms-procedure\nnext_review: 20260101"),
        "draft.md": doc("id: D\ntype: qms-procedure\nstatus: draft\nnext_review: 2020-01-01"),
        "obsolete.md": doc("id: E\ntype: qms-procedure\nstatus: obsolete\nnext_review: 2020-01-01"),
    }
    result = check(tree, techfile, files, "", "--select", "DC004")
    assert [line.split(":")[0] for line in result.lines] == ["yesterday.md"]
    assert "1 day before 2026-01-15" in result.out


# --- DC005 -----------------------------------------------------------------------------------


def test_dc005_register_and_odd_values(tree: Tree, techfile: Run) -> None:
    files = {
        "sop.md": doc('id: SOP-1\ntype: qms-procedure\nversion: "1"\nauthor: Tobias Brandt'),
        "reg.md": doc(
            "id: REG-1\ntype: document-register",
            "| ID | Status | Approved by | Date |\n|---|---|---|---|\n"
            "| SOP-1 | approved | tobias  BRANDT | 2025-11-20 |",
        ),
        "odd.md": doc(
            "id: X\ntype: qms-procedure\nstatus: approved\nauthor: {name: x}\n"
            "approvals: [{by: [x]}]"
        ),
    }
    result = check(tree, techfile, files, REGISTER, "--select", "DC005")
    assert codes(result) == ["DC005"]
    assert result.lines[0].startswith("reg.md:") and "Tobias Brandt" in result.lines[0]
    assert "register entry" in result.lines[0]


# --- the register helper ---------------------------------------------------------------------


def test_register_helper_falls_back_to_front_matter(
    tree: Tree, monkeypatch: pytest.MonkeyPatch
) -> None:
    from techfile.engine.pipeline import RunOptions
    from techfile.engine.run import evaluate
    from techfile.intake.config import load_config
    from techfile.intake.sources import WorkTree

    files = {
        "a.md": doc(
            "id: A\ntype: qms-procedure\nstatus: approved\n"
            "approvals: [{by: X, role: Y, date: 2025-01-02}]"
        ),
        "b.md": doc("id: B\ntype: qms-procedure\nstatus: draft"),
        "reg.md": doc(
            "id: REG-1\ntype: document-register",
            "| ID | Status | Approved by | Date |\n|---|---|---|---|\n"
            "| B | Approved | P; Q | 2025-03-04 |",
        ),
    }
    root = tree({".techfile.toml": TOML + REGISTER, **files})
    config = load_config(root, root / ".techfile.toml")
    captured: dict[str, Any] = {}

    def spy(ctx: Any) -> list[Any]:
        captured["ctx"] = ctx
        return []

    from techfile.rules import registry
    from techfile.rules.base import RuleSpec

    monkeypatch.setattr(registry, "registered", lambda: [RuleSpec(("DC001",), spy)])
    evaluate(config, RunOptions(select=("DC001",)), WorkTree(root, 10_000_000))
    ctx = captured["ctx"]
    a, b = ctx.index.document("A"), ctx.index.document("B")
    assert effective_status(ctx, a) == "approved" and is_approved(ctx, b)
    assert [x.by for x in effective_approvals(ctx, b)] == ["P", "Q"]
    assert [str(x.date) for x in effective_approvals(ctx, a)] == ["2025-01-02"]


def test_documents_the_register_withdraws_are_left_out(tree: Tree, techfile: Run) -> None:
    files = {
        "sop.md": doc("id: SOP-1\ntype: qms-procedure\nnext_review: 2025-01-01"),
        "reg.md": doc(
            "id: REG-1\ntype: document-register",
            "| ID | Status |\n|---|---|\n| SOP-1 | obsolete |",
        ),
    }
    assert codes(check(tree, techfile, files, "", "--select", "DC004")) == ["DC004"]
    assert check(tree, techfile, files, REGISTER, "--select", "DC004").out == ""


def explained(root: Path, code: str) -> list[Finding]:
    """The rule's findings with their `why` and `fix`, which the text format does not show."""
    config, _ = resolve_config((str(root),), False)
    return [f for f in run(config, RunOptions((code,), use_cache=False)).findings if f.code == code]


def test_dc002_keeps_the_approval_in_the_message_and_the_advice_apart(
    tmp_path: Path, techfile: Run
) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    commit(root, "2025-11-20T10:00:00+00:00", {"rmp.md": plan("2.0", ["2025-11-20"])})
    commit(root, "2025-12-01T10:00:00+00:00", {"rmp.md": plan("2.0", ["2025-11-20"], "B.")})
    (root / ".techfile.toml").write_text(TOML, encoding="utf-8")
    (finding,) = explained(root, "DC002")
    assert "was approved on 2025-11-20 as version 2.0" in finding.message
    assert finding.message.endswith("changed its content, and `version` is still 2.0")
    assert finding.why.startswith("ISO 13485:2016 4.2.4 expects changes to a document")
    assert finding.fix == "Raise the version and have the change approved, or undo the change."
