"""Two revisions compiled at once, rules split over two processes (``schemacheck.forked``):
the same answers as one process, whatever goes wrong in the child.

The helper is exercised in fresh interpreters (pytest-xdist workers run threads, where it
rightly refuses to fork), and the whole check through the real CLI on a real repository.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from gitrepo import GitRepo

SRC = str(Path(__file__).resolve().parent.parent / "src")

pytestmark = pytest.mark.skipif(not hasattr(os, "fork") or sys.platform == "darwin", reason="forks on Linux only")


def _python(code: str, new_session: bool = False, **env: str) -> str:
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": SRC, **env}, start_new_session=new_session)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def test_the_child_half_runs_in_another_process_and_comes_back() -> None:
    out = _python("""
        import os
        from schemacheck import forked
        parent = os.getpid()
        theirs, mine = forked.both(lambda: (os.getpid(), [1, 2, 3]), lambda: os.getpid(), "demo")
        print(theirs[0] != parent, theirs[1], mine == parent, forked.summary())
    """)
    assert out == "True [1, 2, 3] True parallel: demo: two processes"


@pytest.mark.parametrize("failure", ["raise", "kill", "unpicklable"])
def test_a_child_that_fails_has_its_half_computed_again_here(failure: str) -> None:
    out = _python(f"""
        import os, signal, threading
        from schemacheck import forked
        parent = os.getpid()
        def half():
            if os.getpid() != parent:
                if {failure!r} == "raise":
                    raise RuntimeError("only in the child")
                if {failure!r} == "kill":
                    os.kill(os.getpid(), signal.SIGKILL)
                return threading.Lock()  # cannot be pickled
            return "computed here"
        theirs, mine = forked.both(half, lambda: "mine", "demo")
        print(theirs, mine, os.waitpid(-1, os.WNOHANG) if False else "", forked.USED[-1][1])
    """)
    assert out.startswith("computed here mine"), out
    assert out.endswith("two processes; the child's half failed and was computed again here"), out


def test_an_error_of_the_childs_half_is_raised_here_as_without_a_child() -> None:
    out = _python("""
        from schemacheck import forked
        from schemacheck.errors import ParseError
        def half():
            raise ParseError("a.proto", 3, 7, "expected ';'")
        try:
            forked.both(half, lambda: None)
        except ParseError as exc:
            print(exc.path, exc.line, exc.column, exc.detail)
    """)
    assert out == "a.proto 3 7 expected ';'"


def test_no_fork_when_switched_off_or_when_threads_run() -> None:
    code = """
        import os, threading, time
        from schemacheck import forked
        if os.environ.get("THREAD"):
            threading.Thread(target=time.sleep, args=(2,), daemon=True).start()
        theirs, _ = forked.both(os.getpid, lambda: None, "demo")
        print(theirs == os.getpid(), forked.USED[-1][1])
    """
    assert _python(code, SCHEMACHECK_PARALLEL="0") == "True one process (SCHEMACHECK_PARALLEL=0)"
    assert _python(code, THREAD="1") == "True one process (other threads are running)"


def test_the_persistent_cat_file_is_never_shared_with_a_forked_child(tmp_path: Path) -> None:
    """Both processes read many blobs through the same repository object at the same time;
    a shared ``git cat-file`` pipe would mix their answers (or hang)."""
    repo = GitRepo(tmp_path / "repo")
    for i in range(200):
        repo.write(f"f{i:03}.txt", f"file {i}\n" * (i + 1))
    repo.commit("files")
    out = _python(f"""
        from schemacheck import forked
        from schemacheck.git_repo import GitRepository
        from schemacheck.git_snapshots import CommitSnapshot
        repo = GitRepository({str(repo.root)!r})
        snap = CommitSnapshot(repo, repo.resolve("HEAD"))
        first = snap.read("f000.txt")  # the parent's cat-file is running before the fork
        def read(order):
            return all(CommitSnapshot(repo, repo.resolve("HEAD")).read(f"f{{i:03}}.txt") == f"file {{i}}\\n".encode() * (i + 1)
                       for i in order)
        ok_child, ok_here = forked.both(lambda: read(range(200)), lambda: read(reversed(range(200))))
        print(ok_child, ok_here, snap.read("f199.txt") == b"file 199\\n" * 200, forked.USED[-1][1])
        repo.close()
    """)
    assert out == "True True True two processes", out


def test_two_processes_writing_the_disk_cache_keep_each_others_entries(tmp_path: Path) -> None:
    from schemacheck.diskcache import DiskCache

    first, second = DiskCache(tmp_path / "c", max_bytes=1 << 20), DiskCache(tmp_path / "c", max_bytes=1 << 20)
    # both read the index and the pack list before either writes (a compile looks up first)
    assert first.indexed("a" * 40) is None and second.indexed("b" * 40) is None
    assert first.get("k0" * 20, "a" * 40) is None and second.get("k0" * 20, "b" * 40) is None
    first.batch = second.batch = True
    first.put("k1" * 20, b"one", "a" * 40)
    second.put("k2" * 20, b"two", "b" * 40)
    first.add_indexed("a" * 40, ("x.proto",))
    second.add_indexed("b" * 40, ("y.proto",))
    first.close()
    second.close()
    again = DiskCache(tmp_path / "c", max_bytes=1 << 20)
    assert again.indexed("a" * 40) == ("x.proto",) and again.indexed("b" * 40) == ("y.proto",)
    assert again.get("k1" * 20, "a" * 40) == b"one" and again.get("k2" * 20, "b" * 40) == b"two"


def _tree(repo: GitRepo, files: int, changed: bool) -> None:
    for i in range(files):
        fields = "\n".join(f"  string f{j} = {j + 1};" for j in range(36))
        renamed = changed and i % 7 == 0
        body = fields.replace("f3 ", "f3_renamed ") if renamed else fields
        extra = "\n  int32 added = 40;" if changed else ""
        imports = f'import "pkg{(i - 1) // 10}/m{i - 1}.proto";\n' if i % 10 else ""
        use = f"\n  shop.pkg{(i - 1) // 10}.M{i - 1} prev = 41;" if i % 10 else ""
        repo.write(f"proto/pkg{i // 10}/m{i}.proto",
                   f'syntax = "proto3";\npackage shop.pkg{i // 10};\n{imports}'
                   f"message M{i} {{\n{body}{extra}{use}\n}}\nenum E{i} {{\n  E{i}_ZERO = 0;\n}}\n")
    if changed:  # a head file that does not compile, and one that becomes empty
        repo.write("proto/pkg0/m5.proto", 'syntax = "proto3";\nmessage Broken {\n  string a = 1\n}\n')
        repo.write("proto/pkg0/m6.proto", "")


def test_a_large_change_gives_the_same_report_in_two_processes_as_in_one(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "repo")
    repo.write("buf.yaml", "version: v2\nmodules:\n  - path: proto\n")
    _tree(repo, 120, changed=False)
    repo.commit("base")
    _tree(repo, 120, changed=True)
    repo.commit("head")
    env = {**os.environ, "PYTHONPATH": SRC, "NO_COLOR": "1", "SCHEMACHECK_NO_CACHE": "1"}
    runs = {}
    for parallel in ("1", "0"):
        proc = subprocess.run([sys.executable, "-m", "schemacheck", "--base", "HEAD~1", "--head", "HEAD",
                               "--format", "json", "--verbose"], cwd=repo.root, capture_output=True, text=True,
                              timeout=300, env={**env, "SCHEMACHECK_PARALLEL": parallel})
        runs[parallel] = proc
    two, one = runs["1"], runs["0"]
    assert "protobuf compile (base | head): two processes" in two.stderr, two.stderr
    assert "protobuf rules (files split): two processes" in two.stderr, two.stderr
    assert "protobuf rules: one process (SCHEMACHECK_PARALLEL=0)" in one.stderr, one.stderr
    assert two.returncode == one.returncode == 2  # the broken head file is an input error
    assert two.stdout == one.stdout
    report = json.loads(two.stdout)
    rules = {f["rule_id"] for f in report["findings"]}
    assert {"FIELD_SAME_NAME", "FIELD_NO_DELETE"} & rules, rules
    assert len(report["findings"]) >= 17  # one rename in every seventh file, at least


def test_an_interrupted_parent_kills_and_reaps_its_child(tmp_path: Path) -> None:
    """^C while the child works: the parent kills it, waits for it, then stops as interrupted."""
    out = _python("""
        import os, signal, threading, time
        from schemacheck import forked
        # as in a terminal: a test runner's worker may hand down SIGINT ignored, and Python
        # then installs no KeyboardInterrupt handler
        signal.signal(signal.SIGINT, signal.default_int_handler)
        parent = os.getpid()
        def half():
            if os.getpid() != parent:
                with open(os.environ["CHILD_PID"], "w") as f:
                    f.write(str(os.getpid()))
                time.sleep(60)
            return 1
        def mine():
            while not os.path.exists(os.environ["CHILD_PID"]):
                time.sleep(0.01)
            os.killpg(os.getpgid(0), signal.SIGINT)  # as a terminal's ^C: the whole group
            time.sleep(60)
        started = time.time()
        try:
            forked.both(half, mine)
        except KeyboardInterrupt:
            child = int(open(os.environ["CHILD_PID"]).read())
            try:
                os.waitpid(child, os.WNOHANG)
                print("not reaped")
            except ChildProcessError:
                print("reaped", time.time() - started < 10)
    """, new_session=True, CHILD_PID=str(tmp_path / "child.pid"))
    assert out == "reaped True", out


def test_a_child_does_not_outlive_a_killed_parent(tmp_path: Path) -> None:
    """SIGKILL of the parent (a cancelled CI job): the child is killed too (Linux), instead of
    finishing its half for nobody."""
    if not sys.platform.startswith("linux"):
        pytest.skip("PR_SET_PDEATHSIG is Linux's")
    marker = tmp_path / "child.pid"
    code = textwrap.dedent(f"""
        import os, time
        from schemacheck import forked
        parent = os.getpid()
        def half():
            if os.getpid() != parent:
                open({str(marker)!r}, "w").write(str(os.getpid()))
                time.sleep(60)
            return 1
        forked.both(half, lambda: time.sleep(60))
    """)
    proc = subprocess.Popen([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": SRC})
    try:
        import time

        deadline = time.time() + 30
        while not marker.exists() or not marker.read_text():
            assert time.time() < deadline and proc.poll() is None
            time.sleep(0.02)
        child = int(marker.read_text())
        proc.kill()
        proc.wait()
        for _ in range(200):
            try:
                with open(f"/proc/{child}/stat") as f:
                    state = f.read().rsplit(")", 1)[1].split()[0]
            except FileNotFoundError:
                break
            if state == "Z":  # dead, waiting for init to reap it
                break
            time.sleep(0.02)
        else:
            pytest.fail(f"the child {child} still runs after its parent was killed")
    finally:
        if proc.poll() is None:
            proc.kill()


def _proto2_tree(repo: GitRepo, changed: bool) -> None:
    """90 proto2 files with extensions: field pairs come in two passes (message fields, then
    extensions), the order the merged halves must keep."""
    for i in range(90):
        fields = "\n".join(f"  optional {'int64' if changed and j % 5 == 0 else 'string'} "
                           f"f{j}{'_x' if changed and j % 7 == 0 else ''} = {j + 1};"
                           for j in range(20) if not (changed and j == 3))
        ext = "\n".join(f"  optional {'int32' if changed else 'string'} e{i}_{k} = {100 + k};" for k in range(3))
        values = f"  E{i}_A = 0;\n" + ("" if changed else f"  E{i}_B = 1;\n")
        repo.write(f"proto/p{i // 10}/f{i}.proto",
                   f'syntax = "proto2";\npackage p{i // 10};\nmessage M{i} {{\n{fields}\n  extensions 100 to 200;\n}}\n'
                   f"extend M{i} {{\n{ext}\n}}\nenum E{i} {{\n{values}}}\n")


def test_the_rules_halves_come_back_in_the_one_process_order(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "repo")
    _proto2_tree(repo, changed=False)
    repo.commit("base")
    _proto2_tree(repo, changed=True)
    repo.commit("head")
    script = """
        import contextlib, io, os, pickle, sys
        import schemacheck.compat.protobuf.checker as checker
        from schemacheck import cli, forked
        real = checker.run_rules
        def spy(*args, **kwargs):
            found = real(*args, **kwargs)
            sys.stderr.write(repr([(f.rule_id, f.message, f.location, f.base_location) for f in found]) + "\\n")
            sys.stderr.write(repr(forked.USED) + "\\n")
            return found
        checker.run_rules = spy
        with contextlib.redirect_stdout(io.StringIO()):
            cli.main(["--base", "HEAD~1", "--head", "HEAD"])
    """
    runs = {}
    for parallel in ("1", "0"):
        proc = subprocess.run([sys.executable, "-c", textwrap.dedent(script)], cwd=repo.root, capture_output=True,
                              text=True, timeout=300, env={**os.environ, "PYTHONPATH": SRC, "SCHEMACHECK_NO_CACHE": "1",
                                                           "SCHEMACHECK_PARALLEL": parallel})
        runs[parallel] = proc.stderr.splitlines()
    assert "protobuf rules (files split)', 'two processes'" in runs["1"][1], runs["1"][1]
    assert runs["1"][0] == runs["0"][0]
    assert runs["1"][0].count("FIELD_SAME_TYPE") > 100 and "FIELD_NO_DELETE" in runs["1"][0]
