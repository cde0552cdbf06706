"""SC003 sbom-invalid: a machine-readable SBOM or VEX file cannot be read, is outside the
technical file, or fails the official JSON schema of its format; warnings for missing NTIA
minimum elements, non-UTF-8 encoding and, for the US market, missing support level and
end-of-support dates; an error when a connected device for the US has no machine-readable
SBOM."""

from __future__ import annotations

from collections.abc import Iterator

from techfile.data.severity import Severity
from techfile.intake import sbom as sb
from techfile.model.finding import Finding, Location
from techfile.rules.base import Context, rule
from techfile.rules.supply_chain.common import EXAMPLES, _ref, _references
from techfile.rules.supply_chain.device import _connected, _markets
from techfile.rules.supply_chain.soup import _describing, _first_filled, _soup_lists, _supported
from techfile.rules.supply_chain.sources import Source, _config_path, sources

US_MARKETS = frozenset({"us", "usa", "united states", "united states of america"})


@rule("SC003")
def sbom_invalid(ctx: Context) -> Iterator[Finding]:
    found = sources(ctx)
    clause = _ref(ctx, "component-list")
    for problem in found.problems:
        yield ctx.finding(
            "SC003", problem.message, problem.location, clause=clause, key=problem.key
        )
    schema_results = _schema_results(found.files)
    for source in found.files:
        yield from _file_findings(ctx, source, clause, schema_results)
    us = bool(_markets(ctx) & US_MARKETS) and _connected(ctx)
    if not us:
        return
    boms = [s for s in found.of("sbom") if s.file.readable and s.current(ctx)]
    if not found.of("sbom") and not [p for p in found.problems if p.kind == "sbom"]:
        yield _us_sbom_missing(ctx)
    for source in boms:
        finding = _support_finding(ctx, source)
        if finding is not None:
            yield finding


def _article(word: str) -> str:
    return "an" if word[:1] in "AEFHILMNORSX" else "a"


def _what(source: Source) -> str:
    return "SBOM" if source.kind == "sbom" else "VEX file"


def _schema_results(files: tuple[Source, ...]) -> dict[int, sb.SchemaResult]:
    """id() of each file that can be checked against a schema -> its verdict; the files are
    validated together, which is faster where many share a schema."""
    checked = [s.file for s in files if s.file.problem is None and s.file.format != sb.SPDX3]
    return {id(f): result for f, result in zip(checked, sb.validate_all(checked), strict=True)}


def _file_findings(
    ctx: Context, source: Source, clause: str, schema_results: dict[int, sb.SchemaResult]
) -> Iterator[Finding]:
    file = source.file
    what = _what(source)
    related = source.related(file.problem_line)
    if file.problem is not None:
        missing = file.problem.startswith(("does not exist", "is a directory"))
        tail = (
            ", so nothing in it can be checked. Add the file, or correct the path"
            if missing
            else f"; no tool (and no reviewer) can use {_article(what)} {what} that cannot be "
            "read as JSON of its format. Regenerate it from the build"
        )
        yield ctx.finding(
            "SC003",
            f"the {what} {source.name()} {file.problem}{tail}",
            source.location,
            clause=clause,
            key=(file.display, "unreadable"),
            related=related,
        )
        return
    if file.format == sb.SPDX3:
        yield ctx.finding(
            "SC003",
            f"the {what} {source.name()} is an SPDX 3 JSON-LD document; this techfile version "
            "reads CycloneDX JSON and SPDX 2.2/2.3 JSON only, so it was neither checked "
            "against its schema nor compared with the SOUP list. Also export SPDX 2.3 or "
            "CycloneDX JSON for the technical file",
            source.location,
            severity=Severity.WARNING,
            clause=clause,
            key=(file.display, "spdx3"),
        )
        return
    declared = source.document.meta.get("format") if source.document else None
    detected = {sb.CYCLONEDX: "cyclonedx-json", sb.SPDX: "spdx-json"}.get(file.format or "")
    if isinstance(declared, str) and detected and declared != detected:
        yield ctx.finding(
            "SC003",
            f"{source.document.label() if source.document else source.name()} declares "
            f"`format: {declared}`, but {file.display} is {file.format_label()}; correct the "
            "`format` so that people and tools read the file as what it is",
            source.document.location("format") if source.document else source.location,
            clause=clause,
            key=(file.display, "format"),
        )
    if file.encoding != "utf-8":
        yield ctx.finding(
            "SC003",
            f"the {what} {source.name()} is encoded as {sb.encoding_label(file.encoding)}; JSON "
            "exchanged between systems must be UTF-8 without a byte-order mark (RFC 8259), and "
            "many SBOM tools and portals reject anything else. Save it as plain UTF-8",
            source.location,
            severity=Severity.WARNING,
            clause=clause,
            key=(file.display, "encoding"),
        )
    result = schema_results[id(file)]
    if not result.checked:
        xml_only = file.spec_version in sb.CYCLONEDX_XML_ONLY and file.format == sb.CYCLONEDX
        yield ctx.finding(
            "SC003",
            f"the {what} {source.name()} says it is {file.format_label()}, but "
            + (
                f"{result.note} (JSON came with CycloneDX 1.2); regenerate it as CycloneDX 1.5 "
                "or later"
                if xml_only
                else f"techfile has no schema for it ({result.note}), so the file was not "
                "checked; use a released version of the format (CycloneDX 1.2 to 1.7, SPDX 2.2 "
                "or 2.3), or a newer techfile"
            ),
            source.location,
            severity=None if xml_only else Severity.WARNING,
            clause=clause,
            key=(file.display, "version"),
        )
    elif result.errors:
        count = f"{result.errors} problems, the first " if result.errors > 1 else ""
        yield ctx.finding(
            "SC003",
            f"the {what} {source.name()} does not conform to the {result.schema} ({count}at "
            f"{result.first_path}: {result.first_message}); tools that read it may reject it or "
            "silently drop components, and a notified body or FDA cannot rely on it. Fix the "
            "generator or its output and validate the file in the build",
            source.location,
            clause=clause,
            key=(file.display, "schema"),
            related=source.related(),
        )
    if source.kind == "sbom":
        finding = _ntia_finding(ctx, source)
        if finding is not None:
            yield finding


def _names(components: list[sb.Component]) -> str:
    shown = ", ".join(c.label() for c in components[:EXAMPLES])
    return shown + (", …" if len(components) > EXAMPLES else "")


def _ntia_finding(ctx: Context, source: Source) -> Finding | None:
    file = source.file
    shipped = sb.unique(file.shipped_components())
    components = sb.unique([*file.roots, *shipped])
    total = len(components)
    gaps = []
    # The root (the device software itself) is in no package registry, so it needs no lookup
    # identifier; its supplier and version are still expected.
    checks = (
        ("a supplier name", [c for c in components if not c.supplier]),
        ("a version", [c for c in components if not c.version]),
        ("a unique identifier (purl, CPE or SWID)", [c for c in shipped if not c.has_identifier]),
    )
    for what, lacking in checks:
        if lacking:
            gaps.append(f"{len(lacking)} of {total} component(s) lack {what} ({_names(lacking)})")
    if not file.has_author:
        gaps.append("the author of the SBOM data is not named")
    if file.timestamp is None:
        gaps.append("it has no timestamp")
    if total > 1 and not file.has_dependencies:
        gaps.append("it records no dependency relationships")
    if not gaps:
        return None
    return ctx.finding(
        "SC003",
        f"the SBOM {source.name()} misses {_references()['ntia-minimum-elements']}: "
        f"{'; '.join(gaps)}. FDA and notified bodies judge an SBOM by these elements; add them "
        "in the SBOM generator's configuration",
        source.location,
        severity=Severity.WARNING,
        clause=_ref(ctx, "component-list"),
        key=(file.display, "ntia"),
    )


def _us_sbom_missing(ctx: Context) -> Finding:
    clause = _ref(ctx, "us-sbom")
    documents = (
        ctx.index.of_type("sbom") or _soup_lists(ctx) or ctx.index.of_type("device-description")
    )
    location = documents[0].location() if documents else Location(_config_path(ctx), 0, 0)
    return ctx.finding(
        "SC003",
        "the device is to be sold in the US and connects to networks, but the technical file "
        f"has no machine-readable SBOM; {clause} requires one in the premarket submission of a "
        "cyber device. Add an `sbom` document whose `file` names a CycloneDX or SPDX JSON file, "
        "or pass the file built in CI with --artifact sbom=PATH",
        location,
        clause=clause,
        key=("us-sbom",),
    )


def _support_finding(ctx: Context, source: Source) -> Finding | None:
    components = sb.unique(source.file.shipped_components())
    no_level: list[sb.Component] = []
    no_end: list[sb.Component] = []
    for component in components:
        matching = [] if _supported(component) else _describing(ctx, component)
        level = component.support_level or _first_filled(matching, "support_level")
        end = component.end_of_support or _first_filled(matching, "end_of_support")
        if not level:
            no_level.append(component)
        if not end:
            no_end.append(component)
    if not no_level and not no_end:
        return None
    parts = []
    if no_level:
        parts.append(f"support level for {len(no_level)} of {len(components)} ({_names(no_level)})")
    if no_end:
        parts.append(
            f"end-of-support date for {len(no_end)} of {len(components)} ({_names(no_end)})"
        )
    return ctx.finding(
        "SC003",
        f"the device is to be sold in the US, and {_references()['fda-third-party']} expects, for "
        f"each component of the SBOM, its level of support and its end-of-support date; "
        f"{source.name()} and the SOUP list give no {' and no '.join(parts)}. Record them in the "
        "SOUP list (`Support level`, `End of support` columns) or as component properties in "
        "the SBOM",
        source.location,
        severity=Severity.WARNING,
        clause=_ref(ctx, "fda-third-party"),
        key=(source.file.display, "support"),
    )
