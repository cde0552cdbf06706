"""Rules of the document-control family (see checks/ for each rule's page)."""

from __future__ import annotations
