#!/usr/bin/env python3
"""Write ``rules/<ID>.md`` and ``rules/README.md`` from the rules' docstrings.

Usage: ``python scripts/gen_rule_docs.py`` (rewrites) or ``--check`` (exit 1 if any page is stale).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from schemacheck.registry import load_rules  # noqa: E402
from schemacheck.ruledocs import render_deprecated_markdown, render_index_markdown, render_rule_markdown  # noqa: E402


def expected_pages() -> dict[Path, str]:
    registry = load_rules()
    out_dir = ROOT / "rules"
    pages = {out_dir / f"{spec.id}.md": render_rule_markdown(spec) for spec in registry.rules.values()}
    pages.update({out_dir / f"{dep.id}.md": render_deprecated_markdown(dep) for dep in registry.deprecated.values()})
    pages[out_dir / "README.md"] = render_index_markdown(list(registry.rules.values()), list(registry.deprecated.values()))
    return pages


def main(argv: list[str]) -> int:
    pages = expected_pages()
    out_dir = ROOT / "rules"
    stale = [p for p, text in pages.items() if not p.exists() or p.read_text() != text]
    orphans = [p for p in out_dir.glob("*.md") if p not in pages]
    if "--check" in argv:
        for p in stale + orphans:
            print(f"stale: {p.relative_to(ROOT)}")
        return 1 if stale or orphans else 0
    out_dir.mkdir(exist_ok=True)
    for p in stale:
        p.write_text(pages[p])
    for p in orphans:
        p.unlink()
    print(f"wrote {len(stale)} page(s), removed {len(orphans)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
