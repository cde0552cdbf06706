"""SC: does the SOUP list match the SBOM, is every SOUP item identified and its anomaly list
reviewed, is the SBOM a valid machine-readable file, is every known vulnerability in a
shipped component assessed, and is every exploitable one in the security risk assessment?

SBOM files come from `sbom` documents (`file`, relative to the document and inside the root),
from `[artifacts] sbom = PATH` (relative to the root, inside it) and from `--artifact sbom=PATH`
(anywhere: SBOMs are often built in the code repository's CI). VEX files come from
`vulnerability-report` documents (`file`) and from the `vex` artifact. Nothing is looked up
online. Clause references come from data/supply-chain.yaml.

One module per rule, named after its page in checks/ (sc001_soup_sbom_mismatch.py, ...), and
the helpers they share: sources.py (reading the SBOM and VEX files), soup.py (the SOUP lists
and their items), names.py (which rows are no SOUP items, import names; data/soup-names.yaml),
matching.py (which SBOM component is which SOUP item), vulnerabilities.py (the known
vulnerabilities and their analysis, for SC005 and SC006), device.py (safety class, markets,
connectivity) and common.py (references, text and date helpers).
"""

from __future__ import annotations
