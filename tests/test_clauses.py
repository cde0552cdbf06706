"""The clause reference grammar and the registry lookups every evidence rule relies on."""

from __future__ import annotations

import pytest

from techfile.data.clauses import MDR_FAMILY, clause_registry

CASES = [
    ("EN IEC 81001-5-1:2022 7.2", "iec-81001-5-1", "7.2"),
    ("IEC 81001-5-1:2021 5.1.1", "iec-81001-5-1", "5.1.1"),
    ("81001-5-1 §5.7.3", "iec-81001-5-1", "5.7.3"),
    ("BS EN IEC 81001-5-1:2022 4.1.4", "iec-81001-5-1", "4.1.4"),
    ("ISO 14971:2019 7.2 a)", "iso-14971", "7.2(a)"),
    ("EN ISO 14971:2019+A11:2021 7.4", "iso-14971", "7.4"),
    ("EN ISO 14971:2019/A11:2021 7.4", "iso-14971", "7.4"),
    ("EN 62304:2006/A1:2015 5.1.12", "iec-62304", "5.1.12"),
    ("MDR Annex I 17.2", MDR_FAMILY, "17.2"),
    ("GSPR 17.2", MDR_FAMILY, "17.2"),
    ("Annex I, Section 17.2", MDR_FAMILY, "17.2"),
    ("MDR Annex I 23.4(ab)", MDR_FAMILY, "23.4(ab)"),
    ("MDR Annex I 23.4 (ab)", MDR_FAMILY, "23.4(ab)"),
    ("MDR Annex I 17.2.", MDR_FAMILY, "17.2"),
]


@pytest.mark.parametrize(("text", "family", "clause"), CASES)
def test_grammar(text: str, family: str, clause: str) -> None:
    ref = clause_registry().parse(text)
    assert ref is not None and (ref.family, ref.clause) == (family, clause)
    assert clause_registry().lookup(ref) is not None


def test_bare_numbers_take_the_default_standard() -> None:
    registry = clause_registry()
    ref = registry.parse("17.4", default_family=MDR_FAMILY)
    assert ref is not None and registry.lookup(ref) is not None
    assert registry.parse("17.4") is not None and registry.parse("17.4").family is None  # type: ignore[union-attr]


def test_matching_is_exact() -> None:
    registry = clause_registry()
    near = registry.parse("EN IEC 81001-5-1:2022 5.1.12")
    assert near is not None and registry.lookup(near) is None and registry.is_unknown(near)
    assert registry.suggest(near) is not None


def test_unknown_clauses_of_complete_registries_are_unknown() -> None:
    registry = clause_registry()
    for text in ("MDR Annex I 17.5", "81001-5-1 5.9"):
        ref = registry.parse(text)
        assert ref is not None and registry.is_unknown(ref), text


def test_other_editions_and_annexes_are_not_this_registry() -> None:
    registry = clause_registry()
    for text in ("ISO 14971:2007 7.2", "MDR Annex II 4", "ISO/IEC 27001:2022 6.1.2"):
        ref = registry.parse(text)
        assert ref is not None and ref.family is None and not registry.is_unknown(ref), text


def test_accepted_evidence_classes_follow_the_issue() -> None:
    registry = clause_registry()

    def accepts(text: str) -> set[str]:
        ref = registry.parse(text)
        assert ref is not None
        clause = registry.lookup(ref)
        assert clause is not None, text
        return set(clause.accepts)

    assert accepts("81001-5-1 7.2") == {"product"}
    assert accepts("81001-5-1 5.7.4") == {"product"}
    assert "organisational-supporting" in accepts("81001-5-1 4.1.1")
    assert accepts("81001-5-1 9.3") == {"process", "product"}
    assert accepts("MDR Annex I 17.2") == {"product"}
    assert accepts("MDR Annex I 23.4(ab)") == {"product"}
    ref = registry.parse("81001-5-1 4.3")
    assert ref is not None
    clause = registry.lookup(ref)
    assert clause is not None and "supplier-attestation" in clause.supporting
