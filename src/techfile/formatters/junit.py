"""JUnit XML: a testsuite per file with findings, a testcase per finding.

Paths and messages come from the checked-out tree, so each value goes through `_xml`: it is
well-formed XML for any input, and a log or terminal that shows the file acts on nothing in it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from xml.sax.saxutils import escape, quoteattr

from techfile.model.finding import WHOLE_FILE, Finding
from techfile.model.result import RunResult
from techfile.util.escape import for_terminal, for_xml

# XML 1.0 cannot hold these at all, and DEL and C1 controls would act on a terminal
_UNSHOWABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# a runner obeys `##[command]` anywhere in a line; a character reference reads back the same
_HASH_COMMAND = re.compile(r"(?<=#)#(?=\[|vso\[)", re.IGNORECASE)
# in element text, line ends are written as references so a value cannot start a line
_TEXT_ENTITIES = {"\n": "&#10;", "\r": "&#13;"}


def _visible(text: str) -> str:
    def one(found: re.Match[str]) -> str:
        char = found[0]
        return for_xml(char) if char in "\ufffe\uffff" else for_terminal(char)

    return _UNSHOWABLE.sub(one, text)


def _text(value: str) -> str:
    return _HASH_COMMAND.sub("&#35;", escape(_visible(value), _TEXT_ENTITIES))


def _attribute(value: str) -> str:
    return _HASH_COMMAND.sub("&#35;", quoteattr(_visible(value)))


def render(result: RunResult) -> str:
    by_path: dict[str, list[Finding]] = defaultdict(list)
    for finding in result.findings:
        by_path[finding.location.path].append(finding)
    total = len(result.findings)
    out = ['<?xml version="1.0" encoding="UTF-8"?>']
    out.append(f'<testsuites name="techfile" tests="{max(total, 1)}" failures="{total}">')
    if not by_path:
        out.append('  <testsuite name="techfile" tests="1" failures="0">')
        out.append('    <testcase name="technical file" classname="techfile"/>')
        out.append("  </testsuite>")
    for path, findings in sorted(by_path.items()):
        path = path or WHOLE_FILE
        out.append(
            f"  <testsuite name={_attribute(path)} tests={quoteattr(str(len(findings)))} "
            f"failures={quoteattr(str(len(findings)))}>"
        )
        out += [line for finding in findings for line in _testcase(path, finding)]
        out.append("  </testsuite>")
    out.append("</testsuites>")
    return "\n".join(out) + "\n"


def _testcase(path: str, finding: Finding) -> list[str]:
    loc = finding.location
    name = f"{finding.code} line {loc.line or 1}"
    where = f"{path}:{loc.line or 1}:{loc.column or 1}" if loc.path else path
    detail = f"{where}: {finding.code} [{finding.severity.label}] {finding.message}"
    return [
        f"    <testcase name={_attribute(name)} classname={_attribute(path)}>",
        f"      <failure type={_attribute(finding.code)} "
        f"message={_attribute(finding.message)}>"
        f"{_text(detail)}"
        "</failure>",
        "    </testcase>",
    ]
