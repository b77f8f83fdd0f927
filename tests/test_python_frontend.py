"""The Python DTO front end on inline sources: kinds, names, requiredness, policies, opaque constructs.

Each test writes modules into a temporary directory and reads them statically with the
front end (``Project`` -> ``Extractor`` -> ``ShapeBuilder``), as the checker does; the
expectations are written by hand from each library's documented behaviour.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from schemacheck.formats.python.classes import Extractor
from schemacheck.formats.python.project import Project
from schemacheck.formats.python.to_shape import READ, WRITE, ShapeBuilder
from schemacheck.formats.python.version import pydantic_major
from schemacheck.shape.nodes import NeverShape, ObjectShape, UnknownShape
from schemacheck.snapshot import DirectorySnapshot
from tools import FIXTURES


def load(tmp: Path, files: dict[str, str], path: str = "m.py", version: int | None = None):
    for name, text in files.items():
        (tmp / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp / name).write_text(text)
    x = Extractor(Project(DirectorySnapshot(tmp)), version)
    return x, {d.name: d for d in x.module_dtos(x.project.load(path))}


def fields(dto) -> dict[str, tuple[str, str, bool, bool]]:
    return {f.attr: (f.read_name, f.write_name, f.required_in, f.required_out) for f in dto.fields}


def test_attrs_and_msgspec_from_the_corpus() -> None:
    x = Extractor(Project(DirectorySnapshot(FIXTURES / "python" / "corpus")))
    dtos = {d.name: d for d in x.module_dtos(x.project.load("extras.py"))}
    assert fields(dtos["Coupon"]) == {"code": ("code", "code", True, True), "percent": ("percent", "percent", False, True),
                                      "_secret": ("_secret", "_secret", False, True)}  # cattrs keeps the underscore
    assert fields(dtos["Legacy"]) == {"ident": ("ident", "ident", True, True), "label": ("label", "label", False, True)}
    assert fields(dtos["Shipment"]) == {
        "tracking_number": ("trackingNumber", "trackingNumber", True, True),
        "carrier_name": ("carrier", "carrier", False, False),  # field(name=) wins; omit_defaults omits it
        "weight_grams": ("weightGrams", "weightGrams", False, False)}
    assert dtos["Shipment"].extra == "forbid"


def test_project_local_base_in_another_package_is_followed(tmp_path: Path) -> None:
    x, dtos = load(tmp_path, {
        "sdk/__init__.py": "from .model import SdkModel\n",
        "sdk/model.py": "import pydantic\n\nclass SdkModel(pydantic.BaseModel):\n"
                        "    model_config = pydantic.ConfigDict(extra='forbid')\n    trace_id: str = ''\n",
        "svc/api.py": "from sdk import SdkModel\n\nclass Reply(SdkModel):\n    ok: bool\n",
    }, "svc/api.py")
    reply = dtos["Reply"]
    assert reply.kind == "pydantic2" and reply.extra == "forbid"
    assert [f.attr for f in reply.fields] == ["trace_id", "ok"]
    assert isinstance(ShapeBuilder(x).shape(reply, READ).additional, NeverShape)


def test_pydantic_version_from_project_files(tmp_path: Path) -> None:
    (tmp_path / "poetry.lock").write_text('[[package]]\nname = "pydantic"\nversion = "1.10.13"\n')
    assert pydantic_major(DirectorySnapshot(tmp_path)) == 1
    (tmp_path / "poetry.lock").unlink()
    (tmp_path / "pyproject.toml").write_text('[project]\ndependencies = ["pydantic>=2.5", "rich"]\n')
    assert pydantic_major(DirectorySnapshot(tmp_path)) == 2
    (tmp_path / "pyproject.toml").write_text('[tool.poetry.dependencies]\npydantic = "^1.10"\n')
    assert pydantic_major(DirectorySnapshot(tmp_path)) == 1
    (tmp_path / "pyproject.toml").unlink()
    assert pydantic_major(DirectorySnapshot(tmp_path)) is None


def test_v1_config_fields_and_optional(tmp_path: Path) -> None:
    _, dtos = load(tmp_path, {"m.py": (
        "from typing import Optional, Any\nfrom pydantic import BaseModel, Field\n\n"
        "class A(BaseModel):\n    a: Optional[int]\n    b: Any\n    c: Optional[int] = Field(...)\n    d: int\n"
        "    class Config:\n        fields = {'d': {'alias': 'D'}}\n")}, version=1)
    assert fields(dtos["A"]) == {"a": ("a", "a", False, True), "b": ("b", "b", False, True),
                                 "c": ("c", "c", True, True), "d": ("D", "D", True, True)}


def test_typeddict_totality_is_per_class(tmp_path: Path) -> None:
    _, dtos = load(tmp_path, {"m.py": (
        "from typing import TypedDict, Required\n\nclass Base(TypedDict, total=False):\n    a: int\n"
        "    b: Required[int]\n\nclass Child(Base):\n    c: int\n\nclass Closed(TypedDict, closed=True):\n    x: int\n")})
    assert fields(dtos["Child"]) == {"a": ("a", "a", False, False), "b": ("b", "b", True, True),
                                     "c": ("c", "c", True, True)}
    assert dtos["Closed"].extra == "forbid"


@pytest.mark.parametrize(("source", "note"), [
    ("def gen(n):\n    return n.upper()\n\nclass A(BaseModel):\n    model_config = ConfigDict(alias_generator=gen)\n"
     "    x: int\n", "alias_generator gen is not a known function"),
    ("class A(BaseModel):\n    x: int\n\n    @field_validator('x')\n    def check(cls, v):\n        return v\n",
     "validator check runs custom code"),
    ("class A(BaseModel):\n    x: int\n\n    @model_serializer\n    def dump(self):\n        return {}\n",
     "a custom model serializer decides its output"),
    ("class A(BaseModel):\n    x: Union[int, str] = Field(discriminator=Discriminator(pick))\n",
     "a callable discriminator cannot be read statically"),
    ("from somewhere import Money\n\nclass A(BaseModel):\n    x: Money\n", "is not defined in the repository"),
])
def test_what_cannot_be_read_is_a_note_at_its_position(tmp_path: Path, source: str, note: str) -> None:
    header = "from typing import Union\nfrom pydantic import *\n\n"
    x, dtos = load(tmp_path, {"m.py": header + source})
    shape_read = ShapeBuilder(x).shape(dtos["A"], READ)
    ShapeBuilder(x).shape(dtos["A"], WRITE)
    found = [n for n in x.notes.values() if note in n.message]
    assert found and found[0].span[0] > 3, [n.message for n in x.notes.values()]
    if "alias_generator" in note:
        assert isinstance(shape_read, UnknownShape)


def test_forward_refs_type_aliases_newtypes_and_enums(tmp_path: Path) -> None:
    x, dtos = load(tmp_path, {"m.py": (
        "from __future__ import annotations\nimport enum\nfrom typing import NewType, List, Literal\n"
        "from pydantic import BaseModel\n\nUserId = NewType('UserId', int)\nNames = List['str']\n"
        "class Color(enum.Enum):\n    RED = 'r'\n    BLUE = 'b'\n\n"
        "class Node(BaseModel):\n    id: UserId\n    names: Names\n    color: Color\n    only: Literal[Color.RED]\n"
        "    children: 'list[Node]' = []\n")})
    node = ShapeBuilder(x).shape(dtos["Node"], READ)
    assert isinstance(node, ObjectShape)
    kinds = {p.name: type(p.shape).__name__ for p in node.properties}
    assert kinds == {"id": "NumberShape", "names": "ArrayShape", "color": "EnumShape", "only": "EnumShape",
                     "children": "ArrayShape"}
    color = node.prop("color").shape
    assert color.decoded() == ["r", "b"] and node.prop("only").shape.decoded() == ["r"]
    assert not x.notes


def test_root_model_is_its_root_type(tmp_path: Path) -> None:
    x, dtos = load(tmp_path, {"m.py": "from pydantic import RootModel, Field\nfrom typing import Annotated\n\n"
                                      "class Ids(RootModel[list[int]]):\n    root: Annotated[list[int], Field(max_length=5)]\n"})
    shape = ShapeBuilder(x).shape(dtos["Ids"], READ)
    assert type(shape).__name__ == "ArrayShape" and shape.max_items == 5
