"""Releases you can pin: one version everywhere (package, `techfile --version`, the README's
pins, the changelog's newest release, the Action's default), a changelog in Keep a Changelog
form, a lock file that holds every dependency with its hashes, and the README's install lines
run verbatim on a tagged snapshot of this checkout.

The parts that download packages (the lock resolved by pip, the install lines) run only when
pip can reach a package index; everything else runs offline.
"""

from __future__ import annotations

import functools
import importlib.metadata
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

import techfile
from test_pre_commit import tagged_snapshot

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements" / "action.lock"
README = (ROOT / "README.md").read_text(encoding="utf-8")
REPOSITORY = "https://github.com/techfile/techfile"
ACTION_PYTHON = "3.11"  # the Action's actions/setup-python `python-version`
# The runners the Action is meant for: GitHub's Linux (x64, arm64) and macOS (arm64) images.
RUNNER_PLATFORMS = ("manylinux_2_17_x86_64", "manylinux_2_17_aarch64", "macosx_14_0_arm64")
PIP_OFFLINE_FAST = ("--retries", "0", "--timeout", "15", "--disable-pip-version-check")


def lock_pins() -> dict[str, tuple[str, list[str]]]:
    """name -> (version, hashes) from the lock; any line that is not a hashed `==` pin fails."""
    logical = re.sub(r"\\\n", " ", LOCK.read_text(encoding="utf-8"))
    pins: dict[str, tuple[str, list[str]]] = {}
    for line in logical.splitlines():
        text = line.split(" #", 1)[0].strip()
        if not text or text.startswith("#"):
            continue
        requirement, *options = text.split()
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([0-9][^=;\s]*)", requirement)
        assert match, f"not an exact pin: {line!r}"
        hashes = [o.removeprefix("--hash=sha256:") for o in options]
        assert hashes and all(re.fullmatch(r"[0-9a-f]{64}", h) for h in hashes), line
        assert len(hashes) == len(options), f"an option other than --hash: {line!r}"
        name = canonicalize_name(match.group(1))
        assert name not in pins, f"{name} pinned twice"
        pins[name] = (match.group(2), hashes)
    return pins


def _pyproject() -> dict[str, object]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _direct_requirements() -> list[Requirement]:
    project = _pyproject()
    runtime = project["project"]["dependencies"]  # type: ignore[index]
    build = project["build-system"]["requires"]  # type: ignore[index]
    return [Requirement(text) for text in [*runtime, *build]]


@functools.cache
def lock_installable() -> bool:
    """Whether pip, configured as on this machine, can fetch every file the lock pins."""
    done = _pip_dry_run()
    return done.returncode == 0


def _pip_dry_run(*extra: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pip", "install", "--dry-run", "--quiet"]
    command += ["--ignore-installed", "--require-hashes", "--only-binary", ":all:"]
    command += [*PIP_OFFLINE_FAST, *extra, "-r", str(LOCK)]
    return subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)


@pytest.fixture
def index() -> None:
    """Skips the test when no package index is reachable (the lock cannot be fetched)."""
    if not lock_installable():
        pytest.skip("no package index reachable: the lock cannot be fetched")


# --- one version everywhere ------------------------------------------------------------


def released_versions() -> list[tuple[str, str]]:
    """(version, date) of the changelog's released headings, in the file's order."""
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## \[([^\]]+)\](.*)$", changelog, re.MULTILINE)
    released = []
    for name, rest in headings:
        if name == "Unreleased":
            continue
        match = re.fullmatch(r" - (\d{4}-\d{2}-\d{2})", rest)
        assert match, f"## [{name}]{rest}: a release heading is `## [X.Y.Z] - YYYY-MM-DD`"
        released.append((name, match.group(1)))
    return released


def readme_pins() -> dict[str, set[str]]:
    """Each kind of version pin the README shows, and the versions it names."""
    return {
        "pre-commit rev": set(re.findall(r"^\s+rev: v(\S+)", README, re.MULTILINE)),
        "Action uses": set(re.findall(r"uses: techfile/techfile@v(\S+)", README)),
        "pip from git": set(re.findall(re.escape(f"git+{REPOSITORY}") + r"@v([^\s\"']+)", README)),
        "clone of the tag": set(re.findall(r"git clone [^\n]*--branch v(\S+)", README)),
    }


def test_one_version_everywhere() -> None:
    version = techfile.__version__
    assert re.fullmatch(r"\d+\.\d+\.\d+", version), "a release number X.Y.Z (semver)"
    shown = subprocess.run(
        [sys.executable, "-m", "techfile", "--version"], capture_output=True, text=True, check=True
    )
    assert shown.stdout.strip() == f"techfile, version {version}"
    assert importlib.metadata.version("techfile") == version, (
        "the installed metadata is stale: reinstall (pip install -e .)"
    )
    hatch = _pyproject()["tool"]["hatch"]["version"]  # type: ignore[index]
    assert hatch == {"path": "src/techfile/__init__.py"}
    for kind, versions in readme_pins().items():
        assert versions == {version}, f"README {kind}: {sorted(versions)}, package {version}"
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert action["inputs"]["version"]["default"] == version


def test_the_changelog_names_the_release() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "[Keep a Changelog](https://keepachangelog.com/en/1.1.0/)" in changelog
    headings = re.findall(r"^## \[([^\]]+)\]", changelog, re.MULTILINE)
    assert headings and headings[0] == "Unreleased", "## [Unreleased] comes first"
    released = released_versions()
    assert released, "no released version in CHANGELOG.md (## [X.Y.Z] - YYYY-MM-DD)"
    assert released[0][0] == techfile.__version__, "the newest release is the package's version"
    versions = [Version(v) for v, _ in released]
    assert versions == sorted(versions, reverse=True), "newest release first"
    dates = [d for _, d in released]
    assert dates == sorted(dates, reverse=True)
    kinds = set(re.findall(r"^### (.+)$", changelog, re.MULTILINE))
    assert kinds <= {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}, kinds


# --- the lock file ------------------------------------------------------------------------


def test_the_lock_pins_every_dependency_with_hashes() -> None:
    pins = lock_pins()
    for requirement in _direct_requirements():
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement} (pyproject.toml) is not in {LOCK.name}"
        assert requirement.specifier.contains(pins[name][0], prereleases=True), (
            f"{name}=={pins[name][0]} does not satisfy {requirement} (pyproject.toml)"
        )


def test_the_lock_holds_what_the_pinned_packages_require() -> None:
    """Offline, for every pinned package installed here at its pinned version: each of its
    requirements (for the Action's Python on Linux) is pinned too, at a version it accepts.
    The online test below resolves the whole lock with pip for every runner platform."""
    pins = lock_pins()
    environment = {"python_version": ACTION_PYTHON, "sys_platform": "linux", "extra": ""}
    checked = 0
    for name, (version, _) in pins.items():
        try:
            if importlib.metadata.version(name) != version:
                continue
            required = importlib.metadata.requires(name) or []
        except importlib.metadata.PackageNotFoundError:
            continue
        checked += 1
        for text in required:
            requirement = Requirement(text)
            if requirement.marker and not requirement.marker.evaluate(environment):
                continue
            needed = canonicalize_name(requirement.name)
            assert needed in pins, f"{name} needs {requirement}, which the lock leaves out"
            assert requirement.specifier.contains(pins[needed][0], prereleases=True), (
                f"{name} needs {requirement}; the lock pins {needed}=={pins[needed][0]}"
            )
    assert checked >= len(_pyproject()["project"]["dependencies"])  # type: ignore[index]


@pytest.mark.usefixtures("index")
def test_pip_installs_the_lock_with_hashes_on_every_runner(tmp_path: Path) -> None:
    """`pip install --require-hashes` refuses a lock that leaves out a dependency or holds a
    wrong hash; the platforms are those of GitHub's runners, for the Action's Python."""
    for platform in RUNNER_PLATFORMS:
        target = ["--platform", platform, "--python-version", ACTION_PYTHON]
        target += ["--implementation", "cp", "--target", str(tmp_path / platform)]
        done = _pip_dry_run(*target)
        assert done.returncode == 0, f"{platform}: {done.stderr[-2000:]}"


# --- the README's install lines, verbatim -------------------------------------------------


def install_blocks() -> list[str]:
    section = README.split("\n## Install\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)```", section, re.DOTALL)


def test_the_install_section_names_its_source() -> None:
    blocks = install_blocks()
    assert len(blocks) == 2, "one install from git, one from a checkout with the lock file"
    section = README.split("\n## Install\n", 1)[1].split("\n## ", 1)[0]
    assert "not on a package index" in section  # the README says why it is git
    assert all("pip install techfile" not in block for block in blocks)
    assert "pip install techfile " not in README and "pip install techfile\n" not in README


@pytest.mark.usefixtures("index")
@pytest.mark.parametrize("block", [0, 1], ids=["from-git", "from-checkout-with-lock"])
def test_the_readme_install_lines_work_verbatim(block: int, tmp_path: Path) -> None:
    """Each install block runs as written in an empty directory, with the GitHub address
    pointing at a tagged snapshot of this checkout instead (the only change)."""
    server = tmp_path / "server"
    tagged_snapshot(server / "techfile" / "techfile", f"v{techfile.__version__}")
    script = install_blocks()[block].replace(REPOSITORY, f"file://{server}/techfile/techfile")
    work = tmp_path / "work"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["PATH"] = os.pathsep.join(
        p for p in env["PATH"].split(os.pathsep) if not p.startswith(sys.prefix)
    )
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    assert f"techfile, version {techfile.__version__}" in done.stdout
