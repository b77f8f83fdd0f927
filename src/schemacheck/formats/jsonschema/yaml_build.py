"""Safe YAML → node tree → plain JSON data, with depth, alias and tag limits.

Maintainers: we compose (``yaml.compose``-style, libyaml's parser when available, plain
scalars resolved by the YAML 1.2 core schema like the JavaScript tools that read most JSON
Schema and OpenAPI YAML, see :class:`Core12Resolver`) with a composer that refuses nesting deeper than a limit, then build the data
ourselves, iteratively, so that we control what aliases may do: an aliased node is expanded
(JSON has no sharing) but every expanded value counts against a budget, and an alias to one of
its own ancestors is refused. Only the JSON-compatible core tags are accepted; timestamps,
``!!binary`` and the like stay the strings they were written as. Mapping keys are the key's
source text (``on:`` stays ``"on"``), and duplicates are errors.
"""

from __future__ import annotations

from typing import Any

import re

import yaml
from yaml.composer import Composer
from yaml.resolver import BaseResolver

__all__ = ["YamlBuildError", "Core12Resolver", "compose_yaml", "build_data"]

_TAG = "tag:yaml.org,2002:"
_AS_TEXT = {_TAG + "str", _TAG + "timestamp", _TAG + "binary"}


class Core12Resolver(BaseResolver):
    """Plain scalars resolved by the YAML 1.2 core schema, as js-yaml and most JSON Schema and
    OpenAPI tools do: ``yes``/``no``/``on``/``off`` are strings, ``010`` is ten, no ``1_000``,
    no sexagesimal ``1:30``, no timestamps. ``<<`` merge keys are still understood."""


for _tag, _regexp, _first in (
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    ("float", r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
     "-+.0123456789"),
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("merge", r"^(?:<<)$", "<"),
):
    Core12Resolver.add_implicit_resolver(_TAG + _tag, re.compile(_regexp), list(_first))


class YamlBuildError(Exception):
    """A YAML problem at a 1-based position."""

    def __init__(self, line: int, column: int, detail: str) -> None:
        super().__init__(detail)
        self.line, self.column, self.detail = line, column, detail


class _DepthComposer(Composer):
    max_depth = 200

    def compose_node(self, parent: Any, index: Any) -> Any:  # noqa: D401 - yaml API
        depth = getattr(self, "_depth", 0) + 1
        if depth > self.max_depth:
            mark = self.peek_event().start_mark
            raise YamlBuildError(mark.line + 1, mark.column + 1, f"nesting deeper than {self.max_depth} levels")
        self._depth = depth
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth = depth - 1


def _make_loader() -> type:
    if getattr(yaml, "__with_libyaml__", False):
        from yaml.cyaml import CParser as base

        class _CLoader(_DepthComposer, base, Core12Resolver):  # type: ignore[misc, valid-type]
            def __init__(self, stream: str) -> None:
                base.__init__(self, stream)
                _DepthComposer.__init__(self)
                Core12Resolver.__init__(self)

        return _CLoader
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _PyLoader(Reader, Scanner, Parser, _DepthComposer, Core12Resolver):
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            _DepthComposer.__init__(self)
            Core12Resolver.__init__(self)

    return _PyLoader


_LOADER: type | None = None


def compose_yaml(text: str, max_depth: int) -> Any:
    """Compose one YAML document into nodes (``None`` when empty)."""
    global _LOADER
    if _LOADER is None:
        _LOADER = _make_loader()
    # libyaml parses UTF-8 bytes ~10x faster than a str (which PyYAML feeds it in pieces);
    # its marks still count characters, so positions are the same.
    loader = _LOADER(text.encode("utf-8") if _LOADER.__name__ == "_CLoader" else text)
    loader.max_depth = max_depth
    try:
        return loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        _raise_if_too_deep(text, mark.index if mark else len(text), max_depth)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        detail = " ".join(part for part in (exc.context, exc.problem) if part)
        raise YamlBuildError(line, col, f"invalid YAML: {detail}") from None
    except yaml.YAMLError as exc:
        raise YamlBuildError(1, 1, f"invalid YAML: {exc}") from None
    except RecursionError:
        _raise_if_too_deep(text, len(text), max_depth)
        raise YamlBuildError(1, 1, f"nesting deeper than {max_depth} levels") from None
    finally:
        loader.dispose()


#: Flow brackets, and the quoted strings and comments whose brackets do not count.
_FLOW_TOKEN = re.compile(r""""(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|(?:^|(?<=[ \t]))#[^\n]*|[\[\]{}]""", re.M)


def _raise_if_too_deep(text: str, upto: int, max_depth: int) -> None:
    """Raise our own "nesting deeper than" error if flow brackets before ``upto`` nest too deep.

    libyaml has nesting limits of its own (PyYAML 6.0.4's bundled libyaml stops flow nesting
    near 1,000 levels) that fire before our composer sees the depth; their wording varies by
    version. When the library gives up, this decides from the text whether the real cause is
    depth, so the user gets the same message, position and limit whatever the library version.
    """
    depth = 0
    for match in _FLOW_TOKEN.finditer(text, 0, min(upto + 1, len(text))):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > max_depth:
                line = text.count("\n", 0, match.start()) + 1
                column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
                raise YamlBuildError(line, column, f"nesting deeper than {max_depth} levels") from None
        elif token in "]}":
            depth = max(depth - 1, 0)


def _scalar(node: yaml.ScalarNode) -> Any:
    tag, text = node.tag, node.value
    try:
        if tag in _AS_TEXT:
            return text
        if tag == _TAG + "int":
            digits = text.replace("_", "") if text.lower().startswith(("0x", "0o", "0b")) else text
            return int(digits, 0) if digits[:2].lower() in ("0x", "0o", "0b") else int(digits, 10)
        if tag == _TAG + "float":
            value = float(text.lower().replace(".inf", "inf").replace(".nan", "nan"))
            if value != value or value in (float("inf"), float("-inf")):
                raise _error(node, f"{text!r} is not a JSON number")
            return value
        if tag == _TAG + "bool" and text.lower() in ("true", "false"):
            return text.lower() == "true"
        if tag == _TAG + "null":
            return None
    except ValueError:
        raise _error(node, f"{text!r} is not a valid {tag.rsplit(':', 1)[-1]}") from None
    raise _error(node, f"unsupported YAML tag {tag!r} for {text!r}; only JSON-compatible values are allowed")


def _error(node: Any, detail: str) -> YamlBuildError:
    return YamlBuildError(node.start_mark.line + 1, node.start_mark.column + 1, detail)


def _check_tag(node: Any, expected: str) -> None:
    if node.tag != _TAG + expected:
        raise _error(node, f"unsupported YAML tag {node.tag!r}; only JSON-compatible values are allowed")


def _postorder(root: Any) -> list[Any]:
    """Every distinct node once, children before parents; a node reachable from itself is an error.

    Linear in the *written* document: an aliased node is visited once however often it is used.
    """
    done: set[int] = set()
    on_path: set[int] = set()
    order: list[Any] = []
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        key = id(node)
        if leaving:
            on_path.discard(key)
            done.add(key)
            order.append(node)
            continue
        if key in done:
            continue
        if key in on_path:
            raise _error(node, "recursive YAML alias: a node contains itself")
        on_path.add(key)
        stack.append((node, True))
        if isinstance(node, yaml.SequenceNode):
            stack.extend((child, False) for child in reversed(node.value))
        elif isinstance(node, yaml.MappingNode):
            # Keys are not visited: a key must be a scalar (``_members`` says so otherwise).
            stack.extend((value, False) for _, value in reversed(node.value))
    return order


def _members(node: Any, members: dict[int, dict[str, Any]]) -> dict[str, Any]:
    """Key → value node of a mapping, ``<<`` merges applied (earlier keys win, as in YAML 1.1)."""
    _check_tag(node, "map")
    own: dict[str, Any] = {}
    merges: list[Any] = []
    for key, value in node.value:
        if key.tag == _TAG + "merge":
            merges.extend(value.value if isinstance(value, yaml.SequenceNode) else [value])
            continue
        if not isinstance(key, yaml.ScalarNode):
            raise _error(key, "a mapping key must be a plain string, not a collection")
        if key.value in own:
            raise _error(key, f"duplicate key {key.value!r} in a mapping")
        own[key.value] = value
    for source in merges:
        if not isinstance(source, yaml.MappingNode):
            raise _error(source, "a merge key (<<) must refer to a mapping")
        for name, value in members[id(source)].items():
            own.setdefault(name, value)
    return own


def build_data(root: Any, alias_budget: int, max_depth: int = 200) -> Any:
    """Turn composed nodes into plain JSON data.

    An aliased node is built once and the same Python object is shared by every alias (JSON
    data read-only from here on), so building is linear in the written text. What later
    stages walk is the *expanded* tree, though, so its size and depth are computed on the way
    (children before parents) and bounded: aliases may add at most ``alias_budget`` values
    beyond the written ones, and may not nest deeper than ``max_depth``.
    """
    order = _postorder(root)
    limit = len(order) + alias_budget
    built: dict[int, Any] = {}
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    members: dict[int, dict[str, Any]] = {}
    for node in order:
        key = id(node)
        if isinstance(node, yaml.ScalarNode):
            built[key], size[key], depth[key] = _scalar(node), 1, 1
            continue
        if isinstance(node, yaml.SequenceNode):
            _check_tag(node, "seq")
            children = node.value
            built[key] = [built[id(child)] for child in children]
        else:
            members[key] = own = _members(node, members)
            children = list(own.values())
            built[key] = {name: built[id(value)] for name, value in own.items()}
        size[key] = 1 + sum(size[id(child)] for child in children)
        depth[key] = 1 + max((depth[id(child)] for child in children), default=0)
        if size[key] > limit:
            raise _error(node, f"the document expands to more than {limit} values through YAML aliases "
                               f"(its {len(order)} written values plus at most {alias_budget} copies); "
                               "refusing to load it")
        if depth[key] > max_depth:
            raise _error(node, f"nesting deeper than {max_depth} levels through YAML aliases")
    return built[id(root)]
