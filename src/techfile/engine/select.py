"""Which rules run: longest-prefix selection, as flake8 and ruff do it."""

from __future__ import annotations

from collections.abc import Iterable

from techfile.util.nearest import NearestIndex


class SelectionError(ValueError):
    """A selector names no known rule (a usage error)."""


def selected_codes(
    all_codes: Iterable[str],
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    extend_select: Iterable[str] = (),
    off_by_default: Iterable[str] = (),
) -> set[str]:
    """Codes to run. `off_by_default` codes (rules of another profile) run only when a
    selector names them explicitly, never through `ALL`."""
    codes = sorted(all_codes)
    dormant = set(off_by_default)
    select = [s.strip().upper() for s in select if s.strip()] or ["ALL"]
    ignore = [s.strip().upper() for s in ignore if s.strip()]
    extend = [s.strip().upper() for s in extend_select if s.strip()]
    for selector in (*select, *ignore, *extend):
        if selector != "ALL" and not any(code.startswith(selector) for code in codes):
            near = NearestIndex(codes).suggest(selector, cutoff=0.6)
            hint = f"; did you mean {near}?" if near else ""
            raise SelectionError(
                f"{selector} matches no techfile rule{hint} (see `techfile rules`)"
            )
    chosen: set[str] = set()
    for code in codes:
        selectors = (*select, *extend)
        if code in dormant:
            selectors = tuple(s for s in selectors if s != "ALL")
        best_on = max((_length(s) for s in selectors if _matches(code, s)), default=-1)
        best_off = max((_length(s) for s in ignore if _matches(code, s)), default=-1)
        if best_on > best_off:
            chosen.add(code)
    if not chosen:
        # a run that checks nothing would print "0 findings" and pass
        raise SelectionError(
            "no rule selected: `select`, `ignore` and `extend-select` (in the configuration "
            "or on the command line) leave nothing to check"
        )
    return chosen


def _matches(code: str, selector: str) -> bool:
    return selector == "ALL" or code.startswith(selector)


def _length(selector: str) -> int:
    return 0 if selector == "ALL" else len(selector)
