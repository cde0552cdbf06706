#!/usr/bin/env python3
"""The parse floor: the least work any front-matter + Markdown linter must do.

    python benchmarks/floor.py ROOT

reads every `*.md` file under ROOT (outside `.git/` and `.techfile_cache/`), parses its
front-matter with `frontmatter.loads` (python-frontmatter, through its YAMLHandler with PyYAML's
C loader when available) and its body with markdown-it-py (CommonMark + tables), and nothing
else. Run as a subprocess, its wall time includes interpreter start-up and imports, like a
`techfile check` run, so `techfile time / floor time` is the overhead of techfile's own work.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import frontmatter
import yaml
from frontmatter.default_handlers import YAMLHandler
from markdown_it import MarkdownIt

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SKIP = {".git", ".techfile_cache"}


class FastYAMLHandler(YAMLHandler):
    def load(self, fm: str, **kwargs: object) -> Any:
        kwargs.setdefault("Loader", LOADER)
        return yaml.load(fm, **kwargs)  # type: ignore[arg-type]


def main(root: str) -> int:
    handler = FastYAMLHandler()
    md = MarkdownIt("commonmark").enable("table")
    files = tokens = 0
    for directory, subdirs, names in os.walk(root):
        subdirs[:] = sorted(d for d in subdirs if d not in SKIP)
        for name in sorted(names):
            if not name.endswith(".md"):
                continue
            with open(os.path.join(directory, name), encoding="utf-8") as handle:
                post = frontmatter.loads(handle.read(), handler=handler)
            tokens += len(md.parse(post.content))
            files += 1
    print(f"floor: {files} files, {tokens} tokens, loader {LOADER.__name__}")
    return 0 if files else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))
