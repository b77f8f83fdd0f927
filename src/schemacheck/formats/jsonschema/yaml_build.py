"""Composed YAML nodes → plain JSON data, with alias, depth and tag limits.

Maintainers: ``yaml_compose.py`` turns the text into nodes (libyaml's events, plain scalars
resolved by the YAML 1.2 core schema like the JavaScript tools that read most JSON Schema and
OpenAPI YAML, see :class:`Core12Resolver`, nesting limited). Here we build the data ourselves,
iteratively, so that we control what aliases may do: an aliased node is built once and the
object shared, but its *expanded* size and depth count against limits (every later stage walks
the expansion), and an alias to one of its own ancestors is refused. Only the JSON-compatible
core tags are accepted; timestamps, ``!!binary`` and the like stay the strings they were
written as. Mapping keys are the key's source text (``on:`` stays ``"on"``), and duplicates are
errors.
"""

from __future__ import annotations

from typing import Any

import yaml

from .yaml_compose import Core12Resolver, YamlBuildError, compose_yaml

__all__ = ["YamlBuildError", "Core12Resolver", "compose_yaml", "build_data"]

_TAG = "tag:yaml.org,2002:"
_AS_TEXT = {_TAG + "str", _TAG + "timestamp", _TAG + "binary"}


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
