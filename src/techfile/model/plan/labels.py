"""The row and column labels of an acceptability matrix that disagree with the plan's scales.

A matrix names its rows and columns after the levels of the scales. Two things go wrong in
real plans, and both leave the risk table evaluated against something the plan does not say:

- a label that names no level, usually a typing mistake (`Occasional` in the matrix,
  `Occassional` in the scale): its row or column reads as no verdict at all. The level the
  label is most like is kept as a suggestion ("did you mean");
- a label that names a level by its id but calls it something else than the scale does (the
  scale says `P3: Possible`, the matrix `P3: Unlikely`): a risk rated `Unlikely` is P2 by the
  scale but sits in the matrix's P3 row.
"""

from __future__ import annotations

from dataclasses import dataclass

from techfile.data.registry import ValueAliases
from techfile.model.plan.levels import Level, Scale, normal_form, same_number, split_id_and_name
from techfile.model.table import clean_cell
from techfile.util.nearest import NearestIndex

SUGGESTION_CUTOFF = 0.75  # `Occasional`/`Occassional` 0.95, `P03`/`P3` 0.8, `Rare`/`Remote` 0.6


@dataclass(frozen=True, slots=True)
class MatrixLabel:
    """A row or column label (a key, in front-matter) of the matrix that disagrees with the
    scale of its axis."""

    text: str  # as the matrix writes it
    axis: str  # severity | probability
    line: int  # where the matrix writes it (0: not known)
    level: Level | None  # the level it names; None: none
    suggestion: Level | None = None  # no level named: the level it is most like
    within: Level | None = None  # a front-matter key inside the row of this level

    @property
    def written_name(self) -> str:
        """The name the matrix gives the level (`Unlikely` of `P3: Unlikely`)."""
        split = split_id_and_name(self.text)
        return split[1] if split else self.text


def matrix_label(
    text: str,
    scale: Scale,
    aliases: ValueAliases,
    line: int = 0,
    within: Level | None = None,
) -> MatrixLabel | None:
    """The label if it disagrees with the scale, else None (also for a scale with no
    levels: then there is nothing to disagree with)."""
    text = clean_cell(text).strip("*_ ")
    if not scale or not text:
        return None
    level = scale.find(text, aliases)
    if level is None:
        return MatrixLabel(text, scale.axis, line, None, suggest(scale, text), within)
    if renames(text, level):
        return MatrixLabel(text, scale.axis, line, level, None, within)
    return None


def renames(text: str, level: Level) -> bool:
    """Whether a label written as an id and a name (`P3: Unlikely`) gives its level another
    id or another name than the scale does. Names agree when one is the other with words
    added (`Serious` and `Serious harm`); a "name" with digits is a range or a rate
    (`P3 (10^-4)`), not a name, and is not compared."""
    split = split_id_and_name(text)
    if split is None:
        return False
    written_id, written_name = split
    other_id = normal_form(written_id) != normal_form(level.id) and not same_number(
        written_id, level.id
    )
    return other_id or _other_name(normal_form(written_name), level.own_name)


def _other_name(written: str, own: str | None) -> bool:
    if own is None or any(c.isdigit() for c in written + own):
        return False
    shorter, longer = sorted((written.split(), own.split()), key=len)
    return longer[: len(shorter)] != shorter


def suggest(scale: Scale, text: str) -> Level | None:
    """The level whose id or name is most like the text (a typing mistake), if any is close."""
    known: dict[str, Level] = {}
    for level in scale.levels:
        known.setdefault(normal_form(level.id), level)
        if level.own_name:
            known.setdefault(level.own_name, level)
    index = NearestIndex(known)
    words = [normal_form(text)]
    split = split_id_and_name(text)
    if split:
        words.extend(normal_form(part) for part in split)
    for word in words:
        found = index.suggest(word, cutoff=SUGGESTION_CUTOFF)
        if found is not None:
            return known[found]
    return None
