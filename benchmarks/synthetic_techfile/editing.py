"""How the team changes documents over the history: the dispatch from a type to its family's
editor, and how often each type is edited."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from . import qms, requirements_and_tests, risk, supply_chain
from .model import Doc

if TYPE_CHECKING:
    from .technical_file import Generator

# an editor changes the content and says how, or returns None for a review without change
Editor = Callable[["Generator", Doc, float], "str | None"]

EDITORS: dict[str, Editor] = {
    "risk-analysis": risk.edit_risk_analysis,
    "qms-procedure": qms.edit_qms_procedure,
    "test-report": requirements_and_tests.edit_test_report,
    "security-test-report": requirements_and_tests.edit_test_report,
    "software-requirements": requirements_and_tests.edit_requirements,
    "security-requirements": requirements_and_tests.edit_requirements,
    "soup-list": supply_chain.edit_soup_list,
}
# the types that are edited, and their relative share of the edits
EDIT_WEIGHTS = {
    "risk-analysis": 6,
    "qms-procedure": 2,
    "test-report": 3,
    "software-requirements": 2,
    "security-requirements": 1,
    "threat-model": 1,
    "soup-list": 2,
    "security-test-report": 1,
}
UNCHANGED = "Periodic review, no content change"


def edit(gen: Generator, doc: Doc, commit: int) -> str:
    """Change a document as a team would, bump its version, and say what changed."""
    doc.minor += 1
    kind = gen.rng.random()
    editor = EDITORS.get(doc.type)
    what = (editor(gen, doc, kind) if editor else None) or UNCHANGED
    gen.stamp(doc, commit, what)
    return what
