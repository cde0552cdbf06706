"""RM: does the ISO 14971 risk file hold the security risks that can lead to harm?"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from techfile.data.registry import ValueAliases, value_aliases
from techfile.data.severity import Severity
from techfile.model.document import Document, Item
from techfile.model.finding import Finding, Location
from techfile.model.plan import (
    Level,
    RiskPlan,
    as_text,
    contradicts,
    plan_for,
    read_plan,
    scale_disagreements,
    stated_acceptability,
    verdict,
)
from techfile.rules.base import Context, rule

_LETTERED = re.compile(r"\s+([a-z]{1,2})\)$")  # `4.4 d)` -> `4.4(d)` inside parentheses
IMPACT_ORDER = {"serious": 3, "non-serious": 2, "unknown": 1, "none": 0}


@dataclass(frozen=True, slots=True)
class SecurityEntry:
    """A threat (threat model) or a security-risk-assessment entry."""

    document: Document
    item: Item
    kind: str  # "threat" | "entry"
    safety_impact: str | None
    rationale: str | None
    threats: tuple[Item, ...]  # for entries: the threats they assess


def _as_list(value: object) -> list[str]:
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return [value] if isinstance(value, str) else []


def security_entries(ctx: Context) -> list[SecurityEntry]:
    entries: list[SecurityEntry] = []
    for document in ctx.index.of_type("threat-model"):
        for item in document.items.get("threats", []):
            entries.append(
                SecurityEntry(document, item, "threat", _impact(item), _text(item, "rationale"), ())
            )
    for document in ctx.index.of_type("security-risk-assessment"):
        for item in document.items.get("entries", []):
            threats = tuple(_resolved_items(ctx, document, item, "threat_refs"))
            impact = _impact(item)
            rationale = _text(item, "rationale")
            if impact is None:
                inherited = [t for t in threats if _impact(t) is not None]
                if inherited:
                    worst = max(inherited, key=lambda t: IMPACT_ORDER.get(_impact(t) or "", 0))
                    impact, rationale = _impact(worst), rationale or _text(worst, "rationale")
            entries.append(SecurityEntry(document, item, "entry", impact, rationale, threats))
    return entries


def _impact(item: Item) -> str | None:
    """The stated safety impact; a value outside the enumeration is FM004's to report, so it
    reads as `invalid` and neither RM001 nor RM002 speaks about it."""
    value = item.get("safety_impact")
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return value if value in IMPACT_ORDER else "invalid"


def _text(item: Item, which: str) -> str | None:
    value = item.get("safety_impact_rationale")
    return value if isinstance(value, str) and value.strip() else None


def _resolved_items(ctx: Context, document: Document, item: Item, field: str) -> Iterator[Item]:
    for resolution in ctx.index.resolve_field(document, item, field):
        if resolution.item is not None:
            yield resolution.item


def _into_unreadable(ctx: Context, document: Document, item: Item, field: str) -> bool:
    """A reference into a document whose front-matter did not parse: it may well reach a
    row there, so the finding about that file (FM001) is the one to fix first."""
    return any(r.problem == "unreadable" for r in ctx.index.resolve_field(document, item, field))


def _risk_rows(ctx: Context) -> list[tuple[Document, Item]]:
    return [
        (document, row)
        for document in ctx.index.of_type("risk-analysis")
        for row in document.items.get("risks", [])
    ]


def reached_entries(ctx: Context, entries: list[SecurityEntry]) -> set[int]:
    """ids() of threat/entry items that reach a risk-analysis row, directly or through an
    assessment entry (threat -> entry -> row)."""
    rows = _risk_rows(ctx)
    row_ids = {id(row) for _, row in rows}
    reached: set[int] = set()
    for document, row in rows:
        for target in _resolved_items(ctx, document, row, "threat_refs"):
            reached.add(id(target))
    for entry in entries:
        risks = _resolved_items(ctx, entry.document, entry.item, "risk_refs")
        if any(id(risk) in row_ids for risk in risks) or _into_unreadable(
            ctx, entry.document, entry.item, "risk_refs"
        ):
            reached.add(id(entry.item))
    for entry in entries:
        if entry.kind == "entry" and id(entry.item) in reached:
            reached.update(id(threat) for threat in entry.threats)
    return reached


def _article(word: str | None) -> str:
    return f"an {word}" if word and word[0] in "aeiou" else f"a {word}"


@rule("RM001")
def threat_absent_from_risk_file(ctx: Context) -> Iterator[Finding]:
    entries = security_entries(ctx)
    reached = reached_entries(ctx, entries)
    for entry in entries:
        if entry.safety_impact in (None, "none", "invalid") or id(entry.item) in reached:
            continue
        if entry.kind == "entry" and any(id(t) in reached for t in entry.threats):
            continue
        if entry.kind == "entry" and entry.threats:
            continue  # reported once, at the threat it assesses
        item = entry.item
        title = item.get("title")
        named = f"{item.id} ({title})" if isinstance(title, str) and title else f"{item.id}"
        what = "threat" if entry.kind == "threat" else "security risk"
        yield ctx.finding(
            "RM001",
            f"{what} {named} in {entry.document.label()} has {_article(entry.safety_impact)} "
            "safety impact but reaches no ISO 14971 risk-analysis row; "
            f"{ctx.page_clause('RM001', default='the standard')} expects security risks that "
            "can lead to harm in the safety risk file. Add the risk row to its `risk_refs`, or "
            "list "
            f"{item.id} in a risk row's threat refs",
            item.location,
            key=(item.id or "",),
        )


@rule("RM002")
def safety_impact_unassessed(ctx: Context) -> Iterator[Finding]:
    for entry in security_entries(ctx):
        item = entry.item
        what = "threat" if entry.kind == "threat" else "security risk"
        if entry.safety_impact is None:
            yield ctx.finding(
                "RM002",
                f"{what} {item.id} in {entry.document.label()} has no `safety_impact`; without it "
                "nobody can show whether it belongs in the ISO 14971 risk file "
                f"({ctx.page_clause('RM002', default='the standard')}). Set none, non-serious, "
                "serious or unknown",
                item.location,
                key=(item.id or "", "missing"),
            )
        elif entry.safety_impact == "none" and not entry.rationale:
            yield ctx.finding(
                "RM002",
                f"{what} {item.id} in {entry.document.label()} is marked safety impact `none` "
                "without a `safety_impact_rationale`; a notified body will ask why this threat "
                "cannot lead to harm",
                item.location,
                key=(item.id or "", "rationale"),
                severity=Severity.WARNING,
            )


# --------------------------------------------------------------------------------------------
# RM003-RM011: the ISO 14971 risk file against its plan


LEVEL_FIELDS = (
    ("severity", "severity", "severity"),
    ("probability", "probability", "probability"),
    ("residual_severity", "severity", "residual severity"),
    ("residual_probability", "probability", "residual probability"),
)
CHAIN_FIELDS = (
    ("hazard", "hazard"),
    ("hazardous_situation", "hazardous situation"),
    ("harm", "harm"),
    ("severity", "severity"),
)
CELL_WORDS = {
    "acceptable": "rates {pair} acceptable",
    "reduce-afap": "puts {pair} in the region where risks are reduced as far as possible",
    "unacceptable": "rates {pair} unacceptable",
}
STATED_WORDS = {
    "acceptable": "is stated acceptable",
    "not-acceptable": "is stated not acceptable",
    "reduce-afap": "is placed in the reduce-as-far-as-possible region",
}


def _aliases(ctx: Context) -> ValueAliases:
    values = ctx.config.get("values", {})
    pairs = (
        tuple(sorted((str(k), v) for k, v in values.items())) if isinstance(values, dict) else ()
    )
    return value_aliases(pairs)


def risk_plans(ctx: Context) -> list[RiskPlan]:
    """The risk management plans, read once per run (their scales remember what they found)."""
    return list(ctx.shared("risk-plans", lambda: _read_plans(ctx)))


def _read_plans(ctx: Context) -> list[RiskPlan]:
    aliases = _aliases(ctx)
    return [read_plan(document, aliases) for document in ctx.index.of_type("risk-management-plan")]


def _cite(ctx: Context, code: str, index: int = 0) -> str:
    """A clause of the rule's page, for the message; clause numbers live on the pages."""
    page = ctx.pages.get(code)
    if page is None or len(page.clauses) <= index:
        return ""
    return page.clauses[index]


def _cited(ctx: Context, code: str, *indexes: int) -> str:
    """` (ISO 14971:2019 5.4, 5.5)`: the page's clauses at these positions (default: the
    first), for the message."""
    texts = [_LETTERED.sub(r"(\1)", t) for i in indexes or (0,) if (t := _cite(ctx, code, i))]
    if not texts:
        return ""
    refs = [ctx.clauses.parse(t) for t in texts]
    families = {ref.family for ref in refs if ref is not None}
    if len(texts) > 1 and None not in families and len(families) == 1 and all(refs):
        prefix = texts[0][: len(texts[0]) - len(texts[0].split()[-1])].rstrip()
        if all(t.startswith(prefix + " ") for t in texts):
            return f" ({prefix} {', '.join(t[len(prefix) + 1 :] for t in texts)})"
    return f" ({'; '.join(texts)})"


def _name(item: Item) -> str:
    return item.id if item.id else f"(row at line {item.line})"


def _has_value(value: object) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, (list, dict)):
        return bool(value)
    return value is not None and not isinstance(value, bool)


def _pair(severity: Level | None, probability: Level | None) -> str:
    left = severity.label() if severity else "?"
    right = probability.label() if probability else "?"
    return f"{left} \u00d7 {right}"


def _stage_values(row: Item, stage: str) -> tuple[object, object, object]:
    """(severity, probability, stated acceptability) before or after risk control. Without
    residual values a row without controls keeps its initial risk; a residual stage that
    gives only one of the two keeps the other from before risk control."""
    severity, probability = row.get("severity"), row.get("probability")
    if stage == "initial":
        return severity, probability, row.get("acceptable")
    residual_s, residual_p = row.get("residual_severity"), row.get("residual_probability")
    stated = row.get("residual_acceptable")
    if as_text(residual_s) is None and as_text(residual_p) is None:
        if _as_list(row.get("controls")):
            return None, None, stated
        return severity, probability, stated
    return (
        residual_s if as_text(residual_s) is not None else severity,
        residual_p if as_text(residual_p) is not None else probability,
        stated,
    )


@dataclass(frozen=True, slots=True)
class Evaluation:
    severity: Level | None
    probability: Level | None
    cell: str | None
    stated: str | None

    @property
    def verdict(self) -> str | None:
        return verdict(self.stated, self.cell)


def evaluate_row(plan: RiskPlan | None, row: Item, stage: str, aliases: ValueAliases) -> Evaluation:
    severity_value, probability_value, stated_value = _stage_values(row, stage)
    stated = stated_acceptability(stated_value, aliases)
    if plan is None:
        return Evaluation(None, None, None, stated)
    severity = plan.severity.find(severity_value, aliases)
    probability = plan.probability_level(probability_value, row.get("probability_method"))
    return Evaluation(severity, probability, plan.cell(severity, probability), stated)


def _risk_plan_rows(ctx: Context) -> list[tuple[Document, Item, RiskPlan | None]]:
    return ctx.shared("risk-plan-rows", lambda: _read_risk_plan_rows(ctx))


def _read_risk_plan_rows(ctx: Context) -> list[tuple[Document, Item, RiskPlan | None]]:
    plans = risk_plans(ctx)
    rows: list[tuple[Document, Item, RiskPlan | None]] = []
    for document in ctx.index.of_type("risk-analysis"):
        plan = plan_for(plans, document, ctx.index)
        rows.extend((document, row, plan) for row in document.items.get("risks", []))
    return rows


def _is_security_row(row: Item) -> bool:
    return row.get("source") == "security" or bool(_as_list(row.get("threat_refs")))


@rule("RM003")
def risk_level_undefined(ctx: Context) -> Iterator[Finding]:
    aliases = _aliases(ctx)
    for document, row, plan in _risk_plan_rows(ctx):
        if plan is None:
            continue
        method = row.get("probability_method")
        for field_name, axis, words in LEVEL_FIELDS:
            value = row.get(field_name)
            text = as_text(value)
            scale = plan.scale(axis)
            if text is None or not scale:
                continue
            if axis == "probability":
                known = plan.probability_defined(value, method)
            else:
                known = scale.find(value, aliases) is not None
            if known:
                continue
            also = ""
            if axis == "probability" and method == "exploitability" and plan.exploitability:
                also = f" nor one of its exploitability levels ({plan.exploitability.describe()})"
            elif axis == "probability" and plan.exploitability.find(value, aliases):
                also = (
                    f"; `{text}` is one of its exploitability levels, so if the risk is rated by "
                    "exploitability say so with `probability_method: exploitability`"
                )
            yield ctx.finding(
                "RM003",
                f"{words} `{text}` of risk {_name(row)} in {document.label()} is not a {axis} "
                f"level of the risk management plan {plan.label} ({scale.describe()}){also}; "
                "a notified body cannot tell how this risk was evaluated. Use a level the plan "
                "defines, or map this text to one under `[values]` in the configuration",
                row.location_of(field_name),
                key=(row.id or str(row.line), field_name),
            )
    yield from _exploitability_undefined(ctx, aliases)
    yield from _plans_disagree(ctx)


def _exploitability_undefined(ctx: Context, aliases: ValueAliases) -> Iterator[Finding]:
    plans = risk_plans(ctx)
    for document in ctx.index.of_type("security-risk-assessment"):
        plan = plan_for(plans, document, ctx.index)
        if plan is None or not plan.exploitability:
            continue
        for entry in document.items.get("entries", []):
            text = as_text(entry.get("exploitability"))
            if text is None or plan.exploitability.find(text, aliases) is not None:
                continue
            yield ctx.finding(
                "RM003",
                f"exploitability `{text}` of {_name(entry)} in {document.label()} is not an "
                f"exploitability level of the risk management plan {plan.label} "
                f"({plan.exploitability.describe()}); a notified body cannot tell how this "
                "security risk was evaluated. Use a level the plan defines, or map this text to "
                "one under `[values]` in the configuration",
                entry.location_of("exploitability"),
                key=(entry.id or str(entry.line), "exploitability"),
            )


def _plans_disagree(ctx: Context) -> Iterator[Finding]:
    for first, second, axis in scale_disagreements(risk_plans(ctx)):
        document = second.document
        yield ctx.finding(
            "RM003",
            f"{second.label} and {first.label} define different {axis} scales ({second.label}: "
            f"{second.scale(axis).describe()}; {first.label}: {first.scale(axis).describe()}); "
            "a notified body will ask which one the risk table is evaluated with. Keep the "
            "scale in one document and refer to it from the other",
            document.location(f"{axis}_levels")
            if f"{axis}_levels" in document.meta
            else document.location(),
            key=(first.document.id or first.document.path, axis),
        )


@rule("RM004")
def acceptability_contradicts_matrix(ctx: Context) -> Iterator[Finding]:
    aliases = _aliases(ctx)
    reading = ctx.options("RM004").get("reduce_afap", "either")
    if reading not in ("either", "acceptable", "not-acceptable"):
        reading = "either"
    for document, row, plan in _risk_plan_rows(ctx):
        if plan is None or not plan.has_matrix:
            continue
        for stage, field_name, when, clause in (
            ("initial", "acceptable", "before risk control", 0),
            ("residual", "residual_acceptable", "after risk control", 1),
        ):
            evaluation = evaluate_row(plan, row, stage, aliases)
            if not contradicts(evaluation.stated, evaluation.cell, str(reading)):
                continue
            stated = STATED_WORDS.get(evaluation.stated or "", "")
            pair = _pair(evaluation.severity, evaluation.probability)
            cell = CELL_WORDS.get(evaluation.cell or "", "").format(pair=pair)
            yield ctx.finding(
                "RM004",
                f"risk {_name(row)} in {document.label()} {stated} {when}, but the "
                f"acceptability matrix of {plan.label} {cell}; a notified body will ask which "
                f"evaluation is right{_cited(ctx, 'RM004', clause)}. Correct the row, or the "
                "matrix if the policy changed",
                row.location_of(field_name),
                key=(row.id or str(row.line), stage),
            )


@rule("RM005")
def control_without_verification(ctx: Context) -> Iterator[Finding]:
    for document in ctx.index.of_type("risk-analysis"):
        for control in document.items.get("controls", []):
            verification = control.get("verification")
            if isinstance(verification, str) and verification.strip():
                continue  # not the {implementation, effectiveness} mapping: FM004 reports it
            given = verification if isinstance(verification, dict) else {}
            missing = [
                part
                for part in ("implementation", "effectiveness")
                if not _has_value(given.get(part))
            ]
            if not missing:
                continue
            if len(missing) == 2:
                what = "no verification of implementation or of effectiveness"
                ask = (
                    "the tests or documents showing that the control is in the device and that "
                    "it reduces the risk"
                )
                fix = "`verification.implementation` and `verification.effectiveness`"
            elif missing[0] == "implementation":
                what = "no verification of implementation"
                ask = "the test or document showing that the control is actually in the device"
                fix = "`verification.implementation`"
            else:
                what = "no verification of effectiveness"
                ask = (
                    "the test or document showing that the control reduces the risk, not only "
                    "that it is implemented"
                )
                fix = "`verification.effectiveness`"
            yield ctx.finding(
                "RM005",
                f"risk control {_name(control)} in {document.label()} has {what}; a notified "
                f"body will ask for {ask}{_cited(ctx, 'RM005')}. Name the evidence in {fix} "
                "(in a table: the verification columns)",
                control.location_of("verification"),
                key=(control.id or str(control.line), *missing),
            )


@rule("RM006")
def unacceptable_residual_risk_without_benefit_risk(ctx: Context) -> Iterator[Finding]:
    aliases = _aliases(ctx)
    for document, row, plan in _risk_plan_rows(ctx):
        if _has_value(row.get("benefit_risk_ref")):
            continue
        evaluation = evaluate_row(plan, row, "residual", aliases)
        if evaluation.verdict != "not-acceptable":
            continue
        pair = _pair(evaluation.severity, evaluation.probability)
        if evaluation.cell == "unacceptable" and plan is not None:
            why = f"is unacceptable under the matrix of {plan.label} ({pair})"
        elif evaluation.cell == "reduce-afap" and plan is not None:
            why = (
                f"is stated not acceptable ({pair}, where the matrix of {plan.label} asks to "
                "reduce risks as far as possible)"
            )
        else:
            why = "is stated not acceptable"
        uncontrolled = not _as_list(row.get("controls")) and not any(
            as_text(row.get(f)) for f in ("residual_severity", "residual_probability")
        )
        subject = (
            f"risk {_name(row)} in {document.label()} has no risk control; its risk"
            if uncontrolled
            else f"the residual risk of {_name(row)} in {document.label()}"
        )
        yield ctx.finding(
            "RM006",
            f"{subject} {why}, and the row names no benefit-risk analysis; a notified body "
            "will ask for the analysis showing that the medical benefit outweighs this risk"
            f"{_cited(ctx, 'RM006')}. Reduce the risk further, or add `benefit_risk_ref` "
            "pointing to that analysis",
            row.location_of("residual_acceptable"),
            key=(row.id or str(row.line),),
        )


def _connected(ctx: Context) -> bool:
    for document in ctx.index.of_type("device-description"):
        if document.meta.get("connected") is True:
            return True
    return ctx.device.get("connected") is True


def _device_name(ctx: Context) -> str:
    for document in ctx.index.of_type("device-description"):
        name = document.meta.get("device_name")
        if isinstance(name, str) and name.strip():
            return name.strip()
    name = ctx.device.get("name")
    return str(name) if name else ""


def _connected_device(ctx: Context) -> str:
    name = _device_name(ctx)
    return f"{name} is a connected device" if name else "The device is connected"


@rule("RM007")
def no_security_risks_in_risk_file(ctx: Context) -> Iterator[Finding]:
    documents = ctx.index.of_type("risk-analysis")
    if not documents or not _connected(ctx):
        return
    rows = [row for document in documents for row in document.items.get("risks", [])]
    if any(_is_security_row(row) for row in rows):
        return
    first = documents[0]
    names = ", ".join(d.label() for d in documents)
    yield ctx.finding(
        "RM007",
        f"{_connected_device(ctx)}, but no row of the ISO 14971 risk file "
        f"({names}) is a security risk (`source: security` or threat refs); a notified body "
        "will expect the security risks that can lead to harm to be analysed there"
        f"{_cited(ctx, 'RM007', 0, 1)}. Carry them over from the threat model, or mark the rows "
        "that already cover them `source: security`",
        first.location("risks") if "risks" in first.meta else first.location(),
        key=(first.id or first.path,),
    )


@rule("RM008")
def risk_chain_incomplete(ctx: Context) -> Iterator[Finding]:
    for document, row, plan in _risk_plan_rows(ctx):
        missing = [
            words for field_name, words in CHAIN_FIELDS if not _has_value(row.get(field_name))
        ]
        probability_missing = (
            not _has_value(row.get("probability"))
            and not (plan is not None and plan.non_estimable_criteria)
            and row.get("probability_method") not in ("not-estimable", "exploitability")
        )
        if probability_missing:
            missing.append("probability")
        if not missing:
            continue
        listed = ", ".join(missing[:-1]) + (" or " if len(missing) > 1 else "") + missing[-1]
        if missing == ["probability"]:
            where = f"the plan {plan.label}" if plan is not None else "no risk management plan"
            yield ctx.finding(
                "RM008",
                f"risk {_name(row)} in {document.label()} has no probability, {where} gives no "
                "criteria for risks whose probability cannot be estimated, and the row gives no "
                "`probability_method`; a notified body will ask how this risk was evaluated"
                f"{_cited(ctx, 'RM008', 1, 2)}. Estimate the probability, or record how the risk "
                "is evaluated without one: `probability_method: not-estimable` or "
                "`exploitability` in the row, or `non_estimable_probability_criteria` in the plan",
                row.location,
                key=(row.id or str(row.line),),
            )
            continue
        yield ctx.finding(
            "RM008",
            f"risk {_name(row)} in {document.label()} has no {listed}; a notified body will ask "
            "for the whole sequence from hazard through hazardous situation to harm, with its "
            f"severity and probability{_cited(ctx, 'RM008', 0, 1)}. Fill in the missing parts",
            row.location,
            key=(row.id or str(row.line),),
        )


@rule("RM009")
def plan_matrix_incomplete(ctx: Context) -> Iterator[Finding]:
    plans = risk_plans(ctx)
    if not plans:
        return
    if not any(plan.has_matrix for plan in plans):
        plan = plans[0]
        yield ctx.finding(
            "RM009",
            f"no risk management plan defines a risk acceptability matrix that techfile can read "
            f"(`acceptability_matrix` in the front-matter of {plan.label}); a notified body will "
            "ask by which criteria each risk was judged acceptable"
            f"{_cited(ctx, 'RM009')}. Add `acceptability_matrix` (severity level -> "
            "probability level -> acceptable, reduce-afap or unacceptable)",
            plan.document.location(),
            key=(plan.document.id or plan.document.path, "none"),
        )
        return
    for plan in plans:
        if not plan.has_matrix:
            continue
        missing = plan.missing_pairs()
        if not missing and not plan.unknown_matrix_keys:
            continue
        parts = []
        if missing:
            shown = ", ".join(f"{s.id} \u00d7 {p.id}" for s, p in missing[:6])
            more = f" and {len(missing) - 6} more" if len(missing) > 6 else ""
            parts.append(f"gives no verdict for {shown}{more}")
        if plan.unknown_matrix_keys:
            keys = ", ".join(f"`{k}`" for k in plan.unknown_matrix_keys[:6])
            parts.append(f"names {keys}, which the plan's scales do not define")
        document = plan.document
        yield ctx.finding(
            "RM009",
            f"the acceptability matrix of {plan.label} {' and '.join(parts)}; a notified body "
            "will ask how a risk that falls there is evaluated"
            f"{_cited(ctx, 'RM009')}. Give every severity and probability pair of the plan a "
            "verdict",
            Location(document.path, plan.matrix_line or 1, 0, document.id, None),
            key=(document.id or document.path, "incomplete"),
        )


@rule("RM010")
def information_only_control(ctx: Context) -> Iterator[Finding]:
    aliases = _aliases(ctx)
    for document, row, plan in _risk_plan_rows(ctx):
        if _has_value(row.get("priority_rationale")):
            continue
        references = _as_list(row.get("controls"))
        if not references:
            continue
        controls = [ctx.index.resolve(ref, document, "item").item for ref in references]
        if any(
            control is None
            or control.list_name != "controls"
            or control.get("type") != "information-for-safety"
            for control in controls
        ):
            continue
        evaluation = evaluate_row(plan, row, "initial", aliases)
        if evaluation.verdict != "not-acceptable":
            continue
        pair = (
            f" ({_pair(evaluation.severity, evaluation.probability)})"
            if plan is not None and evaluation.severity and evaluation.probability
            else ""
        )
        names = ", ".join(c.id or "?" for c in controls if c is not None)
        yield ctx.finding(
            "RM010",
            f"risk {_name(row)} in {document.label()} is not acceptable before risk control"
            f"{pair} but is controlled only by information for safety ({names}); the order of "
            "risk control options puts information for safety after safe design and "
            f"protective measures{_cited(ctx, 'RM010', 0, 1)}. A notified body will ask why "
            "those were not possible: add them, or record the reason in `priority_rationale`",
            row.location_of("controls"),
            key=(row.id or str(row.line),),
        )


@rule("RM011")
def security_control_side_effects_unassessed(ctx: Context) -> Iterator[Finding]:
    scope = ctx.options("RM011").get("scope", "security")
    seen: set[int] = set()
    candidates: list[tuple[Document, Item, str]] = []
    for document in ctx.index.of_type("threat-model"):
        for mitigation in document.items.get("mitigations", []):
            candidates.append((document, mitigation, "security control"))
    for document in ctx.index.of_type("risk-analysis"):
        security_controls: set[int] = set()
        for row in document.items.get("risks", []):
            if _is_security_row(row):
                security_controls.update(
                    id(c) for c in _resolved_items(ctx, document, row, "controls")
                )
        for control in document.items.get("controls", []):
            if id(control) in security_controls:
                candidates.append((document, control, "security risk control"))
            elif scope == "all":
                candidates.append((document, control, "risk control"))
    for document, control, what in candidates:
        if id(control) in seen:
            continue
        seen.add(id(control))
        value = control.get("new_risks_assessed")
        if value is True or (isinstance(value, str) and value.strip()):
            continue  # a string is a schema violation, reported as FM004
        state = (
            "is marked `new_risks_assessed: false`"
            if value is False
            else "has no record (`new_risks_assessed`) that the risks arising from it were assessed"
        )
        yield ctx.finding(
            "RM011",
            f"{what} {_name(control)} in {document.label()} {state}; a notified body will ask "
            "whether the control itself introduces new hazardous situations, such as an account "
            "lockout that keeps a clinician from a result or an update that interrupts "
            f"therapy{_cited(ctx, 'RM011', 0, 1, 2)}. Assess it and set `new_risks_assessed: true`",
            control.location_of("new_risks_assessed"),
            key=(control.id or str(control.line),),
        )
