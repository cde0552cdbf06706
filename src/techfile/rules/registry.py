"""The rules techfile runs: one explicit list of the modules that define them (yamllint's style).

A module's check functions are marked with `@rule(CODE, ...)`; nothing registers itself by being
imported, so a rule runs when, and only when, its module is listed here.
"""

from __future__ import annotations

from types import ModuleType

from techfile.rules import (
    frontmatter,
    identity,
    submission,
)
from techfile.rules.base import RuleSpec, specs_of
from techfile.rules.document_control import (
    dc001_approval_metadata_missing,
    dc002_changed_after_approval,
    dc003_reference_to_obsolete_document,
    dc004_review_overdue,
    dc005_self_approval,
)
from techfile.rules.evidence import (
    ev001_organisational_evidence_for_product_requirement,
    ev002_requirement_without_accepted_evidence,
    ev003_evidence_not_released,
    ev004_unknown_clause,
    ev005_gspr_row_incomplete,
    ev006_cybersecurity_gspr_rows_missing,
    ev007_org_evidence_cited_as_supporting,
)
from techfile.rules.isms import (
    is001_soa_applicability_undecided,
    is002_soa_implementation_evidence_unreleased,
    is003_isms_scope_missing_or_uncertified,
    is004_soa_control_not_in_edition,
)
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
from techfile.rules.pack import (
    pk001_disclosure_answer_contradicts_file,
    pk002_disclosure_statement_stale,
    pk003_organisational_evidence_for_capability,
    pk004_support_claim_inconsistent,
    pk005_customer_responsibility_missing,
)
from techfile.rules.risk import (
    rm001_threat_absent_from_risk_file,
    rm002_safety_impact_unassessed,
    rm003_risk_level_undefined,
    rm004_acceptability_contradicts_matrix,
    rm005_control_without_verification,
    rm006_unacceptable_residual_risk_without_benefit_risk,
    rm007_no_security_risks_in_risk_file,
    rm008_risk_chain_incomplete,
    rm009_plan_matrix_incomplete,
    rm010_information_only_control,
    rm011_security_control_side_effects_unassessed,
)
from techfile.rules.standards import (
    st001_superseded_standard_edition,
    st002_unversioned_standard_reference,
    st003_certificate_expired,
)
from techfile.rules.supply_chain import (
    sc001_soup_sbom_mismatch,
    sc002_soup_item_incomplete,
    sc003_sbom_invalid,
    sc004_anomaly_review_stale,
    sc005_known_vulnerabilities_unassessed,
    sc006_exploitable_vulnerability_not_risk_assessed,
)

RULE_MODULES: tuple[ModuleType, ...] = (
    frontmatter,
    identity,
    ev001_organisational_evidence_for_product_requirement,
    ev002_requirement_without_accepted_evidence,
    ev003_evidence_not_released,
    ev004_unknown_clause,
    ev005_gspr_row_incomplete,
    ev006_cybersecurity_gspr_rows_missing,
    ev007_org_evidence_cited_as_supporting,
    rm001_threat_absent_from_risk_file,
    rm002_safety_impact_unassessed,
    rm003_risk_level_undefined,
    rm004_acceptability_contradicts_matrix,
    rm005_control_without_verification,
    rm006_unacceptable_residual_risk_without_benefit_risk,
    rm007_no_security_risks_in_risk_file,
    rm008_risk_chain_incomplete,
    rm009_plan_matrix_incomplete,
    rm010_information_only_control,
    rm011_security_control_side_effects_unassessed,
    dc001_approval_metadata_missing,
    dc002_changed_after_approval,
    dc003_reference_to_obsolete_document,
    dc004_review_overdue,
    dc005_self_approval,
    st001_superseded_standard_edition,
    st002_unversioned_standard_reference,
    st003_certificate_expired,
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
    sc006_exploitable_vulnerability_not_risk_assessed,
    pk001_disclosure_answer_contradicts_file,
    pk002_disclosure_statement_stale,
    pk003_organisational_evidence_for_capability,
    pk004_support_claim_inconsistent,
    pk005_customer_responsibility_missing,
    is001_soa_applicability_undecided,
    is002_soa_implementation_evidence_unreleased,
    is003_isms_scope_missing_or_uncertified,
    is004_soa_control_not_in_edition,
)


def registered() -> list[RuleSpec]:
    """Every rule, in the order of RULE_MODULES and of definition within a module."""
    return [spec for module in RULE_MODULES for spec in specs_of(module)]
