"""File operations below a cache directory that never follow a link and never block.

Maintainers: the disk caches (:mod:`.diskcache`) live in a directory other programs, or a
careless ``ln -s``, can write to; it must never become a way to read, hang on or delete
something outside it. Everything here works on directory descriptors: a directory is opened
relative to its parent with ``O_NOFOLLOW | O_DIRECTORY`` and must belong to this user and be
writable by nobody else; a file is ``lstat``-ed, opened with ``O_NOFOLLOW | O_NONBLOCK`` and
``fstat``-ed before a byte is read; deletion is ``unlink(dir_fd=…)``, which removes a link,
never its target. Only the configured base directory itself is opened as given.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path

__all__ = ["open_dir", "open_regular", "read_regular", "create_temporary", "write_atomic", "unlink_quiet", "regular_files", "Untrusted"]

_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | _CLOEXEC
_READ_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | _CLOEXEC
_WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | _CLOEXEC


class Untrusted(OSError):
    """A cache directory that is not a plain directory of this user that only they can write."""


def _check_dir(fd: int) -> None:
    st = os.fstat(fd)
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.geteuid() or st.st_mode & 0o022:
        raise Untrusted(errno.EPERM, "cache directory not owned by this user, or writable by others")


def open_dir(base: Path, parts: tuple[str, ...], create: bool) -> int:
    """A descriptor of ``base/<parts>``; no component of ``parts`` may be a symlink.

    Raises:
        FileNotFoundError: A component does not exist (and ``create`` is false).
        OSError: A component is a symlink or not a directory, or is not trusted (:class:`Untrusted`).
    """
    if create:
        base.mkdir(parents=True, exist_ok=True)
    fd = os.open(base, os.O_RDONLY | os.O_DIRECTORY | _CLOEXEC)  # as configured, links allowed
    try:
        for name in parts:
            if create:
                try:
                    os.mkdir(name, 0o700, dir_fd=fd)
                except FileExistsError:
                    pass
            child = os.open(name, _DIR_FLAGS, dir_fd=fd)
            os.close(fd)
            fd = child
            _check_dir(fd)
    except BaseException:
        os.close(fd)
        raise
    return fd


def open_regular(dir_fd: int, name: str, limit: int) -> int | None:
    """A read descriptor of ``name`` in ``dir_fd`` if it is a regular file of this user of at most
    ``limit`` bytes (``lstat`` first, ``O_NOFOLLOW | O_NONBLOCK``, the same inode after ``fstat``).

    Anything else (a symlink, FIFO, device, directory, another user's or an oversized file) is
    deleted, never opened, and gives None; so does a file replaced between the two calls.
    """
    try:
        before = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(before.st_mode) or before.st_uid != os.geteuid() or before.st_size > limit:
        unlink_quiet(dir_fd, name)
        return None
    try:
        fd = os.open(name, _READ_FLAGS, dir_fd=dir_fd)
    except OSError as exc:
        if isinstance(exc, FileNotFoundError) or exc.errno in (errno.ELOOP, errno.ENXIO, errno.EACCES):
            return None  # replaced between the two calls, or unreadable: a miss
        raise
    try:
        st = os.fstat(fd)
    except OSError:
        os.close(fd)
        raise
    if (st.st_ino, st.st_dev) != (before.st_ino, before.st_dev) or not stat.S_ISREG(st.st_mode) \
            or st.st_size > limit:
        os.close(fd)
        return None
    return fd


def read_regular(dir_fd: int, name: str, limit: int) -> bytes | None:
    """The bytes of ``name`` in ``dir_fd`` if :func:`open_regular` accepts it, else None; so is a
    file that grew while it is read."""
    fd = open_regular(dir_fd, name, limit)
    if fd is None:
        return None
    try:
        size = os.fstat(fd).st_size
        chunks, left = [], size + 1  # one byte more shows a file that grew meanwhile
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
        return data if len(data) <= size else None
    finally:
        os.close(fd)


def create_temporary(dir_fd: int, stem: str = "") -> tuple[int, str]:
    """A new private file in ``dir_fd`` (never through a link), open for writing, and its name."""
    tmp = f".tmp-{os.getpid()}-{stem or secrets.token_hex(6)}"
    return os.open(tmp, _WRITE_FLAGS, 0o600, dir_fd=dir_fd), tmp


def write_atomic(dir_fd: int, name: str, data: bytes) -> None:
    """Write ``data`` to a new temporary file in ``dir_fd`` and rename it to ``name`` (atomic)."""
    fd, tmp = create_temporary(dir_fd)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
    except BaseException:
        unlink_quiet(dir_fd, tmp)
        raise


def unlink_quiet(dir_fd: int, name: str) -> None:
    """Delete ``name`` (a link itself, never its target); errors are ignored."""
    try:
        os.unlink(name, dir_fd=dir_fd)
    except OSError:
        pass


def regular_files(base: Path, top: tuple[str, ...]) -> Iterator[tuple[str, str, os.stat_result]]:
    """(sub-directory, name, stat) of every regular file one level below ``base/<top>``.

    Sub-directories that are symlinks, or not trusted, are skipped, never entered.
    """
    top_fd = open_dir(base, top, create=False)
    try:
        subs = [e.name for e in os.scandir(top_fd) if e.is_dir(follow_symlinks=False)]
    finally:
        os.close(top_fd)
    for sub in subs:
        try:
            sub_fd = open_dir(base, (*top, sub), create=False)
        except OSError:
            continue
        try:
            for entry in os.scandir(sub_fd):
                st = entry.stat(follow_symlinks=False)
                if stat.S_ISREG(st.st_mode):
                    yield sub, entry.name, st
        finally:
            os.close(sub_fd)
