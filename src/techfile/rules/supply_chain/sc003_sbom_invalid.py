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
            "SC003",
            problem.message,
            problem.location,
            clause=clause,
            key=problem.key,
            why=_why(
                clause,
                "techfile reads the file only inside the technical file and by a path that means "
                "the same on every machine, so nothing in this one was checked",
            ),
            fix=problem.fix,
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


def _why(clause: str, reason: str) -> str:
    return (
        f"{clause} asks for the list of external components of each release, and a notified "
        f"body reads it in the SBOM; {reason}."
    )


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
        yield ctx.finding(
            "SC003",
            f"the {what} {source.name()} {file.problem}",
            source.location,
            clause=clause,
            key=(file.display, "unreadable"),
            related=related,
            why=_why(clause, "nothing in a file that is not there can be checked")
            if missing
            else _why(
                clause,
                f"no tool (and no reviewer) can use {_article(what)} {what} that cannot be read "
                "as JSON of its format",
            ),
            fix="Add the file, or correct the path."
            if missing
            else "Regenerate it from the build.",
        )
        return
    if file.format == sb.SPDX3:
        yield ctx.finding(
            "SC003",
            f"the {what} {source.name()} is an SPDX 3 JSON-LD document, which this techfile "
            "version cannot read",
            source.location,
            severity=Severity.WARNING,
            clause=clause,
            key=(file.display, "spdx3"),
            why=_why(
                clause,
                "this techfile version reads CycloneDX JSON and SPDX 2.2/2.3 JSON only, so it was "
                "neither checked against its schema nor compared with the SOUP list",
            ),
            fix="Also export SPDX 2.3 or CycloneDX JSON for the technical file.",
        )
        return
    declared = source.document.meta.get("format") if source.document else None
    detected = {sb.CYCLONEDX: "cyclonedx-json", sb.SPDX: "spdx-json"}.get(file.format or "")
    if isinstance(declared, str) and detected and declared != detected:
        yield ctx.finding(
            "SC003",
            f"{source.document.label() if source.document else source.name()} declares "
            f"`format: {declared}`, but {file.display} is {file.format_label()}",
            source.document.location("format") if source.document else source.location,
            clause=clause,
            key=(file.display, "format"),
            why=_why(clause, "people and tools read the file as what its `format` says"),
            fix="Correct the `format` so that people and tools read the file as what it is.",
        )
    if file.encoding != "utf-8":
        yield ctx.finding(
            "SC003",
            f"the {what} {source.name()} is encoded as {sb.encoding_label(file.encoding)}",
            source.location,
            severity=Severity.WARNING,
            clause=clause,
            key=(file.display, "encoding"),
            why=_why(
                clause,
                "JSON exchanged between systems must be UTF-8 without a byte-order mark "
                "(RFC 8259), and many SBOM tools and portals reject anything else",
            ),
            fix="Save it as plain UTF-8.",
        )
    result = schema_results[id(file)]
    if not result.checked:
        xml_only = file.spec_version in sb.CYCLONEDX_XML_ONLY and file.format == sb.CYCLONEDX
        yield ctx.finding(
            "SC003",
            f"the {what} {source.name()} says it is {file.format_label()}, but "
            + (
                f"{result.note} (JSON came with CycloneDX 1.2)"
                if xml_only
                else f"techfile has no schema for it ({result.note})"
            ),
            source.location,
            severity=None if xml_only else Severity.WARNING,
            clause=clause,
            key=(file.display, "version"),
            why=_why(
                clause,
                "no tool can read the file as what it says it is, and techfile could not check it"
                if xml_only
                else "a file techfile has no schema for was not checked",
            ),
            fix="Regenerate it as CycloneDX 1.5 or later."
            if xml_only
            else "Use a released version of the format (CycloneDX 1.2 to 1.7, SPDX 2.2 or 2.3), "
            "or a newer techfile.",
        )
    elif result.errors:
        count = f"{result.errors} problems, the first " if result.errors > 1 else ""
        yield ctx.finding(
            "SC003",
            f"the {what} {source.name()} does not conform to the {result.schema} ({count}at "
            f"{result.first_path}: {result.first_message})",
            source.location,
            clause=clause,
            key=(file.display, "schema"),
            related=source.related(),
            why=_why(
                clause,
                "tools that read a file that breaks its schema may reject it or silently drop "
                "components, and a notified body or FDA cannot rely on it",
            ),
            fix="Fix the generator or its output and validate the file in the build.",
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
    gaps: list[str] = []
    lacking_names: list[str] = []
    # The root (the device software itself) is in no package registry, so it needs no lookup
    # identifier; its supplier and version are still expected.
    checks = (
        ("supplier name", "a supplier name", [c for c in components if not c.supplier]),
        ("version", "a version", [c for c in components if not c.version]),
        (
            "unique identifier",
            "a unique identifier (purl, CPE or SWID)",
            [c for c in shipped if not c.has_identifier],
        ),
    )
    for element, what, lacking in checks:
        if lacking:
            gaps.append(f"{element} ({len(lacking)} of {total} component(s))")
            lacking_names.append(f"{what} for {_names(lacking)}")
    if not file.has_author:
        gaps.append("author of the SBOM data")
    if file.timestamp is None:
        gaps.append("timestamp")
    if total > 1 and not file.has_dependencies:
        gaps.append("dependency relationships")
    if not gaps:
        return None
    clause = _ref(ctx, "component-list")
    which = f" ({'; '.join(lacking_names)})" if lacking_names else ""
    return ctx.finding(
        "SC003",
        f"the SBOM {source.name()} misses minimum elements: {', '.join(gaps)}",
        source.location,
        severity=Severity.WARNING,
        clause=clause,
        key=(file.display, "ntia"),
        why=_why(
            clause,
            "FDA and notified bodies judge an SBOM by the "
            f"{_references()['ntia-minimum-elements']}",
        ),
        fix=f"Add them in the SBOM generator's configuration{which}.",
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
        "has no machine-readable SBOM",
        location,
        clause=clause,
        key=("us-sbom",),
        why=f"{clause} requires one in the premarket submission of a cyber device, and FDA "
        "will not accept the submission without it.",
        fix="Add an `sbom` document whose `file` names a CycloneDX or SPDX JSON file, or pass "
        "the file built in CI with --artifact sbom=PATH.",
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
    parts, named = [], []
    if no_level:
        parts.append(f"support level for {len(no_level)} of {len(components)} components")
        named.append(f"support level for {_names(no_level)}")
    if no_end:
        parts.append(f"end-of-support date for {len(no_end)} of {len(components)} components")
        named.append(f"end-of-support date for {_names(no_end)}")
    clause = _ref(ctx, "fda-third-party")
    return ctx.finding(
        "SC003",
        f"{source.name()} and the SOUP list give no {' and no '.join(parts)}",
        source.location,
        severity=Severity.WARNING,
        clause=clause,
        key=(source.file.display, "support"),
        why=f"{clause} expects, for each component of the SBOM of a device to be sold in the US, "
        "its level of support and its end-of-support date, and FDA will ask for them.",
        fix='Record them in the SOUP list ("Support level" and "End of support" columns) or as '
        f"component properties in the SBOM ({'; '.join(named)}).",
    )
