"""Acceptability in the words of the matrix (acceptable, reduce-afap, unacceptable), what a
risk row states about it, and whether the two agree."""

from __future__ import annotations

from typing import Any

from techfile.data.registry import ValueAliases
from techfile.model.plan.levels import normal_form

ACCEPTABILITY = ("acceptable", "reduce-afap", "unacceptable")
UNKNOWN = "?"  # a matrix cell that holds something other than an acceptability verdict


def acceptability_word(text: str, aliases: ValueAliases) -> str | None:
    """`Acceptable`, `**unacceptable**`, `ALARP`, `not acceptable` -> the matrix vocabulary."""
    key = normal_form(text).rstrip("?!. ")
    return aliases.as_enum(key, list(ACCEPTABILITY))


def stated_acceptability(value: Any, aliases: ValueAliases) -> str | None:
    """What a row says about acceptability: acceptable | not-acceptable | reduce-afap | None."""
    if isinstance(value, bool):
        return "acceptable" if value else "not-acceptable"
    if not isinstance(value, str) or not value.strip():
        return None
    truth = aliases.as_boolean(normal_form(value))
    if truth is not None:
        return "acceptable" if truth else "not-acceptable"
    word = acceptability_word(value, aliases)
    return {"unacceptable": "not-acceptable"}.get(word or "", word)


def verdict(stated: str | None, cell: str | None) -> str | None:
    """Acceptable or not, by the matrix where it decides, else by what the row states."""
    if cell == "acceptable":
        return "acceptable"
    if cell == "unacceptable":
        return "not-acceptable"
    if stated in ("acceptable", "not-acceptable"):
        return stated
    return None


def contradicts(stated: str | None, cell: str | None, reduce_afap: str = "either") -> bool:
    """Whether a row's stated acceptability disagrees with the matrix cell. `reduce_afap`
    says how a reduce-afap cell reads: either | acceptable | not-acceptable."""
    if stated is None or cell not in ACCEPTABILITY:
        return False
    if stated == "reduce-afap":
        return cell != "reduce-afap"
    if cell == "reduce-afap":
        return reduce_afap != "either" and stated != reduce_afap
    return (stated == "acceptable") != (cell == "acceptable")
