"""The shape compatibility engine: direction-aware comparison of two shapes, rules by family.

Maintainers: :mod:`.engine` walks and pairs, :mod:`.matching` handles unions/allOf/not,
:mod:`.objects` content models, :mod:`.table` reads the rules from the registry,
:mod:`.pair` is what rules see, and :mod:`.jsonschema_pair` is the entry point for JSON Schema
documents. Import submodules directly; this package imports nothing eagerly.
"""
