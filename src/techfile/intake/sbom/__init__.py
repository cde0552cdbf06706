"""Machine-readable SBOM and VEX files, CycloneDX JSON and SPDX 2.x JSON: their readers, and in
one namespace, for code that reads, inspects and validates them together, the types and
queries of `techfile.model.sbom` and the schema checks of `techfile.data.sbom_schemas`.
"""

from techfile.data.sbom_schemas import (
    CYCLONEDX_SCHEMAS,
    CYCLONEDX_SHARED,
    CYCLONEDX_XML_ONLY,
    FAST_FROM,
    SPDX_SCHEMAS,
    SchemaResult,
    schema_dir,
    validate,
    validate_all,
)

# The tests compare, warm and time the compiled validators and the JSON canonical form.
from techfile.data.sbom_schemas import _canonical as _canonical
from techfile.data.sbom_schemas import _cyclonedx_fast_check as _cyclonedx_fast_check
from techfile.data.sbom_schemas import _cyclonedx_validator as _cyclonedx_validator
from techfile.data.sbom_schemas import _spdx_fast_check as _spdx_fast_check
from techfile.data.sbom_schemas import _spdx_validator as _spdx_validator
from techfile.intake.sbom.decode import decode_json, encoding_label
from techfile.intake.sbom.load import load, load_path
from techfile.model.sbom import (
    CYCLONEDX,
    SPDX,
    SPDX3,
    Component,
    Purl,
    SbomFile,
    Vulnerability,
    component_names,
    normalise_name,
    normalise_version,
    parse_purl,
    unique,
)

__all__ = [
    "CYCLONEDX",
    "CYCLONEDX_SCHEMAS",
    "CYCLONEDX_SHARED",
    "CYCLONEDX_XML_ONLY",
    "FAST_FROM",
    "SPDX",
    "SPDX3",
    "SPDX_SCHEMAS",
    "Component",
    "Purl",
    "SbomFile",
    "SchemaResult",
    "Vulnerability",
    "component_names",
    "decode_json",
    "encoding_label",
    "load",
    "load_path",
    "normalise_name",
    "normalise_version",
    "parse_purl",
    "schema_dir",
    "unique",
    "validate",
    "validate_all",
]
