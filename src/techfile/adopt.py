"""`techfile adopt`: look at an existing repository, guess a document type per Markdown file,
say why, and write `.techfile.toml`. The documents are never touched.

The guessing is a set of pure functions over what a file shows about itself:

- its front-matter `type` (kept as it is, nothing to guess);
- the convention the repository follows (OpenRegulatory, GSTT, rdm), recognised by known
  template footers and front-matter keys; the matching preset's `[types]` globs then decide;
- GSTT's `template_id` (`CSC F.013` is the Hazard Log form);
- the file name, compared with the type names and aliases of `data/types.yaml`;
- the first `#` heading and the front-matter `title`, compared with the `h1` phrases of
  `data/types.yaml`.

`adopt` is a click command that returns an exit code; the CLI registers it.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import click

from techfile.intake.discover import matches

CONFIG_FILE = ".techfile.toml"
PRESETS = ("openregulatory", "rdm", "gstt")
EXIT_CLEAN, EXIT_ERROR = 0, 2
MAX_FILE_SIZE = 10 * 1024 * 1024

# What a file shows of the convention it was written in.
_OPENREGULATORY_MARKS = (
    "template copyright [openregulatory.com]",
    "openregulatory (openreg gmbh)",
    "github.com/openregulatory/templates",
)
_GSTT_NAME = re.compile(r"^CSC-(?:F|PR|I|PL)-\d{3}\b", re.IGNORECASE)
_GSTT_TEMPLATE_ID = re.compile(r"^CSC\s+(?P<kind>[A-Z]+)\.(?P<number>\d{3})$", re.IGNORECASE)

# GSTT forms by template_id: the form a record was made from says what the record is.
GSTT_FORMS = {
    "F.001": ("training-record", "Training Log"),
    "F.009": ("risk-management-plan", "Clinical Risk Management Plan"),
    "F.012": ("risk-management-report", "Clinical Safety Case Report"),
    "F.013": ("risk-analysis", "Hazard Log"),
    "F.024": ("security-risk-assessment", "Cyber Security"),
    "F.028": ("ifu", "Instructions For Use"),
}

# Weights of the softer signals; the highest total wins.
_WEIGHTS = {"template": 3, "file name": 2, "H1": 2, "title": 2}
_PROCEDURE = re.compile(r"^(?:sop|standard operating procedure|procedure)\b")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


@dataclass(frozen=True)
class FileFacts:
    """What one Markdown file shows about itself."""

    path: str  # root-relative, POSIX
    front_matter: dict[str, str]  # top-level scalar keys as written
    has_front_matter: bool
    h1: str | None
    conventions: frozenset[str]  # presets whose marks the file carries
    problem: str | None = None  # why the file could not be read

    @property
    def declared_type(self) -> str | None:
        value = self.front_matter.get("type", "").strip()
        return value or None

    @property
    def title(self) -> str | None:
        value = self.front_matter.get("title", "").strip()
        return value or None

    @property
    def has_id(self) -> bool:
        return bool(
            self.front_matter.get("id", "").strip() or self.front_matter.get("record_id", "")
        )


@dataclass(frozen=True)
class Guess:
    path: str
    type: str | None
    reasons: tuple[str, ...]
    by: str  # "front-matter" | "preset" | "guess" | "none" | "unreadable"


@dataclass(frozen=True)
class Convention:
    preset: str | None
    reason: str


# --------------------------------------------------------------------------------------------
# Reading a file


def facts(path: str, data: bytes) -> FileFacts:
    """The facts of one file from its bytes (pure: nothing else is read)."""
    from techfile.intake.markdown import first_h1
    from techfile.intake.split import split_front_matter
    from techfile.intake.text import decode

    decoded = decode(data)
    if decoded.text is None:
        reason = decoded.diagnostic.message if decoded.diagnostic else "cannot be decoded"
        return FileFacts(path, {}, False, None, frozenset(), reason)
    text = decoded.text
    split = split_front_matter(text)
    front_matter = _scalars(split.front_matter) if split.front_matter else {}
    heading = first_h1(split.body, split.body_line)
    h1 = heading[0] if heading else None
    return FileFacts(
        path,
        front_matter,
        split.front_matter is not None,
        h1,
        _conventions(path, text, front_matter),
    )


def _scalars(yaml_text: str) -> dict[str, str]:
    """Top-level keys with scalar values, as written; nothing is constructed."""
    from techfile.intake.yamltree import TreeError, build_tree

    try:
        root = build_tree(yaml_text)
    except TreeError:
        return {}
    if root is None or root.kind != "map":
        return {}
    found: dict[str, str] = {}
    for key, value in root.pairs:
        if key.kind == "scalar":
            found[key.value] = value.value if value.kind == "scalar" else ""
    return found


def _conventions(path: str, text: str, front_matter: dict[str, str]) -> frozenset[str]:
    marks: set[str] = set()
    folded = text.casefold()
    if any(mark in folded for mark in _OPENREGULATORY_MARKS):
        marks.add("openregulatory")
    name = PurePosixPath(path).name
    if (
        ("template_id" in front_matter and "qms_version" in front_matter)
        or _GSTT_TEMPLATE_ID.match(front_matter.get("template_id", "").strip())
        or (_GSTT_NAME.match(name) and "qms_version" in front_matter)
    ):
        marks.add("gstt")
    if "revision" in front_matter and "id" in front_matter and "template_id" not in front_matter:
        marks.add("rdm")
    return frozenset(marks)


# --------------------------------------------------------------------------------------------
# Guessing


def detect_convention(files: Sequence[FileFacts]) -> Convention:
    """The preset whose marks most Markdown files carry, when at least half of them do."""
    readable = [f for f in files if f.problem is None]
    counts = Counter(c for f in readable for c in f.conventions)
    if not readable or not counts:
        return Convention(None, "no file carries the marks of a known template set")
    preset, count = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]
    what = {
        "openregulatory": "the OpenRegulatory template footer or header",
        "gstt": "GSTT QMS front-matter (template_id, qms_version)",
        "rdm": "rdm front-matter (id, revision)",
    }[preset]
    share = f"{count} of {len(readable)} Markdown files carry {what}"
    if count * 2 < len(readable):
        return Convention(None, f"only {share}; no preset chosen")
    return Convention(preset, share)


def preset_types(preset: str | None) -> dict[str, str]:
    """The `[types]` globs of a shipped preset, in order."""
    if preset is None:
        return {}
    from techfile.intake.config import with_preset

    raw = with_preset({}, preset).get("types", {})
    return {str(k): str(v) for k, v in raw.items()}


def guess(file: FileFacts, preset: str | None, globs: dict[str, str]) -> Guess:
    """The type of one file, with the reasons for it."""
    from techfile.data.registry import type_registry

    registry = type_registry()
    if file.problem is not None:
        return Guess(file.path, None, (f"cannot be read: {file.problem}",), "unreadable")
    declared = file.declared_type
    if declared is not None:
        canonical = registry.canonical(declared)
        if canonical is not None:
            return Guess(
                file.path, canonical, (f"front-matter says `type: {declared}`",), "front-matter"
            )
        # `[types]` cannot override a declared type: only an alias of the name helps
        hint = registry.suggest(declared)
        alias = f' (`"{declared}" = "{hint}"`?)' if hint else ""
        return Guess(
            file.path,
            None,
            (
                f"front-matter says `type: {declared}`, which techfile does not know; map it "
                f"under [aliases.types]{alias}",
            ),
            "none",
        )
    signals = _signals(file, registry)
    for pattern, type_name in globs.items():
        if matches(file.path, (pattern,)):
            reasons = [f"preset {preset} maps `{pattern}`"]
            reasons += [r for t, _, r in signals if t == type_name]
            return Guess(file.path, type_name, (*reasons, *_also(signals, type_name)), "preset")
    if not signals:
        return Guess(file.path, None, (_nothing_fits(file),), "none")
    scores: Counter[str] = Counter()
    for type_name, kind, _ in signals:
        scores[type_name] += _WEIGHTS[kind]
    best = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    if len(best) > 1 and best[1][1] == best[0][1]:
        tied = ", ".join(t for t, s in best if s == best[0][1])
        said = "; ".join(r for _, _, r in signals)
        return Guess(file.path, None, (f"signals disagree ({tied}): {said}",), "none")
    chosen = best[0][0]
    reasons = [r for t, _, r in signals if t == chosen]
    return Guess(file.path, chosen, (*reasons, *_also(signals, chosen)), "guess")


def _also(signals: list[tuple[str, str, str]], chosen: str) -> tuple[str, ...]:
    others = sorted({t for t, _, _ in signals if t != chosen})
    return (f"(it also looked like {', '.join(others)})",) if others else ()


def _signals(file: FileFacts, registry: Any) -> list[tuple[str, str, str]]:
    """(type, kind, reason) for every signal the file gives; kind is a key of _WEIGHTS."""
    found: list[tuple[str, str, str]] = []
    template_id = file.front_matter.get("template_id", "").strip()
    match = _GSTT_TEMPLATE_ID.match(template_id)
    if match:
        kind, number = match.group("kind").upper(), match.group("number")
        form = GSTT_FORMS.get(f"{kind}.{number}")
        if form:
            found.append((form[0], "template", f"template_id `{template_id}` is GSTT's {form[1]}"))
        elif kind == "PR":
            found.append(("qms-procedure", "template", f"template_id `{template_id}` is an SOP"))
    stem = _stem(file.path)
    name = PurePosixPath(file.path).name
    by_name = registry.canonical(stem)
    if by_name is not None:
        found.append((by_name, "file name", f"file name `{stem}` is a name of {by_name}"))
    elif stem.startswith("sop-") or name.upper().startswith("CSC-PR-"):
        found.append(("qms-procedure", "file name", f"file name `{name}` names an SOP"))
    for label, text in (("H1", file.h1), ("title", file.title)):
        if not text:
            continue
        type_name, phrase = _phrase_type(text, registry)
        if type_name is not None:
            found.append((type_name, label, f'{label} "{text}" says {phrase}'))
    return found


def _stem(path: str) -> str:
    """The file name as a type name would be written: `CSC-F-013-Hazard-Log-Template.md` is
    `hazard-log`, `risk-table-fmea/index.md` is `risk-table-fmea`."""
    pure = PurePosixPath(path)
    stem = pure.stem
    if stem.casefold() in ("index", "readme", "_index") and pure.parent.name:
        stem = pure.parent.name
    stem = re.sub(r"^csc[-_ ](?:f|pr|i|pl)[-_ ]\d+[-_ ]", "", stem, flags=re.IGNORECASE)
    stem = re.sub(r"[-_ ]template$", "", stem, flags=re.IGNORECASE)
    return _NON_ALNUM.sub("-", stem.casefold()).strip("-")


def _words(text: str) -> str:
    return " ".join(_NON_ALNUM.sub(" ", text.casefold()).split())


def _phrase_type(text: str, registry: Any) -> tuple[str | None, str]:
    """The type whose longest `h1` phrase the text contains; an SOP about X is an SOP."""
    words = _words(text)
    if _PROCEDURE.match(words):
        return "qms-procedure", "it is a standard operating procedure"
    best: tuple[int, str, str] | None = None
    for name, doc_type in sorted(registry.types.items()):
        for phrase in doc_type.h1:
            normal = _words(phrase)
            found = bool(normal) and f" {normal} " in f" {words} "
            if found and (best is None or len(normal) > best[0]):
                best = (len(normal), name, phrase)
    if best is None:
        return None, ""
    return best[1], f'"{best[2]}"'


def _nothing_fits(file: FileFacts) -> str:
    shown = [f'H1 "{file.h1}"' if file.h1 else "no H1"]
    if file.title:
        shown.append(f'title "{file.title}"')
    return f"no document type fits ({', '.join(shown)}, file name `{_stem(file.path)}`)"


def guess_all(
    files: Sequence[FileFacts], preset: str | None = None, detect: bool = True
) -> tuple[Convention, list[Guess]]:
    """The convention and a guess per file. `preset` forces one; otherwise it is detected."""
    if preset is not None:
        convention = Convention(preset, f"--preset {preset}")
    elif detect:
        convention = detect_convention(files)
    else:
        convention = Convention(None, "--preset none")
    globs = preset_types(convention.preset)
    return convention, [guess(f, convention.preset, globs) for f in files]


# --------------------------------------------------------------------------------------------
# The configuration


def render_config(
    convention: Convention,
    guesses: Sequence[Guess],
    files: Sequence[FileFacts],
    today: datetime.date,
) -> str:
    """The `.techfile.toml` for these guesses: the preset, `[types]` for what the preset and
    the front-matter leave open, and the files no type fits as comments."""
    lines = [
        f"# Written by `techfile adopt` on {today.isoformat()}. techfile never changes your",
        "# documents: this file only says how to read them. Check the guesses, then run",
        "# `techfile check`.",
    ]
    if convention.preset is not None:
        lines += ["", f"# {convention.reason}", f'preset = "{convention.preset}"']
    else:
        without_id = [f for f in files if f.problem is None and not f.has_id]
        typed = {g.path for g in guesses if g.type is not None and g.by == "guess"}
        if any(f.path in typed for f in without_id):
            lines += [
                "",
                "# Files without an `id` in front-matter take their file name as id.",
                'id-from = "path-stem"',
            ]
    own = [g for g in guesses if g.by == "guess" and g.type is not None]
    open_files = [g for g in guesses if g.type is None]
    if own:
        lines += ["", "[types]"]
        for g in own:
            lines.append(f"{_toml_key(g.path)} = {_toml_string(g.type or '')}")
            lines.append(f"#   {_comment('; '.join(g.reasons))}")
    if open_files:
        lines += [
            "",
            "# No document type fits these files, so no rule reads them. Give one a type here",
            "# (`techfile types` lists them), or leave it: techfile reports it as unclassified.",
        ]
        if not own:
            lines.append("# [types]")
        for g in open_files:
            lines.append(f'# {_toml_key(g.path)} = ""   # {_comment(g.reasons[0])}')
    return "\n".join(lines) + "\n"


def _toml_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = "".join(c if c >= " " else f"\\u{ord(c):04x}" for c in escaped)
    return f'"{escaped}"'


def _toml_key(path: str) -> str:
    """A path as a `[types]` key: a glob without wildcards matches exactly that path."""
    return _toml_string(path)


def _comment(text: str) -> str:
    return " ".join(text.split())


def render_report(
    root: Path, convention: Convention, guesses: Sequence[Guess], written: str | None
) -> str:
    width = max((len(g.path) for g in guesses), default=10)
    type_width = max((len(g.type or "-") for g in guesses), default=4)
    out = [
        f"techfile adopt: {root}",
        f"convention: {convention.preset or 'none'} ({convention.reason})",
    ]
    for g in guesses:
        out.append(f"  {g.path:<{width}}  {g.type or '-':<{type_width}}  {'; '.join(g.reasons)}")
    typed = sum(1 for g in guesses if g.type is not None)
    out.append(
        f"{typed} of {len(guesses)} Markdown files have a type"
        + (f"; wrote {written}" if written else "")
    )
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------------------------
# The command


def collect(root: Path) -> list[FileFacts]:
    """The facts of every Markdown file techfile would read under `root`."""
    from techfile.intake.discover import discover
    from techfile.model.config import DEFAULT_EXCLUDES

    found: list[FileFacts] = []
    for candidate in discover(root, ("**/*.md",), DEFAULT_EXCLUDES):
        if candidate.problem is not None:
            found.append(
                FileFacts(candidate.path, {}, False, None, frozenset(), candidate.problem.message)
            )
            continue
        try:
            size = candidate.absolute.stat().st_size
            if size > MAX_FILE_SIZE:
                found.append(
                    FileFacts(
                        candidate.path,
                        {},
                        False,
                        None,
                        frozenset(),
                        f"larger than {MAX_FILE_SIZE} bytes",
                    )
                )
                continue
            data = candidate.absolute.read_bytes()
        except OSError as problem:
            found.append(
                FileFacts(
                    candidate.path, {}, False, None, frozenset(), problem.strerror or str(problem)
                )
            )
            continue
        found.append(facts(candidate.path, data))
    return found


def existing_config(root: Path) -> str | None:
    """Why a configuration is already there, or None."""
    if (root / CONFIG_FILE).exists():
        return f"{root / CONFIG_FILE} already exists"
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        import tomllib

        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            return None
        if "techfile" in data.get("tool", {}):
            return f"{pyproject} already has a [tool.techfile] section"
    return None


@click.command()
@click.argument("path", required=False, type=click.Path())
@click.option(
    "--preset",
    type=click.Choice([*PRESETS, "none"]),
    default=None,
    help="The template set the repository follows (default: recognised from the files; "
    "none: guess without one).",
)
@click.option(
    "--print",
    "print_only",
    is_flag=True,
    help="Print the configuration to standard output instead of writing .techfile.toml.",
)
def adopt(path: str | None, preset: str | None, print_only: bool) -> int:
    """Guess a document type for every Markdown file in PATH (default: the current directory),
    say why, and write .techfile.toml. The documents are never changed."""
    root = Path(path or ".")
    if not root.is_dir():
        click.echo(f"techfile: {root} is not a directory", err=True)
        return EXIT_ERROR
    there = None if print_only else existing_config(root)
    if there is not None:
        click.echo(
            f"techfile: {there}; adopt never overwrites a configuration. Use `techfile adopt "
            "--print` to see what it would write, and merge it by hand",
            err=True,
        )
        return EXIT_ERROR
    files = collect(root)
    if not files:
        click.echo(f"techfile: no Markdown files under {root}; nothing to adopt", err=True)
        return EXIT_ERROR
    forced = None if preset in (None, "none") else preset
    convention, guesses = guess_all(files, forced, detect=preset != "none")
    config = render_config(convention, guesses, files, datetime.date.today())
    if print_only:
        click.echo(render_report(root, convention, guesses, None), nl=False, err=True)
        click.echo(config, nl=False)
        return EXIT_CLEAN
    target = root / CONFIG_FILE
    try:
        with target.open("x", encoding="utf-8") as handle:  # never overwrite, even in a race
            handle.write(config)
    except FileExistsError:
        click.echo(f"techfile: {target} already exists; adopt never overwrites it", err=True)
        return EXIT_ERROR
    except OSError as problem:
        click.echo(f"techfile: cannot write {target}: {problem.strerror}", err=True)
        return EXIT_ERROR
    click.echo(render_report(root, convention, guesses, str(target)), nl=False)
    return EXIT_CLEAN


def summary(guesses: Iterable[Guess]) -> dict[str, str | None]:
    """path -> guessed type (for tests and callers that want the table only)."""
    return {g.path: g.type for g in guesses}
