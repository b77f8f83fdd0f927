"""Dependencies from the Buf Schema Registry: ``buf.yaml`` ``deps``, ``buf.lock`` pins, buf's cache.

Maintainers: buf never vendors a dependency into the repository; ``buf dep update`` pins each
one in ``buf.lock`` and ``buf build`` downloads it into buf's module cache. schemacheck never
contacts the registry: it reads the cache, read-only, where buf laid it out for the pinned
commit (``$BUF_CACHE_DIR``, else ``$XDG_CACHE_HOME/buf``, else ``~/.cache/buf``;
``v3/modules/<digest type>/<registry>/<owner>/<name>/<dashless commit id>/`` holding
``module.yaml`` — written last by buf, so its presence means the entry is complete — and the
files under its ``files_dir``). ``buf.lock`` versions: v1beta1/v1 (``remote``/``owner``/
``repository``/``commit``/``digest``, ``shake256:`` digests) and v2 (``name``/``commit``/
``digest``, ``b5:`` digests). Files are read from the snapshot like buf.yaml; a malformed
buf.lock is a warning (the dependencies are then unresolved, which is reported), never fatal.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass

from ...errors import ConfigError
from ...snapshot import Snapshot
from .bufconfig import BufConfig, _parse_yaml

__all__ = ["BufDep", "BufDeps", "load_buf_deps", "buf_cache_dir", "module_cache_dir"]

_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_COMMIT = re.compile(r"^[0-9a-fA-F]{32}$|^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_DIGEST_TYPES = ("b5", "shake256")


@dataclass(frozen=True, slots=True)
class BufDep:
    """One dependency as ``buf.lock`` pins it (commit and digest empty when only declared).

    Attributes:
        name: Module name, ``registry/owner/module`` (``buf.build/googleapis/googleapis``).
        commit: Dashless commit id (32 hex digits), or ''.
        digest: ``b5:…`` or ``shake256:…``, or ''.
        source: The file that names it.
    """

    name: str
    commit: str = ""
    digest: str = ""
    source: str = "buf.yaml"


@dataclass(frozen=True, slots=True)
class BufDeps:
    """Every dependency of the workspace: pinned ones, and declared ones with no pin."""

    locked: tuple[BufDep, ...] = ()
    unlocked: tuple[BufDep, ...] = ()
    warnings: tuple[str, ...] = ()


def _module_name(value: object) -> str | None:
    """``registry/owner/module`` from a buf.yaml dep (``:ref`` dropped), if well-formed."""
    if not isinstance(value, str):
        return None
    name = value.split(":", 1)[0].strip()
    parts = name.split("/")
    return name if len(parts) == 3 and all(_PART.match(p) and p not in (".", "..") for p in parts) else None


def _lock_deps(doc: object, source: str) -> list[BufDep]:
    if not isinstance(doc, Mapping):
        raise ConfigError(f"{source}: expected a mapping with 'version' and 'deps'")
    version = doc.get("version")
    deps = doc.get("deps") or []
    if version not in ("v1beta1", "v1", "v2") or not isinstance(deps, list):
        raise ConfigError(f"{source}: unsupported version {version!r}")
    out = []
    for i, dep in enumerate(deps):
        if not isinstance(dep, Mapping):
            raise ConfigError(f"{source}: deps[{i}] must be a mapping")
        if version == "v2":
            raw = dep.get("name")
        else:
            raw = "/".join(str(dep.get(k, "")) for k in ("remote", "owner", "repository"))
        name = _module_name(raw)
        commit = str(dep.get("commit", "")).replace("-", "") if _COMMIT.match(str(dep.get("commit", ""))) else ""
        if name is None or not commit:
            raise ConfigError(f"{source}: deps[{i}] needs a module name and a commit id")
        out.append(BufDep(name, commit.lower(), str(dep.get("digest", "")), source))
    return out


def _parse_lock(data: bytes, source: str) -> object:
    """buf.lock with every scalar a string: a commit id of digits only is not a number."""
    import yaml

    _parse_yaml(data, source)  # the usual one-line errors for invalid YAML
    return yaml.load(data.decode("utf-8"), Loader=yaml.BaseLoader)


def _declared(doc: object) -> list[str]:
    deps = doc.get("deps") if isinstance(doc, Mapping) else None
    if not isinstance(deps, list):
        return []
    return [n for n in (_module_name(d) for d in deps) if n is not None]


def load_buf_deps(snapshot: Snapshot, config: BufConfig) -> BufDeps:
    """The dependencies declared by the workspace's buf.yaml files and pinned by its buf.lock files.

    buf.lock sits next to the buf.yaml that declares the deps: the workspace directory (v2, or
    a single v1 module) or each module directory of a v1 ``buf.work.yaml``.
    """
    workspace = posixpath.dirname(config.source)
    dirs = list(dict.fromkeys([workspace] + [m.path for m in config.modules]))
    declared: dict[str, str] = {}
    locked: dict[str, BufDep] = {}
    warnings: list[str] = []
    for directory in dirs:
        yaml_path, lock_path = (posixpath.join(directory, f) for f in ("buf.yaml", "buf.lock"))
        try:
            if snapshot.exists(yaml_path):
                for name in _declared(_parse_yaml(snapshot.read(yaml_path), yaml_path)):
                    declared.setdefault(name, yaml_path)
            if snapshot.exists(lock_path):
                for dep in _lock_deps(_parse_lock(snapshot.read(lock_path), lock_path), lock_path):
                    locked.setdefault(dep.name, dep)
        except ConfigError as exc:
            warnings.append(f"{exc.message}; its dependencies are not looked up in buf's cache")
        except (OSError, ValueError):
            continue
    unlocked = tuple(BufDep(name, source=src) for name, src in declared.items() if name not in locked)
    return BufDeps(tuple(locked.values()), unlocked, tuple(warnings))


def buf_cache_dir(env: Mapping[str, str] | None = None) -> str | None:
    """buf's cache directory as buf computes it: ``$BUF_CACHE_DIR``, ``$XDG_CACHE_HOME/buf``,
    ``~/.cache/buf`` (``%LOCALAPPDATA%/buf`` on Windows)."""
    env = os.environ if env is None else env
    if env.get("BUF_CACHE_DIR"):
        return env["BUF_CACHE_DIR"]
    if os.name == "nt" and env.get("LOCALAPPDATA"):
        return os.path.join(env["LOCALAPPDATA"], "buf")
    if env.get("XDG_CACHE_HOME"):
        return os.path.join(env["XDG_CACHE_HOME"], "buf")
    home = env.get("HOME") or os.path.expanduser("~")
    return os.path.join(home, ".cache", "buf") if home and home != "~" else None


def module_cache_dir(cache: str, dep: BufDep) -> str | None:
    """The directory of ``dep``'s files in buf's cache, if buf finished writing it there."""
    digest_type = dep.digest.split(":", 1)[0] if ":" in dep.digest else ""
    types = (digest_type,) + tuple(t for t in _DIGEST_TYPES if t != digest_type) if digest_type in _DIGEST_TYPES \
        else _DIGEST_TYPES
    registry, owner, module = dep.name.split("/")
    real_cache = os.path.realpath(cache)
    for kind in types:
        rel = ("v3", "modules", kind, registry, owner, module, dep.commit)
        entry = os.path.join(cache, *rel)
        files_dir = _files_dir(os.path.join(entry, "module.yaml"))
        if files_dir is None:
            continue
        files = os.path.join(entry, files_dir)
        # Below the cache directory nothing is a symlink (buf writes none): the files are there.
        if os.path.isdir(files) and os.path.realpath(files) == os.path.join(real_cache, *rel, files_dir):
            return files
    return None


def _files_dir(module_yaml: str) -> str | None:
    """``files_dir`` of buf's ``module.yaml`` (version v1), when it is one plain directory name."""
    try:
        if not os.path.isfile(module_yaml) or os.path.islink(module_yaml) or os.path.getsize(module_yaml) > 1 << 20:
            return None
        with open(module_yaml, "rb") as handle:
            doc = _parse_yaml(handle.read(), module_yaml)
    except (OSError, ConfigError):
        return None
    if not isinstance(doc, Mapping) or doc.get("version") != "v1":
        return None
    files_dir = doc.get("files_dir")
    return files_dir if isinstance(files_dir, str) and _PART.match(files_dir) and files_dir not in (".", "..") else None
