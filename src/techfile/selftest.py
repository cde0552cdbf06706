"""`techfile self-test`: run the shipped rule fixtures against the installed techfile and write
a validation record (operational qualification evidence for ISO 13485:2016 4.1.6).

A fixture is a directory `CODE-name/{fail,pass}/` holding a mini technical file and
`expected.txt`, the exact standard output of `techfile check --select CODE` run in that
directory. The self-test runs each one in this process, with the installed code and data, and
compares byte for byte. Each fixture is first made into a technical file in a scratch
directory (`fixture_tree.materialise`: its symbolic links and git history, which a wheel
cannot carry, are made there), so nothing is written into the installed fixtures.
"""

from __future__ import annotations

import datetime
import importlib.metadata
import platform
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from techfile import __version__
from techfile.data.pages import RulePage, load_pages
from techfile.engine.pipeline import RunOptions
from techfile.engine.run import run
from techfile.fixture_tree import FixtureError, materialise, read_fixture_file
from techfile.formatters import text
from techfile.intake.config import find_root, load_config
from techfile.model.config import CACHE_DIR
from techfile.report.gather import input_hash
from techfile.util.escape import shown

SKIP_DIRS = frozenset({CACHE_DIR})
_REQUIREMENT_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")

INTENDED_USE = (
    "techfile checks an EU MDR technical file kept as Markdown with YAML front-matter in git "
    "for classification, structure and traceability defects: which document is cited as "
    "evidence for which clause (and whether its evidence class fits the clause), whether "
    "security threats with a safety impact reach the ISO 14971 risk file, whether identifiers "
    "and references resolve, and whether every file can be read. Its findings support the "
    "review of technical documentation before approval and before a notified-body "
    "submission; a team may use it as an automated check in that review (for example as a "
    "required CI check before a document is approved)."
)
LIMITS = (
    "techfile does not judge whether the content of a document is adequate, correct or "
    "complete: a threat model that is present, approved and traced can still be a poor threat "
    "model. Zero findings is not conformity. techfile does not replace the review and approval "
    "of documents by qualified people, the manufacturer's own regulatory assessment, or the "
    "notified body's. It checks only what is in the files it loads, with the clause registry "
    "and rule set of this version (listed below)."
)


@dataclass(frozen=True)
class FixtureResult:
    name: str  # CODE-name
    case: str  # fail | pass
    code: str
    expected: str
    actual: str
    passed: bool
    problem: str  # why it failed, "" when it passed


@dataclass(frozen=True)
class SelfTest:
    date: datetime.date
    fixtures_dir: Path
    fixtures_hash: str
    results: tuple[FixtureResult, ...]
    pages: dict[str, RulePage]

    @property
    def passed(self) -> bool:
        return bool(self.results) and all(r.passed for r in self.results)

    @property
    def failures(self) -> tuple[FixtureResult, ...]:
        return tuple(r for r in self.results if not r.passed)


def fixture_cases(fixtures: Path) -> list[Path]:
    return sorted(p.parent for p in fixtures.glob("*/*/expected.txt"))


def run_case(case: Path) -> FixtureResult:
    name, kind = case.parent.name, case.name
    code = name.split("-", 1)[0]
    expected = ""
    try:
        if case.parent.is_symlink():
            raise FixtureError(f"{case.parent} is a symbolic link")
        expected = read_fixture_file(case, "expected.txt").decode("utf-8")
        with tempfile.TemporaryDirectory(prefix="techfile-self-test-") as scratch:
            actual = _check(materialise(case, Path(scratch) / "case"), code)
    except Exception as problem:  # a crash is a failed fixture, recorded with its cause
        return FixtureResult(
            name, kind, code, expected, "", False, f"{type(problem).__name__}: {problem}"
        )
    if actual != expected:
        why = "the output differs from expected.txt"
    elif kind == "fail" and code not in actual:
        why = f"a fail fixture must produce {code}"
    elif kind == "pass" and code in actual:
        why = f"a pass fixture must not produce {code}"
    else:
        why = ""
    return FixtureResult(name, kind, code, expected, actual, not why, why)


def _check(case: Path, code: str) -> str:
    """The standard output of `techfile check --select CODE` run in `case`."""
    root, source = find_root(case)
    config = load_config(root, source)
    return text.render(run(config, RunOptions(select=(code,), use_cache=False)))


def self_test(fixtures: Path, date: datetime.date) -> SelfTest:
    cases = fixture_cases(fixtures)
    return SelfTest(
        date=date,
        fixtures_dir=fixtures,
        fixtures_hash=input_hash(_tree(fixtures)),
        results=tuple(run_case(case) for case in cases),
        pages=load_pages(),
    )


def _tree(root: Path) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if SKIP_DIRS.intersection(rel.parts) or path.is_symlink() or not path.is_file():
            continue
        try:
            files[rel.as_posix()] = path.read_bytes()
        except OSError:
            continue
    return files


# --------------------------------------------------------------------------------------------
# Environment


def dependency_versions() -> list[tuple[str, str]]:
    """techfile's runtime dependencies and theirs (extras left out), with installed versions."""
    seen: dict[str, str] = {}
    pending = ["techfile"]
    while pending:
        name = pending.pop()
        try:
            requires = importlib.metadata.requires(name) or []
        except importlib.metadata.PackageNotFoundError:
            continue
        for requirement in requires:
            if "extra ==" in requirement.replace('"', "'").replace("extra==", "extra =="):
                continue
            match = _REQUIREMENT_NAME.match(requirement)
            if match is None:
                continue
            dep = match.group(1)
            key = dep.casefold().replace("_", "-")
            if key in seen:
                continue
            try:
                seen[key] = importlib.metadata.version(dep)
            except importlib.metadata.PackageNotFoundError:
                seen[key] = "not installed"
                continue
            pending.append(dep)
    return sorted(seen.items())


def _libyaml() -> str:
    import yaml

    return "yes" if getattr(yaml, "__with_libyaml__", False) else "no (pure-Python parser)"


# --------------------------------------------------------------------------------------------
# The record


def _fence(body: str) -> str:
    longest = max((len(m) for m in re.findall(r"`+", body)), default=0)
    return "`" * max(3, longest + 1)


def _cell(value: str) -> str:
    return " ".join(value.replace("|", "\\|").split())


def render(record: SelfTest, command: str) -> str:
    results = record.results
    failed = record.failures
    verdict = "PASS" if record.passed else "FAIL"
    package = Path(__file__).resolve().parent
    lines = [
        "# techfile validation record",
        "",
        "Operational qualification (OQ) evidence for techfile as software used in the quality "
        "management system (ISO 13485:2016 4.1.6). This record is one part of the "
        "validation of techfile for its use in your QMS, not all of it: it shows that the "
        "installed version produces the expected findings on its shipped test cases in this "
        "environment. The intended-use definition, the risk-based rationale, any "
        "installation and performance qualification on your own technical file, and the "
        "review and approval of this record are yours.",
        "",
        "| | |",
        "|---|---|",
        f"| Result | **{verdict}**: {len(results) - len(failed)} of {len(results)} fixtures "
        "gave their expected output |",
        f"| Date of the run | {record.date.isoformat()} |",
        f"| techfile version | {__version__} |",
        f"| Installed at | `{package}` |",
        f"| Python | {platform.python_implementation()} {platform.python_version()} |",
        f"| Platform | {platform.platform()} ({platform.machine()}) |",
        f"| libyaml C parser | {_libyaml()} |",
        f"| Fixtures | `{record.fixtures_dir}` |",
        f"| Fixture set hash | `sha256:{record.fixtures_hash}` |",
        f"| Command | `{command}` |",
        "",
        "## Intended use",
        "",
        INTENDED_USE,
        "",
        "## Limits",
        "",
        LIMITS,
        "",
        "## Dependencies",
        "",
        "| package | version |",
        "|---|---|",
        *[f"| {name} | {version} |" for name, version in dependency_versions()],
        "",
        "## Rule set",
        "",
        "Every rule of this version with its default severity, the clauses it enforces, and the "
        "result of its fixtures.",
        "",
        "| rule | name | severity | clauses | fail fixture | pass fixture |",
        "|---|---|---|---|---|---|",
    ]
    by_rule: dict[str, dict[str, str]] = {}
    for result in results:
        by_rule.setdefault(result.code, {})[result.case] = "pass" if result.passed else "**FAIL**"
    for code, page in sorted(record.pages.items()):
        outcome = by_rule.get(code, {})
        lines.append(
            f"| {code} | {_cell(page.name)} | {page.severity.label} | "
            f"{_cell(page.clause_text)} | {outcome.get('fail', 'none')} | "
            f"{outcome.get('pass', 'none')} |"
        )
    unknown = sorted(set(by_rule) - set(record.pages))
    if unknown:
        lines += [
            "",
            f"Fixtures for codes that are not rules of this version: {shown(', '.join(unknown))}.",
        ]
    uncovered = sorted(code for code in record.pages if code not in by_rule)
    lines += ["", "## Results", ""]
    if uncovered:
        lines += [
            f"Rules without fixtures in this set (not covered by this record): "
            f"{', '.join(uncovered)}.",
            "",
        ]
    if failed:
        lines += [f"{len(failed)} fixture(s) failed:", ""]
        lines += [f"- {shown(f'{r.name}/{r.case}: {r.problem}')}" for r in failed]
        lines.append("")
    for result in results:
        state = "PASS" if result.passed else "FAIL"
        lines += [f"### {shown(f'{result.name}/{result.case}')}: {state}", ""]
        if result.problem:
            lines += [f"Problem: {shown(result.problem)}", ""]
        for label, body in (
            ("Expected (expected.txt)", result.expected),
            ("Actual", result.actual),
        ):
            quoted = "\n".join(shown(line) for line in body.rstrip("\n").split("\n"))
            fence = _fence(quoted)
            lines += [f"{label}:", "", f"{fence}text", quoted or "(no output)", fence, ""]
    lines += [
        "## Sign-off",
        "",
        "| | name | signature | date |",
        "|---|---|---|---|",
        "| Executed by | | | |",
        "| Reviewed and approved by | | | |",
        "",
    ]
    return "\n".join(lines)
