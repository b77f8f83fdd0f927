"""Configuration files: discovery, precedence, every key, and errors that name key and file."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemacheck.config import Settings, load_settings, load_settings_from, settings_from_mapping
from schemacheck.errors import ConfigError
from schemacheck.model import Severity

FULL = """
include = ["proto/**/*.proto", "schemas/**"]
exclude = ["proto/vendor/**"]
select = ["FILE"]
ignore = ["FIELD_SAME_JSON_NAME"]
fail-on = "warning"

[severity]
FIELD_SAME_NAME = "warning"

[protobuf]
roots = ["proto"]
use-buf-yaml = false

[jsonschema]
include = ["events/*.json"]
mode = "full"
policy = "lenient"

[[jsonschema.overrides]]
paths = ["events/legacy/*.json"]
mode = "forward"
"""


def test_every_key_in_schemacheck_toml(tmp_path: Path) -> None:
    (tmp_path / "schemacheck.toml").write_text(FULL)
    s = load_settings(tmp_path)
    assert s.include == ("proto/**/*.proto", "schemas/**") and s.exclude == ("proto/vendor/**",)
    assert s.select == ("FILE",) and s.ignore == ("FIELD_SAME_JSON_NAME",)
    assert s.fail_on == "warning" and s.severity == {"FIELD_SAME_NAME": Severity.WARNING}
    assert s.protobuf.roots == ("proto",) and s.protobuf.use_buf_yaml is False
    assert (s.jsonschema.mode, s.jsonschema.policy, s.jsonschema.include) == ("full", "lenient", ("events/*.json",))
    assert s.jsonschema.overrides[0].paths == ("events/legacy/*.json",) and s.jsonschema.overrides[0].mode == "forward"
    assert s.source == str(tmp_path / "schemacheck.toml")


def test_pyproject_table(tmp_path: Path) -> None:
    body = "\n".join(f"[tool.schemacheck.{line[1:]}" if line.startswith("[") and not line.startswith("[[")
                     else f"[[tool.schemacheck.{line[2:]}" if line.startswith("[[") else line
                     for line in FULL.splitlines())
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n\n[tool.schemacheck]\n" + body)
    s = load_settings(tmp_path)
    assert s.protobuf.roots == ("proto",) and s.fail_on == "warning" and s.jsonschema.overrides[0].mode == "forward"


def test_defaults_when_nothing_configured(tmp_path: Path) -> None:
    assert load_settings(tmp_path) == Settings()
    (tmp_path / "pyproject.toml").write_text("[tool.black]\nline-length = 100\n")
    assert load_settings(tmp_path) == Settings()


def test_schemacheck_toml_wins_over_pyproject_and_explicit_wins_over_both(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.schemacheck]\nfail-on = 'info'\n")
    (tmp_path / "schemacheck.toml").write_text("fail-on = 'warning'\n")
    assert load_settings(tmp_path).fail_on == "warning"
    other = tmp_path / "ci.toml"
    other.write_text("fail-on = 'error'\n")
    assert load_settings(tmp_path, other).fail_on == "error"
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path, tmp_path / "missing.toml")


def test_explicit_pyproject_without_table_gives_defaults(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    assert load_settings(tmp_path, tmp_path / "pyproject.toml").fail_on == "error"


def test_load_from_a_revision_reader() -> None:
    files = {"pyproject.toml": b"[tool.schemacheck]\nignore = ['WIRE']\n"}
    s = load_settings_from(files.get, "index:")
    assert s.ignore == ("WIRE",) and s.source == "index:pyproject.toml"
    assert load_settings_from({}.get, "/repo") == Settings()
    with pytest.raises(ConfigError, match=r"^/repo/schemacheck.toml: unknown key colour$"):
        load_settings_from({"schemacheck.toml": b"colour = 1\n"}.get, "/repo")


@pytest.mark.parametrize(("text", "message"), [
    ("colour = 'always'", "unknown key tool.schemacheck.colour"),
    ("[protobuf]\nrootz = ['proto']", "unknown key tool.schemacheck.protobuf.rootz"),
    ("fail-on = 'fatal'", "bad value for tool.schemacheck.fail-on: Input should be 'error', 'warning' or 'info'"),
    ("include = 'proto/*.proto'", "bad value for tool.schemacheck.include: expected an array"),
    ("[severity]\nFIELD_SAME_NAME = 'critical'", "bad value for tool.schemacheck.severity.FIELD_SAME_NAME"),
    ("[jsonschema]\nmode = 'sideways'", "bad value for tool.schemacheck.jsonschema.mode"),
    ("[jsonschema]\npolicy = 1", "bad value for tool.schemacheck.jsonschema.policy"),
    ("[[jsonschema.overrides]]\nmode = 'full'", "missing required key tool.schemacheck.jsonschema.overrides[0].paths"),
    ("[[jsonschema.overrides]]\npaths = ['a']\n[[jsonschema.overrides]]\npaths = ['b']\nmode = 'up'",
     "bad value for tool.schemacheck.jsonschema.overrides[1].mode"),
    ("protobuf = 3", "bad value for tool.schemacheck.protobuf: expected a table"),
    ("[protobuf]\nuse-buf-yaml = 'maybe'", "bad value for tool.schemacheck.protobuf.use-buf-yaml: expected true or false"),
])
def test_errors_name_the_key_and_the_file(tmp_path: Path, text: str, message: str) -> None:
    lines = [f"[tool.schemacheck.{l[1:]}" if l.startswith("[") and not l.startswith("[[")
             else f"[[tool.schemacheck.{l[2:]}" if l.startswith("[[") else l for l in text.splitlines()]
    path = tmp_path / "pyproject.toml"
    path.write_text("[tool.schemacheck]\n" + "\n".join(lines) + "\n")
    with pytest.raises(ConfigError) as info:
        load_settings(tmp_path)
    assert info.value.message.startswith(f"{path}: {message}"), info.value.message
    assert "\n" not in info.value.message


def test_unknown_key_suggests_the_nearest(tmp_path: Path) -> None:
    (tmp_path / "schemacheck.toml").write_text("[protobuf]\nroot = ['proto']\n")
    with pytest.raises(ConfigError) as info:
        load_settings(tmp_path)
    assert info.value.message == f"{tmp_path / 'schemacheck.toml'}: unknown key protobuf.root"
    assert "Did you mean 'roots'?" in (info.value.tip or "")


def test_invalid_toml_and_encoding(tmp_path: Path) -> None:
    path = tmp_path / "schemacheck.toml"
    path.write_text("fail-on = \n")
    with pytest.raises(ConfigError, match=r"schemacheck.toml: invalid TOML: .*line 1"):
        load_settings(tmp_path)
    path.write_bytes(b"# caf\xe9\n")
    with pytest.raises(ConfigError, match="schemacheck.toml: not UTF-8"):
        load_settings(tmp_path)
    (tmp_path / "schemacheck.toml").unlink()
    (tmp_path / "pyproject.toml").write_text("[tool]\nschemacheck = 3\n")
    with pytest.raises(ConfigError, match=r"\[tool.schemacheck\] must be a table"):
        load_settings(tmp_path)


def test_mapping_validation_keeps_source_and_is_frozen() -> None:
    s = settings_from_mapping({"select": ["FIELD_SAME_NAME"]}, "cli")
    assert s.source == "cli" and s.select == ("FIELD_SAME_NAME",)
    with pytest.raises(Exception):
        s.select = ()  # type: ignore[misc]


def test_a_section_written_with_pydantic_field_still_works() -> None:
    """ConfigModel is not pydantic, but a format's section written the pydantic way (``Field``
    with a default, a factory, a description) keeps its defaults and validation."""
    from pydantic import Field as PydanticField

    from schemacheck.config_model import ConfigModel, ConfigValidationError

    class Section(ConfigModel):
        paths: tuple[str, ...] = PydanticField(default=(), description="globs")
        extra: dict[str, str] = PydanticField(default_factory=dict)
        strict: bool = True
        days: int = PydanticField(default=0, ge=0)

    assert Section() == Section.model_validate({}) and Section().extra == {}
    with pytest.raises(ConfigValidationError):
        Section.model_validate({"days": -1})
    assert Section.model_validate({"paths": ["a"], "strict": False}).paths == ("a",)
    with pytest.raises(ConfigValidationError):
        Section.model_validate({"paths": "a"})
