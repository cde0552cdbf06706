"""What the technical file and the configuration say about the device: its software
safety class, its markets and whether it connects to networks."""

from __future__ import annotations

import re

from techfile.rules.base import Context


def _safety_class(ctx: Context) -> str | None:
    """The IEC 62304 software safety class: the device description's, else the config's; the
    highest where several are given ("B/C")."""
    values = [d.meta.get("software_safety_class") for d in ctx.index.of_type("device-description")]
    values.append(ctx.device.get("software_safety_class"))
    for value in values:
        if isinstance(value, str):
            found = re.findall(r"(?<![A-Za-z])([ABCabc])(?![A-Za-z])", value.replace("Class", ""))
            if found:
                return str(max(letter.upper() for letter in found))
    return None


def _markets(ctx: Context) -> set[str]:
    value = ctx.device.get("markets")
    values = value if isinstance(value, list) else [value]
    return {str(v).strip().casefold() for v in values if isinstance(v, str)}


def _connected(ctx: Context) -> bool:
    """False only when the technical file says the device does not connect."""
    for document in ctx.index.of_type("device-description"):
        if document.meta.get("connected") is False:
            return False
    return ctx.device.get("connected") is not False
