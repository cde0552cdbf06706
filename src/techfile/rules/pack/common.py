"""Shared by the PK rules: the clauses of a page in words, and how an answer is named."""

from __future__ import annotations

from techfile.model.disclosure import DisclosureAnswer
from techfile.rules.base import Context


def clauses_text(ctx: Context, code: str) -> str:
    """`MDCG 2019-16 Rev.1 4.3, EN IEC 81001-5-1:2022 5.8.2 and NIS2 Art. 21(2)(d)`: the
    page's clauses, each with its edition as the registry displays it."""
    page = ctx.pages.get(code)
    shown = []
    for written in page.clauses if page else ():
        ref = ctx.clauses.parse(written)
        shown.append(ctx.clauses.display(ref) if ref is not None else written)
    return " and ".join([", ".join(shown[:-1]), shown[-1]] if len(shown) > 1 else shown)


def answer_key(answer: DisclosureAnswer) -> str:
    """`TXCF.a`, or the section's label when the answer is to no known question."""
    return answer.question.key if answer.question is not None else answer.section.label()


def answer_name(answer: DisclosureAnswer) -> str:
    """`TXCF.a (Transmission confidentiality: Is health data encrypted when ...?)`."""
    section = answer.section
    if answer.question is None:
        return section.label()
    return f"{answer.question.key} ({section.title}: {answer.question.text})"
