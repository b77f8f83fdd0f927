"""The composite GitHub Action (``action.yml``), run step by step in real git repositories with
the GitHub environment variables set (tests/actionrun.py). Nothing touches the network: the
"remote" is a local bare repository, ``gh`` is a stand-in that records the command it was
given, and ``uses:`` steps (upload-sarif) are recorded with their inputs."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import pytest
from actionrun import evaluate, run_action, workflow_env
from gitrepo import GIT_ENV, GitRepo

from test_report_sarif import schema_errors
from tools import REPO_ROOT

ORDER = 'syntax = "proto3";\npackage shop.v1;\n\nmessage Order {\n  string id = 1;\n  int64 total = 2;\n}\n'
BROKEN = ORDER.replace("int64 total", "string total")
ADDED = ORDER.replace("}\n", "  string note = 3;\n}\n")


def _tool(path: Path, text: str) -> None:
    path.write_text(text)
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


@pytest.fixture
def setup(tmp_path: Path):
    """origin (bare) with main and a pull-request branch; the workspace is a depth-1 clone of the branch."""

    def make(change: str, history: int = 3, depth: int | None = 1):
        upstream = GitRepo(tmp_path / "upstream")
        upstream.write("proto/order.proto", ORDER)
        upstream.commit("v1")
        for n in range(history):  # main moves on after the branch forks
            upstream.write(f"docs/note{n}.md", f"{n}\n")
            upstream.commit(f"main {n}")
        upstream.run("checkout", "-q", "-b", "feature", "HEAD~%d" % history)
        upstream.write("proto/order.proto", change)
        upstream.commit("feature change")
        upstream.write("README.md", "more\n")
        upstream.commit("feature more")
        bare = tmp_path / "origin.git"
        upstream.run("clone", "-q", "--bare", str(upstream.root), str(bare))
        work = tmp_path / "work"
        clone = ["clone", "-q", "--branch", "feature", "--single-branch"]
        if depth:
            clone += [f"--depth={depth}"]
        GitRepo(tmp_path, init=False).run(*clone, f"file://{bare}", str(work))
        bin_dir = tmp_path / "bin"
        bin_dir.mkdir()
        log = tmp_path / "calls.log"
        # schemacheck: the real CLI, with each invocation logged; gh: records what it was asked to do
        _tool(bin_dir / "schemacheck", f'#!/bin/sh\necho "schemacheck $*" >> "{log}"\nexec "{sys.executable}" -m schemacheck "$@"\n')
        _tool(bin_dir / "gh", f'#!/bin/sh\necho "gh $*" >> "{log}"\n'
                              'case "$*" in *--paginate*) printf "%s" "$FAKE_EXISTING_COMMENT" ;; esac\n')
        event = tmp_path / "event.json"
        event.write_text(json.dumps({"pull_request": {"number": 7, "head": {"repo": {"full_name": "acme/shop"}}}}))
        env = workflow_env(tmp_path, work, REPO_ROOT, {
            **GIT_ENV, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "PYTHONPATH": str(REPO_ROOT / "src"),
            "GITHUB_BASE_REF": "main", "GITHUB_HEAD_REF": "feature", "GITHUB_EVENT_NAME": "pull_request",
            "GITHUB_EVENT_PATH": str(event), "GITHUB_REPOSITORY": "acme/shop", "GITHUB_SERVER_URL": "https://github.com",
        })
        github = {"base_ref": "main", "token": "t0ken", "event_name": "pull_request", "repository": "acme/shop",
                  "event": json.loads(event.read_text())}
        return work, env, github, log

    return make


def run(setup_result, uses_outcome=None, **inputs: str):
    work, env, github, log = setup_result
    result = run_action(REPO_ROOT / "action.yml", work, {"install": "false", **inputs}, github, env, uses_outcome)
    calls = log.read_text().splitlines() if log.exists() else []
    return result, calls


def test_breaking_pr_shallow_clone_one_run_every_output(setup) -> None:
    s = setup(BROKEN)
    work, env = s[0], s[1]
    result, calls = run(s, formats="sarif junit json")
    assert result.step("Fetch").outcome == "success", result.step("Fetch").stdout + result.step("Fetch").stderr
    assert [c for c in calls if c.startswith("schemacheck ")] == [calls[0]] and len(calls) == 1  # ONE run
    assert "--base origin/main --head HEAD" in calls[0]
    out = result.outputs["run"]
    assert out["exit-code"] == "1"
    sarif = json.loads((work / out["sarif"]).read_text())
    assert schema_errors(sarif) == [] and sarif["runs"][0]["results"][0]["ruleId"] == "FIELD_SAME_TYPE"
    assert (work / out["junit"]).read_text().startswith("<?xml")
    assert json.loads((work / out["json"]).read_text())["summary"]["failing"] == 1
    assert "FIELD_SAME_TYPE" in Path(env["GITHUB_STEP_SUMMARY"]).read_text()
    upload = result.step("Upload SARIF")
    assert upload.ran and upload.with_ == {"sarif_file": out["sarif"], "category": "schemacheck"}
    assert not result.step("Annotate").ran  # SARIF uploaded: no duplicate annotations
    assert not result.step("comment").ran
    final = result.step("Exit with")
    assert final.ran and final.returncode == 1


@pytest.mark.parametrize("why", ["fork", "upload failed"])
def test_annotations_when_sarif_is_not_uploaded(setup, why: str) -> None:
    s = setup(BROKEN)
    if why == "fork":
        s[2]["event"]["pull_request"]["head"]["repo"]["full_name"] = "someone/shop"
        result, _ = run(s)
        assert not result.step("Upload SARIF").ran
    else:
        result, _ = run(s, uses_outcome={"upload": "failure"})
        assert result.step("Upload SARIF").ran
    annotate = result.step("Annotate")
    assert annotate.ran and any(line.startswith("::error ") and "FIELD_SAME_TYPE" in line for line in annotate.stdout.splitlines())
    assert result.step("Exit with").returncode == 1


def test_clean_pr_exits_0_and_posts_no_new_comment(setup) -> None:
    s = setup(ADDED)
    result, calls = run(s, comment="true")
    assert result.outputs["run"]["exit-code"] == "0" and result.step("Exit with").returncode == 0
    gh = [c for c in calls if c.startswith("gh ")]
    assert len(gh) == 1 and "--paginate" in gh[0] and "repos/acme/shop/issues/7/comments" in gh[0]  # looked, posted nothing


@pytest.mark.parametrize("existing", ["", "4242"])
def test_one_pr_comment_is_posted_or_updated(setup, existing: str) -> None:
    s = setup(BROKEN)
    s[1]["FAKE_EXISTING_COMMENT"] = existing
    result, calls = run(s, comment="true")
    step = result.step("comment")
    assert step.outcome == "success", step.stdout + step.stderr
    gh = [c for c in calls if c.startswith("gh ")]
    if existing:
        assert gh[-1].startswith("gh api --method PATCH repos/acme/shop/issues/comments/4242 -F body=@")
    else:
        assert gh[-1].startswith("gh api --method POST repos/acme/shop/issues/7/comments -F body=@")
    body = (s[0] / gh[-1].split("body=@", 1)[1]).read_text()
    assert body.startswith("<!-- schemacheck:comment -->\n## :x: schemacheck:") and len(body) < 65_536
    assert "FIELD_SAME_TYPE" in body


def test_missing_history_says_which_fetch_depth(setup) -> None:
    s = setup(BROKEN)
    result, calls = run(s, fetch="false")
    fetch = result.step("Fetch")
    assert fetch.returncode == 2 and "fetch-depth: 0" in fetch.stdout and "origin/main" in fetch.stdout
    assert calls == [] and not result.step("Exit with").ran


def test_no_base_outside_a_pull_request(setup) -> None:
    s = setup(BROKEN)
    s[2]["base_ref"] = ""
    result, calls = run(s)
    fetch = result.step("Fetch")
    assert fetch.returncode == 2 and "base-ref" in fetch.stdout and calls == []


def test_paths_and_fail_on_reach_the_one_run(setup) -> None:
    s = setup(BROKEN)
    result, calls = run(s, paths="proto", **{"fail-on": "warning", "formats": "gitlab"})
    assert len(calls) == 1 and calls[0].endswith("-- proto") and "--fail-on warning" in calls[0]
    assert result.outputs["run"]["exit-code"] == "1"
    assert json.loads((s[0] / result.outputs["run"]["gitlab"]).read_text())[0]["check_name"] == "FIELD_SAME_TYPE"


def test_expression_subset() -> None:
    ctx = {"steps": {"a": {"outputs": {"x": "1"}, "outcome": "failure"}}, "inputs": {"c": "true"}}
    assert evaluate("always() && steps.a.outputs.x == '1' && steps.a.outcome != 'success'", ctx, False) is True
    assert evaluate("inputs.c == 'true' && steps.b.outputs.y != ''", ctx, True) is False


def test_text_format_file_has_no_colour_codes(setup) -> None:
    s = setup(BROKEN)
    result, _ = run(s, formats="text")
    text = (s[0] / result.outputs["run"]["text"]).read_text()
    assert "FIELD_SAME_TYPE" in text and "\x1b" not in text


def test_a_comment_that_cannot_be_posted_does_not_fail_a_clean_check(setup) -> None:
    s = setup(ADDED)
    s[1]["FAKE_EXISTING_COMMENT"] = "4242"
    gh = s[0].parent / "bin" / "gh"  # a fork's token: reading works, writing is refused
    _tool(gh, gh.read_text().replace('case "$*"', 'case "$*" in *--method*) echo "HTTP 403" >&2; exit 1 ;; esac\ncase "$*"', 1))
    result, calls = run(s, comment="true")
    assert any("--method PATCH" in c for c in calls)
    assert result.step("comment").outcome == "failure"
    assert result.step("Exit with").returncode == 0 and not result.failed


def _snippet(doc: str) -> str:
    """The "Without the action" run script of a doc (README.md, docs/usage.md)."""
    text = (REPO_ROOT / doc).read_text()
    block = text.split("- name: Breaking schema changes\n        run: |\n", 1)[1]
    lines = []
    for line in block.splitlines():
        if not line.startswith(" " * 10):
            break
        lines.append(line[10:])
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("doc", ["README.md", "docs/usage.md"])
def test_documented_workflow_snippet_keeps_the_exit_status(setup, doc: str, tmp_path: Path) -> None:
    import subprocess

    s = setup(BROKEN, depth=None)
    work, env = s[0], s[1]
    GitRepo(work, init=False).run("fetch", "-q", "origin", "main:refs/remotes/origin/main")  # fetch-depth: 0
    summary = Path(env["GITHUB_STEP_SUMMARY"])
    script = _snippet(doc)
    for base, expected in (("no-such-branch", 2), ("main", 1)):
        proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], cwd=work,
                              env={**env, "GITHUB_BASE_REF": base}, capture_output=True, text=True, timeout=120)
        assert proc.returncode == expected, proc.stdout + proc.stderr
    assert "FIELD_SAME_TYPE" in summary.read_text()
    assert "::error " in proc.stdout  # the annotations were printed
