"""The official JSON schemas of the SBOM formats, shipped in `data/sbom/` (see
data/NOTES-sbom.md), and the check of an SBOM or VEX file against the schema of its format and
version. Formats are checked the same way on every machine; nothing is looked up online.
"""

from __future__ import annotations

import datetime
import functools
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from techfile.data.resources import bundled
from techfile.data.sbom_fast_check import compile_fast_check

# The SBOM formats techfile tells apart.
CYCLONEDX = "cyclonedx"
SPDX = "spdx"
SPDX3 = "spdx3"

# CycloneDX JSON schemas by specVersion (1.2 and 1.3 in their "strict" form, as
# cyclonedx-python-lib's JsonStrictValidator uses them; 1.4 and later are strict as published).
CYCLONEDX_SCHEMAS = {
    "1.2": "bom-1.2-strict.SNAPSHOT.schema.json",
    "1.3": "bom-1.3-strict.SNAPSHOT.schema.json",
    "1.4": "bom-1.4.SNAPSHOT.schema.json",
    "1.5": "bom-1.5.SNAPSHOT.schema.json",
    "1.6": "bom-1.6.SNAPSHOT.schema.json",
    "1.7": "bom-1.7.SNAPSHOT.schema.json",
}
CYCLONEDX_XML_ONLY = ("1.0", "1.1")
CYCLONEDX_SHARED = (
    "spdx.SNAPSHOT.schema.json",
    "jsf-0.82.SNAPSHOT.schema.json",
    "cryptography-defs.SNAPSHOT.schema.json",
)
SPDX_SCHEMAS = {"2.2": "spdx-2.2.schema.json", "2.3": "spdx-2.3.schema.json"}

# Validating many files of one schema, a compiled yes/no check (fastjsonschema) lets the valid
# ones through and jsonschema reports the errors of the others. Compiling the check costs
# about as much as validating forty files with jsonschema.
FAST_FROM = 40


class SchemaSubject(Protocol):
    """What the check needs of a parsed SBOM or VEX file."""

    @property
    def format(self) -> str | None: ...  # CYCLONEDX | SPDX | SPDX3 | None

    @property
    def spec_version(self) -> str | None: ...

    @property
    def data(self) -> Any: ...


@dataclass(frozen=True, slots=True)
class SchemaResult:
    checked: bool  # False: no schema for this format/version, `note` says why
    schema: str  # e.g. "CycloneDX 1.6 JSON schema"
    errors: int = 0
    first_path: str = ""
    first_message: str = ""
    note: str = ""


def validate(sbom: SchemaSubject) -> SchemaResult:
    """Check the file against the official JSON schema of its format and version."""
    return _validate(sbom, fast=False)


def validate_all(files: Sequence[SchemaSubject]) -> list[SchemaResult]:
    """`validate` for each file. Where many files share a schema, a compiled yes/no check
    lets the valid ones through first; the verdicts are the same."""
    counts = Counter(_schema_of(file) for file in files)
    return [_validate(file, fast=counts[_schema_of(file)] >= FAST_FROM) for file in files]


def _schema_of(sbom: SchemaSubject) -> tuple[str | None, str | None]:
    return sbom.format, sbom.spec_version


def _validate(sbom: SchemaSubject, fast: bool) -> SchemaResult:
    version = sbom.spec_version or ""
    if sbom.format == CYCLONEDX:
        label = f"CycloneDX {version} JSON schema"
        if version in CYCLONEDX_XML_ONLY:
            return SchemaResult(False, label, note=f"CycloneDX {version} has no JSON format")
        if version not in CYCLONEDX_SCHEMAS:
            return SchemaResult(False, label, note=f"specVersion {version or '(missing)'} unknown")
        check = _cyclonedx_fast_check(version) if fast else None
        return _result(sbom.data, _cyclonedx_validator(version), check, label)
    if sbom.format == SPDX:
        label = f"SPDX {version} JSON schema"
        if version not in SPDX_SCHEMAS:
            return SchemaResult(False, label, note=f"spdxVersion SPDX-{version} unknown")
        check = _spdx_fast_check(version) if fast else None
        return _result(sbom.data, _spdx_validator(version), check, label)
    return SchemaResult(False, "schema", note="format not supported")


def _result(
    data: Any, validator: Any, fast_check: Callable[[Any], bool] | None, label: str
) -> SchemaResult:
    from jsonschema.exceptions import best_match

    if fast_check is not None and fast_check(data):
        return SchemaResult(True, label)
    errors = list(validator.iter_errors(data))
    if not errors:
        return SchemaResult(True, label)
    first = best_match(errors)
    message = first.message
    if first.validator == "enum" and isinstance(first.validator_value, list):
        allowed = [str(v) for v in first.validator_value]
        shown = ", ".join(allowed[:6]) + (", …" if len(allowed) > 6 else "")
        message = f"{json.dumps(first.instance)[:60]} is not one of the allowed values ({shown})"
    return SchemaResult(
        True,
        label,
        len(errors),
        json_path(first.absolute_path),
        _short(message, 200),
    )


def json_path(parts: Iterable[Any]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def schema_dir() -> Path:
    return bundled("data") / "sbom"


def _load_schema(*parts: str) -> Any:
    return json.loads((schema_dir().joinpath(*parts)).read_text(encoding="utf-8"))


# ------------------------------------------------------------------------------ validators


def _canonical(value: Any) -> Any:
    """A JSON value in the form in which equal values (per JSON Schema) print the same:
    `1` and `1.0` are equal, `true` and `1` are not."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_canonical(v) for v in value]
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items()}
    return value


def _unique_items(validator: Any, unique: Any, instance: Any, schema: Any) -> Iterator[Any]:
    """`uniqueItems` in linear time (jsonschema compares every pair, which takes minutes on an
    SBOM of a few thousand components); same verdicts."""
    from jsonschema.exceptions import ValidationError

    if not unique or not validator.is_type(instance, "array"):
        return
    seen: set[str] = set()
    for element in instance:
        key = json.dumps(_canonical(element), sort_keys=True, ensure_ascii=False)
        if key in seen:
            yield ValidationError("has non-unique elements")
            return
        seen.add(key)


@functools.cache
def _draft7() -> Any:
    from jsonschema import Draft7Validator, validators

    extend: Any = validators.extend
    return extend(Draft7Validator, {"uniqueItems": _unique_items})


@functools.cache
def _cyclonedx_validator(version: str) -> Any:
    from referencing import Registry
    from referencing.jsonschema import DRAFT7

    registry: Registry[Any] = Registry().with_resources(
        (uri, DRAFT7.create_resource(schema)) for uri, schema in _cyclonedx_shared().items()
    )
    schema = _load_schema("cyclonedx", CYCLONEDX_SCHEMAS[version])
    return _draft7()(schema, registry=registry, format_checker=format_checker())


def _cyclonedx_shared() -> dict[str, Any]:
    """The schemas the CycloneDX schemas refer to, by the URI they use."""
    prefix = "http://cyclonedx.org/schema/"
    return {prefix + name: _load_schema("cyclonedx", name) for name in CYCLONEDX_SHARED}


@functools.cache
def _spdx_validator(version: str) -> Any:
    schema = _load_schema(SPDX_SCHEMAS[version])
    return _draft7()(schema, format_checker=format_checker())


@functools.cache
def _cyclonedx_fast_check(version: str) -> Callable[[Any], bool] | None:
    schema = _load_schema("cyclonedx", CYCLONEDX_SCHEMAS[version])
    return compile_fast_check(schema, _cyclonedx_shared(), FORMAT_CHECKS)


@functools.cache
def _spdx_fast_check(version: str) -> Callable[[Any], bool] | None:
    return compile_fast_check(_load_schema(SPDX_SCHEMAS[version]), {}, FORMAT_CHECKS)


# ------------------------------------------------------------------------------ formats


_RFC3339_DATE_TIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$"
)


def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _RFC3339_DATE_TIME.match(value):
        return False
    try:
        datetime.datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return False
    return True


def _is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_email(value: object) -> bool:
    return not isinstance(value, str) or "@" in value


# The formats checked, the same on every machine: `date-time` and `date` (RFC 3339) and
# e-mail addresses. IRI and URI formats are not checked.
FORMAT_CHECKS: dict[str, Callable[[object], bool]] = {
    "date-time": _is_date_time,
    "date": _is_date,
    "email": _is_email,
    "idn-email": _is_email,
}


@functools.cache
def format_checker() -> Any:
    """The formats the CycloneDX schemas use, checked as FORMAT_CHECKS says."""
    from jsonschema import FormatChecker

    checker = FormatChecker(formats=())
    for name, check in FORMAT_CHECKS.items():
        checker.checks(name)(check)
    return checker
