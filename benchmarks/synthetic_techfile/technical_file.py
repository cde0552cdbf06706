"""The `Generator`: the random state, the documents and the timeline of one technical file.

The document families (`regulatory`, `plans`, `risk`, `requirements_and_tests`, `security`,
`supply_chain`, `qms`) build, render and edit their documents through it. Every random choice is
drawn from `rng`, seeded once, in a fixed order, so the output is a pure function of the seed;
`prose` is `rng` except while a document is rendered, when it is a generator seeded by the
document id, so that re-rendering a document after an edit keeps its unchanged paragraphs.
"""

from __future__ import annotations

import datetime as dt
from random import Random

from . import assembly, editing, prose, regulatory, rendering, supply_chain
from .device import AS_OF, EPOCH_START, HISTORY_END, HISTORY_START, PEOPLE
from .model import Doc, plan_counts


class Generator:
    def __init__(self, n: int, seed: int, commits: int) -> None:
        self.n = n
        self.seed = seed
        self.rng = Random(seed)
        self.prose = self.rng  # render() swaps in a per-document generator: stable re-renders
        self.commits = max(1, commits)
        self.counts = plan_counts(n)
        self.docs: list[Doc] = []
        self.by_type: dict[str, list[Doc]] = {}
        # the documents there is exactly one of, set by build()
        self.dd: Doc
        self.rmp: Doc
        self.gspr: Doc
        self.lifecycle: list[Doc]

    # -- helpers of the document families ----------------------------------------------------

    def person(self) -> tuple[str, str]:
        return self.rng.choice(PEOPLE)

    def add(self, doc_type: str, prefix: str, index: int, directory: str, title: str) -> Doc:
        """A new document with an author, a different approver, a version and a status."""
        rng = self.rng
        doc_id = f"{prefix}-{index:04d}"
        path = f"{directory}/{doc_id.lower()}.md"
        author = self.person()[0]
        approver = self.person()
        while approver[0] == author:
            approver = self.person()
        doc = Doc(doc_id, doc_type, path, title, author, approver)
        doc.major = rng.choice([1, 1, 1, 2, 2, 3])
        doc.minor = rng.randrange(0, 4)
        doc.status = rng.choices(["approved", "in-review", "draft"], [90, 6, 4])[0]
        if index == 1:  # the first of each type is approved, so every evidence pool has one
            doc.status = "approved"
        self.docs.append(doc)
        self.by_type.setdefault(doc_type, []).append(doc)
        return doc

    def sentence(self, rng: Random | None = None) -> str:
        return prose.sentence(rng or self.prose)

    def paragraph(self, lo: int = 3, hi: int = 6, rng: Random | None = None) -> str:
        return prose.paragraph(rng or self.prose, lo, hi)

    def module_name(self) -> str:
        return prose.module_name(self.rng)

    def evidence_pool(self) -> dict[str, list[str]]:
        return regulatory.evidence_pool(self)

    # -- the model, its files and its changes ------------------------------------------------

    def build(self) -> None:
        assembly.build_technical_file(self)

    def render(self, doc: Doc) -> bytes:
        return rendering.render(self, doc)

    def sbom_json(self, doc: Doc) -> bytes:
        return supply_chain.sbom_json(self, doc)

    def edit(self, doc: Doc, commit: int) -> str:
        """Change a document as a team would, bump its version, and say what changed."""
        return editing.edit(self, doc, commit)

    # -- the timeline ------------------------------------------------------------------------

    def date_of(self, commit: int) -> dt.date:
        span = (HISTORY_END - HISTORY_START).days
        return HISTORY_START + dt.timedelta(days=span * commit // max(1, self.commits - 1))

    def timestamp_of(self, commit: int) -> int:
        span = (HISTORY_END - HISTORY_START).days * 86400
        return EPOCH_START + span * commit // max(1, self.commits - 1) + (commit % 7) * 61

    def stamp(self, doc: Doc, commit: int, text: str) -> None:
        """Record a release of the document's current version at this commit."""
        doc.approved_on = self.date_of(commit)
        doc.next_review = max(
            doc.approved_on + dt.timedelta(days=365),
            AS_OF + dt.timedelta(days=30 + self.rng.randrange(300)),
        )
        doc.history.append((doc.version, doc.approved_on, text))
