"""The rule catalog is complete and consistent: IDs, docs, fixtures, generated pages."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from schemacheck.registry import DOC_SECTIONS, REGISTRY, doc_sections, load_rules
from tools import FIXTURES, REPO_ROOT

load_rules()
RULES = sorted(REGISTRY.rules.values(), key=lambda r: r.id)
ID_STYLE = re.compile(r"^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$")


def test_there_are_rules() -> None:
    assert len(RULES) >= 2


@pytest.mark.parametrize("spec", RULES, ids=[r.id for r in RULES])
def test_rule_is_documented_and_styled(spec) -> None:
    assert ID_STYLE.match(spec.id), f"{spec.id} is not UPPER_SNAKE, subject first"
    sections = doc_sections(spec.doc)
    missing = [s for s in DOC_SECTIONS if not sections.get(s)]
    assert not missing, f"{spec.id} docstring lacks sections {missing}"
    assert spec.summary and not spec.summary.startswith("#"), f"{spec.id} needs a one-line summary first"
    cats = REGISTRY.categories.get(spec.format, ())
    assert set(spec.categories) <= set(cats), f"{spec.id} uses unknown categories"


@pytest.mark.parametrize("spec", RULES, ids=[r.id for r in RULES])
def test_rule_has_fixture_directory(spec) -> None:
    if spec.format not in ("protobuf", "jsonschema", "openapi", "python", "contracts"):
        pytest.skip(f"{spec.format} rules are checked by their own tests")
    case = FIXTURES / spec.format / spec.id
    assert (case / "before").is_dir() or (case / "after").is_dir(), f"missing {case.relative_to(REPO_ROOT)}"


def test_ids_are_unique_across_rules_aliases_and_deprecations() -> None:
    names = [r.id for r in RULES] + list(REGISTRY.deprecated)
    names += [a.upper() for r in RULES for a in r.aliases]
    dupes = sorted({n for n in names if names.count(n) > 1})
    assert not dupes, dupes


def test_deprecated_ids_point_at_existing_rules() -> None:
    for dep in REGISTRY.deprecated.values():
        for repl in dep.replacements:
            assert repl in REGISTRY.rules, f"{dep.id} -> {repl} which does not exist"


def test_generated_rule_pages_are_fresh() -> None:
    proc = subprocess.run([sys.executable, str(REPO_ROOT / "scripts" / "gen_rule_docs.py"), "--check"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, "rules/*.md are stale; run python scripts/gen_rule_docs.py\n" + proc.stdout


def test_protobuf_rules_declare_a_subject_the_engine_pairs() -> None:
    from schemacheck.compat.protobuf.image import SUBJECTS

    unknown = sorted(r.id for r in RULES if r.format == "protobuf" and r.subject not in SUBJECTS)
    assert not unknown, f"rules with a subject image.py does not pair: {unknown}"
