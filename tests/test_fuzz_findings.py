"""Crash classes the fuzzers found (docs/fuzzing.md), each fixed where it starts, tested through the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_e2e_user import run_cli

OLD = '{"properties": {"a": {"type": "string"}}}'


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "markdown"])
def test_unpaired_surrogate_escape_is_an_input_error_not_an_internal_error(tmp_path: Path, fmt: str) -> None:
    """``"\\ud800"`` is valid JSON syntax but not Unicode: every output format failed to encode it."""
    (tmp_path / "old.schema.json").write_text(OLD)
    (tmp_path / "new.schema.json").write_text(
        '{"properties": {"a": {"type": "string"},\n  "\\ud800x": {"type": "string"}},\n "required": ["\\ud800x"]}')
    proc = run_cli(tmp_path, "check", "new.schema.json", "--against", "old.schema.json", "--format", fmt)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "internal error" not in proc.stderr and "Traceback" not in proc.stderr
    assert "new.schema.json" in proc.stdout + proc.stderr
    if fmt == "text":
        assert "new.schema.json:2:" in proc.stdout + proc.stderr  # where the first one is


def test_surrogate_pairs_and_escaped_backslashes_are_fine(tmp_path: Path) -> None:
    (tmp_path / "old.schema.json").write_text(OLD)
    (tmp_path / "new.schema.json").write_text(
        '{"properties": {"a": {"type": "string", "description": "\\ud83d\\ude00 and \\\\ud800"}}}')
    proc = run_cli(tmp_path, "check", "new.schema.json", "--against", "old.schema.json")
    assert proc.returncode == 0, proc.stdout + proc.stderr


_REQUIRED = '''syntax = "proto2";
import "google/protobuf/descriptor.proto";
extend google.protobuf.FieldOptions { optional Sub sub = 50002; repeated Sub subs = 50005; }
message Sub { required int32 a = 1; optional string b = 2; repeated Sub c = 3; }
message M {
  optional int32 x = 1 [OPTION];
}
'''


@pytest.mark.parametrize(("option", "where"), [
    ('(subs) = {a: 1 c {b: "x"}}', "new.proto:6:34:"),  # protoc: the aggregate value's position
    ('(sub).b = "x"', "new.proto:6:25:"),  # protoc itself aborts on this one
])
def test_custom_option_missing_a_required_field_is_an_error_at_the_option(tmp_path: Path, option: str,
                                                                          where: str) -> None:
    """Found by the fuzzer: the options' serialisation raised EncodeError ("internal error in the compiler")."""
    (tmp_path / "old.proto").write_text(_REQUIRED.replace("OPTION", "deprecated = true"))
    (tmp_path / "new.proto").write_text(_REQUIRED.replace("OPTION", option))
    proc = run_cli(tmp_path, "check", "new.proto", "--against", "old.proto")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert where in proc.stdout and "internal error" not in proc.stdout + proc.stderr
    assert "a" in proc.stdout.split(where, 1)[1].splitlines()[0]  # names the missing field


@pytest.mark.parametrize(("statement", "where"), [
    ("extensions 100 to 2147483647;", "new.proto:3:31:"),  # protoc's positions
    ("extensions 2147483647;", "new.proto:3:24:"),
    ("reserved 100 to 2147483647;", "new.proto:3:12:"),
])
def test_range_ending_at_int32_max_is_an_error_not_an_overflow(tmp_path: Path, statement: str, where: str) -> None:
    """Found by the fuzzer: the exclusive end (2**31) overflowed the descriptor's int32 (ValueError)."""
    (tmp_path / "old.proto").write_text('syntax = "proto2";\nmessage Parcel {\n  optional int32 a = 1;\n}\n')
    (tmp_path / "new.proto").write_text(f'syntax = "proto2";\nmessage Parcel {{\n  {statement}\n}}\n')
    proc = run_cli(tmp_path, "check", "new.proto", "--against", "old.proto")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert where in proc.stdout and "internal error" not in proc.stdout + proc.stderr


@pytest.mark.parametrize("member", ["RED = ...", 'RED = (..., "red")'])
def test_enum_member_whose_value_is_an_ellipsis_is_compared_by_its_text(tmp_path: Path, member: str) -> None:
    """Found by the fuzzer (python target): ``...`` counted as a literal value and JSON could not encode it."""
    old = f"import enum\nfrom pydantic import BaseModel\n\n\nclass Color(str, enum.Enum):\n    {member}\n\n\n" \
          "class Paint(BaseModel):\n    color: Color\n"
    (tmp_path / "old.py").write_text(old)
    (tmp_path / "new.py").write_text(old + '    name: str = ""\n')
    proc = run_cli(tmp_path, "check", "new.py", "--against", "old.py")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "internal error" not in proc.stdout + proc.stderr
    assert "new.py:6:5" in proc.stdout  # the member, compared by its text, is named


def test_literal_of_an_ellipsis_is_compared_by_its_text(tmp_path: Path) -> None:
    """Found by the fuzzer: ``Literal[...]`` crashed the same way; changing it is reported as not compared."""
    model = "from typing import Literal\nfrom pydantic import BaseModel\n\n\nclass Paint(BaseModel):\n    color: {}\n"
    (tmp_path / "old.py").write_text(model.format("Literal[...]"))
    (tmp_path / "new.py").write_text(model.format("Literal['red']"))
    proc = run_cli(tmp_path, "check", "new.py", "--against", "old.py")
    assert "internal error" not in proc.stdout + proc.stderr
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "new.py:6:5  SCHEMA_CHANGE_UNDECIDABLE" in proc.stdout  # a warning, not a silent pass


def test_thousands_of_findings_in_one_yaml_mapping_are_located_in_linear_time(tmp_path: Path) -> None:
    """Found by the fuzzer (yaml target, 5 s of CPU): each finding's base position was a scan of
    its mapping's 5,000 keys (7.2 s of CPU here before). The check's own CPU time is measured, so
    a busy machine does not matter."""
    import resource

    import yaml

    types = ("number", "string", "integer", "boolean", "array", "object", "null")
    props = {f"p{i}": {"type": types[i % 7]} for i in range(5000)}
    old = {"type": "object", "properties": props}
    new = {"type": "object", "properties": dict(list(props.items())[:10])}
    (tmp_path / "old.schema.yaml").write_text(yaml.safe_dump(old, default_flow_style=True, width=100))
    (tmp_path / "new.schema.yaml").write_text(yaml.safe_dump(new, sort_keys=False))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = run_cli(tmp_path, "check", "new.schema.yaml", "--against", "old.schema.yaml", "--mode", "full",
                   "--policy", "strict")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.count("PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL") == 4990
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    assert cpu < 5.0, f"{cpu:.1f} s of CPU"
