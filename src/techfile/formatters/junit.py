"""JUnit XML: a testsuite per file with findings, a testcase per finding.

A finding at or above `--fail-on` is a `<failure>`; one below it is a passing testcase whose
`<system-out>` carries it, so a CI reader counts exactly the findings that fail the run. Each
testcase is named by its rule and fingerprint (unique in a run, stable when lines move, so a
reader that compares runs by name sees a moved finding as the same test) and carries `file`
and `line`. The output validates against Jenkins xUnit's junit-10.xsd with those two testcase
attributes added (tests/schemas/junit/, README "Output").

Paths and messages come from the checked-out tree, so each value goes through `_xml`: it is
well-formed XML for any input, and a log or terminal that shows the file acts on nothing in it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from xml.sax.saxutils import escape, quoteattr

from techfile.data.severity import Severity
from techfile.formatters.human import PLAIN, FormatOptions
from techfile.model.finding import WHOLE_FILE, Finding
from techfile.model.result import RunResult
from techfile.util.escape import for_terminal, for_xml

# XML 1.0 cannot hold these at all, and DEL and C1 controls would act on a terminal
_UNSHOWABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# a runner obeys `##[command]` anywhere in a line; a character reference reads back the same
_HASH_COMMAND = re.compile(r"(?<=#)#(?=\[|vso\[)", re.IGNORECASE)
# in element text, line ends are written as references so a value cannot start a line
_TEXT_ENTITIES = {"\n": "&#10;", "\r": "&#13;"}
_SHORT_FINGERPRINT = 12


def _visible(text: str) -> str:
    def one(found: re.Match[str]) -> str:
        char = found[0]
        return for_xml(char) if char in "\ufffe\uffff" else for_terminal(char)

    return _UNSHOWABLE.sub(one, text)


def _text(value: str) -> str:
    return _HASH_COMMAND.sub("&#35;", escape(_visible(value), _TEXT_ENTITIES))


def _attribute(value: str) -> str:
    return _HASH_COMMAND.sub("&#35;", quoteattr(_visible(value)))


def render(result: RunResult, options: FormatOptions = PLAIN) -> str:
    """`options.fail_on` is the run's `--fail-on`: the lowest severity that is a failure."""
    fail_on = options.fail_on
    by_path: dict[str, list[Finding]] = defaultdict(list)
    for finding in result.findings:
        by_path[finding.location.path].append(finding)
    total = len(result.findings)
    failures = sum(f.severity >= fail_on for f in result.findings)
    out = ['<?xml version="1.0" encoding="UTF-8"?>']
    out.append(
        f'<testsuites name="techfile" tests="{max(total, 1)}" failures="{failures}" errors="0">'
    )
    if not by_path:
        out.append('  <testsuite name="techfile" tests="1" failures="0" errors="0">')
        out.append('    <testcase name="technical file" classname="techfile"/>')
        out.append("  </testsuite>")
    for path, findings in sorted(by_path.items()):
        out += _testsuite(path, findings, result, fail_on)
    out.append("</testsuites>")
    return "\n".join(out) + "\n"


def _testsuite(
    path: str, findings: list[Finding], result: RunResult, fail_on: Severity
) -> list[str]:
    suite = path or WHOLE_FILE
    failing = sum(f.severity >= fail_on for f in findings)
    file = f" file={_attribute(result.repo_path(path))}" if path else ""
    out = [
        f"  <testsuite name={_attribute(suite)} tests={quoteattr(str(len(findings)))} "
        f'failures={quoteattr(str(failing))} errors="0"{file}>'
    ]
    names = _unique_names(findings, result)
    for finding, name in zip(findings, names, strict=True):
        out += _testcase(suite, name, finding, result, fail_on)
    out.append("  </testsuite>")
    return out


def _unique_names(findings: list[Finding], result: RunResult) -> list[str]:
    """`CODE rule-name (fingerprint)`: the short fingerprint, or the whole one (and a number)
    in the unlikely case that two short ones are the same in a file."""
    names: list[str] = []
    taken: set[str] = set()
    for finding in findings:
        page = result.pages.get(finding.code)
        label = f"{finding.code} {page.name}" if page else finding.code
        name = f"{label} ({finding.fingerprint[:_SHORT_FINGERPRINT]})"
        if name in taken:
            name = f"{label} ({finding.fingerprint})"
        number = 1
        while name in taken:
            number += 1
            name = f"{label} ({finding.fingerprint}) #{number}"
        taken.add(name)
        names.append(name)
    return names


def _testcase(
    suite: str, name: str, finding: Finding, result: RunResult, fail_on: Severity
) -> list[str]:
    loc = finding.location
    attributes = f"name={_attribute(name)} classname={_attribute(suite)}"
    if loc.path:
        attributes += f' file={_attribute(result.repo_path(loc.path))} line="{loc.line or 1}"'
    where = f"{suite}:{loc.line or 1}:{loc.column or 1}" if loc.path else suite
    detail = f"{where}: {finding.code} [{finding.severity.label}] {finding.message}"
    for label, text in (("Why", finding.why), ("Fix", finding.fix)):
        if text:
            detail += f"\n{label}: {text}"
    if finding.severity >= fail_on:
        body = (
            f"      <failure type={_attribute(finding.code)} "
            f"message={_attribute(finding.message)}>{_text(detail)}</failure>"
        )
    else:
        body = f"      <system-out>{_text(detail)}</system-out>"
    return [f"    <testcase {attributes}>", body, "    </testcase>"]
