"""safe_write refuses every way a hostile tree could redirect a write, and writes otherwise."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from techfile.util.safe_write import (
    UnsafeWriteError,
    make_private_dir,
    write_bytes_atomically,
    write_text_atomically,
)


def _names(directory: Path) -> list[str]:
    return sorted(os.listdir(directory))


def test_writes_a_new_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    write_text_atomically(tmp_path / "report.txt", "hello\r\nworld\n")
    assert (tmp_path / "report.txt").read_bytes() == b"hello\r\nworld\n"
    assert _names(tmp_path) == ["report.txt"]


def test_overwrites_an_existing_regular_file(tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    target.write_text("old and longer content", encoding="utf-8")
    target.chmod(0o600)
    write_text_atomically(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644  # nothing of the old file kept
    assert _names(tmp_path) == ["report.txt"]


def test_replacing_does_not_write_through_a_hard_link(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("precious", encoding="utf-8")
    (tmp_path / "tree").mkdir()
    os.link(outside, tmp_path / "tree" / "report.txt")
    write_text_atomically(tmp_path / "tree" / "report.txt", "new", confined_to=tmp_path / "tree")
    assert outside.read_text(encoding="utf-8") == "precious"
    assert (tmp_path / "tree" / "report.txt").read_text(encoding="utf-8") == "new"


def test_bytes_are_written_verbatim_with_the_requested_mode(tmp_path: Path) -> None:
    target = tmp_path / "data.bin"
    write_bytes_atomically(target, b"\x00\xff", mode=0o600)
    assert target.read_bytes() == b"\x00\xff"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_writes_inside_the_bound(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    write_text_atomically(tmp_path / "a" / "b" / "out.json", "{}", confined_to=tmp_path)
    assert (tmp_path / "a" / "b" / "out.json").read_text(encoding="utf-8") == "{}"
    assert _names(tmp_path / "a" / "b") == ["out.json"]


def test_bound_may_be_given_unresolved(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "alias").symlink_to(tmp_path / "real")
    # the bound itself is trusted even when it is reached through a link
    write_text_atomically(tmp_path / "real" / "x.txt", "x", confined_to=tmp_path / "alias")
    write_text_atomically(tmp_path / "alias" / "y.txt", "y", confined_to=tmp_path / "alias")
    assert _names(tmp_path / "real") == ["x.txt", "y.txt"]


def test_refuses_a_symlink_target_and_leaves_the_linked_file_alone(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    link = tmp_path / "report.txt"
    link.symlink_to(victim)
    with pytest.raises(UnsafeWriteError, match="symbolic link") as refused:
        write_text_atomically(link, "overwritten")
    assert str(link) in str(refused.value)
    assert victim.read_text(encoding="utf-8") == "precious"
    assert link.is_symlink()
    assert _names(tmp_path) == ["report.txt", "victim.txt"]


def test_refuses_a_symlink_target_inside_the_bound(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    (tmp_path / "tree").mkdir()
    (tmp_path / "tree" / "report.txt").symlink_to(victim)
    with pytest.raises(UnsafeWriteError, match="symbolic link"):
        write_text_atomically(tmp_path / "tree" / "report.txt", "x", confined_to=tmp_path / "tree")
    assert victim.read_text(encoding="utf-8") == "precious"


def test_refuses_a_dangling_symlink(tmp_path: Path) -> None:
    link = tmp_path / "report.txt"
    link.symlink_to(tmp_path / "does-not-exist")
    with pytest.raises(UnsafeWriteError, match="symbolic link"):
        write_text_atomically(link, "x")
    assert not (tmp_path / "does-not-exist").exists()
    assert _names(tmp_path) == ["report.txt"]


def test_refuses_a_symlinked_directory_under_the_bound(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    tree = tmp_path / "tree"
    (tree / "reports").mkdir(parents=True)
    (tree / "reports" / "out").symlink_to(elsewhere)
    with pytest.raises(UnsafeWriteError, match="'out' is a symbolic link"):
        write_text_atomically(tree / "reports" / "out" / "x.txt", "x", confined_to=tree)
    assert _names(elsewhere) == []


def test_refuses_a_path_climbing_out_of_the_bound(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    tree.mkdir()
    with pytest.raises(UnsafeWriteError, match="outside"):
        write_text_atomically(tree / ".." / "escaped.txt", "x", confined_to=tree)
    with pytest.raises(UnsafeWriteError, match="outside"):
        write_text_atomically(tmp_path / "sibling.txt", "x", confined_to=tree)
    assert _names(tmp_path) == ["tree"]


def test_refuses_a_fifo_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "report.txt"
    os.mkfifo(fifo)
    with pytest.raises(UnsafeWriteError, match="FIFO"):
        write_text_atomically(fifo, "x")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert _names(tmp_path) == ["report.txt"]


def test_refuses_a_directory_target(tmp_path: Path) -> None:
    (tmp_path / "report.txt").mkdir()
    with pytest.raises(UnsafeWriteError, match="directory"):
        write_text_atomically(tmp_path / "report.txt", "x")


def test_refuses_a_character_device(tmp_path: Path) -> None:
    with pytest.raises(UnsafeWriteError, match="character device"):
        write_text_atomically(Path("/dev/null"), "x")


def test_refusal_is_an_os_error_on_one_line(tmp_path: Path) -> None:
    link = tmp_path / "evil\n\x1b[31mname"
    link.symlink_to(tmp_path / "nowhere")
    with pytest.raises(OSError) as refused:
        write_text_atomically(link, "x")
    message = str(refused.value)
    assert isinstance(refused.value, UnsafeWriteError)
    assert "\n" not in message and "\x1b" not in message
    assert message.startswith("refusing to write ")


def test_missing_parent_is_an_ordinary_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_text_atomically(tmp_path / "missing" / "x.txt", "x", confined_to=tmp_path)


def test_makes_a_private_directory(tmp_path: Path) -> None:
    made = make_private_dir(tmp_path / "cache", confined_to=tmp_path)
    info = made.lstat()
    assert stat.S_ISDIR(info.st_mode) and stat.S_IMODE(info.st_mode) == 0o700
    assert info.st_uid == os.getuid()


def test_reusing_a_directory_narrows_it_to_private(tmp_path: Path) -> None:
    (tmp_path / "cache").mkdir(mode=0o777)
    (tmp_path / "cache").chmod(0o777)
    make_private_dir(tmp_path / "cache")
    assert stat.S_IMODE((tmp_path / "cache").lstat().st_mode) == 0o700


def test_private_dir_refuses_a_symlink(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o755)
    (tmp_path / "cache").symlink_to(elsewhere)
    with pytest.raises(UnsafeWriteError, match="symbolic link"):
        make_private_dir(tmp_path / "cache")
    assert stat.S_IMODE(elsewhere.stat().st_mode) == 0o755


def test_private_dir_refuses_a_symlinked_parent_under_the_bound(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "build").symlink_to(elsewhere)
    with pytest.raises(UnsafeWriteError, match="'build' is a symbolic link"):
        make_private_dir(tree / "build" / "cache", confined_to=tree)
    assert _names(elsewhere) == []


def test_private_dir_refuses_a_file(tmp_path: Path) -> None:
    (tmp_path / "cache").write_text("", encoding="utf-8")
    with pytest.raises(UnsafeWriteError, match="regular file, not a directory"):
        make_private_dir(tmp_path / "cache")


@pytest.mark.skipif(os.geteuid() != 0, reason="handing a directory to another uid needs root")
def test_private_dir_refuses_a_directory_of_another_user(tmp_path: Path) -> None:
    (tmp_path / "cache").mkdir()
    os.chown(tmp_path / "cache", 4321, 4321)
    with pytest.raises(UnsafeWriteError, match="owned by uid 4321"):
        make_private_dir(tmp_path / "cache")


@pytest.mark.skipif(os.geteuid() != 0, reason="handing a directory to another uid needs root")
def test_private_dir_refuses_a_parent_of_another_user_under_the_bound(tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir()
    os.chown(tmp_path / "shared", 4321, 4321)
    with pytest.raises(UnsafeWriteError, match="'shared' is owned by uid 4321"):
        make_private_dir(tmp_path / "shared" / "cache", confined_to=tmp_path)
    assert _names(tmp_path / "shared") == []
