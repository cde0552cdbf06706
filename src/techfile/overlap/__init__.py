"""ISO/IEC 27001 readiness from the QMS (`techfile overlap`): how much of an ISMS the ISO 13485
QMS and the product security evidence of the repository already give, per clause and Annex A
control, with the Statement of Applicability checked (IS rules). One run, then HTML, Markdown,
JSON or CSV."""

from __future__ import annotations

from techfile.overlap.data import OverlapData
from techfile.overlap.gather import gather

__all__ = ["OverlapData", "gather"]
