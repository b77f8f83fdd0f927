"""The engine on real schemas: the JSON Schema metaschemas as they evolved (shipped by the
``jsonschema-specifications`` package, a dependency of ``jsonschema``; read, never copied)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from schemacheck.compat.shape.jsonschema_pair import compare_documents
from schemacheck.formats.jsonschema import JsonDocument, RefResolver, load_document

specs = pytest.importorskip("jsonschema_specifications")
ROOT = Path(specs.__file__).parent / "schemas"
DRAFTS = ["draft3", "draft4", "draft6", "draft7", "draft201909", "draft202012"]


def _load(draft: str) -> JsonDocument:
    return load_document("metaschema.json", (ROOT / draft / "metaschema.json").read_bytes())


def _none(path: str) -> JsonDocument:
    raise FileNotFoundError(path)


def _compare(old: JsonDocument, new: JsonDocument, mode: str) -> Counter[str]:
    found = compare_documents(old, new, RefResolver(_none, (old,)), RefResolver(_none, (new,)), mode=mode)
    return Counter(f.rule_id for f in found)


@pytest.mark.parametrize("draft", DRAFTS)
def test_each_metaschema_is_compatible_with_itself(draft: str) -> None:
    doc = _load(draft)
    assert _compare(doc, doc, "full") == Counter()


def test_draft6_to_draft7_only_adds_keywords() -> None:
    # draft 7 added $comment, readOnly, contentMediaType, contentEncoding, if, then, else to an
    # open model: breaking for new readers under STRICT (old schemas may use those names freely),
    # fine for old readers, fine under LENIENT.
    old, new = _load("draft6"), _load("draft7")
    assert _compare(old, new, "backward") == Counter({"PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL": 7})
    assert _compare(old, new, "forward") == Counter()
    assert compare_documents(old, new, RefResolver(_none, (old,)), RefResolver(_none, (new,)),
                             mode="backward", policy="lenient") == []


def test_draft4_to_draft6_exclusive_bounds_changed_type() -> None:
    found = _compare(_load("draft4"), _load("draft6"), "full")
    assert found["TYPE_CHANGED"] == 2  # exclusiveMaximum/exclusiveMinimum: boolean -> number
    assert found["TYPE_EXTENDED"] == 1  # a schema may now be a boolean
