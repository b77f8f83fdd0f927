"""The Python DTO front end: pydantic v1/v2, dataclasses, TypedDict, attrs and msgspec classes read
statically with libcst (nothing is imported or executed), turned into the shape model.

Maintainers: :mod:`.prefilter` (no libcst) decides which files are worth parsing;
:mod:`.source` parses; :mod:`.project` resolves names across the revision's modules;
:mod:`.classes`/:mod:`.fields` build :class:`~.dto.DtoClass` values; :mod:`.types` and
:mod:`.to_shape` turn them into shapes; :mod:`.version` finds the pydantic major version;
:mod:`.routes` infers roles from FastAPI routes. Import submodules directly.
"""
