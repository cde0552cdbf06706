"""Machine-readable SBOM and VEX files as the rules see them: plain types and pure queries.

Reading them from bytes or disk is `techfile.intake.sbom`; their official JSON schemas are
`techfile.data.sbom_schemas`.
"""

from techfile.data.sbom_schemas import CYCLONEDX, SPDX, SPDX3
from techfile.model.sbom.files import (
    NOT_SOFTWARE,
    SPDX_NOT_SOFTWARE,
    Component,
    SbomFile,
    Vulnerability,
)
from techfile.model.sbom.matching import (
    Purl,
    component_names,
    normalise_name,
    normalise_version,
    parse_purl,
    unique,
)

__all__ = [
    "CYCLONEDX",
    "NOT_SOFTWARE",
    "SPDX",
    "SPDX3",
    "SPDX_NOT_SOFTWARE",
    "Component",
    "Purl",
    "SbomFile",
    "Vulnerability",
    "component_names",
    "normalise_name",
    "normalise_version",
    "parse_purl",
    "unique",
]
