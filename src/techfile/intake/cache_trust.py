"""techfile's own files in `.techfile_cache/`, used only while they provably are its own.

In CI every name in the checked-out tree, the cache directory included, is written by
whoever opened the pull request. So each cache file is sealed with an HMAC-SHA256 under the
user's secret (cache_secret.py), bound to the root's real path and to the file's name in the
cache directory, and the seal is checked on the raw bytes before any JSON is parsed: a file
that was written, moved or altered by anyone else is a miss. The directory itself is used
only when it is a real directory of the user's that git does not track; no link inside it is
followed, files are read only when they are regular and of bounded size, and writes and
deletions never leave it.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import shutil
import stat
from pathlib import Path

from techfile.intake.cache_secret import load_secret, repository_of
from techfile.intake.safe_read import opened_directory, read_regular
from techfile.intake.sources import GitError, git
from techfile.model.config import CACHE_DIR
from techfile.util.safe_write import (
    UnsafeWriteError,
    make_private_dir,
    write_bytes_atomically,
    write_text_atomically,
)

SEAL = b"techfile-cache hmac-sha256 "
IGNORE_TEXT = "# created by techfile\n*\n"
FILE_MODE = 0o600


class CacheDirectory:
    """The cache directory of one root; `relative` names are `name` or `directory/name`."""

    def __init__(self, root: Path, name: str = CACHE_DIR) -> None:
        self.root = root
        self.name = name
        self.path = root / name
        self._secret: bytes | None = None
        self._judged = False
        self._prepared: set[str] = set()  # directories made and checked by this instance
        self._where = os.path.realpath(root).encode("utf-8", "surrogateescape")

    def read(self, relative: str, limit: int) -> bytes | None:
        """The payload of a sealed file, or None: missing, refused, or not sealed by us."""
        secret = self._usable_secret()
        if secret is None:
            return None
        *directories, file_name = relative.split("/")
        owner = os.getuid()
        try:
            with opened_directory(str(self.root), [self.name, *directories], owner) as dir_fd:
                raw = read_regular(file_name, limit + len(SEAL) + 65, dir_fd=dir_fd, owner=owner)
        except OSError:
            return None
        return self._unseal(secret, relative, raw)

    def write(self, relative: str, payload: bytes) -> None:
        """Seal `payload` and replace the file with it; raises OSError when refused."""
        secret = self._usable_secret()
        if secret is None:
            raise UnsafeWriteError(f"the cache directory {self.path} is not used in this run")
        *directories, _ = relative.split("/")
        self._prepare("/".join(directories))
        write_bytes_atomically(
            self.path / relative,
            self._seal(secret, relative, payload),
            confined_to=self.root,
            mode=FILE_MODE,
        )

    def remove_others(self, prefix: str, keep: str, suffix: str = "") -> None:
        """Delete the entries named prefix...suffix, but `keep`, from the cache directory
        (never what a link inside it points to); silent on failure."""
        if self._usable_secret() is None:
            return
        owner = os.getuid()
        with (
            contextlib.suppress(OSError),
            opened_directory(str(self.root), [self.name], owner) as dir_fd,
        ):
            for entry in os.listdir(dir_fd):
                if entry.startswith(prefix) and entry.endswith(suffix) and entry != keep:
                    with contextlib.suppress(OSError):
                        _remove(dir_fd, entry)

    # --- trust ----------------------------------------------------------------------------

    def _usable_secret(self) -> bytes | None:
        """The secret when this run may use the directory at all; judged once."""
        if not self._judged:
            self._judged = True
            secret = load_secret(self.root)
            self._secret = secret if secret is not None and self._acceptable() else None
        return self._secret

    def _acceptable(self) -> bool:
        """Missing (it will be made), or a real directory of ours that git does not track:
        a cache committed to the repository is how a pull request would plant one."""
        try:
            info = os.lstat(self.path)
        except FileNotFoundError:
            return True
        except OSError:
            return False
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
            return False
        identity = (os.path.realpath(self.path), info.st_dev, info.st_ino)
        if identity in _UNTRACKED:
            return True
        if _tracked(self.root, self.name):
            return False
        _UNTRACKED.add(identity)
        return True

    def _binding(self, relative: str) -> bytes:
        """What a seal is bound to: this root, and the file's name in the cache directory."""
        return (
            b"techfile cache\0" + self._where + b"\0" + f"{self.name}/{relative}".encode() + b"\0"
        )

    def _seal(self, secret: bytes, relative: str, payload: bytes) -> bytes:
        return SEAL + self._mac(secret, relative, payload) + b"\n" + payload

    def _unseal(self, secret: bytes, relative: str, raw: bytes) -> bytes | None:
        header, newline, payload = raw.partition(b"\n")
        if not newline or not header.startswith(SEAL):
            return None
        expected = self._mac(secret, relative, payload)
        return payload if hmac.compare_digest(header[len(SEAL) :], expected) else None

    def _mac(self, secret: bytes, relative: str, payload: bytes) -> bytes:
        code = hmac.new(secret, self._binding(relative), hashlib.sha256)
        code.update(payload)
        return code.hexdigest().encode("ascii")

    # --- writing --------------------------------------------------------------------------

    def _prepare(self, directory: str) -> None:
        """Make the cache directory (and `directory` in it) as private directories of ours,
        and put right a missing, emptied or altered `.gitignore`."""
        if "" not in self._prepared:
            make_private_dir(self.path, confined_to=self.root)
            self._repair_ignore()
            self._prepared.add("")
        if directory not in self._prepared:
            make_private_dir(self.path / directory, confined_to=self.root)
            self._prepared.add(directory)

    def _repair_ignore(self) -> None:
        try:
            with opened_directory(str(self.root), [self.name], os.getuid()) as dir_fd:
                current = read_regular(".gitignore", 4096, dir_fd=dir_fd, owner=os.getuid())
        except OSError:
            current = b""  # missing, or not a small regular file of ours: written below
        if current != IGNORE_TEXT.encode():
            # refuses a link (dangling or not) or a special file in its place
            write_text_atomically(self.path / ".gitignore", IGNORE_TEXT, confined_to=self.root)


# cache directories git was found not to track: asked once per process, not once per
# cache file kind (a --pre-commit run would otherwise spawn git three more times)
_UNTRACKED: set[tuple[str, int, int]] = set()


def _tracked(root: Path, name: str) -> bool:
    if repository_of(root) is None:
        return False
    try:
        return bool(git(root, "ls-files", "-z", "--", name).strip(b"\0"))
    except GitError:
        return False  # not a repository (or git is missing): there is nothing to track it


def _remove(dir_fd: int, name: str) -> None:
    info = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    if not stat.S_ISDIR(info.st_mode):
        os.unlink(name, dir_fd=dir_fd)  # a link itself, never its target
    elif shutil.rmtree.avoids_symlink_attacks:  # descends by descriptor, follows no link
        shutil.rmtree(name, ignore_errors=True, dir_fd=dir_fd)
