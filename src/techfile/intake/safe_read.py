"""Read a file that a hostile tree may have replaced by a link, a FIFO or a device.

Files are opened without following a final symbolic link and without blocking (a FIFO opens
at once instead of waiting for a writer), then must prove by fstat to be regular files of a
bounded size before a byte is read. Directories below a trusted start are descended one
component at a time without following links, so no link anywhere on the way is followed.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager

FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
DIRECTORY_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
CHUNK = 1 << 20


class Refused(OSError):
    """The path is not a regular file (or directory) of the expected owner and size."""


@contextmanager
def opened_directory(start: str, parts: list[str], owner: int | None) -> Iterator[int]:
    """A descriptor of start/parts..., where `start` is trusted (it may be reached through
    links) and each part must be a real directory, owned by `owner` when one is given."""
    handle = os.open(start, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        for part in parts:
            child = os.open(part, DIRECTORY_FLAGS, dir_fd=handle)
            os.close(handle)
            handle = child
            if owner is not None and os.fstat(handle).st_uid != owner:
                raise Refused(f"{part!r} belongs to another user")
        yield handle
    finally:
        os.close(handle)


def read_regular(
    name: str, limit: int, *, dir_fd: int | None = None, owner: int | None, private: bool = False
) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, owned by `owner` when one is
    given, and with no permission for others when `private`; raises OSError (Refused for
    anything but such a file)."""
    handle = os.open(name, FILE_FLAGS, dir_fd=dir_fd)
    try:
        info = _regular(handle, limit, owner)
        if private and info.st_mode & 0o077:
            raise Refused("the file is open to other users")
        chunks = list(_chunks(handle, info.st_size))
    finally:
        os.close(handle)
    return b"".join(chunks)


def blob_key_of_regular(path: str, limit: int) -> str:
    """The git blob id of a regular file of at most `limit` bytes, read in chunks, so a large
    file costs no memory; raises OSError like read_regular."""
    handle = os.open(path, FILE_FLAGS)
    try:
        info = _regular(handle, limit, None)
        digest = hashlib.sha1(f"blob {info.st_size}\0".encode(), usedforsecurity=False)
        for chunk in _chunks(handle, info.st_size):
            digest.update(chunk)
    finally:
        os.close(handle)
    return digest.hexdigest()


def _regular(handle: int, limit: int, owner: int | None) -> os.stat_result:
    info = os.fstat(handle)
    if not stat.S_ISREG(info.st_mode):
        raise Refused("not a regular file")
    if owner is not None and info.st_uid != owner:
        raise Refused("the file belongs to another user")
    if info.st_size > limit:
        raise Refused(f"the file is larger than {limit} bytes")
    return info


def _chunks(handle: int, size: int) -> Iterator[bytes]:
    """Exactly `size` bytes; a file that grew or shrank while it was read is refused."""
    remaining = size
    while True:
        chunk = os.read(handle, min(CHUNK, remaining + 1))
        if not chunk:
            break
        remaining -= len(chunk)
        if remaining < 0:
            raise Refused("the file grew while it was read")
        yield chunk
    if remaining:
        raise Refused("the file shrank while it was read")
