"""JUnit XML: a testsuite per file with findings, a testcase per finding."""

from __future__ import annotations

from collections import defaultdict
from xml.sax.saxutils import escape, quoteattr

from techfile.model.finding import Finding
from techfile.model.result import RunResult


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
        out.append(
            f"  <testsuite name={quoteattr(path)} tests={quoteattr(str(len(findings)))} "
            f"failures={quoteattr(str(len(findings)))}>"
        )
        for finding in findings:
            loc = finding.location
            name = f"{finding.code} line {loc.line or 1}"
            where = f"{path}:{loc.line or 1}:{loc.column or 1}"
            detail = f"{where}: {finding.code} [{finding.severity.label}] {finding.message}"
            out.append(f"    <testcase name={quoteattr(name)} classname={quoteattr(path)}>")
            out.append(
                f"      <failure type={quoteattr(finding.code)} "
                f"message={quoteattr(finding.message)}>"
                f"{escape(detail)}"
                "</failure>"
            )
            out.append("    </testcase>")
        out.append("  </testsuite>")
    out.append("</testsuites>")
    return "\n".join(out) + "\n"
