"""The per-user secret that authenticates techfile's cache files.

In CI the checked-out tree is written by whoever opened the pull request, so nothing in it
can vouch for a cache file; a key kept outside every repository can. It is the file `secret`
in `$TECHFILE_CACHE_SECRET_DIR`, else `$XDG_CACHE_HOME/techfile`, else `~/.cache/techfile`:
32 random bytes as hex, mode 0600, in a 0700 directory of the user's, made on first use.
A secret that is a link, not a regular file, another user's, open to other users or inside
the repository being checked is refused, as is a directory for it that is a link or open to
other users, and the run then neither reads nor writes a cache.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from techfile.intake.safe_read import Refused, opened_directory, read_regular

SECRET_DIR_VARIABLE = "TECHFILE_CACHE_SECRET_DIR"
SECRET_NAME = "secret"
SECRET_BYTES = 32
_FILE_SIZE = 2 * SECRET_BYTES + 1  # hex and a newline
_CREATE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


def secret_directory() -> Path | None:
    override = os.environ.get(SECRET_DIR_VARIABLE)
    if override:
        return Path(override).absolute()
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):  # the XDG spec: a relative value is to be ignored
        return Path(xdg) / "techfile"
    try:
        return Path.home() / ".cache" / "techfile"
    except RuntimeError:  # no home directory to be found
        return None


def load_secret(root: Path) -> bytes | None:
    """The secret, made on first use; None when it is missing and cannot be made, or is
    refused (see the module's docstring)."""
    directory = secret_directory()
    if directory is None or _inside(directory, repository_of(root) or root.resolve()):
        return None
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        # an existing directory is never re-permissioned (the variable may name /tmp)
        with opened_directory(str(directory.parent), [directory.name], os.getuid()) as dir_fd:
            _refuse_unless_private(dir_fd)
            secret = _read(dir_fd)
            if secret is None:
                _create(dir_fd)
                secret = _read(dir_fd)
    except (OSError, ValueError):
        return None
    return secret


def repository_of(root: Path) -> Path | None:
    """The top of the git work tree holding `root`, found without running git."""
    resolved = root.resolve()
    for candidate in (resolved, *resolved.parents):
        if os.path.lexists(candidate / ".git"):
            return candidate
    return None


def _inside(directory: Path, repository: Path) -> bool:
    return directory.resolve().is_relative_to(repository)


def _refuse_unless_private(dir_fd: int) -> None:
    info = os.fstat(dir_fd)
    if info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise Refused("the secret's directory is not private to this user")


def _read(dir_fd: int) -> bytes | None:
    try:
        data = read_regular(SECRET_NAME, _FILE_SIZE, dir_fd=dir_fd, owner=os.getuid(), private=True)
    except FileNotFoundError:
        return None
    secret = bytes.fromhex(data.decode("ascii").strip())
    if len(secret) != SECRET_BYTES:
        raise Refused("the secret has the wrong length")
    return secret


def _create(dir_fd: int) -> None:
    """Write a new secret under a temporary name and link it into place: a run that starts
    at the same time either wins the link or reads the winner's whole file."""
    temporary = f".{SECRET_NAME}-{os.getpid()}-{secrets.token_hex(8)}"
    handle = os.open(temporary, _CREATE_FLAGS, 0o600, dir_fd=dir_fd)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(f"{secrets.token_hex(SECRET_BYTES)}\n".encode("ascii"))
            out.flush()
            os.fsync(out.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(temporary, SECRET_NAME, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
    finally:
        os.unlink(temporary, dir_fd=dir_fd)
