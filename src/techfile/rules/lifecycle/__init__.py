"""SDL: is there evidence of the secure development lifecycle of EN IEC 81001-5-1:2022, and do
the security tests, mitigations and IT requirements hold together?

The activities SDL001 requires, the words the rules read and the parts of the minimum IT
requirements live in `data/lifecycle.yaml`; clause numbers come from there and from the rule
pages, never from this package.

One module per rule, named after its page in `checks/`; `common` holds the data file and
the shared helpers, `coverage` the tests coverage map shared by SDL002 and SDL007. Importing
this package registers every SDL rule.
"""

from __future__ import annotations

from techfile.rules.lifecycle import (  # noqa: F401  (importing a rule module registers its rules)
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
from techfile.rules.lifecycle.common import (
    Activity,
    ItRequirement,
    LifecycleData,
    counts_by_type,
    lifecycle_applies,
    lifecycle_data,
)

__all__ = [
    "Activity",
    "ItRequirement",
    "LifecycleData",
    "counts_by_type",
    "lifecycle_applies",
    "lifecycle_data",
]
