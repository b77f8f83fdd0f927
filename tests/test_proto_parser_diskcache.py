"""The on-disk compile cache: warm runs give the same bytes, bad entries are ignored, the
size is bounded, and it can be turned off or kept out of the work tree."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from schemacheck import diskcache
from schemacheck.diskcache import DiskCache
from schemacheck.formats.protobuf.compiler import clear_cache, compile_with_python
from schemacheck.formats.protobuf.diskcache import open_cache
from schemacheck.snapshot import DirectorySnapshot

FILES = {
    "a.proto": 'syntax = "proto3";\npackage p;\nimport "b.proto";\nimport "opt.proto";\n'
               'message A { B b = 1 [(p.tag) = "x"]; }\n',
    "b.proto": 'syntax = "proto3";\npackage p;\nimport "c.proto";\nmessage B { C c = 1; }\n',
    "c.proto": 'syntax = "proto3";\npackage p;\nmessage C { int32 x = 1; }\n',
    "opt.proto": 'syntax = "proto3";\npackage p;\nimport "google/protobuf/descriptor.proto";\n'
                 'extend google.protobuf.FieldOptions { string tag = 50001; }\n',
}


@pytest.fixture()
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv("SCHEMACHECK_CACHE_DIR", str(directory))
    monkeypatch.delenv("SCHEMACHECK_NO_CACHE", raising=False)
    monkeypatch.setattr(diskcache, "_OPENED", {})
    return directory


def _tree(root: Path) -> DirectorySnapshot:
    root.mkdir(exist_ok=True)
    for name, text in FILES.items():
        (root / name).write_text(text)
    return DirectorySnapshot(root)


def _entries(directory: Path) -> list[Path]:
    return [p for p in directory.rglob("*") if p.is_file() and not p.name.startswith(".tmp-")]


def _compile(snap: DirectorySnapshot) -> bytes:
    clear_cache()  # a new process: only the disk remembers
    result = compile_with_python(snap, ["a.proto"])
    assert not result.errors, result.errors
    # descriptor.proto is linked only to interpret the option, which a warm run skips
    assert {"a.proto", "b.proto", "opt.proto"} <= set(result.files) and "c.proto" not in result.files
    return result.files["a.proto"].descriptor.SerializeToString(deterministic=True)


def test_warm_run_reads_the_disk_and_gives_the_same_bytes(tmp_path: Path, cache_dir: Path) -> None:
    snap = _tree(tmp_path / "repo")
    cold = _compile(snap)
    written = _entries(cache_dir)
    assert written, "nothing was cached"
    stamps = {p: p.stat().st_mtime_ns for p in written}
    warm = _compile(snap)
    assert warm == cold
    assert {p: p.stat().st_mtime_ns for p in _entries(cache_dir)} == stamps  # all hits, nothing rewritten


def test_corrupt_entries_are_ignored_and_replaced(tmp_path: Path, cache_dir: Path) -> None:
    snap = _tree(tmp_path / "repo")
    cold = _compile(snap)
    for path in _entries(cache_dir):
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2] + b"\x00garbage")
    assert _compile(snap) == cold
    assert _compile(snap) == cold


def test_no_cache_writes_nothing(tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCHEMACHECK_NO_CACHE", "1")
    _compile(_tree(tmp_path / "repo"))
    assert not cache_dir.exists()
    assert open_cache() is None


def test_never_inside_the_work_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    monkeypatch.chdir(repo)
    monkeypatch.setattr(diskcache, "_OPENED", {})
    monkeypatch.setenv("SCHEMACHECK_CACHE_DIR", str(repo / ".cache"))
    assert open_cache() is None
    monkeypatch.setenv("SCHEMACHECK_CACHE_DIR", str(tmp_path / "elsewhere"))
    assert open_cache() is not None


def test_size_is_bounded_oldest_first(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path / "c", max_bytes=10_000)
    for i in range(30):
        cache.put(f"{i:02d}" + "k" * 38, bytes(1000))
        path = cache._path(f"{i:02d}" + "k" * 38)
        os.utime(path, ns=(i * 10**9, i * 10**9))
    cache.close()
    left = sorted(p.name[:2] for p in _entries(tmp_path / "c"))
    assert sum(p.stat().st_size for p in _entries(tmp_path / "c")) <= 10_000 * 3 // 4
    assert left == [f"{i:02d}" for i in range(30 - len(left), 30)]  # the newest survive


def test_unwritable_directory_turns_the_cache_off(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    cache = DiskCache(blocker / "sub", max_bytes=10_000)
    cache.put("ab" * 20, b"value")
    assert not cache.enabled and cache.get("ab" * 20) is None


def _stamps(directory: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in _entries(directory)}


def test_large_runs_write_one_pack_and_read_it_back(tmp_path: Path, cache_dir: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Many targets: one pack file and its index instead of a file per entry (issue 11: every
    file changed made a cold cache slower than none); a warm run reads every entry from it."""
    monkeypatch.setattr(diskcache, "PACK_TARGETS", 1)
    from schemacheck.formats.protobuf import compiler

    monkeypatch.setattr(compiler, "PACK_TARGETS", 1)
    snap = _tree(tmp_path / "repo")
    targets = ["a.proto", "c.proto"]
    clear_cache()
    cold = compile_with_python(snap, targets)
    assert not cold.errors
    names = sorted(p.relative_to(p.parent.parent).as_posix() for p in _entries(cache_dir))
    assert [n for n in names if not n.startswith("pk/")] == ["im/imports.idx", "pa/packs.idx"]
    assert len([n for n in names if n.startswith("pk/")]) == 1
    stamps = _stamps(cache_dir)
    clear_cache()
    warm = compile_with_python(snap, targets)
    assert {n: f.descriptor.SerializeToString() for n, f in warm.files.items() if n in ("a.proto", "c.proto")} == \
        {n: f.descriptor.SerializeToString() for n, f in cold.files.items() if n in ("a.proto", "c.proto")}
    assert _stamps(cache_dir) == stamps  # all hits: nothing written


@pytest.mark.parametrize("damage", ["flip", "truncate", "index", "outside", "fifo", "symlink"])
def test_a_damaged_pack_is_a_miss(tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                  damage: str) -> None:
    from schemacheck.formats.protobuf import compiler

    monkeypatch.setattr(compiler, "PACK_TARGETS", 1)
    snap = _tree(tmp_path / "repo")
    clear_cache()
    want = compile_with_python(snap, ["a.proto", "c.proto"]).files["a.proto"].descriptor.SerializeToString()
    pack = next(p for p in _entries(cache_dir) if p.parent.name == "pk")
    secret = tmp_path / "secret"
    secret.write_bytes(pack.read_bytes())
    if damage == "flip":
        data = bytearray(pack.read_bytes())
        for i in range(0, len(data), 97):
            data[i] ^= 0x20
        pack.write_bytes(bytes(data))
    elif damage == "truncate":
        pack.write_bytes(pack.read_bytes()[: pack.stat().st_size // 3])
    elif damage == "index":
        index = next(p for p in _entries(cache_dir) if p.name == "packs.idx")
        index.write_bytes(b"\n".join(line.replace(b"\t0\t", b"\t7\t") + b"\tx" if i % 2 else line[:-3] + b"999"
                                     for i, line in enumerate(index.read_bytes().split(b"\n"))))
    elif damage == "outside":  # the index names a path out of the cache: never opened nor deleted
        index = next(p for p in _entries(cache_dir) if p.name == "packs.idx")
        os.mkfifo(cache_dir / "victim")
        body = diskcache._check(index.read_bytes(), "packs.idx", "")
        assert body is not None and pack.name.encode() in body
        # forged with a good checksum: whoever can write the cache can do that much
        index.write_bytes(diskcache._entry("packs.idx", "", body.replace(pack.name.encode(), b"../../victim")))
    elif damage == "fifo":
        pack.unlink()
        os.mkfifo(pack)
    else:
        pack.unlink()
        pack.symlink_to(secret)  # a valid pack, but outside: never read through the link
    clear_cache()
    again = compile_with_python(snap, ["a.proto", "c.proto"])  # no hang on the FIFO
    assert not again.errors and again.files["a.proto"].descriptor.SerializeToString() == want
    assert secret.is_file() and not pack.is_symlink()
    if damage == "outside":
        assert (cache_dir / "victim").exists()


def test_other_versions_unused_for_a_week_are_removed(tmp_path: Path) -> None:
    stale, recent = tmp_path / "proto-0000stale", tmp_path / "proto-0000recent"
    for folder in (stale, recent):
        (folder / "ab").mkdir(parents=True)
        (folder / "ab" / "entry").write_bytes(b"x")
    os.utime(stale, (1, 1))
    cache = DiskCache(tmp_path / "proto-current", max_bytes=10_000)
    cache.put("cd" * 20, b"value")
    cache.close()
    assert not stale.exists() and recent.exists() and cache.get("cd" * 20) == b"value"


# -- the cache is never a way in (issue 7): nothing outside it is read, followed or deleted ----
def test_eviction_never_follows_a_symlinked_directory(tmp_path: Path) -> None:
    outside = tmp_path / "precious"
    outside.mkdir()
    for i in range(5):
        (outside / f"keep{i}").write_bytes(bytes(5000))
    cache = DiskCache(tmp_path / "c", max_bytes=10_000)
    cache.put("ab" + "k" * 38, bytes(100))
    (tmp_path / "c" / "zz").symlink_to(outside, target_is_directory=True)
    for i in range(20):
        cache.put(f"{i:02d}" + "k" * 38, bytes(1000))
    cache.close()
    assert sorted(p.name for p in outside.iterdir()) == [f"keep{i}" for i in range(5)]
    assert (tmp_path / "c" / "zz").is_symlink()


def test_eviction_never_follows_a_symlinked_version_directory(tmp_path: Path) -> None:
    outside = tmp_path / "precious"
    (outside / "ab").mkdir(parents=True)
    (outside / "ab" / "keep").write_bytes(b"x")
    os.utime(outside, (1, 1))
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "proto-0000old").symlink_to(outside, target_is_directory=True)
    cache = DiskCache(tmp_path / "cache" / "proto-current", max_bytes=10_000)
    cache.put("cd" * 20, b"value")
    cache.close()
    assert (outside / "ab" / "keep").read_bytes() == b"x"


def test_an_entry_is_never_read_through_a_symlink_fifo_or_when_oversized(tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_bytes(b"not yours")
    cache = DiskCache(tmp_path / "c", max_bytes=10_000)
    keys = ["ab" + c * 38 for c in "pqrs"]
    for key in keys:
        cache.put(key, b"value")
    link, fifo, big, subdir_link = (cache._path(k) for k in keys)
    link.unlink()
    link.symlink_to(secret)
    fifo.unlink()
    os.mkfifo(fifo)
    big.write_bytes(big.read_bytes() + bytes(20_000))  # larger than the whole cache may be
    opened: list[str] = []
    real_open = os.open

    def spy(path, *args, **kwargs):
        opened.append(os.fsdecode(path))
        return real_open(path, *args, **kwargs)

    import unittest.mock

    with unittest.mock.patch("os.open", spy):
        assert [cache.get(k) for k in keys[:3]] == [None, None, None]  # no hang on the FIFO
    assert all("secret" not in p for p in opened)
    assert secret.read_bytes() == b"not yours"
    assert cache.enabled and cache.get(keys[3]) == b"value"  # the good entry still reads


def test_an_entry_is_checked_against_the_key_and_blob_it_claims(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path / "c", max_bytes=100_000)
    one, two = "ab" + "1" * 38, "ab" + "2" * 38
    cache.put(one, b"first", blob="b" * 40)
    cache.put(two, b"second", blob="c" * 40)
    assert cache.get(one, blob="b" * 40) == b"first"
    assert cache.get(one, blob="d" * 40) is None  # recorded for another blob
    cache.put(one, b"first", blob="b" * 40)
    cache._path(one).write_bytes(cache._path(two).read_bytes())  # a valid entry of another key
    assert cache.get(one, blob="c" * 40) is None and cache.get(one, blob="b" * 40) is None


def test_a_directory_others_may_write_is_not_trusted(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path / "c", max_bytes=10_000)
    key = "ab" + "t" * 38
    cache.put(key, b"value")
    assert cache.get(key) == b"value"
    os.chmod(tmp_path / "c" / "ab", 0o777)
    assert cache.get(key) is None and not cache.enabled


def test_a_symlinked_sub_directory_is_replaced_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    cache = DiskCache(tmp_path / "c", max_bytes=100_000)
    key = "ab" + "u" * 38
    cache.put(key, b"value")
    shutil.rmtree(tmp_path / "c" / "ab")
    (tmp_path / "c" / "ab").symlink_to(outside, target_is_directory=True)
    assert cache.get(key) is None and cache.enabled  # a miss; the link is gone
    assert not (tmp_path / "c" / "ab").is_symlink()
    cache.put(key, b"value")
    assert cache.get(key) == b"value" and list(outside.iterdir()) == []
