"""Find the files of a technical file: git's view when there is one, else a directory walk.

Path globs (`include`, `exclude`, `[types]`, ...) come from configuration in the checked-out
tree, so matching must stay fast whatever the pattern. A glob whose regex cannot backtrack
more than linearly (see `_linear_as_regex`) is matched by `re`, which is fastest on the
patterns trees use; any other goes to util.globmatch, linear in the path for any pattern.
Both read a glob the same way: `**/`, `**`, `*` and `?` are wildcards, everything else is
literal (a `[` too).

git is run here only to list files; the command line that keeps a repository's own
configuration from running programs (git_command) lives here so sources.py, which runs git
for everything else, can use it too.
"""

from __future__ import annotations

import errno
import functools
import os
import re
import stat
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from techfile.model.config import CACHE_DIR, ConfigError
from techfile.model.diagnostics import Diagnostic
from techfile.util.globmatch import MAX_PATTERN_LENGTH, GlobMatcher, compile_globs

# `-c` settings for every git command techfile runs. The repository's configuration is data
# written by whoever opened the pull request; these keep it from naming programs that the
# read-only commands used here (ls-files, ls-tree, cat-file, diff, rev-parse, merge-base)
# would run. Command-line `-c` wins over every configuration file; GIT_* variables of the
# environment (GIT_DIR, GIT_INDEX_FILE, ...) are the caller's and are left alone.
GIT_SAFETY = (
    # an fsmonitor hook runs whenever the index is read (ls-files, diff, cat-file `:path`)
    "core.fsmonitor=false",
    # a partial clone fetches missing objects from its promisor remote, through a transport
    # the configuration chooses (`ext::` commands, ssh with core.sshCommand, a file remote's
    # uploadpack): a check never goes to the network
    "protocol.allow=never",
    *(f"protocol.{name}.allow=never" for name in ("file", "git", "ssh", "http", "https", "ext")),
    # hooks run on writes, and these commands write nothing (GIT_OPTIONAL_LOCKS=0 stops even
    # the index refresh); should one ever write the index, its post-index-change hook stays off
    "core.hooksPath=/dev/null",
    # `log.showSignature` makes `git log` verify signatures with gpg.program, which the
    # configuration also names
    "log.showSignature=false",
)
# Not set here: diff drivers and textconv run only for patches, and diff is only asked for
# names (with --no-ext-diff --no-textconv besides); clean filters run when diff hashes
# work-tree files, so that one diff turns off the filters the configuration names
# (sources.filters_off).


def git_command(*args: str) -> list[str]:
    """The argument list that runs `git ARGS` with GIT_SAFETY."""
    safety = [item for setting in GIT_SAFETY for item in ("-c", setting)]
    return ["git", *safety, *args]


def git_environment() -> dict[str, str]:
    return {**os.environ, "GIT_OPTIONAL_LOCKS": "0"}


@dataclass(frozen=True, slots=True)
class Candidate:
    path: str  # root-relative, POSIX
    absolute: Path
    problem: Diagnostic | None = None


@functools.lru_cache(maxsize=512)
def glob_regex(pattern: str) -> re.Pattern[str]:
    """Compile a path glob where `**` spans directories and `*` stays inside one."""
    out = ""
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if pattern.startswith("**/", index):
            out += "(?:.*/)?"
            index += 3
            continue
        if pattern.startswith("**", index):
            out += ".*"
            index += 2
            continue
        out += {"*": "[^/]*", "?": "[^/]"}.get(char, re.escape(char))
        index += 1
    return re.compile(out)


class GlobError(ConfigError):
    """A path glob techfile will not match (too long): a configuration error."""


class PathGlobs:
    """`globs(path)`: does any of the globs match the whole path? Linear in the path."""

    def __init__(self, patterns: Iterable[str]) -> None:
        patterns = tuple(patterns)
        for pattern in patterns:
            check_glob(pattern)
        as_regex = [p for p in patterns if _linear_as_regex(p)]
        as_automaton = [_literal_brackets(p) for p in patterns if not _linear_as_regex(p)]
        joined = "|".join(f"(?:{glob_regex(p).pattern})" for p in as_regex)
        # DOTALL: a line break in a file name is a character like any other, as for globmatch
        self.regex = re.compile(joined, re.DOTALL) if as_regex else None
        self.automaton: GlobMatcher | None = compile_globs(as_automaton) if as_automaton else None

    def __call__(self, path: str) -> bool:
        if self.regex is not None and self.regex.fullmatch(path) is not None:
            return True
        return self.automaton is not None and self.automaton(path)

    @property
    def steps(self) -> int:
        """Automaton states visited so far (util.globmatch), for tests of bounded work."""
        return 0 if self.automaton is None else self.automaton.steps


def check_glob(pattern: str) -> None:
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise GlobError(
            f"a path glob is {len(pattern):,} characters long, more than the "
            f"{MAX_PATTERN_LENGTH:,} techfile accepts ({pattern[:40]!r}...)"
        )


def check_globs(key: str, patterns: Iterable[str]) -> None:
    """Every glob of configuration key `key` can be matched; else a one-line ConfigError."""
    try:
        for pattern in patterns:
            check_glob(pattern)
    except GlobError as problem:
        raise ConfigError(f"`{key}`: {problem}") from None


def _linear_as_regex(pattern: str) -> bool:
    """True when the backtracking regex of the glob needs time linear in the path.

    One `*` or `**` gives one choice point; a `**/` alone gives one per `/`; a `*` after a
    `**/` is confined to one directory name, so the two together still try each character
    once per choice; a `**` that ends the glob matches the rest of the path at once (DOTALL,
    whole-path match). Any other mix (`*a*b`, `**x**y`, `*a**/`, two `**/`) can try a path's
    characters many times over, exponentially so with many stars: those go to the automaton.
    """
    wildcards: list[str] = []  # "**/", "**", "*" (a `*` before any `**/`: "*<")
    index = 0
    while index < len(pattern):
        token = next((w for w in ("**/", "**", "*") if pattern.startswith(w, index)), "")
        if token == "*" and "**/" not in wildcards:
            wildcards.append("*<")
        elif token:
            wildcards.append(token)
        index += len(token) or 1
    if wildcards[-1:] == ["**"] and pattern.endswith("**"):
        wildcards.pop()
    deep = wildcards.count("**/")
    others = [w for w in wildcards if w != "**/"]
    if deep > 1 or len(others) > 1:
        return False
    return not deep or not others or others[0] == "*"


def _literal_brackets(pattern: str) -> str:
    """util.globmatch reads `[abc]` as a class; techfile's globs read `[` literally."""
    return pattern.replace("[", "[[]")


def matches(path: str, patterns: Iterable[str]) -> bool:
    return _any_of(tuple(patterns))(path)


@functools.lru_cache(maxsize=64)
def _any_of(patterns: tuple[str, ...]) -> PathGlobs:
    """One matcher for a list of globs: thousands of paths are matched against the same lists."""
    return PathGlobs(patterns)


def discover(root: Path, include: tuple[str, ...], exclude: tuple[str, ...]) -> list[Candidate]:
    listed = _git_files(root)
    paths, too_deep = (listed, []) if listed is not None else _walk(root)
    found: list[Candidate] = []
    chosen = [p for p in sorted(set(paths)) if matches(p, include) and not matches(p, exclude)]
    links = {rel for rel in chosen if _is_link(root / rel)}
    # only a tree with links needs every file's real path (a link may be a second name)
    real_files = {(root / p).resolve() for p in chosen if p not in links} if links else set()
    for rel in chosen:
        if not is_utf8(rel):
            found.append(Candidate(shown_name(rel), root / rel, undecodable_name()))
        elif rel not in links:
            found.append(Candidate(rel, root / rel))
        else:
            candidate = _check_link(root, rel)
            if candidate.problem is None and candidate.absolute.resolve() in real_files:
                continue  # a second name for a file that is read under its own name
            found.append(candidate)
    found += [_too_deep(root, rel) for rel in too_deep if not _excluded(rel, exclude)]
    return found


def _is_link(path: Path) -> bool:
    try:
        return stat.S_ISLNK(os.lstat(path).st_mode)
    except OSError:  # a path too long to look at is read (and reported) like any other
        return False


def _excluded(directory: str, exclude: tuple[str, ...]) -> bool:
    return matches(directory, exclude) or matches(f"{directory}/", exclude)


def _too_deep(root: Path, rel: str) -> Candidate:
    return Candidate(
        rel,
        root / rel,
        Diagnostic(
            "FM008",
            "the directory's path is longer than this system allows (PATH_MAX), so its files "
            "cannot be listed or opened",
            key=("path-too-long",),
            why="techfile skipped them, so their documents are missing from every check and a "
            "citation of them leads nowhere.",
            fix="Shorten the path.",
        ),
    )


def is_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def shown_name(name: str) -> str:
    """A name read with surrogateescape as it can be printed: undecodable bytes become U+FFFD."""
    return (
        name
        if is_utf8(name)
        else name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    )


def undecodable_name() -> Diagnostic:
    return Diagnostic(
        "FM009",
        "the file name is not valid UTF-8, so it cannot be cited or shown reliably",
        key=("file-name",),
        why="techfile skipped the file, so no rule checked it.",
        fix="Rename the file with a UTF-8 name.",
    )


def _git_files(root: Path) -> list[str] | None:
    """Tracked and untracked-but-not-ignored files, so `.gitignore` is honoured."""
    if not (root / ".git").exists():
        return None
    try:
        out = subprocess.run(
            git_command("ls-files", "-z", "--cached", "--others", "--exclude-standard"),
            cwd=root,
            capture_output=True,
            env=git_environment(),
            check=False,
        )
    except OSError:
        return None
    if out.returncode != 0:
        return None
    names = out.stdout.decode("utf-8", "surrogateescape").split("\0")
    # --cached also lists files deleted from the work tree but not yet from the index
    return [name for name in names if name and present(root / name)]


def present(path: Path) -> bool:
    """Not known to be gone: a path too long to look at is kept, and reported when read."""
    try:
        os.lstat(path)
    except OSError as problem:
        return problem.errno not in (errno.ENOENT, errno.ENOTDIR)
    return True


def _walk(root: Path) -> tuple[list[str], list[str]]:
    """Every file under the root, and the directories whose path is too long to list."""
    found: list[str] = []
    too_deep: list[str] = []

    def unlisted(problem: OSError) -> None:
        if problem.errno == errno.ENAMETOOLONG and problem.filename is not None:
            too_deep.append(Path(os.fsdecode(problem.filename)).relative_to(root).as_posix())

    for directory, subdirs, files in os.walk(root, onerror=unlisted, followlinks=False):
        subdirs[:] = sorted(d for d in subdirs if d not in (".git", CACHE_DIR))
        base = Path(directory).relative_to(root).as_posix()
        for name in files:
            found.append(name if base == "." else f"{base}/{name}")
    return found, too_deep


def _check_link(root: Path, rel: str) -> Candidate:
    absolute = root / rel
    if not absolute.is_symlink():
        return Candidate(rel, absolute)
    try:
        target = absolute.resolve(strict=True)
    except (OSError, RuntimeError):
        return Candidate(
            rel,
            absolute,
            Diagnostic(
                "FM008",
                "the file is a symbolic link that loops or points to nothing",
                key=("link",),
                why="techfile skipped the file, so the document is missing from every check and a "
                "citation of it leads nowhere.",
                fix="Point the link at the file's new place, or replace the link by the file.",
            ),
        )
    if not target.is_relative_to(root.resolve()):
        return Candidate(
            rel,
            absolute,
            Diagnostic(
                "FM008",
                f"the file is a symbolic link to a place outside the technical file ({target})",
                key=("escape",),
                why="techfile reads only what is inside the root, as a reviewer receives only "
                "that, so it skipped the file.",
                fix="Put the document itself into the technical file.",
            ),
        )
    return Candidate(rel, absolute)
