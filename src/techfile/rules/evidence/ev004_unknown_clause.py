"""EV004: a clause reference names a clause its standard does not have."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from techfile.model.evidence import clause_mentions
from techfile.model.finding import Finding
from techfile.rules.base import Context, rule
from techfile.rules.columns import written_column


@rule("EV004")
def unknown_clause(ctx: Context) -> Iterator[Finding]:
    for mention in clause_mentions(ctx.index, ctx.clauses):
        ref = mention.ref
        if not ctx.clauses.is_unknown(ref):
            continue
        standard = ctx.clauses.standards[ref.family or ""]
        guess = _suggestion(ctx, ref.family or "", ref.clause)
        hint = f"; did you mean {guess[0]}?" if guess else ""
        item = mention.item
        in_table = item is not None and item.source == "table"
        where = (
            f" in the {written_column(ctx, item, mention.field)} column"
            if item is not None and in_table
            else f" in `{mention.field}`"
        )
        meant = (
            f" ({guess[0]}, {guess[1]}, if that is the clause meant)"
            if guess
            else f" to one {standard.display} has"
        )
        yield ctx.finding(
            "EV004",
            f"`{mention.text.strip()}` names clause {ref.clause} of {standard.display}, which has "
            f"no such clause{hint}",
            mention.location,
            clause=ctx.clauses.display(ref),
            key=(mention.field, ref.clause),
            why="A notified body cannot follow a citation to a clause that does not exist, and "
            "techfile cannot check the evidence for it.",
            fix=f"Correct the clause number{where}{meant}.",
        )


def _suggestion(ctx: Context, family: str, clause_id: str) -> tuple[str, str] | None:
    """A guess at the clause meant, and its title: among the clauses beside the unknown one,
    the one that shares the longest beginning with it and is nearest in number; else the
    closest in the whole standard."""
    standard = ctx.clauses.standards[family]
    base, _, letter = clause_id.partition("(")
    parent = base if letter else base.rpartition(".")[0]
    siblings = [c.id for c in standard.clauses.values() if (c.parent or "") == parent]
    siblings = [s for s in siblings if s != parent]
    if siblings:
        best = max(siblings, key=lambda s: (_shared(s, clause_id), -_distance(s, clause_id)))
    else:
        close = difflib.get_close_matches(clause_id, sorted(standard.clauses), n=1, cutoff=0.5)
        if not close:
            return None
        best = close[0]
    return best, standard.clauses[best].title


def _shared(a: str, b: str) -> int:
    """How many characters two clause ids share from the start."""
    count = 0
    for left, right in zip(a, b, strict=False):
        if left != right:
            break
        count += 1
    return count


def _distance(a: str, b: str) -> int:
    """How far apart the last parts of two clause ids are (`5.8`/`5.9`: 1; `(ab)`/`(ac)`: 1)."""

    def last(text: str) -> int:
        part = re.split(r"[.(]", text.rstrip(")"))[-1]
        if part.isdigit():
            return int(part)
        return sum((ord(ch) - 96) * 26**i for i, ch in enumerate(reversed(part.lower())))

    return abs(last(a) - last(b))
