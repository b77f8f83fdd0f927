"""Nothing outside the repository (or the --against directories) is ever read.

Maintainers: every test puts a "secret" file outside the checked tree whose content, if it
were read, would show up in the output (a parse error quotes its first token) or change the
verdict, then points an import, a ``$ref``, a PATH argument or a directory entry at it in
each way a path can leave a root: absolute, ``..``, symbolic links (a git symlink blob, a
link in the work tree, a link in an --against directory) and names too long for the file
system. One choke point enforces it (``snapshot.unsafe_reason`` / ``read_inside``); these
tests go through the real CLI.

Exactly three read-only exceptions exist, all for protobuf imports that no import root holds
(``formats/protobuf/external.py``): buf's module cache entry of a dependency at the commit
``buf.lock`` pins, ``.proto`` files that installed Python packages list in their metadata, and
absolute ``extra-import-roots`` the user configured. Each is looked up by import name only, and
no symlink inside them is followed; the last section below shows that input (import names,
buf.lock, buf's module.yaml, a relative extra root) cannot steer a read anywhere else.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from gitrepo import GitRepo

SECRET = "TOPSECRET_TOKEN_42"
PROTO = 'syntax = "proto3";\npackage shop.v1;\n{imports}message Order {{\n  int64 total_amount = 1;\n}}\n'
SCHEMA = '{{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", "properties": {{"price": {{"$ref": "{ref}"}}, "id": {{"type": "string"}}}}}}\n'
LONG = "a" * 300


def run_cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in GitRepo.env().items() if not k.startswith(("PRE_COMMIT", "FORCE_COLOR"))}
    env["NO_COLOR"] = "1"
    return subprocess.run([sys.executable, "-m", "schemacheck", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=30)


def assert_not_read(proc: subprocess.CompletedProcess[str]) -> None:
    out = proc.stdout + proc.stderr
    assert SECRET not in out, out
    assert "Traceback" not in out and "internal error" not in out, out


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A directory outside every tree under test, holding files whose content gives them away."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.proto").write_text(f"{SECRET} = 1;\n")
    (outside / "secret.json").write_text(f'{{"{SECRET}": [}}\n')
    return outside


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    r = GitRepo(tmp_path / "repo")
    r.write("api/order.proto", PROTO.format(imports=""))
    r.write("schemas/order.json", SCHEMA.format(ref="money.json"))
    r.write("schemas/money.json", '{"type": "integer"}\n')
    r.commit("v1")
    return r


def _import_names(secret: Path) -> dict[str, str]:
    return {"absolute": str(secret / "secret.proto"), "dotdot": "../../outside/secret.proto",
            "inner-dotdot": "api/../../outside/secret.proto", "long": f"{LONG}.proto",
            "long-path": "/".join(["d" * 200] * 30) + ".proto"}


# -- protobuf imports ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["absolute", "dotdot", "inner-dotdot", "long", "long-path"])
def test_proto_import_never_leaves_the_repository(repo: GitRepo, secret: Path, kind: str) -> None:
    name = _import_names(secret)[kind]
    repo.write("api/order.proto", PROTO.format(imports=f'import "{name}";\n'))
    proc = run_cli(repo.root)
    assert_not_read(proc)
    assert proc.returncode == 2
    assert "api/order.proto:3:1:" in proc.stdout  # the import statement is the culprit


@pytest.mark.parametrize("where", ["git-symlink", "work-tree-symlink", "linked-directory"])
def test_proto_import_of_a_symlink_is_never_followed(repo: GitRepo, secret: Path, where: str) -> None:
    if where == "linked-directory":  # a tracked directory replaced by a link to the outside
        (secret / "order.proto").write_text(f"{SECRET} = 1;\n")
        os.rename(repo.root / "api", repo.root / "api.moved")
        (repo.root / "api").symlink_to(secret, target_is_directory=True)
    else:
        (repo.root / "api" / "link.proto").symlink_to(secret / "secret.proto")
        if where == "git-symlink":
            repo.commit("a symlink blob (mode 120000)")
        repo.write("api/order.proto", PROTO.format(imports='import "api/link.proto";\n'))
    proc = run_cli(repo.root)
    assert_not_read(proc)
    if where != "linked-directory":  # never read: the import counts as missing, named in the one warning
        assert proc.returncode == 0 and "api/order.proto:3:1:" in proc.stdout and '"api/link.proto"' in proc.stdout


# -- JSON Schema $ref ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["absolute", "dotdot", "file-uri", "long"])
def test_json_ref_never_leaves_the_repository(repo: GitRepo, secret: Path, kind: str) -> None:
    ref = {"absolute": str(secret / "secret.json"), "dotdot": "../../outside/secret.json",
           "file-uri": (secret / "secret.json").as_uri(), "long": f"{LONG}.json"}[kind]
    repo.write("schemas/order.json", SCHEMA.format(ref=ref))
    proc = run_cli(repo.root)
    assert_not_read(proc)
    assert "schemas/order.json:1:" in proc.stdout  # the $ref is the culprit, with its position


@pytest.mark.parametrize("where", ["git-symlink", "work-tree-symlink"])
def test_json_ref_to_a_symlink_is_never_followed(repo: GitRepo, secret: Path, where: str) -> None:
    (repo.root / "schemas" / "link.json").symlink_to(secret / "secret.json")
    if where == "git-symlink":
        repo.commit("a symlink blob (mode 120000)")
    repo.write("schemas/order.json", SCHEMA.format(ref="link.json"))
    proc = run_cli(repo.root)
    assert_not_read(proc)
    assert proc.returncode == 2 and "schemas/order.json:1:" in proc.stdout


# -- PATH arguments ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["absolute", "dotdot", "symlink", "long"])
def test_path_argument_never_leaves_the_repository(repo: GitRepo, secret: Path, kind: str) -> None:
    if kind == "symlink":
        (repo.root / "api" / "link.proto").symlink_to(secret / "secret.proto")
    arg = {"absolute": str(secret / "secret.proto"), "dotdot": "../outside/secret.proto",
           "symlink": "api/link.proto", "long": f"api/{LONG}.proto"}[kind]
    proc = run_cli(repo.root, arg)
    assert_not_read(proc)
    assert proc.returncode == 2 and proc.stderr.startswith("schemacheck: error: ")


# -- --against directories -----------------------------------------------------------------------


@pytest.fixture
def dirs(tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "old", tmp_path / "new"
    for side in (old, new):
        side.mkdir()
        (side / "order.proto").write_text(PROTO.format(imports=""))
        (side / "order.json").write_text(SCHEMA.format(ref="money.json"))
        (side / "money.json").write_text('{"type": "integer"}\n')
    return old, new


@pytest.mark.parametrize("side", ["old", "new"])
@pytest.mark.parametrize("entry", ["outside-link", "dangling-link", "fifo"])
def test_against_directory_with_unreadable_schema_entry_is_a_clear_error(dirs: tuple[Path, Path], secret: Path,
                                                                        side: str, entry: str) -> None:
    root = dirs[0] if side == "old" else dirs[1]
    target = root / "extra.proto"
    if entry == "outside-link":
        target.symlink_to(secret / "secret.proto")
    elif entry == "dangling-link":
        target.symlink_to(root / "nowhere.proto")
    else:
        os.mkfifo(target)
    proc = run_cli(dirs[0].parent, "new", "--against", "old")
    assert_not_read(proc)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stderr.startswith(f"schemacheck: error: {side}/extra.proto ")


def test_against_directory_follows_a_link_that_stays_inside(dirs: tuple[Path, Path]) -> None:
    old, new = dirs
    (new / "real").mkdir()
    (new / "real" / "order.json").write_text(SCHEMA.format(ref="../money.json").replace('"string"', '"integer"'))
    (new / "order.json").unlink()
    (new / "order.json").symlink_to(new / "real" / "order.json")
    proc = run_cli(old.parent, "new", "--against", "old", "--format", "json")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "order.json" in {f["location"]["path"] for f in json.loads(proc.stdout)["findings"]}


@pytest.mark.parametrize("kind", ["absolute", "dotdot", "long"])
def test_against_directory_imports_and_refs_never_leave_it(dirs: tuple[Path, Path], secret: Path, kind: str) -> None:
    old, new = dirs
    name = _import_names(secret)[kind]
    (new / "order.proto").write_text(PROTO.format(imports=f'import "{name}";\n'))
    ref = {"absolute": str(secret / "secret.json"), "dotdot": "../outside/secret.json", "long": f"{LONG}.json"}[kind]
    (new / "order.json").write_text(SCHEMA.format(ref=ref))
    proc = run_cli(old.parent, "new", "--against", "old")
    assert_not_read(proc)
    assert proc.returncode == 2
    assert "order.proto:3:1:" in proc.stdout and "order.json:1:" in proc.stdout


@pytest.mark.parametrize("path, safe", [
    ("api/order.proto", True), ("a/./b.json", True), ("x:y.proto", True),
    ("/etc/passwd", False), ("\\\\server\\share", False), ("C:/x.proto", False), ("../x", False),
    ("a/../../x", False), ("a/..", False), ("", False), ("a\0b", False), (LONG, False), ("/".join(["d"] * 3000), False),
])
def test_unsafe_reason_is_the_one_rule(path: str, safe: bool) -> None:
    from schemacheck.snapshot import unsafe_reason

    assert (unsafe_reason(path) is None) is safe


# -- the named exceptions: buf's module cache, installed packages, configured roots ----------------
# Imports that no root holds are looked up, read-only, in buf's module cache at the commit buf.lock
# pins, in .proto files installed Python packages list, and in absolute extra-import-roots. Nothing
# else: no name from input leaves those directories, and no symlink inside them is followed out.

COMMIT = "61b203b9a9164be9a834f58c37be6f62"
BUF_YAML = "version: v2\ndeps:\n  - buf.build/acme/deps\n"


def _buf_lock(name: str = "buf.build/acme/deps", commit: str = COMMIT) -> str:
    return f"version: v2\ndeps:\n  - name: {name}\n    commit: {commit}\n    digest: b5:{'ab' * 64}\n"


def _cache_entry(cache: Path, files_dir: str = "files") -> Path:
    entry = cache / "v3" / "modules" / "b5" / "buf.build" / "acme" / "deps" / COMMIT
    entry.mkdir(parents=True)
    (entry / "module.yaml").write_text(f"version: v1\nfiles_dir: {files_dir}\n")
    return entry


def _run_with_cache(repo: GitRepo, cache: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in GitRepo.env().items() if not k.startswith(("PRE_COMMIT", "FORCE_COLOR"))}
    env.update(NO_COLOR="1", BUF_CACHE_DIR=str(cache))
    return subprocess.run([sys.executable, "-m", "schemacheck"], cwd=repo.root, env=env, capture_output=True,
                          text=True, timeout=60)


def _import_dep(repo: GitRepo, name: str = "acme/deps/secret.proto", lock: str | None = None) -> None:
    repo.write("buf.yaml", BUF_YAML)
    repo.write("buf.lock", lock or _buf_lock())
    repo.write("schemacheck.toml", "[tool.schemacheck.protobuf]\npackage-protos = false\n")
    repo.commit("buf workspace")
    repo.write("api/order.proto", PROTO.format(imports=f'import "{name}";\n'))


@pytest.mark.parametrize("link", ["file", "directory", "files-dir"])
def test_buf_cache_symlinks_are_never_followed_out(repo: GitRepo, secret: Path, tmp_path: Path, link: str) -> None:
    cache = tmp_path / "cache"
    entry = _cache_entry(cache)
    (secret / "acme" / "deps").mkdir(parents=True)
    (secret / "acme" / "deps" / "secret.proto").write_text(f"{SECRET} = 1;\n")
    if link == "file":
        (entry / "files" / "acme" / "deps").mkdir(parents=True)
        (entry / "files" / "acme" / "deps" / "secret.proto").symlink_to(secret / "secret.proto")
    elif link == "directory":
        (entry / "files" / "acme").mkdir(parents=True)
        (entry / "files" / "acme" / "deps").symlink_to(secret / "acme" / "deps", target_is_directory=True)
    else:
        (entry / "files").symlink_to(secret, target_is_directory=True)
    _import_dep(repo)
    proc = _run_with_cache(repo, cache)
    assert_not_read(proc)
    assert proc.returncode == 0 and '"acme/deps/secret.proto"' in proc.stdout  # missing: the one warning


@pytest.mark.parametrize("bad", ["name", "commit", "files_dir"])
def test_buf_lock_and_module_yaml_cannot_steer_reads_out_of_the_cache(repo: GitRepo, secret: Path, tmp_path: Path,
                                                                     bad: str) -> None:
    cache = tmp_path / "cache"
    (secret / "acme" / "deps").mkdir(parents=True)
    (secret / "acme" / "deps" / "secret.proto").write_text(f"{SECRET} = 1;\n")
    lock = None
    if bad == "name":  # a naive join of registry/owner/name would land in the secret directory
        lock = _buf_lock(name="../../../../../outside/x")
    elif bad == "commit":
        lock = _buf_lock(commit="../../../../../../../outside")
    else:
        _cache_entry(cache, files_dir="../../../../../../../../outside")
    _import_dep(repo, lock=lock)
    proc = _run_with_cache(repo, cache)
    assert_not_read(proc)
    assert proc.returncode == 0 and '"acme/deps/secret.proto"' in proc.stdout


def test_buf_cache_is_read_at_its_pinned_entry_only(repo: GitRepo, tmp_path: Path) -> None:
    """The positive case: the same layout without links is read (so the refusals above are real)."""
    cache = tmp_path / "cache"
    entry = _cache_entry(cache)
    (entry / "files" / "acme" / "deps").mkdir(parents=True)
    (entry / "files" / "acme" / "deps" / "secret.proto").write_text(f"{SECRET} = 1;\n")
    _import_dep(repo)
    proc = _run_with_cache(repo, cache)
    assert proc.returncode == 2 and SECRET in proc.stdout  # read, and its parse error quotes it


@pytest.mark.parametrize("kind", ["absolute", "dotdot"])
def test_imports_found_nowhere_read_nothing_outside(repo: GitRepo, secret: Path, tmp_path: Path, kind: str) -> None:
    """With every source on (buf cache, installed packages), an import no source holds is only named."""
    cache = tmp_path / "cache"
    (secret / "acme").mkdir()
    (secret / "acme" / "secret.proto").write_text(f"{SECRET} = 1;\n")
    repo.write("api/order.proto", PROTO.format(imports='import "acme/secret.proto";\nimport "outside/secret.proto";\n'))
    env_cache = secret if kind == "absolute" else cache  # even a cache pointing at the secret needs buf.lock pins
    proc = _run_with_cache(repo, env_cache)
    assert_not_read(proc)
    assert proc.returncode == 0 and '"acme/secret.proto"' in proc.stdout


def test_extra_import_roots_relative_must_stay_inside(repo: GitRepo, secret: Path) -> None:
    (secret / "acme").mkdir()
    (secret / "acme" / "secret.proto").write_text(f"{SECRET} = 1;\n")
    repo.write("schemacheck.toml", '[tool.schemacheck.protobuf]\nextra-import-roots = ["../outside"]\n')
    repo.write("api/order.proto", PROTO.format(imports='import "acme/secret.proto";\n'))
    proc = run_cli(repo.root)
    assert_not_read(proc)
    assert proc.returncode == 2 and proc.stderr.startswith("schemacheck: error: protobuf.extra-import-roots")
