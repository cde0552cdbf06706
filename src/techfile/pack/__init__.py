"""The customer security pack (`techfile pack`): a hospital's security questionnaire (the MDS2
form) answered from the technical file, with software transparency, secure development evidence,
organisational assurance kept apart, the customer's responsibilities, and a check of the
maintained disclosure statement. One self-contained HTML file, or JSON, CSV or Markdown."""

from __future__ import annotations

from techfile.pack.data import PackData
from techfile.pack.gather import gather_pack

__all__ = ["PackData", "gather_pack"]
