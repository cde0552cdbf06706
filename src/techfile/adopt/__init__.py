"""`techfile adopt`: look at an existing repository, guess a document type per Markdown file,
say why, and write `.techfile.toml`. The documents are never touched.

The guessing is a set of pure functions over what a file shows about itself:

- its front-matter `type` (kept as it is, nothing to guess);
- the convention the repository follows (OpenRegulatory, GSTT, rdm), recognised by known
  template footers and front-matter keys; the matching preset's `[types]` globs then decide;
- GSTT's `template_id` (`CSC F.013` is the Hazard Log form);
- the file name, compared with the type names and aliases of `data/types.yaml`;
- the first H1 (`# Title`, or `Title` underlined with `===`) and the front-matter `title`,
  compared with the `h1` phrases of `data/types.yaml`;
- weakest, section headings that together mark a type (a generated threat-model report).

A product or process type guessed from words that also name an organisational document
(`patch procedure`, `mapping of requirements to documents`) is withheld, with the reason, when
the file reads as the organisation's own (`scope`).

`file_facts` reads what a file shows, `signals` turns it into weighted signals, `guessing`
decides, `scope` tells the organisation's documents from the device's, `rendering` writes the
configuration and the report, and `collect` gathers the files' facts; the command itself is
`techfile.cli.adopt`.
"""

from __future__ import annotations

from techfile.adopt.collect import MAX_FILE_SIZE, PRESETS, collect, existing_config
from techfile.adopt.file_facts import FileFacts, facts
from techfile.adopt.guessing import (
    Convention,
    Guess,
    detect_convention,
    guess,
    guess_all,
    preset_types,
    summary,
)
from techfile.adopt.rendering import render_config, render_report
from techfile.adopt.signals import GSTT_FORMS, name_stem

_stem = name_stem  # the name tests/test_adopt.py knows it by

__all__ = [
    "GSTT_FORMS",
    "MAX_FILE_SIZE",
    "PRESETS",
    "Convention",
    "FileFacts",
    "Guess",
    "collect",
    "detect_convention",
    "existing_config",
    "facts",
    "guess",
    "guess_all",
    "name_stem",
    "preset_types",
    "render_config",
    "render_report",
    "summary",
]
