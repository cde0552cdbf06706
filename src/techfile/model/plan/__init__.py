"""The risk management plan as the risk rules read it: scales, acceptability matrix, and the
criteria for risks whose probability cannot be estimated (ISO 14971 4.4 d).

A plan gives its scales and matrix in front-matter (`severity_levels`, `probability_levels`,
`exploitability_levels`, `acceptability_matrix`) or, as most real plans do, in Markdown tables
in the body. Front-matter wins; tables fill in what front-matter leaves out. Tables are read
when the document carries them (`Document.tables`, see `plan_tables`).

`levels` holds the scales and how risk rows name their levels, `labels` the matrix labels that
disagree with the scales, `acceptability` the matrix vocabulary and what rows state, `risk_plan`
the plan itself, `front_matter` and `tables` the two ways a plan is written, `reading` puts
them together. A plan whose scales and matrix are kept in a data file (rdm) reaches the model as
tables too: intake renders them (`techfile.intake.plan_data`) with the data file's path and lines.
"""

from __future__ import annotations

from techfile.model.plan.acceptability import (
    ACCEPTABILITY,
    UNKNOWN,
    acceptability_word,
    contradicts,
    stated_acceptability,
    verdict,
)
from techfile.model.plan.labels import MatrixLabel
from techfile.model.plan.levels import AXES, DuplicateLevel, Level, Scale, as_text
from techfile.model.plan.reading import plan_tables, read_plan
from techfile.model.plan.risk_plan import RiskPlan, plan_for, scale_disagreements

__all__ = [
    "ACCEPTABILITY",
    "AXES",
    "UNKNOWN",
    "DuplicateLevel",
    "Level",
    "MatrixLabel",
    "RiskPlan",
    "Scale",
    "acceptability_word",
    "as_text",
    "contradicts",
    "plan_for",
    "plan_tables",
    "read_plan",
    "scale_disagreements",
    "stated_acceptability",
    "verdict",
]
