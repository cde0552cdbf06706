"""The risk management plan as the risk rules read it, which plan a risk document is
evaluated with, and where the plans of one technical file disagree."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from techfile.data.registry import ValueAliases
from techfile.model.document import Document
from techfile.model.index import Index
from techfile.model.plan.labels import MatrixLabel
from techfile.model.plan.levels import AXES, DuplicateLevel, Level, Scale


@dataclass(frozen=True)
class RiskPlan:
    document: Document
    severity: Scale
    probability: Scale
    exploitability: Scale
    matrix: dict[tuple[str, str], str] = field(default_factory=dict)  # (sev id, prob id) -> cell
    has_matrix: bool = False
    matrix_line: int = 0
    matrix_path: str | None = None  # the file of the matrix, when not the plan (a data file)
    unknown_matrix_keys: tuple[str, ...] = ()
    matrix_labels: tuple[MatrixLabel, ...] = ()  # row/column labels that disagree with a scale
    duplicate_levels: tuple[DuplicateLevel, ...] = ()  # a value that names two levels
    non_estimable_criteria: bool = False
    from_tables: tuple[str, ...] = ()  # what was read from body tables
    aliases: ValueAliases = field(default_factory=lambda: ValueAliases({}, {}))

    @property
    def label(self) -> str:
        return self.document.label()

    @property
    def defines_anything(self) -> bool:
        return bool(self.severity or self.probability or self.has_matrix)

    def scale(self, axis: str) -> Scale:
        return {"severity": self.severity, "probability": self.probability}.get(
            axis, self.exploitability
        )

    def probability_level(self, value: Any, method: Any = None) -> Level | None:
        """A row's probability level; an exploitability rating counts as the probability
        level the plan maps it to."""
        level = self.probability.find(value, self.aliases)
        if level is not None:
            return level
        rated = self.exploitability.find(value, self.aliases)
        if rated is not None and rated.maps_to:
            return self.probability.find(rated.maps_to, self.aliases)
        return None

    def probability_defined(self, value: Any, method: Any = None) -> bool:
        if self.probability.find(value, self.aliases) is not None:
            return True
        return (
            method == "exploitability" and self.exploitability.find(value, self.aliases) is not None
        )

    def cell(self, severity: Level | None, probability: Level | None) -> str | None:
        """The matrix verdict for a pair: acceptable | reduce-afap | unacceptable | UNKNOWN,
        or None when the matrix has no such cell."""
        if severity is None or probability is None:
            return None
        return self.matrix.get((severity.id, probability.id))

    def missing_pairs(self) -> list[tuple[Level, Level]]:
        if not self.has_matrix:
            return []
        return [
            (s, p)
            for s in self.severity.levels
            for p in self.probability.levels
            if (s.id, p.id) not in self.matrix
        ]


def plan_for(plans: Sequence[RiskPlan], document: Document, index: Index) -> RiskPlan | None:
    """The plan a risk document is evaluated with: the plan it references, else the first
    plan (by path) that defines scales or a matrix."""
    useful = [p for p in plans if p.defines_anything]
    references = document.meta.get("references")
    if isinstance(references, list):
        for reference in references:
            if not isinstance(reference, str):
                continue
            target = index.resolve(reference, document, "document").document
            for plan in useful:
                if plan.document is target:
                    return plan
    return useful[0] if useful else None


def scale_disagreements(plans: Sequence[RiskPlan]) -> list[tuple[RiskPlan, RiskPlan, str]]:
    """(plan, other plan, axis) for each pair of plans whose scales on an axis differ."""
    found: list[tuple[RiskPlan, RiskPlan, str]] = []
    for index, first in enumerate(plans):
        for second in plans[index + 1 :]:
            for axis in AXES:
                a, b = first.scale(axis), second.scale(axis)
                if a and b and sorted(a.signature()) != sorted(b.signature()):
                    found.append((first, second, axis))
    return found
