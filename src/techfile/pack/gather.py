"""Gathering the customer security pack from one run.

The files are read once and the rules run on them (`techfile.report.gather.load`, as for the
readiness report); the pack is built from the view of the index that run made, and the SBOM and
VEX files it reads are added to the bytes the input hash covers. Nothing depends on the wall
clock: the only date is the run's as-of date, and the only other stamp is the git commit of the
repository that holds the technical file.
"""

from __future__ import annotations

from techfile import __version__
from techfile.data.capabilities import capability_registry
from techfile.engine.pipeline import RunOptions
from techfile.intake.history import git_head
from techfile.model.capabilities import released
from techfile.model.config import Config
from techfile.model.evidence_classes import manufacturer
from techfile.model.view import RunView
from techfile.pack.answers import answer_rows, support_summary
from techfile.pack.customer import disclosure_check, responsibilities
from techfile.pack.data import PackData, Stamp
from techfile.pack.development import certificates, development
from techfile.pack.transparency import disk_reader, reader_for, transparency
from techfile.report.gather import input_hash, load


def gather_pack(config: Config, options: RunOptions) -> PackData:
    loaded = load(config, options)
    view = loaded.view
    files = dict(loaded.files)
    read = reader_for(files, disk_reader(config.root, config.max_file_size))
    shown = transparency(view, read)  # reads the SBOM and VEX files into `files`
    return PackData(
        stamp=_stamp(view, files, shown.supplier),
        support=support_summary(view, shown.supplier),
        answers=answer_rows(view),
        transparency=shown,
        development=development(view),
        certificates=certificates(view),
        responsibilities=responsibilities(view),
        disclosure=disclosure_check(view, loaded.result),
        notices=tuple(loaded.result.notices),
    )


def _stamp(view: RunView, files: dict[str, bytes], sbom_supplier: str) -> Stamp:
    registry = capability_registry()
    release = released(view)
    where = (
        release.document.label() if release.document is not None else "no approved release record"
    )
    return Stamp(
        device=view.device_name() or "(device name not given)",
        manufacturer=manufacturer(view) or sbom_supplier or "not given",
        software_version=release.version or "not given",
        release=where,
        as_of=view.as_of.isoformat(),
        git_commit=git_head(view.root) or "not a git repository",
        input_hash=input_hash(files),
        input_files=len(files),
        tool_version=__version__,
        root_name=view.root.name,
        form=f"{registry.form}, {registry.standard}",
        registry_status=registry.status,
    )
