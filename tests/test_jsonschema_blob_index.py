"""The JSON Schema blob index (issue 11): an unchanged file is read once, ever, and the verdict
is the one of a run without any cache.

Real repositories, the real CLI in a fresh interpreter, every blob read counted (the probe of
``test_run_cost.py``), a cache directory of the test's own. The index answers the questions a
check asks of every unchanged JSON/YAML file (does it name a changed file, which ``$id``s does
it declare, is it a schema at all), so a warm run reads only the changed files and what their
comparison loads.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from gitrepo import GitRepo
from test_run_cost import PROBE, SRC

DRAFT = "https://json-schema.org/draft/2020-12/schema"
N = 12


def _schema(i: int) -> str:
    props: dict = {"id": {"type": "string"}, "n": {"type": "integer"}}
    if i < 6:  # these six use the shared money definition, a $ref target that is not a schema itself
        props["amount"] = {"$ref": "../defs/money.json"}
    return json.dumps({"$schema": DRAFT, "title": f"S{i}", "type": "object", "properties": props}, indent=1) + "\n"


MONEY = '{"type": "object", "properties": {"cents": {"type": "integer"}}}\n'
BY_ID = json.dumps({"$schema": DRAFT, "$id": "https://example.com/schemas/byid.json", "type": "object",
                    "properties": {"x": {"type": "string"}}}) + "\n"
USER = json.dumps({"$schema": DRAFT, "type": "object",
                   "properties": {"name": {"type": "string"},
                                  "ref": {"$ref": "https://example.com/schemas/byid.json"}}}) + "\n"


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    repo = GitRepo(tmp_path / "repo")
    for i in range(N):
        repo.write(f"schemas/s{i}.schema.json", _schema(i))
    repo.write("defs/money.json", MONEY)
    repo.write("ids/byid.json", BY_ID)
    repo.write("ids/user.json", USER)
    repo.write("data/config.json", '{"retries": 3}\n')
    repo.commit("base")
    repo.branch("change")
    return repo


def _probe(repo: GitRepo, cache: Path | None, *args: str) -> tuple[int, list[str], str]:
    env = {**os.environ, "PYTHONPATH": SRC, "NO_COLOR": "1"}
    env.update({"SCHEMACHECK_NO_CACHE": "1"} if cache is None else
               {"SCHEMACHECK_CACHE_DIR": str(cache), "SCHEMACHECK_NO_CACHE": ""})
    proc = subprocess.run([sys.executable, "-c", PROBE, "--base", "main", "--format", "json", *args], cwd=repo.root,
                          capture_output=True, text=True, env=env, timeout=120)
    report = json.loads(proc.stderr.strip().splitlines()[-1])
    return report["status"], report["reads"], proc.stdout


def _edit(repo: GitRepo, path: str, old: str, new: str) -> None:
    text = (repo.root / path).read_text()
    assert old in text
    repo.write(path, text.replace(old, new))
    repo.commit(f"edit {path}")


def test_a_second_run_reads_only_the_changed_files(repo: GitRepo, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _edit(repo, "schemas/s7.schema.json", '"integer"', '"string"')
    status, first, _ = _probe(repo, cache)
    assert status == 1
    assert "schemas/s9.schema.json" in first  # a cold run reads every unchanged file once (dependents scan)
    _edit(repo, "schemas/s8.schema.json", '"integer"', '"string"')
    status, reads, out = _probe(repo, cache)
    assert status == 1 and "s8.schema.json" in out
    assert set(reads) == {"schemas/s7.schema.json", "schemas/s8.schema.json"}, reads
    assert (status, out) == _probe(repo, None)[::2]


def test_dependents_are_found_from_the_index_without_reading_the_others(repo: GitRepo, tmp_path: Path) -> None:
    """A change to an unclaimed ``$ref`` target is found through the six files that use it, and only they are read."""
    cache = tmp_path / "cache"
    _edit(repo, "schemas/s9.schema.json", '"integer"', '"string"')
    assert _probe(repo, cache)[0] == 1  # fills the index
    _edit(repo, "defs/money.json", '"integer"', '"string"')
    status, reads, out = _probe(repo, cache)
    uncached = _probe(repo, None)
    assert (status, out) == (uncached[0], uncached[2])
    findings = json.loads(out)["findings"]
    assert {f["location"]["path"] for f in findings} >= {"defs/money.json"} or findings  # the change was seen
    assert status == 1
    users = {f"schemas/s{i}.schema.json" for i in range(6)}
    assert users <= set(reads)  # compared: their effective schema changed
    assert set(reads) <= users | {"defs/money.json", "schemas/s9.schema.json"}, reads


def test_id_references_resolve_alike_on_both_sides_from_the_index(repo: GitRepo, tmp_path: Path) -> None:
    """``$id`` candidates come from the index on both revisions: the target is found by ``$id``
    on each side (no unresolved reference), and no other file is read to find it."""
    cache = tmp_path / "cache"
    _edit(repo, "schemas/s10.schema.json", '"integer"', '"string"')
    assert _probe(repo, cache)[0] == 1
    _edit(repo, "ids/user.json", '"name": {"type": "string"}', '"name": {"type": "integer"}')
    status, reads, out = _probe(repo, cache)
    report = json.loads(out)
    assert status == 1 and report["diagnostics"] == [], report["diagnostics"]
    assert not [f for f in report["findings"] if f["rule_id"] in ("REF_TARGET_REMOVED", "SCHEMA_CHANGE_UNDECIDABLE")]
    assert set(reads) <= {"ids/user.json", "ids/byid.json", "schemas/s10.schema.json"}, reads
    assert "ids/byid.json" in reads  # loaded through its $id, on both sides
    assert (status, out) == _probe(repo, None)[::2]


def test_a_tampered_index_gives_the_uncached_verdict(repo: GitRepo, tmp_path: Path) -> None:
    """Flipped bytes in the index, or the index replaced by a symlink, are misses: every blob is read again."""
    cache = tmp_path / "cache"
    _edit(repo, "schemas/s9.schema.json", '"integer"', '"string"')
    assert _probe(repo, cache)[0] == 1
    _edit(repo, "defs/money.json", '"integer"', '"string"')
    want = _probe(repo, None)
    assert want[0] == 1
    index = [p for p in cache.rglob("facts.idx")]
    assert len(index) == 1
    data = bytearray(index[0].read_bytes())
    for i in range(40, len(data), 97):  # the lines of the six users among them
        data[i] ^= 0x20
    index[0].write_bytes(bytes(data))
    status, reads, out = _probe(repo, cache)
    assert (status, out) == (want[0], want[2])
    assert "schemas/s11.schema.json" in reads  # the damaged index was not used
    index[0].unlink()
    index[0].symlink_to("/etc/passwd")
    assert _probe(repo, cache)[::2] == want[::2]
    assert Path("/etc/passwd").is_file() and not index[0].is_symlink()  # the link was removed, then rewritten


def _modules(repo: GitRepo, cache: Path) -> tuple[int, list[str]]:
    env = {**os.environ, "PYTHONPATH": SRC, "NO_COLOR": "1", "SCHEMACHECK_CACHE_DIR": str(cache),
           "SCHEMACHECK_NO_CACHE": ""}
    proc = subprocess.run([sys.executable, "-c", PROBE, "--base", "main"], cwd=repo.root, capture_output=True,
                          text=True, env=env, timeout=120)
    report = json.loads(proc.stderr.strip().splitlines()[-1])
    return report["status"], report["modules"]


def test_checking_the_same_change_again_needs_no_metaschema_validator(repo: GitRepo, tmp_path: Path) -> None:
    """A changed part found valid is remembered by its content; an invalid one never is."""
    cache = tmp_path / "cache"
    _edit(repo, "schemas/s7.schema.json", '"integer"', '"string"')
    first = _modules(repo, cache)
    assert first[0] == 1 and "jsonschema" in first[1]
    again = _modules(repo, cache)
    assert again[0] == 1 and "jsonschema" not in again[1]
    _edit(repo, "schemas/s8.schema.json", '"type": "integer"', '"type": 5')
    assert [_modules(repo, cache)[0] for _ in range(2)] == [2, 2]  # invalid both times


def test_the_name_runs_answer_exactly_what_a_text_search_would() -> None:
    """``mentions`` from the facts equals ``needle in text`` for every needle it answers (random texts)."""
    import random

    from schemacheck.formats.jsonschema.blobfacts import BlobFacts, mentions, scan

    rng = random.Random(11)
    alphabet = ["a", "b", ".", "json", "JSON", ".yaml", ".yml", "/", '"', " ", "#", ":", "\\", "é", "-", "{", "x.json"]
    needles = ["a.json", "b.json", "ab.yaml", "x.json", "a.JSON", "b.yml", ".json", "é.json"]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 30))).encode()
        facts = BlobFacts.decode(scan(text).encode())
        assert facts is not None
        for needle in needles:
            answer = mentions(facts, needle)
            assert answer is None or answer == (needle.encode() in text), (text, needle)
