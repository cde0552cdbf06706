"""The rules techfile runs: one explicit list of the modules that define them (yamllint's style).

A module's check functions are marked with `@rule(CODE, ...)`; nothing registers itself by being
imported, so a rule runs when, and only when, its module is listed here.
"""

from __future__ import annotations

from types import ModuleType

from techfile.rules import (
    document_control,
    evidence,
    frontmatter,
    identity,
    risk,
    standards,
    submission,
)
from techfile.rules.base import RuleSpec, specs_of
from techfile.rules.lifecycle import (
    sdl001_lifecycle_evidence_missing,
    sdl002_mitigation_without_verification,
    sdl003_tester_objectivity_undocumented,
    sdl004_threat_model_review_overdue,
    sdl005_security_test_not_on_product_version,
    sdl006_open_security_findings,
    sdl007_security_requirement_not_verified,
    sdl008_environment_reliance_undeclared,
    sdl009_it_security_requirements_incomplete,
)
from techfile.rules.supply_chain import (
    sc001_soup_sbom_mismatch,
    sc002_soup_item_incomplete,
    sc003_sbom_invalid,
    sc004_anomaly_review_stale,
    sc005_known_vulnerabilities_unassessed,
)

RULE_MODULES: tuple[ModuleType, ...] = (
    frontmatter,
    identity,
    evidence,
    risk,
    document_control,
    standards,
    submission,
    sdl001_lifecycle_evidence_missing,
    sdl002_mitigation_without_verification,
    sdl003_tester_objectivity_undocumented,
    sdl004_threat_model_review_overdue,
    sdl005_security_test_not_on_product_version,
    sdl006_open_security_findings,
    sdl007_security_requirement_not_verified,
    sdl008_environment_reliance_undeclared,
    sdl009_it_security_requirements_incomplete,
    sc001_soup_sbom_mismatch,
    sc002_soup_item_incomplete,
    sc003_sbom_invalid,
    sc004_anomaly_review_stale,
    sc005_known_vulnerabilities_unassessed,
)


def registered() -> list[RuleSpec]:
    """Every rule, in the order of RULE_MODULES and of definition within a module."""
    return [spec for module in RULE_MODULES for spec in specs_of(module)]
