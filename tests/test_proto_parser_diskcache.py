"""The on-disk compile cache: warm runs give the same bytes, bad entries are ignored, the
size is bounded, and it can be turned off or kept out of the work tree."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from schemacheck.formats.protobuf import diskcache
from schemacheck.formats.protobuf.compiler import clear_cache, compile_with_python
from schemacheck.formats.protobuf.diskcache import DiskCache, open_cache
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


def test_large_runs_only_read(tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from schemacheck.formats.protobuf import compiler

    monkeypatch.setattr(compiler, "WRITE_BUDGET", 1)
    monkeypatch.setattr(diskcache, "WRITE_BUDGET", 1)
    snap = _tree(tmp_path / "repo")
    clear_cache()
    assert not compile_with_python(snap, ["a.proto", "c.proto"]).errors  # two targets > budget: no entries
    assert [p.name for p in _entries(cache_dir)] == ["imports.idx"]
    _compile(snap)  # one target: within budget, writes (one entry, the budget)
    assert len(_entries(cache_dir)) == 2


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
