"""Read a repository's ``buf.yaml`` / ``buf.work.yaml`` so that schemacheck behaves as buf would.

Maintainers: buf describes modules (import roots with includes/excludes) and, per module, a
``breaking:`` section (``use``, ``except``, ``ignore``, ``ignore_only``,
``ignore_unstable_packages``). This module turns those files, read from the *head* snapshot's
root, into a frozen :class:`BufConfig` whose paths are all repository-relative and whose rule
names are already expanded to rule IDs. It knows nothing of findings: ``buffilter.py`` applies
the ignores, ``bufsetup.py`` uses :meth:`BufConfig.roots` and :meth:`BufConfig.module_for` for
each revision (the base side's own buf.yaml gives the base side's roots).

Versions: v1beta1 (``build.roots``; ignore paths relative to each root), v1 (one module;
ignore/excludes relative to the module), a v1 ``buf.work.yaml`` (``directories``, each an
optional v1 ``buf.yaml``), and v2 (a workspace: ``modules[].path/includes/excludes/breaking``;
every path relative to the buf.yaml directory). Category membership differs slightly between
versions (see ``_adjust_for_version``).
"""

from __future__ import annotations

import functools
import posixpath
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ...errors import ConfigError
from ...globs import is_under
from ...registry import REGISTRY, load_rules
from ...snapshot import Snapshot

__all__ = ["BufBreaking", "BufModule", "BufConfig", "load_buf_config", "parse_buf_yaml", "BUF_RULE_IDS"]

#: Every rule ID buf 1.75 knows in any config version (active and deprecated).
BUF_RULE_IDS = frozenset("""
ENUM_NO_DELETE ENUM_SAME_JSON_FORMAT ENUM_SAME_TYPE ENUM_VALUE_NO_DELETE
ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED ENUM_VALUE_SAME_NAME
EXTENSION_MESSAGE_NO_DELETE EXTENSION_NO_DELETE FIELD_NO_DELETE FIELD_NO_DELETE_UNLESS_NAME_RESERVED
FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED FIELD_SAME_CARDINALITY FIELD_SAME_CPP_STRING_TYPE FIELD_SAME_DEFAULT
FIELD_SAME_JAVA_UTF8_VALIDATION FIELD_SAME_JSON_NAME FIELD_SAME_JSTYPE FIELD_SAME_NAME FIELD_SAME_ONEOF
FIELD_SAME_TYPE FIELD_SAME_UTF8_VALIDATION FIELD_WIRE_COMPATIBLE_CARDINALITY FIELD_WIRE_COMPATIBLE_TYPE
FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY FIELD_WIRE_JSON_COMPATIBLE_TYPE FILE_NO_DELETE FILE_SAME_CC_ENABLE_ARENAS
FILE_SAME_CC_GENERIC_SERVICES FILE_SAME_CSHARP_NAMESPACE FILE_SAME_GO_PACKAGE FILE_SAME_JAVA_GENERIC_SERVICES
FILE_SAME_JAVA_MULTIPLE_FILES FILE_SAME_JAVA_OUTER_CLASSNAME FILE_SAME_JAVA_PACKAGE FILE_SAME_OBJC_CLASS_PREFIX
FILE_SAME_OPTIMIZE_FOR FILE_SAME_PACKAGE FILE_SAME_PHP_CLASS_PREFIX FILE_SAME_PHP_METADATA_NAMESPACE
FILE_SAME_PHP_NAMESPACE FILE_SAME_PY_GENERIC_SERVICES FILE_SAME_RUBY_PACKAGE FILE_SAME_SWIFT_PREFIX
FILE_SAME_SYNTAX MESSAGE_NO_DELETE MESSAGE_NO_REMOVE_STANDARD_DESCRIPTOR_ACCESSOR MESSAGE_SAME_JSON_FORMAT
MESSAGE_SAME_MESSAGE_SET_WIRE_FORMAT MESSAGE_SAME_REQUIRED_FIELDS ONEOF_NO_DELETE PACKAGE_ENUM_NO_DELETE
PACKAGE_EXTENSION_NO_DELETE PACKAGE_MESSAGE_NO_DELETE PACKAGE_NO_DELETE PACKAGE_SERVICE_NO_DELETE
RESERVED_ENUM_NO_DELETE RESERVED_MESSAGE_NO_DELETE RPC_NO_DELETE RPC_SAME_CLIENT_STREAMING
RPC_SAME_IDEMPOTENCY_LEVEL RPC_SAME_REQUEST_TYPE RPC_SAME_RESPONSE_TYPE RPC_SAME_SERVER_STREAMING
SERVICE_NO_DELETE FIELD_SAME_CTYPE FIELD_SAME_LABEL FILE_SAME_JAVA_STRING_CHECK_UTF8 FILE_SAME_PHP_GENERIC_SERVICES
""".split())

_CATEGORIES = ("FILE", "PACKAGE", "WIRE_JSON", "WIRE", "CSR")
_V2_ONLY = frozenset({"EXTENSION_NO_DELETE", "PACKAGE_EXTENSION_NO_DELETE", "FIELD_SAME_DEFAULT", "CSR"})
_V1BETA1_ABSENT = frozenset({"FIELD_WIRE_COMPATIBLE_TYPE", "FIELD_WIRE_JSON_COMPATIBLE_TYPE"})
_BREAKING_KEYS = frozenset({"use", "except", "ignore", "ignore_only", "ignore_unstable_packages", "disable_builtin"})
_VERSIONS = ("v1beta1", "v1", "v2")


@dataclass(frozen=True, slots=True)
class BufBreaking:
    """One module's effective ``breaking:`` section, expanded and repository-relative.

    Attributes:
        rules: Rule IDs selected by ``use`` minus ``except`` (buf's default ``FILE`` when empty).
        ignore: Paths whose findings are dropped (head or base location under them).
        ignore_only: (rule IDs, paths) pairs: those rules are dropped under those paths.
        ignore_unstable_packages: Drop findings in ``v1alpha1``-style packages.
        source: The file the section came from.
    """

    rules: frozenset[str]
    ignore: tuple[str, ...] = ()
    ignore_only: tuple[tuple[frozenset[str], tuple[str, ...]], ...] = ()
    ignore_unstable_packages: bool = False
    source: str = "buf.yaml"


@dataclass(frozen=True, slots=True)
class BufModule:
    """A buf module: where its files are and how they are checked.

    Attributes:
        path: Module directory, repository-relative ('' = repository root).
        roots: Import roots, repository-relative (the module directory, or v1beta1 ``build.roots``).
        includes: If not empty, only files under these paths belong to the module.
        excludes: Files under these paths do not belong to the module.
        breaking: The module's breaking configuration.
    """

    path: str
    roots: tuple[str, ...]
    breaking: BufBreaking
    includes: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()

    def contains(self, path: str) -> bool:
        """Whether the repository path ``path`` is a file of this module (asked of every path of
        both trees: prefix tests prepared once per module)."""
        if not _under_any(path, self.roots):
            return False
        if self.includes and not _under_any(path, self.includes):
            return False
        return not (self.excludes and _under_any(path, self.excludes))


@functools.lru_cache(maxsize=256)
def _prefix_test(prefixes: tuple[str, ...]) -> tuple[bool, frozenset[str], tuple[str, ...]]:
    """(matches everything, exact paths, directory prefixes) of :func:`is_under` over ``prefixes``."""
    cleaned = [p.rstrip("/") for p in prefixes]
    return "" in cleaned, frozenset(cleaned), tuple(p + "/" for p in cleaned)


def _under_any(path: str, prefixes: tuple[str, ...]) -> bool:
    """``any(is_under(path, p) for p in prefixes)``."""
    everything, exact, below = _prefix_test(prefixes)
    return everything or path in exact or path.startswith(below)


@dataclass(frozen=True, slots=True)
class BufConfig:
    """What the repository's buf configuration says, ready to apply.

    Attributes:
        source: The file that defines the workspace (``buf.yaml`` or ``buf.work.yaml``).
        version: Its ``version``.
        modules: The modules, deepest directory first (so the first match is the innermost).
        warnings: Non-fatal remarks (rule IDs buf knows that schemacheck does not implement yet).
    """

    source: str
    version: str
    modules: tuple[BufModule, ...]
    warnings: tuple[str, ...] = ()

    def module_for(self, path: str) -> BufModule | None:
        """The module that owns ``path``, or ``None`` (buf does not check such a file)."""
        for module in self.modules:
            if module.contains(path):
                return module
        return None

    def roots(self) -> tuple[str, ...]:
        """Every module's import roots, deepest first (the root directory last)."""
        found = {root for module in self.modules for root in module.roots}
        return tuple(sorted(found, key=lambda r: (-r.count("/") - (r != ""), r)))

    def all_rules(self) -> frozenset[str]:
        """The union of every module's selected rules."""
        return frozenset().union(*(m.breaking.rules for m in self.modules)) if self.modules else frozenset()


def _join(base: str, rel: str) -> str:
    joined = posixpath.normpath(posixpath.join(base or ".", rel))
    return "" if joined == "." else joined


def _parse_yaml(data: bytes, source: str) -> Any:
    """The YAML document in ``data``: read by :mod:`~schemacheck.blockyaml` when it is plain block
    YAML (a usual buf.yaml; PyYAML's import would cost more than the rest of a one-file check),
    else by PyYAML, whose answer it is either way."""
    from ...blockyaml import Unsupported, load

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{source}: not UTF-8 (byte {exc.start})") from None
    try:
        return load(text)
    except Unsupported:
        pass
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"{source}:{mark.line + 1}:{mark.column + 1}" if mark else source
        raise ConfigError(f"{where}: invalid YAML: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{source}: invalid YAML: {exc}") from None


def _str_list(value: Any, source: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{source}: {key} must be a list of strings")
    return tuple(value)


def _adjust_for_version(name: str, ids: set[str], version: str) -> set[str]:
    """Category membership of older config versions (v2 categories are the registry's)."""
    if version == "v2" or name not in _CATEGORIES:
        return ids
    ids = ids - _V2_ONLY
    if version == "v1beta1":
        ids -= _V1BETA1_ABSENT
        if name in ("WIRE_JSON", "WIRE"):
            ids |= {r for r in ("FIELD_SAME_TYPE", "FIELD_SAME_CARDINALITY") if r in REGISTRY.rules}
        if name != "FILE":
            ids.discard("FILE_SAME_PACKAGE")
    return ids


def _expand(names: Iterable[str], version: str, source: str, warnings: list[str]) -> set[str]:
    out: set[str] = set()
    for raw in names:
        name = raw.strip().upper()
        if version != "v2" and name in _V2_ONLY:
            raise ConfigError(f"unknown rule or category {raw!r} in {source} (it exists only in buf.yaml version v2)")
        if name in BUF_RULE_IDS and REGISTRY.get(name) is None and name not in REGISTRY.deprecated:
            warnings.append(f"{source}: rule {name} is not implemented by schemacheck yet; skipped")
            continue
        out |= _adjust_for_version(name, REGISTRY.expand([name], "protobuf", source=source), version)
    return out


def _breaking(section: Any, version: str, source: str, path_bases: tuple[str, ...],
              warnings: list[str]) -> BufBreaking:
    """Parse one ``breaking:`` mapping; relative paths are resolved against each of ``path_bases``."""
    if section is None:
        section = {}
    if not isinstance(section, Mapping):
        raise ConfigError(f"{source}: breaking must be a mapping")
    unknown = sorted(set(section) - _BREAKING_KEYS)
    if unknown:
        raise ConfigError(f"{source}: unknown key breaking.{unknown[0]}",
                          tip="Valid keys: " + ", ".join(sorted(_BREAKING_KEYS)) + ".")
    use = _str_list(section.get("use"), source, "breaking.use") or ("FILE",)
    rules = _expand(use, version, f"{source} breaking.use", warnings)
    rules -= _expand(_str_list(section.get("except"), source, "breaking.except"), version,
                     f"{source} breaking.except", warnings)
    if section.get("disable_builtin"):
        rules = set()

    def paths(rel: Iterable[str]) -> tuple[str, ...]:
        return tuple(_join(base, p) for p in rel for base in path_bases)

    ignore_only_raw = section.get("ignore_only") or {}
    if not isinstance(ignore_only_raw, Mapping):
        raise ConfigError(f"{source}: breaking.ignore_only must map rule IDs to lists of paths")
    ignore_only = tuple(
        (frozenset(_expand([name], version, f"{source} breaking.ignore_only", warnings)),
         paths(_str_list(value, source, f"breaking.ignore_only.{name}")))
        for name, value in ignore_only_raw.items()
    )
    unstable = section.get("ignore_unstable_packages", False)
    if not isinstance(unstable, bool):
        raise ConfigError(f"{source}: breaking.ignore_unstable_packages must be true or false")
    return BufBreaking(frozenset(rules), paths(_str_list(section.get("ignore"), source, "breaking.ignore")),
                       ignore_only, unstable, source)


def _version(data: Any, source: str) -> str:
    if not isinstance(data, Mapping):
        raise ConfigError(f"{source}: expected a mapping with a 'version' key")
    version = data.get("version")
    if version not in _VERSIONS:
        raise ConfigError(f"{source}: unsupported version {version!r}", tip="buf.yaml versions: v1beta1, v1, v2.")
    return str(version)


def parse_buf_yaml(data: bytes, source: str = "buf.yaml", module_dir: str = "",
                   warnings: list[str] | None = None) -> tuple[str, tuple[BufModule, ...]]:
    """Parse one buf.yaml located in ``module_dir`` (repository-relative); returns (version, modules)."""
    load_rules("protobuf")
    warnings = warnings if warnings is not None else []
    doc = _parse_yaml(data, source)
    version = _version(doc, source)
    build = doc.get("build") or {}
    if version == "v2":
        return version, _v2_modules(doc, source, module_dir, warnings)
    excludes = tuple(_join(module_dir, p) for p in _str_list(build.get("excludes"), source, "build.excludes"))
    if version == "v1beta1":
        roots = tuple(_join(module_dir, r) for r in _str_list(build.get("roots"), source, "build.roots")) or (module_dir,)
        breaking = _breaking(doc.get("breaking"), version, source, roots, warnings)
    else:
        roots = (module_dir,)
        breaking = _breaking(doc.get("breaking"), version, source, (module_dir,), warnings)
    return version, (BufModule(module_dir, roots, breaking, (), excludes),)


def _v2_modules(doc: Mapping[str, Any], source: str, workspace: str, warnings: list[str]) -> tuple[BufModule, ...]:
    top = doc.get("breaking")
    raw_modules = doc.get("modules") or [{"path": "."}]
    if not isinstance(raw_modules, list):
        raise ConfigError(f"{source}: modules must be a list")
    modules = []
    for i, raw in enumerate(raw_modules):
        if not isinstance(raw, Mapping) or not isinstance(raw.get("path", "."), str):
            raise ConfigError(f"{source}: modules[{i}] must be a mapping with a 'path'")
        path = _join(workspace, raw.get("path", "."))
        section = raw["breaking"] if "breaking" in raw else top
        breaking = _breaking(section, "v2", source, (workspace,), warnings)
        includes = tuple(_join(workspace, p) for p in _str_list(raw.get("includes"), source, f"modules[{i}].includes"))
        excludes = tuple(_join(workspace, p) for p in _str_list(raw.get("excludes"), source, f"modules[{i}].excludes"))
        modules.append(BufModule(path, (path,), breaking, includes, excludes))
    return tuple(modules)


def _work_modules(snapshot: Snapshot, data: bytes, warnings: list[str], workspace: str = "") -> tuple[BufModule, ...]:
    source = posixpath.join(workspace, "buf.work.yaml")
    doc = _parse_yaml(data, source)
    if not isinstance(doc, Mapping) or doc.get("version") != "v1":
        raise ConfigError(f"{source}: unsupported version (expected v1)")
    modules: list[BufModule] = []
    for directory in _str_list(doc.get("directories"), source, "directories"):
        module_dir = _join(workspace, directory)
        config = posixpath.join(module_dir, "buf.yaml") if module_dir else "buf.yaml"
        if snapshot.exists(config):
            modules.extend(parse_buf_yaml(snapshot.read(config), config, module_dir, warnings)[1])
        else:
            modules.append(BufModule(module_dir, (module_dir,), _breaking({}, "v1", config, (module_dir,), warnings)))
    return tuple(modules)


def _config_dirs(start_dir: str) -> list[str]:
    """``start_dir`` and its ancestors up to the repository root, closest first."""
    parts = [p for p in start_dir.strip("/").split("/") if p and p != "."]
    return ["/".join(parts[:i]) for i in range(len(parts), -1, -1)]


def load_buf_config(snapshot: Snapshot, start_dir: str = "") -> BufConfig | None:
    """The buf configuration that applies where the user runs schemacheck, or ``None``.

    Like buf run in ``start_dir`` (repository-relative), the closest directory from there up
    to the root holding a ``buf.work.yaml`` or ``buf.yaml`` wins; in one directory
    ``buf.work.yaml`` (v1) wins over ``buf.yaml``. Module paths are relative to that directory.

    Raises:
        ConfigError: Invalid YAML, an unknown key in ``breaking:``, an unknown rule ID (the
            message lists the nearest valid IDs).
    """
    warnings: list[str] = []
    for directory in _config_dirs(start_dir):
        work, single = posixpath.join(directory, "buf.work.yaml"), posixpath.join(directory, "buf.yaml")
        if snapshot.exists(work):
            modules = _work_modules(snapshot, snapshot.read(work), warnings, directory)
            source, version = work, "v1"
            break
        if snapshot.exists(single):
            version, modules = parse_buf_yaml(snapshot.read(single), single, directory, warnings)
            source = single
            break
    else:
        return None
    ordered = tuple(sorted(modules, key=lambda m: (-len(m.path), m.path)))
    return BufConfig(source, version, ordered, tuple(dict.fromkeys(warnings)))
