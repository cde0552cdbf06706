"""Guessing a document type per file, with the reasons for it: the declared `type` is kept,
a recognised preset's `[types]` globs decide next, and the weighted signals last."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from techfile.adopt.file_facts import FileFacts
from techfile.adopt.signals import WEIGHTS, Signal, name_stem, signals
from techfile.intake.discover import matches

_CONVENTION_MARKS = {
    "openregulatory": "the OpenRegulatory template footer or header",
    "gstt": "GSTT QMS front-matter (template_id, qms_version)",
    "rdm": "rdm front-matter (id, revision)",
}


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


def detect_convention(files: Sequence[FileFacts]) -> Convention:
    """The preset whose marks most Markdown files carry, when at least half of them do."""
    readable = [f for f in files if f.problem is None]
    counts = Counter(c for f in readable for c in f.conventions)
    if not readable or not counts:
        return Convention(None, "no file carries the marks of a known template set")
    preset, count = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]
    share = f"{count} of {len(readable)} Markdown files carry {_CONVENTION_MARKS[preset]}"
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
        return _declared(file.path, declared, registry)
    found = signals(file, registry)
    for pattern, type_name in globs.items():
        if matches(file.path, (pattern,)):
            reasons = [f"preset {preset} maps `{pattern}`"]
            reasons += [r for t, _, r in found if t == type_name]
            return Guess(file.path, type_name, (*reasons, *_also(found, type_name)), "preset")
    if not found:
        return Guess(file.path, None, (_nothing_fits(file),), "none")
    weighed = _weighed(file.path, found)
    withheld = _organisational(file, weighed, found, registry)
    return weighed if withheld is None else Guess(file.path, None, (withheld,), "none")


def _declared(path: str, declared: str, registry: Any) -> Guess:
    canonical = registry.canonical(declared)
    if canonical is not None:
        return Guess(path, canonical, (f"front-matter says `type: {declared}`",), "front-matter")
    # `[types]` cannot override a declared type: only an alias of the name helps
    hint = registry.suggest(declared)
    alias = f' (`"{declared}" = "{hint}"`?)' if hint else ""
    return Guess(
        path,
        None,
        (
            f"front-matter says `type: {declared}`, which techfile does not know; map it "
            f"under [aliases.types]{alias}",
        ),
        "none",
    )


def _weighed(path: str, found: list[Signal]) -> Guess:
    """The type with the highest total weight; none when two share it."""
    scores: Counter[str] = Counter()
    for type_name, kind, _ in found:
        scores[type_name] += WEIGHTS[kind]
    best = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    if len(best) > 1 and best[1][1] == best[0][1]:
        tied = ", ".join(t for t, s in best if s == best[0][1])
        said = "; ".join(r for _, _, r in found)
        return Guess(path, None, (f"signals disagree ({tied}): {said}",), "none")
    chosen = best[0][0]
    reasons = [r for t, _, r in found if t == chosen]
    return Guess(path, chosen, (*reasons, *_also(found, chosen)), "guess")


def _organisational(
    file: FileFacts, weighed: Guess, found: list[Signal], registry: Any
) -> str | None:
    """Why a product or process type guessed from words that also name an organisational
    document is withheld (`techfile.adopt.scope`), None when it stands."""
    from techfile.adopt.scope import ANY_SCOPE, isms_title

    chosen = weighed.type
    if chosen is None or chosen in ANY_SCOPE:
        return None
    if registry.types[chosen].evidence_class == "organisational":
        return None
    if any(t == chosen and kind == "template" for t, kind, _ in found):
        return None  # a GSTT form number says what the record is
    said = "; ".join(r for t, _, r in found if t == chosen)
    standard = next((s for s in map(isms_title, (file.h1 or "", file.title or "")) if s), None)
    if standard is not None:
        about = f"it is about {standard}, the organisation's information security"
    elif len(file.own_it) >= 2:
        words = ", ".join(f'"{w}"' for w in file.own_it)
        about = f"its text is about the organisation's own IT ({words}) and names no device"
    else:
        return None
    return (
        f"{said}, but {about}: organisational evidence, not the device's {chosen}; no type "
        "given (map it under [types] if it is the device's)"
    )


def _also(found: list[Signal], chosen: str) -> tuple[str, ...]:
    others = sorted({t for t, _, _ in found if t != chosen})
    return (f"(it also looked like {', '.join(others)})",) if others else ()


def _nothing_fits(file: FileFacts) -> str:
    shown = [f'H1 "{file.h1}"' if file.h1 else "no H1"]
    if file.title:
        shown.append(f'title "{file.title}"')
    return f"no document type fits ({', '.join(shown)}, file name `{name_stem(file.path)}`)"


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


def summary(guesses: Iterable[Guess]) -> dict[str, str | None]:
    """path -> guessed type (for tests and callers that want the table only)."""
    return {g.path: g.type for g in guesses}
