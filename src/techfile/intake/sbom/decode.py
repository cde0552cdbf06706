"""The bytes of an SBOM or VEX file as JSON.

JSON exchanged between systems is UTF-8 (RFC 8259). A UTF-8 byte-order mark, and UTF-16 or
UTF-32 text that starts with a byte-order mark (older JSON RFCs allowed them, and some Windows
tools still write them), are read so that the rules can work, and the encoding found is
returned; SC003 warns about anything but plain UTF-8. Bytes that are not valid in the detected
encoding are a problem, never a crash.
"""

from __future__ import annotations

import codecs
import json
from typing import Any

# text, data, encoding, problem (a predicate about the file), line of the problem
Decoded = tuple[str, Any, str, str | None, int]


def decode_json(raw: bytes) -> Decoded:
    """Decode bytes (UTF-8, or UTF-16/32 with a byte-order mark) and parse them as JSON."""
    encoding = _encoding(raw)
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        where = f"at byte {exc.start}"
        return "", None, encoding, f"is not valid {_encoding_name(encoding)} ({where})", 0
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        return text, None, encoding, f"is not valid JSON: {exc.msg} (line {exc.lineno})", exc.lineno
    except (ValueError, RecursionError) as exc:
        return text, None, encoding, f"is not valid JSON: {_short(str(exc), 120)}", 0
    return text, data, encoding, None, 0


def encoding_label(encoding: str) -> str:
    """How a person names the encoding of a file: `UTF-16 (with byte-order mark)`."""
    if encoding == "utf-8":
        return "UTF-8"
    return f"{_encoding_name(encoding)} with a byte-order mark"


def _encoding(raw: bytes) -> str:
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return "utf-8"


def _encoding_name(encoding: str) -> str:
    return {"utf-8-sig": "UTF-8", "utf-16": "UTF-16", "utf-32": "UTF-32"}.get(encoding, "UTF-8")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
