"""Reads one SBOM or VEX file, CycloneDX JSON or SPDX 2.x JSON, into an SbomFile.

Reads with the size limit of every other file and never raises on bad input: what cannot be
read, decoded or parsed is the file's `problem`. SPDX 3 JSON-LD is recognised but not read.
Nothing is looked up online.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from techfile.intake.sbom.cyclonedx import read_cyclonedx
from techfile.intake.sbom.decode import Decoded, decode_json
from techfile.intake.sbom.spdx import read_spdx
from techfile.intake.sources import WorkTree
from techfile.model.diagnostics import Diagnostic
from techfile.model.sbom import CYCLONEDX, SPDX, SPDX3, SbomFile


def load(raw: bytes | Diagnostic, path: Path, display: str) -> SbomFile:
    """Interpret one SBOM or VEX file from its bytes (or the reason it could not be read)."""
    sbom = SbomFile(path, display)
    if isinstance(raw, Diagnostic):
        sbom.problem = _phrase(raw)
        return sbom
    return _parsed(sbom, decode_json(raw))


def load_path(path: Path, display: str, max_size: int) -> SbomFile:
    """Read one SBOM or VEX file from disk, with the same reader as every other file."""
    return load(WorkTree(path.parent, max_size).read_path(path.name), path, display)


def _phrase(problem: Diagnostic) -> str:
    """A reader's diagnostic as a predicate about the file: `does not exist`."""
    if problem.code == "FM010" and problem.key:
        return f"is larger than the {int(problem.key[0]):,}-byte limit (max-file-size)"
    text = problem.message.split("; techfile skipped it")[0]
    for subject in ("the file ", "the path "):
        if text.startswith(subject):
            return text[len(subject) :]
    return f"could not be read: {text}"


def _parsed(sbom: SbomFile, read: Decoded) -> SbomFile:
    text, data, encoding, problem, line = read
    sbom.text, sbom.data, sbom.encoding = text, data, encoding
    sbom.problem, sbom.problem_line = problem, line
    if problem is None:
        _interpret(sbom)
    return sbom


def _interpret(sbom: SbomFile) -> None:
    data = sbom.data
    if not isinstance(data, dict):
        sbom.problem = (
            "is JSON but not an object, so it is neither a CycloneDX nor an SPDX document"
        )
        return
    if data.get("bomFormat") == "CycloneDX" or ("bomFormat" in data and "specVersion" in data):
        sbom.format = CYCLONEDX
        version = data.get("specVersion")
        sbom.spec_version = version if isinstance(version, str) else None
        read_cyclonedx(sbom, data)
    elif isinstance(data.get("spdxVersion"), str):
        sbom.format = SPDX
        sbom.spec_version = data["spdxVersion"].removeprefix("SPDX-")
        read_spdx(sbom, data)
    elif _is_spdx3(data):
        sbom.format = SPDX3
    else:
        sbom.problem = "is neither CycloneDX JSON (no `bomFormat`) nor SPDX JSON (no `spdxVersion`)"


def _is_spdx3(data: dict[str, Any]) -> bool:
    context = data.get("@context")
    values = context if isinstance(context, list) else [context]
    return any(isinstance(v, str) and "spdx.org/rdf/3" in v for v in values)
