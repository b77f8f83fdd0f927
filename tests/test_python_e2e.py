"""Issue 9's acceptance: Python DTO changes in real git repositories, through the real CLI.

Each case commits a module on ``main``, changes it on a branch, and runs ``schemacheck
--base main``; the expected findings are (rule, line in the new file). The rename of
``total_amount`` to ``total_cents`` is checked for every DTO kind and in every output format.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gitrepo import GitRepo
from schemacheck.cli import main
from tools import REPO_ROOT

SRC = str(Path(__file__).resolve().parents[1] / "src")

KINDS = {
    "pydantic-v2": ("from pydantic import BaseModel\n\n\nclass Order(BaseModel):\n", ""),
    "pydantic-v1": ("from pydantic.v1 import BaseModel\n\n\nclass Order(BaseModel):\n", ""),
    "pydantic-v1-by-project": ("from pydantic import BaseModel\n\n\nclass Order(BaseModel):\n",
                               '[project]\nname = "shop"\ndependencies = ["pydantic>=1.10,<2"]\n'),
    "dataclass": ("from dataclasses import dataclass\n\n\n@dataclass\nclass Order:\n", ""),
    "typeddict": ("from typing import TypedDict\n\n\nclass Order(TypedDict):\n", ""),
}
FIELDS = "    id: int\n    total_amount: int\n"


def _repo(tmp: Path, before: str, after: str, extra: dict[str, str] | None = None) -> GitRepo:
    repo = GitRepo(tmp)
    for path, text in (extra or {}).items():
        repo.write(path, text)
    repo.write("app/models.py", before)
    repo.commit("base")
    repo.branch("change")
    repo.write("app/models.py", after)
    repo.commit("change")
    return repo


def _json(repo: GitRepo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
          *args: str) -> tuple[int, set[tuple[str, int]], dict]:
    monkeypatch.chdir(repo.root)
    code = main(["--base", "main", "--format", "json", *args])
    report = json.loads(capsys.readouterr().out)
    return code, {(f["rule_id"], f["location"]["line"]) for f in report["findings"] if f["location"]}, report


@pytest.mark.parametrize("kind", list(KINDS))
def test_rename_is_found_for_every_kind(kind: str, tmp_path: Path, capsys, monkeypatch) -> None:
    header, pyproject = KINDS[kind]
    line = header.count("\n") + 2  # the renamed field's line
    repo = _repo(tmp_path, header + FIELDS, header + FIELDS.replace("total_amount", "total_cents"),
                 {"pyproject.toml": pyproject} if pyproject else None)
    code, got, _ = _json(repo, capsys, monkeypatch)
    assert code == 1
    assert ("PROPERTY_RENAMED", line) in got


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "markdown"])
def test_rename_in_a_response_model_in_every_output_format(fmt: str, tmp_path: Path, capsys, monkeypatch) -> None:
    before = "from pydantic import BaseModel\n\n\nclass Order(BaseModel):\n    id: int\n    total_amount: int\n"
    api = ("from fastapi import FastAPI\nfrom app.models import Order\n\napp = FastAPI()\n\n\n"
           "@app.get('/orders/{id}', response_model=Order)\ndef get_order(id: int):\n    ...\n")
    repo = _repo(tmp_path, before, before.replace("total_amount", "total_cents"), {"app/api.py": api})
    monkeypatch.chdir(repo.root)
    monkeypatch.setenv("NO_COLOR", "1")
    code = main(["--base", "main", "--format", fmt])
    out = capsys.readouterr().out
    assert code == 1
    assert "PROPERTY_RENAMED" in out and "total_cents" in out
    if fmt == "json":
        assert any(f["location"]["line"] == 6 for f in json.loads(out)["findings"])
    elif fmt == "sarif":
        regions = [r["locations"][0]["physicalLocation"]["region"] for r in json.loads(out)["runs"][0]["results"]]
        assert any(r["startLine"] == 6 for r in regions)
    elif fmt == "github":
        assert "file=app/models.py,line=6," in out
    else:
        assert "app/models.py:6:5" in out


def test_response_role_inferred_from_fastapi_makes_additions_and_narrowing_safe(tmp_path: Path, capsys,
                                                                                monkeypatch) -> None:
    before = ("from typing import Literal\nfrom pydantic import BaseModel\n\n\nclass Order(BaseModel):\n"
              "    id: int\n    status: Literal['new', 'paid', 'shipped']\n")
    after = before.replace(", 'shipped'", "") + "    carrier: str\n"
    api = "from fastapi import APIRouter\nfrom .models import Order\n\nr = APIRouter()\n\n\n" \
          "@r.get('/o')\ndef get() -> Order:\n    ...\n"
    repo = _repo(tmp_path, before, after, {"app/api.py": api, "app/__init__.py": ""})
    code, got, _ = _json(repo, capsys, monkeypatch)
    assert (code, got) == (0, set())  # old clients read fewer values and an extra key: fine


CHANGES = {
    "optional-added": ("    note: Optional[int] = None\n", set()),
    "optional-made-required": ("    comment: Optional[str]\n", {("PROPERTY_BECAME_REQUIRED", 8)}),
    "literal-value-removed": ("    status: Literal['new', 'paid']\n", {("ENUM_ARRAY_NARROWED", 8)}),
    "int-to-str": ("    count: str\n", {("TYPE_CHANGED", 8)}),
    "alias-changed": ("    code: str = Field(alias='order_code')\n", {("DTO_FIELD_ALIAS_CHANGED", 8)}),
}
BASE_LINES = {
    "optional-added": "",
    "optional-made-required": "    comment: Optional[str] = None\n",
    "literal-value-removed": "    status: Literal['new', 'paid', 'shipped']\n",
    "int-to-str": "    count: int\n",
    "alias-changed": "    code: str = Field(alias='orderCode')\n",
}
HEADER = ("from typing import Literal, Optional\nfrom pydantic import BaseModel, Field\n\n\n"
          "class Order(BaseModel):\n    id: int\n    total_amount: int\n")


@pytest.mark.parametrize("change", list(CHANGES))
def test_each_change_gives_the_right_finding(change: str, tmp_path: Path, capsys, monkeypatch) -> None:
    new_line, expected = CHANGES[change]
    repo = _repo(tmp_path, HEADER + BASE_LINES[change], HEADER + new_line)
    code, got, _ = _json(repo, capsys, monkeypatch)
    assert got == expected
    assert code == (1 if expected else 0)


def test_v1_optional_without_default_is_optional_and_v2_makes_it_required(tmp_path: Path, capsys,
                                                                           monkeypatch) -> None:
    before = "from typing import Optional\nfrom pydantic.v1 import BaseModel\n\n\nclass A(BaseModel):\n    x: int\n"
    after = before + "    y: Optional[int]\n"
    code, got, _ = _json(_repo(tmp_path / "v1", before, after), capsys, monkeypatch)
    assert (code, got) == (0, set())
    v2_before, v2_after = before.replace("pydantic.v1", "pydantic"), after.replace("pydantic.v1", "pydantic")
    code, got, _ = _json(_repo(tmp_path / "v2", v2_before, v2_after), capsys, monkeypatch)
    assert (code, got) == (1, {("REQUIRED_PROPERTY_ADDED", 7)})


def test_suppression_comment(tmp_path: Path, capsys, monkeypatch) -> None:
    before = HEADER
    after = HEADER.replace("    total_amount: int\n",
                           "    total_cents: int  # schemacheck: ignore[PROPERTY_RENAMED] v2 clients only\n")
    code, got, report = _json(_repo(tmp_path, before, after), capsys, monkeypatch)
    assert (code, got) == (0, set())
    assert report["summary"]["suppressed"] == 1


def test_user_code_is_never_imported(tmp_path: Path) -> None:
    trap = tmp_path / "imported.txt"
    bomb = f"open({str(trap)!r}, 'w').write('imported')\nraise SystemExit('user code ran')\n"
    before = bomb + HEADER
    repo = _repo(tmp_path / "repo", before, before.replace("total_amount", "total_cents"),
                 {"app/__init__.py": bomb, "conftest.py": bomb, "sitecustomize.py": bomb})
    proc = subprocess.run([sys.executable, "-m", "schemacheck", "--base", "main", "--format", "json"],
                          cwd=repo.root, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": SRC})
    assert proc.returncode == 1, proc.stderr
    assert not trap.exists()
    assert "PROPERTY_RENAMED" in proc.stdout


def test_other_python_files_pay_only_the_prefilter(tmp_path: Path) -> None:
    repo = _repo(tmp_path, HEADER, HEADER)
    repo.write("app/util.py", "def add(a, b):\n    return a + b\n")
    repo.commit("util")
    code = ("import sys\nfrom schemacheck.cli import main\nrc = main(['--base', 'main', '--format', 'json'])\n"
            "import schemacheck.registry as r\n"
            "print('LIBCST', 'libcst' in sys.modules, 'RULES', 'python' in r._LOADED)\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=repo.root, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": SRC})
    # no job at all: the runner asked the pre-filter (worth_checking), not even the rule catalog was loaded
    assert "LIBCST False RULES False" in proc.stdout, proc.stdout + proc.stderr
    repo.write("app/models.py", HEADER + "    note: str\n")
    repo.commit("dto")
    proc = subprocess.run([sys.executable, "-c", code], cwd=repo.root, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": SRC})
    assert "LIBCST True RULES True" in proc.stdout, proc.stdout + proc.stderr


def test_a_head_file_that_does_not_parse_is_an_input_error_not_removed_classes(tmp_path: Path, capsys,
                                                                               monkeypatch) -> None:
    repo = _repo(tmp_path, HEADER, HEADER + "class Broken(BaseModel:\n")
    code, got, report = _json(repo, capsys, monkeypatch)
    assert code == 2 and got == set()
    assert [d["severity"] for d in report["diagnostics"]] == ["error"]


def test_a_head_file_that_no_longer_names_its_framework_and_does_not_parse_is_an_input_error(
        tmp_path: Path, capsys, monkeypatch) -> None:
    """Half-edited: the import is gone and the class is broken. Its classes are unchecked (exit 2),
    not reported as removed (found by a new-user trial: it used to be DTO_CLASS_REMOVED, exit 1)."""
    repo = _repo(tmp_path, HEADER, "class Order(\n    id: int\n")
    code, got, report = _json(repo, capsys, monkeypatch)
    assert code == 2 and got == set() and report["findings"] == []
    assert [(d["severity"], d["location"]["path"]) for d in report["diagnostics"]] == [("error", "app/models.py")]
    assert "not valid Python" in report["diagnostics"][0]["message"]


def test_a_head_file_that_parses_without_its_classes_removes_them(tmp_path: Path, capsys, monkeypatch) -> None:
    repo = _repo(tmp_path, HEADER, "def order() -> dict:\n    return {}\n")
    code, _, report = _json(repo, capsys, monkeypatch)
    assert code == 1 and [f["rule_id"] for f in report["findings"]] == ["DTO_CLASS_REMOVED"]


CYCLIC_BASES = ("from pydantic import BaseModel\n\n\nclass Loop(Loop, BaseModel):\n    id: int\n\n\n"
                "class C0(BaseModel):\n    id: int\n"
                + "".join(f"\n\nclass C{i}(C{i - 1}, C{i - 1}):\n    n{i}: int\n" for i in range(1, 40)))


def test_cyclic_and_repeated_bases_end_quickly(tmp_path: Path) -> None:
    # fuzz finding: `class A(A)` recursed until RecursionError; 39 levels of `class Cn(Cn-1, Cn-1)`
    # would cost 2**39 configuration merges without memoisation
    repo = _repo(tmp_path, CYCLIC_BASES, CYCLIC_BASES.replace("n38: int", "n38: str"))
    proc = subprocess.run([sys.executable, "-m", "schemacheck", "--base", "main", "--format", "json"], cwd=repo.root,
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": SRC}, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert "TYPE" in proc.stdout and "internal error" not in proc.stderr


@pytest.mark.parametrize("line_end", ["\r\n", "\r"])
def test_a_file_mixing_newline_styles_is_read(line_end: str, tmp_path: Path, capsys, monkeypatch) -> None:
    # valid Python (CPython reads \r\n, \r and \n alike) that libcst's parser rejects when the line
    # ends differ inside one indented block; positions stay the file's lines
    # a file with other line ends (the first one decides libcst's default) and one LF line in the block
    mixed = (HEADER + "    note: str\n").replace("\n", line_end).replace(f"    id: int{line_end}", "    id: int\n")
    assert mixed.count("\n") - mixed.count("\r\n") == 1
    repo = _repo(tmp_path, HEADER + "    note: str\n", mixed.replace("note: str", "note: int"))
    code, got, report = _json(repo, capsys, monkeypatch)
    assert code == 1, report["diagnostics"]
    assert got == {("TYPE_CHANGED", HEADER.count("\n") + 1)}


def test_an_expression_too_deep_to_read_is_an_input_error(tmp_path: Path) -> None:
    # fuzz finding: libcst parses 3,000 adjacent string literals (its parser is native) into
    # nested ConcatenatedString nodes, which its code generation (our positions) walks recursively
    deep = HEADER + "    note: str = (" + " ".join(["'a'"] * 3000) + ")\n"
    repo = _repo(tmp_path, HEADER, deep)
    proc = subprocess.run([sys.executable, "-m", "schemacheck", "--base", "main"], cwd=repo.root,
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": SRC}, timeout=120)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "nested too deeply" in proc.stdout + proc.stderr
    assert "internal error" not in proc.stdout + proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("default", [
    "f(" * 600 + ")" * 600,  # the fuzz finding (fuzz/crashes/python/): libcst's parser died with SIGSEGV
    "not " * 10_000 + "1",
    "-" * 10_000 + "1",
    "lambda: " * 10_000 + "1",
    "1 if 1 else " * 10_000 + "1",
], ids=["calls", "not", "minus", "lambda", "if-else"])
def test_nesting_deeper_than_python_accepts_is_an_input_error_not_a_crash(default: str, tmp_path: Path) -> None:
    # libcst's native parser recurses on the C stack and kills the process (no message) about
    # 10,000 levels deep; CPython refuses such text first.
    repo = _repo(tmp_path, HEADER, HEADER + f"    note: int = {default}\n")
    proc = subprocess.run([sys.executable, "-m", "schemacheck", "--base", "main"], cwd=repo.root,
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": SRC}, timeout=120)
    assert proc.returncode == 2, (proc.returncode, proc.stdout + proc.stderr)
    assert "nested too deeply" in proc.stdout + proc.stderr
    assert "internal error" not in proc.stdout + proc.stderr and "Traceback" not in proc.stderr


def test_a_long_invalid_line_is_refused_quickly(tmp_path: Path) -> None:
    # fuzz finding (fuzz/crashes/python/1551555fb319): 130 KB of decorators on one line with a
    # bracket never closed kept libcst's parser backtracking for 50 s; CPython's parser says no at once
    crash = REPO_ROOT / "fuzz/crashes/python/1551555fb319/head.py"
    repo = _repo(tmp_path, HEADER, HEADER + crash.read_text())
    proc = subprocess.run([sys.executable, "-m", "schemacheck", "--base", "main"], cwd=repo.root,
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": SRC}, timeout=120)
    assert proc.returncode == 2, (proc.returncode, proc.stdout + proc.stderr)
    assert "not valid Python" in proc.stdout + proc.stderr and "Traceback" not in proc.stderr


def test_a_literal_over_the_integer_digit_limit_is_an_unknown_value_not_a_crash(tmp_path: Path, capsys,
                                                                              monkeypatch) -> None:
    # fuzz finding: an integer over 4,300 digits parses (the limit is a runtime setting,
    # sys.set_int_max_str_digits), but ast.literal_eval refuses it with ValueError
    before = HEADER + "    note: str = 'x'\n"
    repo = _repo(tmp_path, before, before.replace("'x'", "1" * 5000))
    code, _, report = _json(repo, capsys, monkeypatch)
    assert code in (0, 1) and not [d for d in report["diagnostics"] if d["severity"] == "error"]


def test_a_nul_byte_in_a_string_is_not_valid_python(tmp_path: Path, capsys, monkeypatch) -> None:
    # fuzz finding: libcst accepts a NUL inside a string literal; Python refuses to run such a file
    before = HEADER + "    note: str = 'x'\n"
    repo = _repo(tmp_path, before, before.replace("'x'", "'a\x00b'"))
    code, _, report = _json(repo, capsys, monkeypatch)
    assert code == 2
    assert [d["message"] for d in report["diagnostics"] if d["severity"] == "error"][0].count("not valid Python")


def test_a_syntax_error_prints_no_python_warning(tmp_path: Path) -> None:
    # CPython's parser, asked where the error is, warns about `1if` on stderr: not the user's business
    repo = _repo(tmp_path, HEADER, HEADER + "    limit: int = 1if True else 2\nclass Broken(BaseModel:\n")
    proc = subprocess.run([sys.executable, "-m", "schemacheck", "--base", "main"], cwd=repo.root,
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": SRC})
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Warning" not in proc.stderr and "not valid Python" in proc.stdout + proc.stderr


@pytest.mark.parametrize("bad", ["    note: str = 'a' b'b'\n", "    note: bytes = b'a' f'{x}'\n"])
def test_text_libcst_parses_but_rejects_is_an_input_error_not_an_internal_error(tmp_path: Path, capsys, monkeypatch,
                                                                               bad: str) -> None:
    """Concatenating str and bytes parses in libcst's grammar but fails its node validation
    (``CSTValidationError``, not ``ParserSyntaxError``); CPython rejects it too."""
    repo = _repo(tmp_path, HEADER, HEADER + bad)
    code, got, report = _json(repo, capsys, monkeypatch)
    assert code == 2 and got == set()
    assert [(d["severity"], d["location"]["line"]) for d in report["diagnostics"]] == [("error", HEADER.count("\n") + 1)]


ADDRESS = ("from pydantic import BaseModel, ConfigDict\n\n\nclass Address(BaseModel):\n"
           "    model_config = ConfigDict(extra='forbid')\n    street: str\n")


@pytest.mark.parametrize(("role", "expected"), [
    ("request", set()),  # new code reads old data: an optional key more is fine
    ("event", {("PROPERTY_ADDED_TO_CLOSED_CONTENT_MODEL", 7)}),  # old readers forbid the new key
    ("both", {("PROPERTY_ADDED_TO_CLOSED_CONTENT_MODEL", 7)}),
])
def test_roles_from_configuration_choose_the_direction(role: str, expected: set, tmp_path: Path, capsys,
                                                       monkeypatch) -> None:
    config = f'[tool.schemacheck.python]\nroles = [{{paths = ["app/**"], classes = ["Addr*"], role = "{role}"}}]\n'
    repo = _repo(tmp_path, ADDRESS, ADDRESS + "    city: str = ''\n", {"pyproject.toml": config})
    code, got, _ = _json(repo, capsys, monkeypatch)
    assert got == expected
    assert code == (1 if expected else 0)


def test_a_moved_class_is_paired_and_called_out(tmp_path: Path, capsys, monkeypatch) -> None:
    repo = GitRepo(tmp_path)
    repo.write("app/models.py", HEADER)
    repo.commit("base")
    repo.branch("change")
    repo.write("app/models.py", "")
    repo.write("app/orders.py", HEADER.replace("total_amount: int", "total_amount: str"))
    repo.commit("move")
    code, got, report = _json(repo, capsys, monkeypatch)
    assert got == {("TYPE_CHANGED", 7)}
    assert any("moved" in d["message"] for d in report["diagnostics"])


def test_nested_classes_in_unchanged_files_are_not_walked(tmp_path: Path, capsys, monkeypatch) -> None:
    """A chain of 400 modules, each model nesting the previous one; one changes: only it is read deeply."""
    import schemacheck.formats.python.source as source

    repo = GitRepo(tmp_path)
    repo.write("pkg/__init__.py", "")
    for i in range(400):
        prev = f"from .m{i - 1} import M{i - 1}\n" if i else ""
        nested = f"    prev: Optional[M{i - 1}] = None\n" if i else ""
        repo.write(f"pkg/m{i}.py", f"from typing import Optional\nfrom pydantic import BaseModel\n{prev}\n\n"
                                   f"class M{i}(BaseModel):\n    total_amount: int\n{nested}")
    repo.commit("base")
    repo.branch("change")
    text = (repo.root / "pkg/m399.py").read_text()
    repo.write("pkg/m399.py", text.replace("total_amount", "total_cents"))
    repo.commit("change")
    parsed: list[str] = []
    real = source.parse_module
    monkeypatch.setattr(source, "parse_module", lambda path, *a, **k: parsed.append(path) or real(path, *a, **k))
    code, got, report = _json(repo, capsys, monkeypatch)
    assert (code, got, report["diagnostics"]) == (1, {("PROPERTY_RENAMED", 7)}, [])
    assert len(parsed) <= 6, parsed  # m399 and m398 on each side, not the whole chain


@pytest.mark.parametrize(("args", "expected"), [
    (("--select", "DTO_FIELD_ALIAS_CHANGED"), {("DTO_FIELD_ALIAS_CHANGED", 8)}),
    (("--select", "DTO"), {("DTO_FIELD_ALIAS_CHANGED", 8)}),
    (("--ignore", "PROPERTY_RENAMED"), {("DTO_FIELD_ALIAS_CHANGED", 8)}),
    # without the DTO rule the alias change is a plain likely rename of the wire key
    (("--select", "PROPERTY_RENAMED"), {("PROPERTY_RENAMED", 7), ("PROPERTY_RENAMED", 8)}),
    ((), {("PROPERTY_RENAMED", 7), ("DTO_FIELD_ALIAS_CHANGED", 8)}),
])
def test_selection_covers_shape_and_dto_rules(args: tuple[str, ...], expected: set, tmp_path: Path, capsys,
                                              monkeypatch) -> None:
    before = HEADER + "    code: str = Field(alias='orderCode')\n"
    after = before.replace("total_amount", "total_cents").replace("orderCode", "order_code")
    code, got, _ = _json(_repo(tmp_path, before, after), capsys, monkeypatch, *args)
    assert got == expected
    assert code == 1


def test_a_deleted_dto_module_reports_its_classes(tmp_path: Path, capsys, monkeypatch) -> None:
    repo = GitRepo(tmp_path)
    repo.write("app/models.py", HEADER)
    repo.write("app/other.py", "x = 1\n")
    repo.commit("base")
    repo.branch("change")
    repo.delete("app/models.py")
    repo.commit("delete")
    monkeypatch.chdir(repo.root)
    code = main(["--base", "main", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    assert [(f["rule_id"], f["base_location"]["line"]) for f in report["findings"]] == [("DTO_CLASS_REMOVED", 5)]


def test_python_section_is_validated_and_its_globs_checked(tmp_path: Path, capsys, monkeypatch) -> None:
    repo = _repo(tmp_path / "bad", HEADER, HEADER, {"pyproject.toml": "[tool.schemacheck.python]\ninfer-role = true\n"})
    monkeypatch.chdir(repo.root)
    assert main(["--base", "main"]) == 2
    assert "tool.schemacheck.python.infer-role" in capsys.readouterr().err
    config = '[tool.schemacheck.python]\nroles = [{paths = ["ap/**"], role = "request"}]\n'
    repo = _repo(tmp_path / "typo", HEADER, HEADER.replace("total_amount", "total_cents"), {"pyproject.toml": config})
    code, got, report = _json(repo, capsys, monkeypatch)
    assert code == 1 and ("PROPERTY_RENAMED", 7) in got
    assert any("ap/**" in d["message"] for d in report["diagnostics"] if d["severity"] == "warning")
