"""The caches cannot lie: a pull request controls every file of the checked-out tree, the
cache directory included, and still cannot change a verdict, crash or hang a run, or make
techfile read, write or delete anything outside the root through it."""

from __future__ import annotations

import builtins
import hashlib
import io
import json
import os
import resource
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CliResult, run_subprocess, snapshot, write_tree
from techfile import __version__
from techfile.fixture_tree import commit, git
from techfile.intake import codec
from techfile.intake.cache_secret import SECRET_DIR_VARIABLE, load_secret
from techfile.intake.cache_trust import CacheDirectory

Run = Callable[..., CliResult]
Tree = Callable[..., Path]

CONFIG = 'as-of = "2026-01-15"\nselect = ["ID", "FM"]\n'
DOC = """---
id: {id}
type: qms-procedure
title: {title}
version: "1.0"
status: approved
references: [{refs}]
---

# {title}
"""
CLEAN = DOC.format(id="SOP-A", refs="", title="Procedure")
DEFECTIVE = DOC.format(id="SOP-A", refs="SOP-GONE", title="Procedure")  # ID002: dangling
OTHER = DOC.format(id="SOP-B", refs="SOP-A", title="Procedure")
FAST = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(autouse=True)
def secret_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The per-user secret lives here, outside every repository of the test."""
    home = tmp_path / "secret-home"
    monkeypatch.setenv(SECRET_DIR_VARIABLE, str(home))
    return home


def _blob_id(text: str) -> str:
    data = text.encode()
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def _split(raw: bytes) -> tuple[bytes, bytes]:
    """A cache file as an attacker reads it: an optional first line (a seal), then JSON."""
    if raw.lstrip().startswith(b"{"):
        return b"", raw
    header, _, body = raw.partition(b"\n")
    return header + b"\n", body


def _edit(file: Path, change: Callable[[Any], Any]) -> None:
    """Rewrite a cache file's JSON the way a hand editor would, keeping its first line."""
    header, body = _split(file.read_bytes())
    file.write_bytes(header + json.dumps(change(json.loads(body))).encode())


def _shard_dir(root: Path) -> Path:
    [directory] = (root / ".techfile_cache").glob("parsed-*")
    return directory


def _drop_results(root: Path) -> None:
    """The attacker needs no stored result: without one the run reads the parse cache."""
    for store in (root / ".techfile_cache").glob("results-*.json"):
        store.unlink()


def _rekey(root: Path, path: str, clean: str, defective: str) -> Path:
    """Re-key the clean file's parse to the defective content, in the defective's shard."""
    shards = _shard_dir(root)
    header, body = _split((shards / f"{_blob_id(clean)[:2]}.json").read_bytes())
    data = json.loads(body)
    entry = data["entries"][f"{_blob_id(clean)}:{path}"]
    data["entries"] = {f"{_blob_id(defective)}:{path}": entry}
    target = shards / f"{_blob_id(defective)[:2]}.json"
    target.write_bytes(header + json.dumps(data).encode())
    return target


# --- (a) forged entries change no verdict -----------------------------------------------------


def test_a_committed_forged_parse_cache_changes_no_verdict_in_a_fresh_clone(
    tmp_path: Path, techfile: Run
) -> None:
    repo = write_tree(tmp_path / "repo", {".techfile.toml": CONFIG, "a.md": CLEAN, "b.md": OTHER})
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "clean")
    assert techfile("check", "--select", "ID002", cwd=repo).code == 0  # the cache to forge from
    git(repo, "checkout", "-q", "-b", "pr")
    (repo / "a.md").write_text(DEFECTIVE, encoding="utf-8")
    forged = _rekey(repo, "a.md", CLEAN, DEFECTIVE)
    _drop_results(repo)
    git(repo, "add", "-A")
    git(repo, "add", "-f", forged.relative_to(repo).as_posix())
    git(repo, "commit", "-qm", "pr")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(repo), str(clone))
    git(clone, "branch", "-q", "main", "origin/main")
    assert (clone / forged.relative_to(repo)).is_file()

    for args in (["--select", "ID002"], ["--select", "ID002", "--changed-since", "main"], []):
        expected = techfile("check", "--no-cache", *args, cwd=clone)
        assert expected.code == 1 and "SOP-GONE" in expected.out
        result = techfile("check", *args, cwd=clone)
        assert (result.code, result.out) == (expected.code, expected.out), args
    report = techfile("report", "--format", "markdown", cwd=clone)
    assert report.out == techfile("report", "--format", "markdown", "--no-cache", cwd=clone).out
    assert "SOP-GONE" in report.out
    assert git(clone, "status", "--porcelain") == ""  # nothing written into a tracked cache


@pytest.mark.parametrize("forgery", ["re-key", "inject-suppression"])
def test_a_forged_parse_cache_entry_is_a_miss(tree: Tree, techfile: Run, forgery: str) -> None:
    """Untracked, as a poisoned CI cache would restore it: the seal alone must hold."""
    first = CLEAN if forgery == "re-key" else DEFECTIVE
    root = tree({"a.md": first, "b.md": OTHER}, config=CONFIG)
    techfile("check", cwd=root)
    (root / "a.md").write_text(DEFECTIVE, encoding="utf-8")
    if forgery == "re-key":
        _rekey(root, "a.md", CLEAN, DEFECTIVE)
    else:
        key = f"{_blob_id(DEFECTIVE)}:a.md"
        ignore_all = ["disable-file", ["ID002"], "forged", 1, 1, None]

        def inject(data: Any) -> Any:
            data["entries"][key]["directives"].append(ignore_all)
            return data

        _edit(_shard_dir(root) / f"{_blob_id(DEFECTIVE)[:2]}.json", inject)
    _drop_results(root)
    result = techfile("check", "--select", "ID002", cwd=root)
    assert result.code == 1 and "SOP-GONE" in result.out


@pytest.mark.parametrize("forgery", ["drop", "move-outside", "suppress"])
def test_a_forged_result_store_entry_is_a_miss(tree: Tree, techfile: Run, forgery: str) -> None:
    root = tree({"a.md": DEFECTIVE, "b.md": OTHER}, config=CONFIG)
    first = techfile("check", cwd=root)
    assert first.code == 1 and "SOP-GONE" in first.out

    def forge(data: Any) -> Any:
        for entry in data["entries"].values():
            result = entry["result"]
            findings = result["findings"]
            if forgery == "move-outside":
                for finding in findings:
                    finding[3][0] = "../../etc/passwd"
                continue
            if forgery == "suppress" and "suppressed" in result:
                where = ["a.md", 1, 0, "SOP-A", None]
                waiver = ["ignore", ["ID002"], "forged", where, None, None, None, None]
                result["suppressed"] = [[finding, waiver] for finding in findings]
            result["findings"] = []
        return data

    [store] = (root / ".techfile_cache").glob("results-*.json")
    _edit(store, forge)
    again = techfile("check", cwd=root)
    assert (again.code, again.out) == (first.code, first.out)


def _plan(text: str) -> str:
    return (
        "---\nid: RMP-001\ntype: risk-management-plan\ntitle: Risk management plan\n"
        'version: "2.0"\nstatus: approved\nauthor: Tobias Brandt\napprovals:\n'
        "  - by: Dr. Anna Keller\n    role: Head of Quality\n    date: 2025-11-20\n"
        f"---\n\n# Document\n\n{text}\n"
    )


def test_a_forged_history_cache_is_a_miss(tmp_path: Path, techfile: Run) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    toml = {".techfile.toml": 'as-of = "2026-01-15"\n'}
    commit(root, "2025-11-20T10:00:00+00:00", {**toml, "rmp.md": _plan("A.")})
    commit(root, "2025-12-01T10:00:00+00:00", {"rmp.md": _plan("B.")})
    commit(root, "2025-12-02T10:00:00+00:00", {"rmp.md": _plan("C.")})
    first = techfile("check", "--select", "DC002", cwd=root)
    assert first.code == 1 and "DC002" in first.out
    [history] = (root / ".techfile_cache").glob("history-*.json")
    _edit(history, lambda _: {})  # no commit ever changed the plan
    _drop_results(root)
    again = techfile("check", "--select", "DC002", cwd=root)
    assert (again.code, again.out) == (first.code, first.out)


def test_a_seal_is_bound_to_its_root_and_its_name(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    CacheDirectory(one).write("results-x.json", b'{"a": 1}')
    assert CacheDirectory(one).read("results-x.json", 100) == b'{"a": 1}'
    sealed = (one / ".techfile_cache" / "results-x.json").read_bytes()
    (one / ".techfile_cache" / "results-y.json").write_bytes(sealed)
    assert CacheDirectory(one).read("results-y.json", 100) is None  # moved between files
    (two / ".techfile_cache").mkdir(mode=0o700)
    (two / ".techfile_cache" / "results-x.json").write_bytes(sealed)
    assert CacheDirectory(two).read("results-x.json", 100) is None  # moved between roots
    (one / ".techfile_cache" / "results-x.json").write_bytes(sealed[:-1])
    assert CacheDirectory(one).read("results-x.json", 100) is None  # truncated


# --- the secret ---------------------------------------------------------------------------------


def test_the_secret_is_private_and_refused_when_it_is_not(
    tree: Tree, techfile: Run, secret_home: Path, tmp_path: Path
) -> None:
    root = tree({"a.md": DEFECTIVE}, config=CONFIG)
    expected = techfile("check", "--no-cache", cwd=root)
    assert techfile("check", cwd=root).out == expected.out
    secret = secret_home / "secret"
    assert stat.S_IMODE(secret_home.stat().st_mode) == 0o700
    assert stat.S_IMODE(secret.lstat().st_mode) == 0o600 and load_secret(root) is not None
    known = tmp_path / "known-secret"
    known.write_text("00" * 32 + "\n", encoding="utf-8")
    known.chmod(0o600)
    secret.unlink()
    secret.symlink_to(known)  # a secret someone else knows
    assert load_secret(root) is None
    secret.unlink()
    secret.write_text("00" * 32 + "\n", encoding="utf-8")
    secret.chmod(0o644)
    assert load_secret(root) is None
    secret.unlink()
    os.mkfifo(secret)
    assert load_secret(root) is None
    _drop_results(root)
    result = techfile("check", cwd=root)  # caching is off, and the run is as without it
    assert (result.code, result.out) == (expected.code, expected.out)


def test_a_secret_directory_open_to_others_or_linked_is_refused_and_left_alone(
    tree: Tree, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    root = tree({"a.md": CLEAN}, config=CONFIG)
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o755)
    monkeypatch.setenv(SECRET_DIR_VARIABLE, str(shared))
    assert load_secret(root) is None
    assert stat.S_IMODE(shared.stat().st_mode) == 0o755 and not list(shared.iterdir())
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    (tmp_path / "linked").symlink_to(private, target_is_directory=True)
    monkeypatch.setenv(SECRET_DIR_VARIABLE, str(tmp_path / "linked"))
    assert load_secret(root) is None and not list(private.iterdir())


def test_a_secret_inside_the_repository_is_refused(
    tree: Tree, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tree({"a.md": CLEAN}, config=CONFIG)
    monkeypatch.setenv(SECRET_DIR_VARIABLE, str(root / ".cache" / "techfile"))
    assert load_secret(root) is None
    monkeypatch.delenv(SECRET_DIR_VARIABLE)
    monkeypatch.setenv("XDG_CACHE_HOME", str(root / "sub"))
    assert load_secret(root / "sub") is None


# --- (b) a linked cache directory --------------------------------------------------------------


def _outside(tmp_path: Path) -> Path:
    """A directory beside the root, laid out like a cache to tempt stale-entry removal."""
    return write_tree(
        tmp_path / "outside",
        {
            "keep.txt": "precious\n",
            "parsed-0.0.0-old/aa.json": "precious\n",
            "history-0000.json": "precious\n",
            f"results-{__version__}.json": "precious\n",
        },
    )


def _history_repo(tree: Tree) -> Path:
    root = tree({"a.md": DEFECTIVE, "b.md": OTHER}, config=CONFIG.replace('"FM"]', '"FM", "DC"]'))
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "one")
    return root


def test_b_a_linked_cache_directory_is_not_used(tree: Tree, techfile: Run, tmp_path: Path) -> None:
    outside = _outside(tmp_path)
    before = snapshot(outside)
    root = _history_repo(tree)
    (root / ".techfile_cache").symlink_to(outside, target_is_directory=True)
    for text in (OTHER, OTHER + "\nchanged\n"):
        (root / "b.md").write_text(text, encoding="utf-8")
        expected = techfile("check", "--no-cache", cwd=root)
        result = techfile("check", cwd=root)
        assert (result.code, result.out) == (expected.code, expected.out)
    assert snapshot(outside) == before


def test_b_links_inside_the_cache_directory_are_not_followed(
    tree: Tree, techfile: Run, tmp_path: Path
) -> None:
    outside = _outside(tmp_path)
    root = _history_repo(tree)
    expected = techfile("check", "--no-cache", cwd=root)
    techfile("check", cwd=root)
    cache = root / ".techfile_cache"
    shards = _shard_dir(root)
    for shard in shards.iterdir():
        shard.unlink()
    shards.rmdir()
    shards.symlink_to(outside, target_is_directory=True)  # the current parse cache
    (cache / "parsed-0.0.0-stale").symlink_to(outside, target_is_directory=True)
    (cache / "history-ffff.json").symlink_to(outside / "keep.txt")
    _drop_results(root)
    (cache / f"results-{__version__}.json").symlink_to(outside / f"results-{__version__}.json")
    before = snapshot(outside)
    result = techfile("check", cwd=root)
    assert (result.code, result.out) == (expected.code, expected.out)
    assert snapshot(outside) == before
    (cache / ".gitignore").unlink()
    (cache / ".gitignore").symlink_to(outside / "planted")  # dangling
    (root / "b.md").write_text(OTHER + "\nchanged\n", encoding="utf-8")
    expected = techfile("check", "--no-cache", cwd=root)
    result = techfile("check", cwd=root)
    assert (result.code, result.out) == (expected.code, expected.out)
    assert snapshot(outside) == before and not (outside / "planted").exists()


def test_b_an_emptied_gitignore_is_repaired(tree: Tree, techfile: Run) -> None:
    root = tree({"a.md": DEFECTIVE}, config=CONFIG)
    techfile("check", cwd=root)
    ignore = root / ".techfile_cache" / ".gitignore"
    ignore.write_text("", encoding="utf-8")  # what a full disk leaves
    _drop_results(root)
    techfile("check", cwd=root)
    assert ignore.read_text(encoding="utf-8").splitlines()[-1] == "*"


# --- (c) special files in place of cache files -------------------------------------------------


def _limited_memory() -> None:
    """A child that reads /dev/zero fails fast instead of taking the machine's memory."""
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


def _special(root: Path, kind: str) -> Iterator[Path]:
    """Every cache file of the root, replaced by `kind`."""
    files = [*root.glob(".techfile_cache/*.json"), *_shard_dir(root).glob("*.json")]
    for file in files:
        file.unlink()
        if kind == "fifo":
            os.mkfifo(file)
        else:
            file.symlink_to("/dev/zero")
        yield file


@pytest.mark.parametrize("kind", ["fifo", "/dev/zero"])
def test_c_special_files_in_the_cache_neither_hang_nor_exhaust_memory(
    tree: Tree, techfile: Run, kind: str
) -> None:
    root = _history_repo(tree)
    expected = techfile("check", "--no-cache", cwd=root)
    techfile("check", cwd=root)
    assert len(list(_special(root, kind))) >= 3  # results, history and parse shards
    result = run_subprocess("check", cwd=root, timeout=60, preexec_fn=_limited_memory)
    assert (result.code, result.out) == (expected.code, expected.out)


# --- (d) an artefact outside the root ----------------------------------------------------------

SOUP = (
    "---\nid: SOUP-001\ntype: soup-list\ntitle: SOUP list\n---\n\n# SOUP list\n\n"
    "| ID | Name | Version | Manufacturer | PURL |\n|---|---|---|---|---|\n"
    "| S-01 | numpy | 2.1.3 | N | |\n"
)


def _bom(*names: str) -> str:
    components = [
        {
            "type": "library",
            "bom-ref": f"pkg:pypi/{name}@1.0",
            "name": name,
            "version": "1.0",
            "purl": f"pkg:pypi/{name}@1.0",
        }
        for name in names
    ]
    head = {"timestamp": "2026-01-10T09:00:00Z", "component": {"type": "application", "name": "A"}}
    bom = {"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1, "metadata": head}
    return json.dumps({**bom, "components": components})


def test_d_an_artifact_outside_the_root_is_checked_again_safely(
    tree: Tree, techfile: Run, tmp_path: Path
) -> None:
    root = tree({"soup.md": SOUP}, config='as-of = "2026-01-15"\n')
    sbom = write_tree(tmp_path / "build", {"sbom.json": _bom("numpy", "six")}) / "sbom.json"
    args = ("check", "--select", "SC001", "--artifact", f"sbom={sbom}")
    first = techfile(*args, cwd=root)
    assert "six" in first.out
    again = techfile(*args, cwd=root)  # from the result store
    assert (again.code, again.out) == (first.code, first.out)
    sbom.write_text(_bom("numpy", "left-pad"), encoding="utf-8")
    changed = techfile(*args, cwd=root)
    assert "left-pad" in changed.out and "six" not in changed.out
    sbom.unlink()
    os.mkfifo(sbom)
    expected = techfile(*args[:1], "--no-cache", *args[1:], cwd=root)
    result = run_subprocess(*args, cwd=root, timeout=60)
    assert (result.code, result.out) == (expected.code, expected.out)


# --- (e) a document naming a file outside the root ---------------------------------------------


def _risk(table_file: Path) -> str:
    return (
        "---\nid: RA-1\ntype: risk-analysis\n---\n\n"
        f"```{{csv-table}} Risks\n:file: {table_file}\n```\n"
    )


def test_e_a_table_file_outside_the_root_is_never_opened(
    tree: Tree, techfile: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = write_tree(tmp_path / "elsewhere", {"hostname": "server-1\n"}) / "hostname"
    root = tree({"risk.md": _risk(secret)}, config=CONFIG)
    first = techfile("check", cwd=root)
    opened: list[str] = []

    def spy(real: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(file: Any, *args: Any, **kwargs: Any) -> Any:
            if isinstance(file, str | os.PathLike) and os.fspath(file) == str(secret):
                opened.append(os.fspath(file))
            return real(file, *args, **kwargs)

        return wrapper

    monkeypatch.setattr(os, "open", spy(os.open))
    monkeypatch.setattr(io, "open", spy(io.open))
    monkeypatch.setattr(builtins, "open", spy(builtins.open))
    again = techfile("check", cwd=root)
    assert (again.code, again.out) == (first.code, first.out)
    assert opened == []


# --- (f) garbage in the cache files ------------------------------------------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)


def _garbled(garbage: Any, part: str = "result") -> Callable[[Any], Any]:
    """Keep a cache file's layout (format, version, keys) and put garbage in its entries
    (in `part` of a stored result), as a hand editor would."""

    def change(data: Any) -> Any:
        if isinstance(data.get("entries"), dict):  # parse shards and the result store
            for key in data["entries"]:
                entry = data["entries"][key]
                if isinstance(entry, dict) and "result" in entry:
                    entry[part] = garbage
                else:
                    data["entries"][key] = garbage
            return data
        return garbage  # the history cache

    return change


@FAST
@given(
    garbage=JSON,
    part=st.sampled_from(["result", "reads"]),
    how=st.lists(st.sampled_from(["garble", "replace", "truncate"]), min_size=6, max_size=6),
    raw=st.binary(max_size=64),
    cut=st.integers(min_value=0, max_value=400),
)
def test_f_unsealed_or_truncated_cache_files_are_misses(
    tree: Tree, techfile: Run, garbage: Any, part: str, how: list[str], raw: bytes, cut: int
) -> None:
    root = _history_repo(tree)
    expected = techfile("check", "--no-cache", cwd=root)
    techfile("check", cwd=root)
    files = [*(root / ".techfile_cache").glob("*.json"), *_shard_dir(root).glob("*.json")]
    for number, file in enumerate(sorted(files)):
        if how[number % len(how)] == "garble":
            _edit(file, _garbled(garbage, part))
        elif how[number % len(how)] == "replace":
            file.write_bytes(raw)
        else:
            file.write_bytes(file.read_bytes()[:cut])
    result = techfile("check", cwd=root)
    assert (result.code, result.out) == (expected.code, expected.out)
    _drop_results(root)  # the parse shards and history alone
    result = techfile("check", cwd=root)
    assert (result.code, result.out) == (expected.code, expected.out)


@FAST
@given(garbage=st.lists(JSON, min_size=4, max_size=4), part=st.sampled_from(["result", "reads"]))
def test_f_sealed_but_wrongly_typed_entries_are_misses(
    tree: Tree, techfile: Run, garbage: list[Any], part: str
) -> None:
    """As if the secret were known or a bug wrote them: still no crash, still a miss."""
    root = _history_repo(tree)
    expected = techfile("check", "--no-cache", cwd=root)
    techfile("check", cwd=root)
    files = CacheDirectory(root)
    # not the history cache: `{}` is a well-typed history, and a sealed one is believed
    sealed = [
        path.relative_to(files.path).as_posix()
        for path in files.path.rglob("*.json")
        if not path.name.startswith("history-")
    ]
    for number, name in enumerate(sorted(sealed)):
        data = json.loads(files.read(name, 1 << 30) or b"")
        files.write(name, json.dumps(_garbled(garbage[number % 4], part)(data)).encode())
    result = techfile("check", cwd=root)
    assert (result.code, result.out) == (expected.code, expected.out)


@FAST
@given(garbage=JSON)
def test_f_decode_never_raises(garbage: Any) -> None:
    assert codec.decode(garbage) is None


# --- (g) the cache never changes output --------------------------------------------------------

IDS = ("SOP-A", "SOP-B", "SOP-C", "SOP-D")


@st.composite
def technical_files(draw: st.DrawFn) -> dict[str, str]:
    count = draw(st.integers(min_value=1, max_value=4))
    files = {}
    for number in range(count):
        own = draw(st.sampled_from(IDS))  # now and then twice: ID001
        refs = draw(st.lists(st.sampled_from((*IDS, "SOP-GONE", "SOP-X")), max_size=3))
        title = draw(st.sampled_from(("Procedure", "Plan")))
        files[f"doc-{number}.md"] = DOC.format(id=own, refs=", ".join(refs), title=title)
    return files


@FAST
@given(files=technical_files())
def test_g_cached_runs_print_what_uncached_runs_print(
    tmp_path: Path, techfile: Run, files: dict[str, str]
) -> None:
    root = tmp_path / "property"  # one root for every example: old entries must not leak
    for old in root.glob("doc-*.md"):
        old.unlink()
    write_tree(root, {".techfile.toml": CONFIG, **files})
    for output in ("text", "json"):
        expected = techfile("check", "--no-cache", "--format", output, cwd=root)
        for _ in range(2):
            result = techfile("check", "--format", output, cwd=root)
            assert (result.code, result.out) == (expected.code, expected.out)
