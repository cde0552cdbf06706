"""The technical file as a git repository: the commit plan, the configuration, and the whole
history written with one `git fast-import` stream (10,000 documents and 1,000 commits take
seconds, not minutes).

Commit 0 adds the configuration and the core documents; the next commits (about a tenth of the
history) add the remaining documents in batches; the rest edit them. Commits carry fixed author
and committer timestamps, so the commit ids are the same on every run.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from types import TracebackType
from typing import Any

from .dangling import add_dangling_references
from .device import AS_OF, DEVICE, EPOCH_START, PEOPLE, SOFTWARE_VERSION
from .editing import EDIT_WEIGHTS
from .model import Doc
from .rendering import rendered_files
from .technical_file import Generator

AUTHORS = [
    (name, name.lower().replace("dr. ", "").replace(" ", ".") + "@meridian.example")
    for name, _ in PEOPLE
]
GITIGNORE = b"# techfile's parse and history cache\n.techfile_cache/\n"
FIRST_COMMIT_MESSAGE = (
    "Add techfile configuration, device description, risk management plan and GSPR checklist"
)
# how many documents each edit commit changes
EDITS_PER_COMMIT = [1, 1, 1, 2, 2, 3, 4]


def git(repo: Path, *args: str, **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": f"{EPOCH_START} +0000",
        "GIT_COMMITTER_DATE": f"{EPOCH_START} +0000",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "LC_ALL": "C",
    }
    return subprocess.run(["git", "-C", str(repo), *args], check=True, env=env, **kwargs)


def generate(
    out: Path, n: int, seed: int, commits: int | None = None, dangling: int = 0
) -> dict[str, Any]:
    """Write the technical file and its git history into `out` (created; must be empty).
    With `dangling`, that many references cite ids that resolve to nothing (see `dangling`)."""
    commits = commits if commits is not None else max(200, n // 10)
    gen = Generator(n, seed, commits)
    gen.build()
    cited = add_dangling_references(gen, dangling)
    batches = plan_batches(gen, commits)
    stamp_first_releases(gen, batches)
    init_repository(out)
    config = configuration(n, seed, commits, dangling)
    with FastImport(out, gen) as history:
        files = write_additions(gen, history, batches, config)
        files.update(write_edits(gen, history, range(len(batches), commits)))
    git(out, "symbolic-ref", "HEAD", "refs/heads/main")
    # Materialise the work tree and the index from HEAD; git's parallel checkout writes many
    # small files several times faster than a Python loop on slow file systems.
    git(out, "-c", "checkout.workers=8", "reset", "-q", "--hard")
    return {
        "documents": len(gen.docs),
        "files": len(files),
        "commits": commits,
        "counts": dict(sorted(gen.counts.items())),
        "dangling": cited,
    }


def plan_batches(gen: Generator, commits: int) -> list[list[Doc]]:
    """The documents each adding commit adds: the core documents first, then the rest in about
    a tenth of the history (all at once when there is only one commit)."""
    adding = max(1, min(commits - 1, max(1, commits // 10))) if commits > 1 else 0
    core = [gen.dd, gen.rmp, gen.gspr]
    rest = [d for d in gen.docs if d not in core]
    batches: list[list[Doc]] = [list(core)]
    if adding:
        size = -(-len(rest) // adding)
        batches += [rest[i : i + size] for i in range(0, len(rest), size)]
    else:
        batches[0] += rest
    return batches


def stamp_first_releases(gen: Generator, batches: list[list[Doc]]) -> None:
    for index, batch in enumerate(batches):
        for doc in batch:
            doc.created = index
            gen.stamp(doc, index, "Initial release" if doc.status == "approved" else "First draft")


def init_repository(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()):
        raise SystemExit(f"generate: {out} is not empty")
    git(out, "init", "-q")
    git(out, "config", "core.autocrlf", "false")
    git(out, "config", "user.name", "Benchmark Generator")
    git(out, "config", "user.email", "bench@example.invalid")


def configuration(n: int, seed: int, commits: int, dangling: int) -> bytes:
    """The `.techfile.toml` of the technical file."""
    variant = f"# dangling references: {dangling} (--dangling)\n" if dangling else ""
    return (
        "# techfile configuration of a synthetic benchmark technical file\n"
        "# (benchmarks/generate.py).\n"
        f"# documents: {n}, seed: {seed}, commits: {commits}\n"
        f"{variant}"
        f'as-of = "{AS_OF.isoformat()}"\n\n'
        "[device]\n"
        f'name = "{DEVICE}"\n'
        'class = "IIa"\n'
        'software_safety_class = "B"\n'
        "connected = true\n"
        "interoperates = true\n"
        'markets = ["EU", "US"]\n'
        "mobile_platforms = true\n"
        f'software_version = "{SOFTWARE_VERSION}"\n'
    ).encode()


class FastImport:
    """A `git fast-import` process writing the commits of branch main, one after the other."""

    def __init__(self, repo: Path, gen: Generator) -> None:
        self.gen = gen
        self.proc = subprocess.Popen(
            ["git", "-C", str(repo), "fast-import", "--quiet", "--done"],
            stdin=subprocess.PIPE,
            env={**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull},
        )
        assert self.proc.stdin is not None
        self.stream = self.proc.stdin

    def __enter__(self) -> FastImport:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        problem: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if kind is not None:
            self.proc.kill()
            self.proc.wait()
            return
        self.stream.write(b"done\n")
        self.stream.close()
        if self.proc.wait() != 0:
            raise SystemExit("generate: git fast-import failed")

    def commit(self, index: int, message: str, files: dict[str, bytes]) -> None:
        """Commit `index` (its parent is commit index - 1) with these files added or changed."""
        name, email = AUTHORS[index % len(AUTHORS)]
        when = self.gen.timestamp_of(index)
        msg = message.encode()
        chunks = [
            b"commit refs/heads/main\n",
            f"mark :{index + 1}\n".encode(),
            f"author {name} <{email}> {when} +0000\n".encode(),
            f"committer {name} <{email}> {when} +0000\n".encode(),
            f"data {len(msg)}\n".encode(),
            msg,
            b"\n",
        ]
        if index > 0:
            chunks.append(f"from :{index}\n".encode())
        for path in sorted(files):
            data = files[path]
            chunks += [
                f"M 100644 inline {path}\n".encode(),
                f"data {len(data)}\n".encode(),
                data,
                b"\n",
            ]
        chunks.append(b"\n")
        self.stream.write(b"".join(chunks))


def write_additions(
    gen: Generator, history: FastImport, batches: list[list[Doc]], config: bytes
) -> dict[str, bytes]:
    """One commit per batch of new documents; the files written, by path."""
    written: dict[str, bytes] = {".techfile.toml": config, ".gitignore": GITIGNORE}
    for index, batch in enumerate(batches):
        files: dict[str, bytes] = (
            {".techfile.toml": config, ".gitignore": GITIGNORE} if index == 0 else {}
        )
        for doc in batch:
            files.update(rendered_files(gen, doc))
        written.update(files)
        kinds = sorted({d.type for d in batch})
        more = ", ..." if len(kinds) > 4 else ""
        message = (
            f"Add {len(batch)} documents ({', '.join(kinds[:4])}{more})"
            if index
            else FIRST_COMMIT_MESSAGE
        )
        history.commit(index, message + "\n", files)
    return written


def write_edits(gen: Generator, history: FastImport, indices: range) -> dict[str, bytes]:
    """One commit per index, each editing one to four documents; the files written, by path."""
    rng = gen.rng
    editable = [d for d in gen.docs if d.type in EDIT_WEIGHTS]
    weights = [EDIT_WEIGHTS[d.type] for d in editable]
    sbom_of = {sbom.data["soup"].id: sbom for sbom in gen.by_type.get("sbom", [])}
    written: dict[str, bytes] = {}
    for index in indices:
        targets = rng.choices(editable, weights, k=rng.choice(EDITS_PER_COMMIT))
        files: dict[str, bytes] = {}
        notes = []
        for doc in dict.fromkeys(targets):
            notes.append(f"{doc.id}: {gen.edit(doc, index)}")
            files.update(rendered_files(gen, doc))
            if doc.id in sbom_of:
                files.update(regenerate_sbom(gen, sbom_of[doc.id], doc, index))
        written.update(files)
        subject = notes[0] if len(notes) == 1 else f"Update {len(notes)} documents"
        history.commit(index, subject + "\n\n" + "\n".join(f"- {n}" for n in notes) + "\n", files)
    return written


def regenerate_sbom(gen: Generator, sbom: Doc, soup: Doc, index: int) -> dict[str, bytes]:
    """The SBOM follows its SOUP list: a new version in the same commit."""
    sbom.minor += 1
    gen.stamp(sbom, index, f"Regenerated from {soup.id} {soup.version}")
    return rendered_files(gen, sbom)
