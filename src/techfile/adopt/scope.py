"""Whether a document is about the organisation rather than the device, for the guesses whose
words fit both. `patch procedure`, `vulnerability management` or `mapping of requirements to
documents` name the manufacturer's product process (EN IEC 81001-5-1:2022 clause 9, the
device's conformity matrix) as well as its own IT (ISO/IEC 27001:2022 A.8.8 patching of the
company's servers and laptops, an ISMS requirements mapping). Organisational evidence typed as
product or process evidence would be accepted where only evidence about the device will do
(MDR Annex I 17.2, 17.4; EV001), so such a guess is withheld, with the reason, when the
document reads as organisational:

- its H1 or title names an information security management standard (ISO/IEC 27001, 27002,
  27701, 27017, 27018, SOC 2, ISMS) and no device standard or regulation; or
- its text uses at least two words of the organisation's own IT (servers, laptops, employees,
  patch windows, tickets, OS patches) and not one of the device (medical device, SOUP, SBOM,
  software item, firmware, customer, patient, clinical, product, the device standards).

An SOP or a training record is what it is whatever its subject, so those guesses stand.
"""

from __future__ import annotations

import re

ANY_SCOPE = frozenset({"qms-procedure", "training-record"})

_ISMS_STANDARD = re.compile(
    r"\b(?:2700[12]|27701|2701[78]|soc ?2|isms|information security management system)\b"
)
_DEVICE_STANDARD = re.compile(
    r"\b(?:62304|81001|14971|60601|62366|82304|13485|mdr|ivdr|gspr|medical devices?|samd)\b"
)
# The organisation's own IT: each pattern is one word of it, counted once.
_OWN_IT = (
    re.compile(r"\bservers?\b"),
    re.compile(r"\b(?:workstations?|laptops?|desktops?|notebooks?)\b"),
    re.compile(r"\bemployees?\b"),
    re.compile(r"\b(?:os|operating[- ]system) patch(?:es|ing)?\b"),
    re.compile(r"\b(?:patch|maintenance) windows?\b"),
    re.compile(r"\b(?:tickets?|help ?desk|service desk)\b"),
    re.compile(r"\b(?:corporate|office|company) (?:network|devices?|it)\b"),
    re.compile(r"\b(?:it department|it operations|ops team|ops repository)\b"),
    re.compile(r"\b(?:active directory|byod|bring your own device|mobile device management)\b"),
)
_DEVICE = re.compile(
    r"\b(?:medical devices?|the device|soup|sbom|software (?:items?|units?|systems?)|firmware"
    r"|customers?|patients?|clinical|products?|intended (?:use|purpose)|62304|81001|14971"
    r"|mdr|ivdr|samd)\b"
)


def isms_title(text: str) -> str | None:
    """The information security management standard an H1 or title names, when it names no
    device standard or regulation."""
    folded = text.casefold()
    match = _ISMS_STANDARD.search(folded)
    if match is None or _DEVICE_STANDARD.search(folded):
        return None
    named = match.group(0)
    if named[0].isdigit():
        return f"ISO/IEC {named}"
    return "SOC 2" if named.startswith("soc") else "an information security management system"


def own_it_words(text: str) -> tuple[str, ...]:
    """The words of the organisation's own IT in a text that names nothing of a device (empty
    when it does): one per kind, as written, in the order of the kinds."""
    folded = text.casefold()
    if _DEVICE.search(folded):
        return ()
    found = (pattern.search(folded) for pattern in _OWN_IT)
    return tuple(match.group(0) for match in found if match is not None)
