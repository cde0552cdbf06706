"""The device under review: its name, and whether a document is about it.

A security test report of another product (the company's enterprise network, say) is an
enterprise penetration test: organisational evidence, not evidence for the device.
"""

from __future__ import annotations

import re
from typing import Any

from techfile.model.document import Document
from techfile.model.index import Index

_NON_WORD = re.compile(r"[\W_]+")


def device_name(index: Index, configured: dict[str, Any]) -> str | None:
    """`[device] name`, else the device description's `device_name`."""
    name = configured.get("name")
    if isinstance(name, str) and name.strip():
        return name.strip()
    for document in index.of_type("device-description"):
        value = document.meta.get("device_name")
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def tested_product(document: Document) -> str | None:
    test_object = document.meta.get("test_object")
    product = test_object.get("product") if isinstance(test_object, dict) else None
    return product.strip() if isinstance(product, str) and product.strip() else None


def same_product(product: str, device: str) -> bool:
    """`CardioWatch 2.3 (app and cloud backend)` is CardioWatch; `Acme corporate network` is not."""
    a, b = _words(product), _words(device)
    return bool(a and b) and (a == b or f" {b} " in f" {a} " or f" {a} " in f" {b} ")


def tests_other_product(document: Document, device: str | None) -> bool:
    product = tested_product(document)
    return bool(product and device) and not same_product(product or "", device or "")


def evidence_class(document: Document, device: str | None) -> str | None:
    if document.type == "security-test-report" and tests_other_product(document, device):
        return "organisational"
    return document.evidence_class


def _words(text: str) -> str:
    return _NON_WORD.sub(" ", text.casefold()).strip()
