"""The readiness report (`techfile report`): what a regulatory lead wants to see before a
notified-body submission, as one self-contained HTML file or as Markdown."""

from __future__ import annotations

from techfile.report.data import ReportData
from techfile.report.gather import gather

__all__ = ["ReportData", "gather"]
