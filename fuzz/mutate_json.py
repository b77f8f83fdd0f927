"""Structure-aware mutations of JSON Schema documents (the JSON and YAML targets).

Maintainers: byte and token mutations of JSON mostly stop at the parser; the shape engine is
reached only by documents that still parse and pass the metaschema. These mutations edit the
parsed tree instead (add / drop / retype keywords from :data:`KEYWORDS`, wrap in combinators,
add ``$ref``s to existing definitions and to the root, nest, copy subtrees) and serialise the
result, so most inputs reach ``to_shape`` and the engine comparing them with their seed.
"""

from __future__ import annotations

import copy
import json
import random
import re
from typing import Any

__all__ = ["mutate_tree", "KEYWORDS", "DICTIONARY", "dump_json", "dump_yaml"]

KEYWORDS = ("type", "properties", "required", "additionalProperties", "items", "prefixItems",
            "additionalItems", "enum", "const", "anyOf", "oneOf", "allOf", "not", "if", "then", "else",
            "$ref", "$defs", "definitions", "$id", "$anchor", "$schema", "minimum", "maximum",
            "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength", "maxLength", "pattern",
            "format", "minItems", "maxItems", "uniqueItems", "contains", "minContains", "maxContains",
            "minProperties", "maxProperties", "patternProperties", "propertyNames", "dependentRequired",
            "dependentSchemas", "dependencies", "unevaluatedProperties", "unevaluatedItems", "default",
            "title", "description", "deprecated", "readOnly", "writeOnly", "nullable", "discriminator",
            "$dynamicRef", "$dynamicAnchor", "$recursiveRef", "$comment", "examples", "contentEncoding")
DICTIONARY = tuple(f'"{k}"'.encode() for k in KEYWORDS) + (
    b'"string"', b'"integer"', b'"number"', b'"object"', b'"array"', b'"boolean"', b'"null"',
    b'"#"', b'"#/$defs/a"', b'"#/definitions/a"', b'"other.json#/x"', b'"https://example.com/s"',
    b'"https://json-schema.org/draft/2020-12/schema"', b'"http://json-schema.org/draft-07/schema#"',
    b'"http://json-schema.org/draft-04/schema#"', b"true", b"false", b"null", b"{}", b"[]", b"1e308")
_TYPES = ("string", "integer", "number", "object", "array", "boolean", "null")
_DIALECTS = ("https://json-schema.org/draft/2020-12/schema", "https://json-schema.org/draft/2019-09/schema",
             "http://json-schema.org/draft-07/schema#", "http://json-schema.org/draft-06/schema#",
             "http://json-schema.org/draft-04/schema#", "urn:unknown")
_NUMBERS = (0, 1, -1, 2, 3, 0.5, 10, 255, 2**31, 2**53 + 1, 2**64, 1e308, 1e-300, 0.1, 7, 100, -2**63)
_PATTERNS = ("^[a-z]+$", "^\\d{4}-\\d{2}-\\d{2}$", "a|b", "(a+)+$", "[", "^(?:x)*$", ".*", "\\p{L}", "^$",
             "(?=a)b", "^[\\w.-]+@[\\w-]+$", "[^]", "a{2,1}", "\\")


def _names(rng: random.Random) -> str:
    return rng.choice(("a", "b", "id", "name", "total_amount", "x" * 40, "", "$ref", "é", "a b", "a/b",
                       "~0", "0", "\u202e", "a\nb", "properties"))


def _value(rng: random.Random, keyword: str, depth: int) -> Any:
    """A plausible (sometimes wrong-typed) value for ``keyword``."""
    if rng.random() < 0.07:  # wrong type on purpose
        return rng.choice((None, True, "x", 1, [], {}, [1, "a"], -0.0))
    if keyword == "type":
        return rng.choice(_TYPES) if rng.random() < 0.7 else rng.sample(_TYPES, rng.randint(1, 3))
    if keyword in ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas"):
        return {(_names(rng) if keyword != "patternProperties" else rng.choice(_PATTERNS)): _schema(rng, depth + 1)
                for _ in range(rng.randint(0, 3))}
    if keyword in ("required",):
        return [_names(rng) for _ in range(rng.randint(0, 3))]
    if keyword in ("dependentRequired", "dependencies"):
        return {_names(rng): ([_names(rng)] if rng.random() < 0.5 else _schema(rng, depth + 1))}
    if keyword in ("anyOf", "oneOf", "allOf", "prefixItems"):
        return [_schema(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    if keyword == "items":
        return _schema(rng, depth + 1) if rng.random() < 0.7 else [_schema(rng, depth + 1)]
    if keyword in ("additionalProperties", "additionalItems", "not", "if", "then", "else", "contains",
                   "propertyNames", "unevaluatedProperties", "unevaluatedItems"):
        return _schema(rng, depth + 1)
    if keyword in ("enum", "examples"):
        return [rng.choice((1, "a", None, True, 2.5, {"k": 1}, [1], "b")) for _ in range(rng.randint(0, 4))]
    if keyword in ("const", "default"):
        return rng.choice((1, "a", None, True, 2.5, {"k": 1}, [1]))
    if keyword in ("$ref", "$dynamicRef", "$recursiveRef"):
        return rng.choice(("#", "#/$defs/a", "#/definitions/a", "#/properties/a", "#a", "other.json",
                           "other.json#/$defs/a", "https://example.com/s.json", "#/$defs/%25", "#/$defs/b/not",
                           "../../etc/passwd", "/etc/passwd", "#/$defs/a/anyOf/0"))
    if keyword in ("$id", "$anchor", "$dynamicAnchor"):
        return rng.choice(("a", "https://example.com/s.json", "#a", "urn:x", "other.json", ""))
    if keyword == "$schema":
        return rng.choice(_DIALECTS)
    if keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength",
                   "maxLength", "minItems", "maxItems", "minContains", "maxContains", "minProperties",
                   "maxProperties"):
        if keyword.startswith("exclusive") and rng.random() < 0.3:
            return rng.choice((True, False))
        return rng.choice(_NUMBERS)
    if keyword == "pattern":
        return rng.choice(_PATTERNS)
    if keyword == "format":
        return rng.choice(("date-time", "uuid", "email", "uri", "int32", "unknown"))
    if keyword in ("uniqueItems", "deprecated", "readOnly", "writeOnly", "nullable"):
        return rng.choice((True, False))
    if keyword == "discriminator":
        return {"propertyName": _names(rng)}
    return rng.choice(("t", "", "x" * 100))


def _schema(rng: random.Random, depth: int = 0) -> Any:
    if depth > 4 or rng.random() < 0.15:
        return rng.choice((True, False, {}, {"type": rng.choice(_TYPES)}))
    out: dict[str, Any] = {}
    for _ in range(rng.randint(1, 3)):
        keyword = rng.choice(KEYWORDS)
        out[keyword] = _value(rng, keyword, depth)
    return out


def _nodes(tree: Any, out: list, depth: int = 0) -> None:
    """Every dict and list of ``tree`` (the containers a mutation may edit)."""
    if depth > 60:
        return
    if isinstance(tree, dict):
        out.append(tree)
        for v in tree.values():
            _nodes(v, out, depth + 1)
    elif isinstance(tree, list):
        out.append(tree)
        for v in tree:
            _nodes(v, out, depth + 1)


def mutate_tree(rng: random.Random, tree: Any, others: list[Any]) -> Any:
    """One to four structural edits of a parsed schema (a deep copy; ``tree`` is untouched)."""
    tree = copy.deepcopy(tree)
    if not isinstance(tree, dict):
        tree = {"anyOf": [tree]} if rng.random() < 0.5 else _schema(rng)
        if not isinstance(tree, dict):  # _schema may draw true/false: nothing to edit in those
            tree = {"anyOf": [tree]}
    for _ in range(rng.randint(1, 4)):
        nodes: list = []
        _nodes(tree, nodes)
        node = rng.choice(nodes)
        choice = rng.randrange(11)
        if isinstance(node, list):
            if node and choice < 4:
                del node[rng.randrange(len(node))]
            elif node and choice < 6:
                node.append(copy.deepcopy(rng.choice(node)))
            else:
                node.insert(rng.randrange(len(node) + 1), _schema(rng, 2))
            continue
        keys = list(node)
        if choice == 0 and keys:  # drop a keyword / property
            del node[rng.choice(keys)]
        elif choice in (1, 2):  # add or replace a keyword
            keyword = rng.choice(KEYWORDS)
            node[keyword] = _value(rng, keyword, 1)
        elif choice == 3 and keys:  # retype a value
            key = rng.choice(keys)
            node[key] = _value(rng, key if key in KEYWORDS else "type", 2)
        elif choice == 4 and keys:  # rename a key (a renamed property, a typo'd keyword)
            key = rng.choice(keys)
            node[key + rng.choice(("", "_v2", "s"))[: rng.randint(0, 3)] or _names(rng)] = node.pop(key)
        elif choice == 5:  # wrap a subtree in a combinator
            key = rng.choice(keys) if keys else None
            if key is not None and isinstance(node[key], (dict, bool)):
                node[key] = {rng.choice(("anyOf", "oneOf", "allOf")): [node[key], _schema(rng, 3)]}
        elif choice == 6:  # a self reference or a reference to a definition (recursion)
            defs = tree.setdefault("$defs", {}) if isinstance(tree.get("$defs", {}), dict) else {}
            name = rng.choice(list(defs) or ["a"])
            node[rng.choice(("$ref", "items", "additionalProperties"))] = (
                {"$ref": rng.choice(("#", f"#/$defs/{name}"))} if rng.random() < 0.5 else f"#/$defs/{name}")
            defs.setdefault(name, _schema(rng, 2))
        elif choice == 7 and keys:  # copy a subtree elsewhere
            donor = rng.choice(nodes)
            if isinstance(donor, dict) and donor:
                k = rng.choice(list(donor))
                node[k] = copy.deepcopy(donor[k])
        elif choice == 8 and others:  # graft a subtree of another seed
            other_nodes: list = []
            _nodes(rng.choice(others), other_nodes)
            donor = rng.choice(other_nodes)
            if isinstance(donor, dict) and donor:
                k = rng.choice(list(donor))
                node[k] = copy.deepcopy(donor[k])
        elif choice == 9:  # nest deeper
            depth = rng.choice((2, 5, 30, 150, 199, 250)) if rng.random() < 0.5 else 3
            inner: Any = {"type": "string"}
            for _ in range(depth):
                inner = {rng.choice(("properties", "items", "anyOf", "not")): inner}
                if "properties" in inner:
                    inner = {"type": "object", "properties": {"p": inner["properties"]}}
                elif "anyOf" in inner:
                    inner = {"anyOf": [inner["anyOf"]]}
            node[rng.choice(KEYWORDS[:5])] = inner
        elif choice == 10:  # many properties (large inputs are rare: they cost a hundred small ones)
            count = rng.choice((10, 10, 10, 100, 100, 1000)) if rng.random() < 0.97 else 5000
            node["properties"] = {f"p{i}": {"type": rng.choice(_TYPES)} for i in range(count)}
    return tree


def dump_json(rng: random.Random, tree: Any) -> bytes:
    """JSON text in one of a few layouts: compact, one member per line (LF or CRLF), non-ASCII
    kept, and (1 in 10: the pure-Python encoder is slow on big trees) indented."""
    style = rng.randrange(10)
    if style == 0:
        text = json.dumps(tree, indent=rng.choice((1, 2, 4)))
    elif style < 4:
        text = json.dumps(tree, separators=(",", ":"))
    elif style < 7:
        text = json.dumps(tree, separators=(",\n", ": "), ensure_ascii=style == 4)
    else:
        text = json.dumps(tree, separators=(",\r\n", ":"))
    return text.encode("utf-8", "surrogatepass")


def dump_yaml(rng: random.Random, tree: Any) -> bytes:
    """YAML text: block or flow style; sometimes anchors for repeated subtrees (safe_dump emits them)."""
    import yaml

    if rng.random() < 0.3:  # repeated objects become anchors + aliases
        nodes: list = []
        _nodes(tree, nodes)
        dicts = [n for n in nodes if isinstance(n, dict)]
        if dicts and isinstance(tree, dict):
            shared = rng.choice(dicts)
            tree = dict(tree)
            tree.setdefault("$defs", {})
            if isinstance(tree["$defs"], dict):
                tree["$defs"] = dict(tree["$defs"], shared=shared, again=shared)

    if rng.random() < 0.7:  # PyYAML's representer costs more than checking the input: a small emitter
        text = "".join(_block(tree, "", []))
        if rng.random() < 0.2:
            text = text.rstrip("\n")
        return text.encode("utf-8", "surrogatepass")
    # libyaml's emitter when there is one: the pure-Python one costs more than checking the input
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text = yaml.dump(tree, Dumper=dumper, default_flow_style=rng.choice((False, None, True)),
                     allow_unicode=rng.random() < 0.5, sort_keys=False, width=rng.choice((80, 10**6)))
    if rng.random() < 0.2:
        text = text.rstrip("\n")  # no trailing newline
    return text.encode("utf-8", "surrogatepass")


_PLAIN = re.compile(r"[A-Za-z_$][\w$.-]*")
_RESERVED = {"true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"}


def _scalar(value: Any) -> str:
    """A YAML scalar: plain when it reads back as the same string, else a JSON string (valid YAML)."""
    if isinstance(value, str) and _PLAIN.fullmatch(value) and value.lower() not in _RESERVED:
        return value
    if isinstance(value, float) and value != value:
        return ".nan"
    return json.dumps(value, ensure_ascii=False) if not isinstance(value, float) or abs(value) != float("inf") \
        else (".inf" if value > 0 else "-.inf")


def _block(node: Any, pad: str, out: list[str]) -> list[str]:
    """Block-style YAML lines of ``node`` (mappings and sequences nested by two spaces)."""
    if isinstance(node, dict) and node:
        for key, value in node.items():
            head = f"{pad}{_scalar(str(key))}:"
            if isinstance(value, (dict, list)) and value and len(pad) < 400:
                out.append(head + "\n")
                _block(value, pad + ("  " if isinstance(value, dict) else ""), out)
            else:
                out.append(f"{head} {_inline(value)}\n")
    elif isinstance(node, list) and node:
        for value in node:
            if isinstance(value, (dict, list)) and value and len(pad) < 400:
                out.append(f"{pad}-\n")
                _block(value, pad + "  ", out)
            else:
                out.append(f"{pad}- {_inline(value)}\n")
    else:
        out.append(f"{pad}{_inline(node)}\n")
    return out


def _inline(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)  # flow style (JSON is YAML)
    return _scalar(value)
