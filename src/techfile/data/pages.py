"""Rule pages (checks/<CODE>-<name>.md): the single source of a rule's name, severity,
clauses, options and documentation, read by `explain`, `rules`, SARIF and the docs."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from techfile.data.resources import bundled
from techfile.data.severity import Severity

_SECTION = re.compile(r"^## +(.+?)\s*$", re.MULTILINE)
_FENCE_LINE = re.compile(r"^(```+|~~~+)")


class PageError(Exception):
    """A rule page cannot be read: the installation is broken (exit 2)."""


_FENCE = re.compile(r"^(```+|~~~+)([^\n]*)\n(.*?)^\1\s*$", re.MULTILINE | re.DOTALL)
_PATH_INFO = re.compile(r"path=(\S+)")


@dataclass(frozen=True)
class RulePage:
    code: str
    name: str
    severity: Severity
    family: str
    clauses: tuple[str, ...]
    summary: str
    options: dict[str, dict[str, Any]]
    yields_to: dict[str, str]
    profiles: tuple[str, ...]  # empty: every profile; else only these
    requires: tuple[str, ...]  # "git-history": the rule reads commits
    scope: str  # file | references | types | tree: what its findings depend on (incremental.py)
    reads: tuple[str, ...]  # scope types: the document types the rule looks at
    body: str
    filename: str
    sections: dict[str, str] = field(default_factory=dict)

    def in_profile(self, profile: str) -> bool:
        return not self.profiles or profile in self.profiles

    @property
    def clause_text(self) -> str:
        return "; ".join(self.clauses) if self.clauses else "policy default"

    def examples(self, section: str) -> dict[str, str]:
        """Files of a `## Failing example` / `## Passing example` section, by path."""
        files: dict[str, str] = {}
        for match in _FENCE.finditer(self.sections.get(section, "")):
            info = _PATH_INFO.search(match.group(2))
            if info:
                files[info.group(1)] = match.group(3)
        return files


@functools.cache
def load_pages() -> dict[str, RulePage]:
    pages: dict[str, RulePage] = {}
    for path in sorted(bundled("checks").glob("*.md")):
        try:
            page = _read_page(path.name, path.read_text(encoding="utf-8"))
        except (ValueError, KeyError, TypeError, yaml.YAMLError) as problem:
            detail = " ".join(str(problem).split())
            raise PageError(f"the rule page checks/{path.name} cannot be read: {detail}") from None
        pages[page.code] = page
    return pages


def _section_heads(body: str) -> list[re.Match[str]]:
    """`## ` headings of the page itself, not those inside an example's code fence."""
    heads = []
    fence: str | None = None
    offset = 0
    for line in body.split("\n"):
        opener = _FENCE_LINE.match(line)
        if fence is None and opener:
            fence = opener.group(1)
        elif fence is not None and line.strip() == fence:
            fence = None
        elif fence is None:
            match = _SECTION.match(body, offset)
            if match:
                heads.append(match)
        offset += len(line) + 1
    return heads


def _read_page(filename: str, text: str) -> RulePage:
    _, front, body = text.split("---\n", 2)
    meta = yaml.safe_load(front)
    sections: dict[str, str] = {}
    heads = _section_heads(body)
    for index, head in enumerate(heads):
        end = heads[index + 1].start() if index + 1 < len(heads) else len(body)
        sections[head.group(1).strip().lower()] = body[head.end() : end]
    return RulePage(
        code=meta["code"],
        name=meta["name"],
        severity=Severity.parse(meta["severity"]),
        family=meta["family"],
        clauses=tuple(meta.get("clauses", [])),
        summary=meta["summary"],
        options=dict(meta.get("options") or {}),
        yields_to=dict(meta.get("yields_to") or {}),
        profiles=tuple(meta.get("profiles") or ()),
        requires=tuple(meta.get("requires") or ()),
        scope=str(meta.get("scope", "tree")),
        reads=tuple(meta.get("reads") or ()),
        body=body.strip(),
        filename=filename,
        sections=sections,
    )


FAMILY_TITLES = {
    "front-matter": "Front-matter and files",
    "identity": "Identity and traceability",
    "evidence": "Evidence",
    "risk": "Risk management",
    "lifecycle": "Secure lifecycle",
    "supply-chain": "Supply chain",
    "document-control": "Document control",
    "standards": "Standards currency",
    "submission": "Submission profile",
    "isms": "ISO/IEC 27001 Statement of Applicability",
    "disclosure": "Security disclosure (MDS2)",
    "suppression": "Suppressions",
}


def rules_markdown(pages: dict[str, RulePage]) -> str:
    """The rule catalogue, generated from the pages (docs/rules.md)."""
    lines = [
        "# Rules",
        "",
        "Generated from `checks/` by `techfile rules --format markdown`; do not edit by hand.",
        "`techfile explain CODE` shows a rule's whole page.",
    ]
    families = sorted({p.family for p in pages.values()}, key=list(FAMILY_TITLES).index)
    for family in families:
        lines += ["", f"## {FAMILY_TITLES[family]}", ""]
        lines += [
            "| code | name | severity | enforces | what it reports |",
            "|---|---|---|---|---|",
        ]
        for code, page in sorted(pages.items()):
            if page.family != family:
                continue
            summary = page.summary.replace("|", "\\|")
            profile = f" (only `--profile {', '.join(page.profiles)}`)" if page.profiles else ""
            link = f"[{code}](../checks/{page.filename})"
            lines.append(
                f"| {link} | {page.name} | {page.severity.label} | {page.clause_text} | "
                f"{summary}{profile} |"
            )
    return "\n".join(lines) + "\n"
