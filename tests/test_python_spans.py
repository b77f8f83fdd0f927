"""The Python front end's own position pass gives exactly libcst's ``PositionProvider`` spans.

``schemacheck.formats.python.spans`` replaced ``MetadataWrapper(...).resolve(PositionProvider)``
(several times the cost of the parse) with a cheaper state over the same libcst code
generation. Every test here reads the same text twice, once through ``parse_module`` and once
through the same reader fed with ``PositionProvider``'s positions of every node, and compares
the whole result (every ``Expr``, statement, class, class name and function span included),
on the Python fixtures, a few hundred fuzz inputs and adversarial text. A second check compares
the positions of *every* node of each tree, not only those the reader asks for.
"""

from __future__ import annotations

import random
import sys
import warnings
import libcst as cst
import pytest

from schemacheck.errors import ParseError
from schemacheck.formats.python.source import _Reader, parse_module
from schemacheck.formats.python.spans import node_spans
from schemacheck.formats.python.syntax import NO_SPAN, Expr
from tools import FIXTURES, REPO_ROOT

sys.path.insert(0, str(REPO_ROOT))

from fuzz.mutate_python import generate_module  # noqa: E402
from fuzz.targets import TARGETS  # noqa: E402

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from libcst.metadata import MetadataWrapper, PositionProvider


def _reference_spans(tree: cst.Module) -> dict[int, tuple[int, int, int, int]]:
    """``PositionProvider``'s span of every node of ``tree``, by ``id`` (what the reader used before)."""
    positions = MetadataWrapper(tree, unsafe_skip_copy=True).resolve(PositionProvider)
    return {id(node): (p.start.line, p.start.column + 1, p.end.line, p.end.column + 1) for node, p in positions.items()}


def _all_nodes(tree: cst.CSTNode) -> list[cst.CSTNode]:
    out, stack = [], [tree]
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(node.children)
    return out


def _spans(value: object) -> list[tuple[int, int, int, int]]:
    """Every span in a ``ModuleInfo``, in a stable order (to show the comparison is not vacuous)."""
    out: list[tuple[int, int, int, int]] = []

    def walk(item: object) -> None:
        if isinstance(item, Expr):
            out.append(item.span)
            for child in item.items:
                walk(child)
            for _, child in item.kwargs:
                walk(child)
        elif isinstance(item, (tuple, list)):
            for child in item:
                walk(child)
        elif isinstance(item, dict):
            for child in item.values():
                walk(child)
        elif hasattr(item, "__dataclass_fields__"):
            for name in item.__dataclass_fields__:
                child = getattr(item, name)
                if name.endswith("span"):
                    out.append(child)
                else:
                    walk(child)

    walk(value)
    return out


def _check(text: str) -> int:
    """Compare both ways of reading ``text``; the number of real spans compared (0 if it does not parse)."""
    try:
        info = parse_module("m/a.py", "m.a", text.encode("utf-8"))
    except ParseError:
        return 0
    tree = cst.parse_module(text)
    expected = _Reader("m/a.py", "m.a", _reference_spans(tree)).read_module(tree)
    assert repr(info) == repr(expected)
    assert _spans(info) == _spans(expected)
    every = _all_nodes(tree)
    reference = _reference_spans(tree)
    assert node_spans(tree, [id(node) for node in every]) == reference
    return sum(1 for span in _spans(info) if span != NO_SPAN)


FIXTURE_FILES = sorted((FIXTURES / "python").rglob("*.py"))


def test_fixture_spans_match_position_provider() -> None:
    assert len(FIXTURE_FILES) >= 10
    compared = 0
    for path in FIXTURE_FILES:
        compared += _check(path.read_bytes().decode("utf-8-sig"))
    assert compared > 300


def test_fuzz_inputs_spans_match_position_provider() -> None:
    """Seeded generated modules and havoc mutants of the fixtures (the fuzz target's own inputs)."""
    rng = random.Random(7)
    compared = 0
    for _ in range(150):
        base, head = generate_module(rng)
        compared += _check(base.decode("utf-8")) + _check(head.decode("utf-8"))
    target = TARGETS["python"]
    seeds = target.seeds()
    parsed = 0
    for _ in range(250):
        _, head = target.next_input(rng, seeds)
        try:
            text = head.decode("utf-8-sig")
        except UnicodeDecodeError:
            continue
        found = _check(text)
        parsed += found > 0
        compared += found
    assert parsed >= 20
    assert compared > 10_000


ADVERSARIAL = {
    "tabs": "class A(BaseModel):\n\tx:\tint\t=\tField(\t1,\talias='y')\n\tz: 'Optional[\tB]'\n",
    "crlf": "from pydantic import BaseModel\r\n\r\nclass A(BaseModel):\r\n    x: int = 1\r\n    y: List[\r\n        str\r\n    ]\r\n",
    "lone_cr": "class A(BaseModel):\r    x: int\r    y: str = 'a'\r",
    "crlf_strings_and_continuations": "class A(BaseModel):\r\n    x: int = 1 + \\\r\n  2\r\n    z: str = \"\"\"a\r\nb\r\n"
                                      "\"\"\"\r\n    w: Literal[\r\n  \"\"\"\r\n\"\"\"]\r\n",
    "form_feed": "\x0cclass A(BaseModel):\n\x0c    x: int\n    \x0cy: str = \\\n\x0c  'b'\n",
    "non_ascii": "class Größe(BaseModel):\n    naïve: Literal['été', '日本語'] = '日本語'\n    ß: int = Field(1, "
                 "description='🙂 emoji 🙂')\n    z: 'Größe | None' = None\n",
    "continuations": "class A(BaseModel):\n    x: \\\n        int = \\\n        Field(\\\n  1)\n",
    "nested_brackets": "class A(BaseModel):\n    x: Dict[str, List[Tuple[int, Optional[Dict[str, "
                       "Union[int, List[(str)]]]]]]] = ((Field(((None)), alias=(('x')))))\n",
    "decorators": "@dataclass(frozen=True)\n@other . thing [1] (\n  2)\nclass A:\n    @property\n    def x(self) "
                  "-> int: ...\n    @ staticmethod\n\n    def y(): pass\n\n@app.get('/x')\nasync def route(a: int = "
                  "Query(1)) -> A:\n    return A()\n",
    "semicolons": "class A(BaseModel): x: int; y: str = 'a' ; z = 1\nB = A; C: TypeAlias = 'A'\n"
                  "class D(A):\n    a: int; b: str = Field('x');\n",
    "concatenated_strings": "class A(BaseModel):\n    x: Literal['a' 'b', \"c\"\n  'd'] = ('a'\n 'b')\n"
                            "    y: str = Field(description=f'{1}' 'x' r'y')\n    z: bytes = b'a' rb'y'\n",
    "comments_everywhere": "# head\n\n# lead\nclass A(BaseModel):  # trail\n    # inner\n    x: int  # c\n"
                           "    # end of body\n\n# between\nclass B(A): pass  # tail",
    "no_trailing_newline": "class A(BaseModel):\n    x: int = 1",
    "empty_body_forms": "class A: ...\nclass B(A): x: int\nclass C(\n    B,\n    metaclass=M,\n):\n"
                        "    class Inner(BaseModel):\n        y: 'C'\n    z: Inner\n",
    "bom": "\ufeffclass A(BaseModel):\n    x: int\n",
    "if_try_blocks": "if TYPE_CHECKING:\n    from a import B\nelse:\n    B = None\ntry:\n    import x\nexcept "
                     "ImportError:\n    x = None\nclass A(BaseModel):\n    b: 'B'\n",
    "blank_and_whitespace_lines": "\n\n   \n\t\nclass A(BaseModel):\n\n    \n    x: int\n  \n\n    y: int\n\n\n",
    "type_statement_and_lambdas": "X = lambda: [i for i in range(3)]\nY: Callable[..., int] = lambda *a, **k: 1\n"
                                  "class A(BaseModel):\n    f: int = Field(default_factory=lambda: {**d, 'a': [*x]})\n"
                                  "    g: float = -1.5e3\n    h: Annotated[int, Field(ge=-1)] = -0x10\n",
}


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_adversarial_spans_match_position_provider(name: str) -> None:
    assert _check(ADVERSARIAL[name]) > 0
