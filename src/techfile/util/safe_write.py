"""Write files and make directories where a hostile checked-out tree cannot redirect them.

In CI the tree under the root comes from a pull request, so any name in it may be a planted
symbolic link, FIFO or device. Writing through such a name could overwrite a file elsewhere
or hang the run. Directories are therefore opened one component at a time with O_NOFOLLOW,
and all later work is done relative to the opened directory, so a link swapped in after a
check cannot redirect the write either. POSIX only.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

DEFAULT_FILE_MODE = 0o644
PRIVATE_DIR_MODE = 0o700

_DIRECTORY_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC
_TEMPORARY_PREFIX_CHARS = 32  # keeps temporary names under NAME_MAX for long target names


class UnsafeWriteError(OSError):
    """A write or directory creation was refused because the path could redirect it."""


def write_text_atomically(
    target: Path,
    text: str,
    *,
    confined_to: Path | None = None,
    encoding: str = "utf-8",
    mode: int = DEFAULT_FILE_MODE,
) -> None:
    """Replace `target` with `text`, encoded as given and with no newline translation."""
    write_bytes_atomically(target, text.encode(encoding), confined_to=confined_to, mode=mode)


def write_bytes_atomically(
    target: Path,
    data: bytes,
    *,
    confined_to: Path | None = None,
    mode: int = DEFAULT_FILE_MODE,
) -> None:
    """Replace `target` with `data`: readers see the old file or the new one, never a mix.

    Raises UnsafeWriteError if `target` is a symbolic link or exists as anything but a regular
    file, or, when `confined_to` is given, if it lies outside that directory or any directory
    between the two is a symbolic link. `confined_to` itself is trusted. Nothing of an
    existing file is preserved: the new file gets `mode` and the writer's ownership.
    """
    subject = f"write {_show(target)}"
    directory, name = _split(target, subject)
    opened_as, parts = _walk_plan(directory, confined_to, subject)
    with _directory_descriptor(opened_as, parts, subject, owner=None) as dir_fd:
        _refuse_unless_replaceable(dir_fd, name, subject)
        handle, temp_name = _create_temporary(dir_fd, opened_as.joinpath(*parts), name, subject)
        try:
            _fill(handle, data, mode)
            os.replace(temp_name, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp_name, dir_fd=dir_fd)
            raise
        os.fsync(dir_fd)  # makes the rename itself durable


def make_private_dir(path: Path, *, confined_to: Path | None = None) -> Path:
    """Create `path` (or reuse it) as a directory of ours with mode 0o700; returns `path`.

    Raises UnsafeWriteError if `path` is a symbolic link, not a directory, or owned by another
    user, or, when `confined_to` is given, if it lies outside that directory or any directory
    between the two is a symbolic link or owned by another user. The parent must exist.
    """
    subject = f"use directory {_show(path)}"
    parent, name = _split(path, subject)
    opened_as, parts = _walk_plan(parent, confined_to, subject)
    owner = os.getuid()
    bounded_owner = owner if confined_to is not None else None
    with _directory_descriptor(opened_as, parts, subject, owner=bounded_owner) as parent_fd:
        with contextlib.suppress(FileExistsError):
            os.mkdir(name, PRIVATE_DIR_MODE, dir_fd=parent_fd)
        own_fd = _open_child_directory(parent_fd, name, subject, owner=owner)
        try:
            # the umask may have narrowed a new directory; a reused one may be wider
            os.fchmod(own_fd, PRIVATE_DIR_MODE)
        finally:
            os.close(own_fd)
    return path


def _show(path: Path) -> str:
    """Quote a path on one line: names from the tree may hold newlines or escape sequences."""
    return repr(str(path))


def _refusal(subject: str, reason: str) -> UnsafeWriteError:
    return UnsafeWriteError(f"refusing to {subject}: {reason}")


def _split(path: Path, subject: str) -> tuple[Path, str]:
    if path.name in ("", ".", ".."):
        raise _refusal(subject, "the path does not end in a name")
    return path.parent, path.name


def _walk_plan(directory: Path, confined_to: Path | None, subject: str) -> tuple[Path, list[str]]:
    """Where to open the first directory, and which components to descend without following."""
    if confined_to is None:
        return directory, []
    absolute = directory.absolute()
    # the caller may spell the target from either the given or the resolved form of the bound
    for root in (confined_to.absolute(), confined_to.resolve()):
        try:
            parts = absolute.relative_to(root).parts
        except ValueError:
            continue
        if ".." in parts:
            break
        return root, list(parts)
    raise _refusal(subject, f"it is outside {_show(confined_to)}")


@contextlib.contextmanager
def _directory_descriptor(
    start: Path, parts: list[str], subject: str, *, owner: int | None
) -> Iterator[int]:
    dir_fd = os.open(start, _DIRECTORY_FLAGS)
    try:
        for part in parts:
            child_fd = _open_child_directory(dir_fd, part, subject, owner=owner)
            os.close(dir_fd)
            dir_fd = child_fd
        yield dir_fd
    finally:
        os.close(dir_fd)


def _open_child_directory(parent_fd: int, name: str, subject: str, *, owner: int | None) -> int:
    info = os.stat(name, dir_fd=parent_fd, follow_symlinks=False)
    if stat.S_ISLNK(info.st_mode):
        raise _refusal(subject, f"{name!r} is a symbolic link")
    if not stat.S_ISDIR(info.st_mode):
        raise _refusal(subject, f"{name!r} is a {_kind(info.st_mode)}, not a directory")
    try:
        child_fd = os.open(name, _DIRECTORY_FLAGS | os.O_NOFOLLOW, dir_fd=parent_fd)
    except OSError as error:
        if error.errno in (errno.ELOOP, errno.ENOTDIR):
            raise _refusal(subject, f"{name!r} was replaced while it was checked") from error
        raise
    found_owner = os.fstat(child_fd).st_uid
    if owner is not None and found_owner != owner:
        os.close(child_fd)
        raise _refusal(subject, f"{name!r} is owned by uid {found_owner}, not by uid {owner}")
    return child_fd


def _refuse_unless_replaceable(dir_fd: int, name: str, subject: str) -> None:
    try:
        info = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(info.st_mode):
        raise _refusal(subject, "it is a symbolic link")
    if not stat.S_ISREG(info.st_mode):
        raise _refusal(subject, f"it is a {_kind(info.st_mode)}, not a regular file")


def _create_temporary(dir_fd: int, directory: Path, name: str, subject: str) -> tuple[int, str]:
    """mkstemp works by path, so check the file it made is an entry of the directory we hold."""
    prefix = f".{name[:_TEMPORARY_PREFIX_CHARS]}."
    handle, temp_path = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=directory)
    temp_name = os.path.basename(temp_path)
    if _is_entry(handle, temp_name, dir_fd):
        return handle, temp_name
    os.close(handle)
    os.unlink(temp_path)
    raise _refusal(subject, "its directory was replaced while it was being written")


def _is_entry(handle: int, name: str, dir_fd: int) -> bool:
    try:
        entry = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        return False
    opened = os.fstat(handle)
    return (entry.st_dev, entry.st_ino) == (opened.st_dev, opened.st_ino)


def _fill(handle: int, data: bytes, mode: int) -> None:
    with os.fdopen(handle, "wb") as stream:
        stream.write(data)
        stream.flush()
        os.fchmod(stream.fileno(), mode)
        os.fsync(stream.fileno())


def _kind(mode: int) -> str:
    kinds = (
        (stat.S_ISDIR, "directory"),
        (stat.S_ISFIFO, "FIFO"),
        (stat.S_ISCHR, "character device"),
        (stat.S_ISBLK, "block device"),
        (stat.S_ISSOCK, "socket"),
        (stat.S_ISREG, "regular file"),
    )
    return next((label for test, label in kinds if test(mode)), "special file")
