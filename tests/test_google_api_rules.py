"""Edge cases of the GOOGLE_API rules that fixtures do not show well: packed field behaviors,
version-only differences, options that reuse Google's numbers under another name."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from schemacheck.config import Settings
from schemacheck.rules.protobuf._google_api import same_but_version
from schemacheck.runner import CheckRequest, run_check
from schemacheck.snapshot import DirectorySnapshot
from tools import FIXTURES

GOOGLE = FIXTURES / "protobuf" / "FIELD_BEHAVIOR_NO_ADD_REQUIRED" / "before" / "google"
BOOK = 'syntax = "proto3";\n\npackage library.v1;\n\nimport "{imp}";\n\nmessage Book {{\n  string title = 1{opt};\n}}\n'


def _findings(tmp_path: Path, before: str, after: str, rule: str, google: bool = True) -> list[str]:
    for side, text in (("before", before), ("after", after)):
        if google:
            shutil.copytree(GOOGLE, tmp_path / side / "google", dirs_exist_ok=True)
        (tmp_path / side / "book.proto").write_text(text)
    result = run_check(CheckRequest(DirectorySnapshot(tmp_path / "before", "before"),
                                    DirectorySnapshot(tmp_path / "after", "after"), Settings(select=(rule,)),
                                    formats=("protobuf",)))
    assert not [d for d in result.diagnostics if d.severity.value == "error"], result.diagnostics
    return [f.rule_id for f in result.findings]


def test_packed_field_behavior_is_read(tmp_path: Path) -> None:
    """Older googleapis copies declare field_behavior without [packed = false]: proto3 packs it."""
    shutil.copytree(GOOGLE, tmp_path / "google")
    path = tmp_path / "google" / "api" / "field_behavior.proto"
    path.write_text(path.read_text().replace(" [packed = false]", ""))
    before = BOOK.format(imp="google/api/field_behavior.proto", opt="")
    after = BOOK.format(imp="google/api/field_behavior.proto",
                        opt=" [(google.api.field_behavior) = OPTIONAL, (google.api.field_behavior) = REQUIRED]")
    for side, text in (("before", before), ("after", after)):
        shutil.copytree(tmp_path / "google", tmp_path / side / "google")
        (tmp_path / side / "book.proto").write_text(text)
    assert _findings(tmp_path, before, after, "FIELD_BEHAVIOR_NO_ADD_REQUIRED", google=False) == [
        "FIELD_BEHAVIOR_NO_ADD_REQUIRED"]


def test_an_option_reusing_googles_number_under_another_name_is_not_read(tmp_path: Path) -> None:
    own = ('syntax = "proto3";\n\npackage acme;\n\nimport "google/protobuf/descriptor.proto";\n\n'
           'extend google.protobuf.FieldOptions {\n  repeated int32 field_behavior = 1052;\n}\n')
    for side in ("before", "after"):
        (tmp_path / side / "acme").mkdir(parents=True)
        (tmp_path / side / "acme" / "opts.proto").write_text(own)
    before = BOOK.format(imp="acme/opts.proto", opt="")
    after = BOOK.format(imp="acme/opts.proto", opt=" [(acme.field_behavior) = 2]")
    assert _findings(tmp_path, before, after, "FIELD_BEHAVIOR_NO_ADD_REQUIRED", google=False) == []


@pytest.mark.parametrize(("old", "new", "old_pkg", "new_pkg", "sep", "same"), [
    ("/v1/{name=books/*}", "/v2/{name=books/*}", "library.v1", "library.v2", "/", True),
    ("/v1beta1/{name=books/*}", "/v1/{name=books/*}", "library.v1beta1", "library.v1", "/", True),
    ("/v1/{name=books/*}", "/v2/{name=books/*}", "library.v1", "library.v1", "/", False),
    ("/v1/{name=books/*}", "/v2/{name=shelves/*}", "library.v1", "library.v2", "/", False),
    ("/v1/{name=books/*}", "/v3/{name=books/*}", "library.v1", "library.v2", "/", False),
    ("/v1/books", "/v2/books", "library", "library.v2", "/", False),
    ("library.v1.ExportResponse", "library.v2.ExportResponse", "library.v1", "library.v2", ".", True),
])
def test_version_only_differences(old: str, new: str, old_pkg: str, new_pkg: str, sep: str, same: bool) -> None:
    assert same_but_version(old, new, old_pkg, new_pkg, sep) is same
