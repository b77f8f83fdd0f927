"""YAML text → composed node tree (``yaml.nodes``), fast, with a depth limit and our own messages.

Maintainers: PyYAML's ``Composer`` costs ~3 s per MB in Python method calls (peek/check
event, path resolvers). libyaml produces the events in C (~0.3 s per MB when given UTF-8
bytes), so :func:`compose_yaml` runs one flat loop over them and builds the same node
objects the ``Composer`` would: anchors are registered when their node starts (so a recursive
alias makes a cycle, which ``yaml_build`` refuses), ``!`` and untagged nodes get the default
tags, plain scalars are resolved by :class:`Core12Resolver`. Nesting deeper than the limit is
refused at the event that opens it. Without libyaml the pure-Python parser feeds the same loop.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.events import (AliasEvent, DocumentEndEvent, MappingEndEvent, MappingStartEvent, ScalarEvent,
                         SequenceEndEvent, SequenceStartEvent, StreamEndEvent)
from yaml.nodes import MappingNode, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

__all__ = ["YamlBuildError", "Core12Resolver", "compose_yaml"]

_TAG = "tag:yaml.org,2002:"

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


def _make_parser() -> type:
    if getattr(yaml, "__with_libyaml__", False):
        from yaml.cyaml import CParser

        return CParser
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _PyParser(Reader, Scanner, Parser):
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)

    return _PyParser


_PARSER: type | None = None
_STR, _SEQ, _MAP = _TAG + "str", _TAG + "seq", _TAG + "map"


def _resolve_plain(value: str) -> str:
    for tag, regexp in Core12Resolver.yaml_implicit_resolvers.get(value[:1], ()):
        if regexp.match(value):
            return tag
    return _STR


def _events_to_nodes(parser: Any, max_depth: int) -> Any:
    """The single document of ``parser``'s event stream as nodes (``None`` when empty)."""
    get = parser.get_event
    get()  # StreamStart
    event = get()
    if type(event) is StreamEndEvent:
        return None
    anchors: dict[str, Any] = {}
    stack: list[Any] = []  # open collections
    keys: list[Any] = []  # per open mapping: the pending key node, or None
    root = None
    while True:
        event = get()
        kind = type(event)
        if kind is ScalarEvent:
            tag = event.tag
            if tag is None or tag == "!":
                tag = _resolve_plain(event.value) if event.implicit[0] else _STR
            node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
            if event.anchor is not None:
                anchors[event.anchor] = node
        elif kind is AliasEvent:
            node = anchors.get(event.anchor)
            if node is None:
                mark = event.start_mark
                raise YamlBuildError(mark.line + 1, mark.column + 1, f"undefined YAML alias *{event.anchor}")
        elif kind is SequenceStartEvent or kind is MappingStartEvent:
            if len(stack) >= max_depth:
                mark = event.start_mark
                raise YamlBuildError(mark.line + 1, mark.column + 1, f"nesting deeper than {max_depth} levels")
            tag = event.tag
            if tag is None or tag == "!":
                tag = _SEQ if kind is SequenceStartEvent else _MAP
            cls = SequenceNode if kind is SequenceStartEvent else MappingNode
            node = cls(tag, [], event.start_mark, None, event.flow_style)
            if event.anchor is not None:
                anchors[event.anchor] = node
            stack.append(node)
            keys.append(None)
            continue
        elif kind is SequenceEndEvent or kind is MappingEndEvent:
            node = stack.pop()
            keys.pop()
            node.end_mark = event.end_mark
        elif kind is DocumentEndEvent:
            break
        else:  # pragma: no cover - the parser emits nothing else inside a document
            continue
        if not stack:
            root = node
        elif type(stack[-1]) is SequenceNode:
            stack[-1].value.append(node)
        elif keys[-1] is None:
            keys[-1] = node
        else:
            stack[-1].value.append((keys[-1], node))
            keys[-1] = None
    event = get()
    if type(event) is not StreamEndEvent:
        mark = event.start_mark
        raise YamlBuildError(mark.line + 1, mark.column + 1,
                             "more than one YAML document in the file; a schema file holds exactly one")
    return root


def compose_yaml(text: str, max_depth: int) -> Any:
    """Compose one YAML document into nodes (``None`` when empty)."""
    global _PARSER
    if _PARSER is None:
        _PARSER = _make_parser()
    # libyaml parses UTF-8 bytes ~10x faster than a str (which PyYAML feeds it in pieces);
    # its marks still count characters, so positions are the same.
    parser = _PARSER(text.encode("utf-8") if _PARSER.__name__ == "CParser" else text)
    try:
        return _events_to_nodes(parser, max_depth)
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
        parser.dispose()


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


