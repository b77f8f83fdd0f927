"""Run a composite GitHub Action's steps locally, the way the runner does, for tests.

Maintainers: the steps of ``action.yml`` are executed for real: each ``run:`` script with
``bash --noprofile --norc -eo pipefail`` (the runner's ``shell: bash``), in the workspace,
with the ``GITHUB_*`` variables and a fresh ``GITHUB_OUTPUT`` file per step whose lines become
``steps.<id>.outputs``. ``${{ }}`` expressions and ``if:`` conditions are evaluated with the
small subset of GitHub's expression language the action uses (contexts, string literals,
``==``, ``!=``, ``&&``, ``||``, ``!``, ``always()``, ``success()``, ``failure()``; a missing
value is ``''``, as GitHub compares null with a string). ``uses:`` steps cannot run here: they
are recorded with their evaluated ``with:`` and given the outcome the test chooses.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

__all__ = ["ActionRun", "StepResult", "run_action", "evaluate", "workflow_env"]

_TOKEN = re.compile(r"\s*(?:(?P<str>'[^']*')|(?P<op>==|!=|&&|\|\||!|\(|\))|"
                    r"(?P<func>always\(\)|success\(\)|failure\(\))|(?P<ref>[A-Za-z_][\w.-]*))")
_EXPR = re.compile(r"\$\{\{(.*?)\}\}")


@dataclass
class StepResult:
    name: str
    ran: bool
    outcome: str = "skipped"  # success, failure or skipped (GitHub's steps.<id>.outcome)
    returncode: int | None = None
    stdout: str = ""
    stderr: str = ""
    with_: dict[str, str] = field(default_factory=dict)
    continue_on_error: bool = False  # a failure of this step does not fail the job


@dataclass
class ActionRun:
    steps: list[StepResult]
    outputs: dict[str, dict[str, str]]

    def step(self, name_part: str) -> StepResult:
        return next(s for s in self.steps if name_part in s.name)

    @property
    def failed(self) -> bool:
        return any(s.outcome == "failure" and s.returncode is not None and not s.continue_on_error for s in self.steps)


def _lookup(context: dict[str, Any], ref: str) -> Any:
    value: Any = context
    for part in ref.split("."):
        if not isinstance(value, dict) or part not in value:
            return ""
        value = value[part]
    return value


def evaluate(expression: str, context: dict[str, Any], status_ok: bool) -> Any:
    """Evaluate one expression (without ``${{ }}``) in ``context``."""
    python, pos, text = [], 0, expression.strip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            raise ValueError(f"cannot evaluate {expression!r} at {text[pos:]!r}")
        pos = match.end()
        if match["str"] is not None:
            python.append(repr(match["str"][1:-1]))
        elif match["op"]:
            python.append({"==": "==", "!=": "!=", "&&": " and ", "||": " or ", "!": " not ", "(": "(", ")": ")"}[match["op"]])
        elif match["func"]:
            python.append({"always()": "True", "success()": repr(status_ok), "failure()": repr(not status_ok)}[match["func"]])
        else:
            python.append(repr(_lookup(context, match["ref"])))
    return eval("".join(python), {"__builtins__": {}}, {})  # noqa: S307 - tokens are literals only


def _expand(value: Any, context: dict[str, Any]) -> str:
    return _EXPR.sub(lambda m: str(evaluate(m.group(1), context, True)), str(value))


def _condition(step: dict[str, Any], context: dict[str, Any], status_ok: bool) -> bool:
    cond = str(step.get("if", "")).strip()
    if cond.startswith("${{") and cond.endswith("}}"):
        cond = cond[3:-2]
    if not cond:
        return status_ok
    if not re.search(r"\b(always|success|failure|cancelled)\(\)", cond):
        cond = f"success() && ({cond})"
    return bool(evaluate(cond, context, status_ok))


def _outputs(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines() if path.exists() else []:
        if "=" in line:
            key, value = line.split("=", 1)
            out[key] = value
    return out


def run_action(action_yml: Path, workspace: Path, inputs: dict[str, str], github: dict[str, Any], env: dict[str, str],
               uses_outcome: dict[str, str] | None = None, timeout: int = 120) -> ActionRun:
    """Run every step of the composite action at ``action_yml`` in ``workspace``.

    Args:
        inputs: Input values (missing ones take their defaults, evaluated).
        github: The ``github`` context (``base_ref``, ``token``, ``event_name``, ``event``...).
        env: The process environment of every step (GITHUB_* variables included).
        uses_outcome: Outcome of each ``uses:`` step by its ``id`` (default ``success``).
    """
    action = yaml.safe_load(action_yml.read_text(encoding="utf-8"))
    context: dict[str, Any] = {"github": github, "steps": {}, "runner": {"temp": env.get("RUNNER_TEMP", "")},
                               "env": env}
    context["inputs"] = {name: _expand(spec.get("default", ""), context) for name, spec in action["inputs"].items()}
    context["inputs"].update(inputs)
    results, status_ok = [], True
    for index, step in enumerate(action["runs"]["steps"]):
        name, step_id = step.get("name", f"step {index}"), step.get("id", f"__{index}")
        if not _condition(step, context, status_ok):
            results.append(StepResult(name, False))
            context["steps"][step_id] = {"outputs": {}, "outcome": "skipped", "conclusion": "skipped"}
            continue
        if "uses" in step:
            outcome = (uses_outcome or {}).get(step_id, "success")
            with_ = {k: _expand(v, context) for k, v in (step.get("with") or {}).items()}
            results.append(StepResult(name, True, outcome, with_=with_))
            context["steps"][step_id] = {"outputs": {}, "outcome": outcome,
                                         "conclusion": "success" if step.get("continue-on-error") else outcome}
            status_ok = status_ok and (outcome == "success" or bool(step.get("continue-on-error")))
            continue
        output_file = Path(env["RUNNER_TEMP"]) / f"output-{index}"
        output_file.write_text("")
        step_env = {**env, **{k: _expand(v, context) for k, v in (step.get("env") or {}).items()},
                    "GITHUB_OUTPUT": str(output_file)}
        proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], cwd=workspace,
                              env=step_env, capture_output=True, text=True, timeout=timeout)
        outcome = "success" if proc.returncode == 0 else "failure"
        tolerated = bool(step.get("continue-on-error"))
        results.append(StepResult(name, True, outcome, proc.returncode, proc.stdout, proc.stderr,
                                  continue_on_error=tolerated))
        context["steps"][step_id] = {"outputs": _outputs(output_file), "outcome": outcome,
                                     "conclusion": "success" if tolerated else outcome}
        status_ok = status_ok and (outcome == "success" or tolerated)
    return ActionRun(results, {k: v["outputs"] for k, v in context["steps"].items()})


def workflow_env(tmp: Path, workspace: Path, action_path: Path, extra: dict[str, str]) -> dict[str, str]:
    """The runner's environment for a step (a subset of ``os.environ`` plus the GITHUB_* variables)."""
    temp = tmp / "runner-temp"
    temp.mkdir(exist_ok=True)
    summary = tmp / "step-summary.md"
    summary.touch()
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "PYTHONPATH", "LANG", "SCHEMACHECK_CACHE_DIR",
                                                          "SCHEMACHECK_PROTO_PARSER", "SYSTEMROOT", "TMPDIR")}
    return {**keep, "GITHUB_ACTIONS": "true", "CI": "true", "GITHUB_WORKSPACE": str(workspace),
            "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_ACTION_PATH": str(action_path), "RUNNER_TEMP": str(temp),
            "NO_COLOR": "1", **extra}
