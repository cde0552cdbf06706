"""What one run knows about the technical file, as plain queries: the index of documents, the
configuration, the date and the clause registry. Rules see it through their Context; the report
reads it from the run's result."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from techfile.data.clauses import ClauseRegistry
from techfile.model import device
from techfile.model.config import Config
from techfile.model.document import Document
from techfile.model.index import Index

T = TypeVar("T")


@dataclass
class RunView:
    index: Index
    config: Config
    as_of: datetime.date
    clauses: ClauseRegistry
    profile: str = "default"
    subjects: frozenset[str] | None = None  # only these paths' findings are wanted (None: all)
    _shared: dict[str, Any] = field(default_factory=dict)

    def shared(self, key: str, compute: Callable[[], T]) -> T:
        """A value several rules of one run need (e.g. the parsed SBOMs), computed once."""
        if key not in self._shared:
            self._shared[key] = compute()
        value: T = self._shared[key]
        return value

    @property
    def device(self) -> dict[str, Any]:
        return self.config.device

    @property
    def root(self) -> Path:
        return self.config.root

    def software_version(self) -> str | None:
        """The device's software version: the device description's, else the config's."""
        return self.shared("software-version", self._software_version)

    def _software_version(self) -> str | None:
        for document in self.index.of_type("device-description"):
            value = document.meta.get("software_version")
            if isinstance(value, str) and value.strip():
                return value.strip()
        value = self.device.get("software_version")
        return str(value) if value else None

    def device_name(self) -> str | None:
        return self.shared("device-name", lambda: device.device_name(self.index, self.device))

    def evidence_class(self, document: Document) -> str | None:
        """The document's class; a security test of another product is organisational."""
        return device.evidence_class(document, self.device_name())

    def tests_other_product(self, document: Document) -> bool:
        return device.tests_other_product(document, self.device_name())

    @property
    def documents(self) -> list[Document]:
        """Documents the content rules look at: typed, and neither obsolete nor superseded;
        of those, only the subjects when a run wants findings in some documents only."""
        return self.shared("documents", self._active_subjects)

    def _active_subjects(self) -> list[Document]:
        wanted = self.subjects
        return [
            d for d in self.index.documents if d.active and (wanted is None or d.path in wanted)
        ]
