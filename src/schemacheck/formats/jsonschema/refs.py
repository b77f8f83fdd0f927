"""``$ref`` resolution inside one revision of a repository: local, cross-file, ``$id``, ``$anchor``.

Maintainers: every document gets a synthetic retrieval URI under :data:`REPO_BASE`
(``file:///@repo/<path>``) so that relative references resolve with ``urljoin`` like any
other URI; a result that leaves that prefix is outside the repository and is never read.
Embedded ``$id``s (``id`` in draft 4) change the base URI below them; ``$anchor``,
``$dynamicAnchor`` and draft 6/7 ``"$id": "#name"`` define anchors. An ``http(s)`` URI is
never fetched: it resolves only if it is the ``$id`` of a repository file we can find (a
loaded document, a file the ``id_candidates`` hook names, or the sibling path the root ``$id``
implies); otherwise it is :class:`Unresolved`. The resolver follows one hop; :meth:`RefResolver.resolve_chain` follows
``$ref``-only chains and stops on cycles. Recursion through properties is the engine's to guard
(use :attr:`ResolvedRef.key`). ``#/pointer`` references take a fast path that needs no index;
the ``$id``/anchor index of a document is built only when some reference needs it.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from ...errors import ParseError, SchemacheckError
from ...model import Location
from ...snapshot import Snapshot, unsafe_reason
from .document import JsonDocument, pointer_join, pointer_parts
from .ids import LEGACY_DIALECTS, REPO_BASE, IdIndex, build_index, id_keyword, retrieval_uri

__all__ = ["ResolvedRef", "Unresolved", "RefResolver", "REPO_BASE", "OUTSIDE_REASON", "is_ref_cycle",
           "read_ref_target"]

#: The reason of a ``$ref`` that leaves the repository (``schemacheck contract`` rewords it for a
#: file read from its own directory).
OUTSIDE_REASON = "it points outside the repository, which is never read"


def read_ref_target(snapshot: Snapshot, path: str) -> bytes:
    """The bytes of a repository file a ``$ref`` names, for every format's resolver loader.

    Raises:
        FileNotFoundError: ``path`` is not in ``snapshot`` (the resolver reports it as dangling).
        ParseError: The file exists but cannot be read (our own errors pass through unchanged).
    """
    if not snapshot.exists(path):
        raise FileNotFoundError(path)
    try:
        return snapshot.read(path)
    except SchemacheckError:
        raise
    except OSError as exc:
        raise ParseError(path, 0, 0, f"cannot be read: {exc}") from None

@dataclass(frozen=True, slots=True)
class ResolvedRef:
    """A ``$ref`` that resolved to a node.

    Attributes:
        document: The document holding the target (possibly the referring one).
        pointer: JSON pointer of the target inside ``document``.
        value: The target node (``document.get(pointer)``).
        uri: Canonical absolute URI of the target (``file:///@repo/a.json#/$defs/x``).
    """

    document: JsonDocument
    pointer: str
    value: Any
    uri: str

    @property
    def key(self) -> tuple[str, str]:
        """``(path, pointer)``: identifies the target, for recursion guards."""
        return (self.document.path, self.pointer)


@dataclass(frozen=True, slots=True)
class Unresolved:
    """A ``$ref`` that could not be followed; the engine treats the referring node as unknown.

    Attributes:
        ref: The reference as written.
        kind: ``remote`` (http(s), never fetched), ``outside`` (leaves the repository),
            ``missing`` (no such file, pointer or anchor), ``unreadable`` (the target file does
            not parse), ``cycle`` (a chain of ``$ref``s that never reaches a schema),
            ``unsupported`` (a URI scheme we cannot map to a file).
        reason: One sentence for the user.
        location: Where the ``$ref`` is (the member ``"$ref": ...``).
        pointer: Pointer of the schema object holding the ``$ref`` in the referring document.
    """

    ref: str
    kind: str
    reason: str
    location: Location | None = None
    pointer: str = ""

    @property
    def message(self) -> str:
        return f"$ref {self.ref!r} was not followed: {self.reason}"


class RefResolver:
    """Resolves ``$ref`` values against the documents of one revision.

    Args:
        load: Returns the :class:`JsonDocument` of a repository path at this revision; raises
            ``FileNotFoundError`` when absent, or a :class:`~schemacheck.errors.SchemacheckError`
            (e.g. ``ParseError``) when it cannot be loaded.
        documents: Documents already loaded (they are registered up front).

    Attributes:
        unresolved: Every distinct unresolved reference met so far, keyed by
            ``(referring path, target URI)``, so that each is reported once.
    """

    def __init__(self, load: Callable[[str], JsonDocument], documents: tuple[JsonDocument, ...] = (),
                 id_candidates: Callable[[str], Iterable[str]] | None = None) -> None:
        self._load = load
        self._id_candidates = id_candidates
        self._docs: dict[str, JsonDocument | SchemacheckError | None] = {}
        self._indexes: dict[str, IdIndex] = {}
        self._by_uri: dict[str, tuple[str, str]] = {}  # absolute URI -> (path, pointer)
        self._unindexed: list[str] = []  # loaded documents whose ids are not in _by_uri yet
        self.unresolved: dict[tuple[str, str], Unresolved] = {}
        for doc in documents:
            self.add(doc)

    # -- documents -----------------------------------------------------------------------
    def add(self, doc: JsonDocument) -> None:
        """Register a loaded document (its ``$id``s become resolvable)."""
        self._docs[doc.path] = doc
        self._unindexed.append(doc.path)

    def _index(self, doc: JsonDocument) -> IdIndex:
        index = self._indexes.get(doc.path)
        if index is None:
            self._docs.setdefault(doc.path, doc)
            index = self._indexes[doc.path] = build_index(doc)
            for uri, pointer in index.ids.items():
                self._by_uri.setdefault(uri, (doc.path, pointer))
        return index

    def document(self, path: str) -> JsonDocument | SchemacheckError | None:
        """The document at ``path`` (``None`` if absent, the error if it does not load)."""
        if path not in self._docs:
            try:
                doc: JsonDocument | SchemacheckError | None = self._load(path)
            except FileNotFoundError:
                doc = None
            except SchemacheckError as exc:
                doc = exc
            self._docs[path] = doc
            self._unindexed.append(path)
        return self._docs[path]

    def _index_all(self) -> None:
        """Index every loaded document (done only when a non-local URI must be looked up)."""
        while self._unindexed:
            doc = self._docs.get(self._unindexed.pop())
            if isinstance(doc, JsonDocument) and doc.path not in self._indexes:
                self._index(doc)

    def base_uri(self, doc: JsonDocument, pointer: str) -> str:
        """The base URI in effect at ``pointer`` (the innermost enclosing ``$id``)."""
        index = self._index(doc)
        current = pointer
        while True:
            if current in index.id_pointers:
                return index.id_pointers[current]
            if not current:
                return index.base
            current = current[: current.rfind("/")]

    # -- resolution ----------------------------------------------------------------------
    def resolve(self, doc: JsonDocument, ref: str, base_pointer: str) -> ResolvedRef | Unresolved:
        """Resolve ``ref`` written in the schema object at ``base_pointer`` of ``doc``.

        Args:
            doc: The referring document.
            ref: The ``$ref`` value as written.
            base_pointer: Pointer of the schema object that holds the ``$ref``.

        Returns:
            The target, or an :class:`Unresolved` (also recorded in :attr:`unresolved`).
        """
        ref = ref.strip()
        if ref == "#" or ref.startswith("#/"):
            local = self._resolve_local(doc, ref, base_pointer)
            if local is not None:
                return local
        base = self.base_uri(doc, base_pointer)
        target = urljoin(base, ref)
        uri, fragment = urldefrag(target)
        fragment = unquote(fragment)
        found = self._find_resource(doc, base, uri)
        if isinstance(found, Unresolved):
            return self._fail(doc, ref, base_pointer, target, found.kind, found.reason)
        tdoc, resource_pointer = found
        index = self._index(tdoc)
        if fragment.startswith("/") or fragment == "":
            pointer = resource_pointer + fragment
            try:
                pointer_parts(pointer)
            except ValueError:
                return self._fail(doc, ref, base_pointer, target, "missing", "the fragment is not a JSON pointer")
            if not tdoc.has(pointer):
                return self._fail(doc, ref, base_pointer, target, "missing",
                                  f"{tdoc.path} has nothing at #{fragment}")
        else:
            resource_base = self.base_uri(tdoc, resource_pointer)
            pointer = index.anchors.get((resource_base, fragment), None)
            if pointer is None:
                return self._fail(doc, ref, base_pointer, target, "missing",
                                  f"{tdoc.path} has no anchor named {fragment!r}")
        return ResolvedRef(tdoc, pointer, tdoc.get(pointer), retrieval_uri(tdoc.path) + "#" + pointer)

    def _resolve_local(self, doc: JsonDocument, ref: str, base_pointer: str) -> ResolvedRef | None:
        """Fast path for ``#/pointer``: the resource root is the nearest ancestor with a ``$id``.

        Returns ``None`` (use the general path) when the pointer does not exist, so that the
        failure is recorded the usual way. No whole-document index is built.
        """
        id_kw = id_keyword(doc)
        legacy = doc.dialect in LEGACY_DIALECTS
        resource, current, node = "", "", doc.data
        for token in pointer_parts(base_pointer):
            if isinstance(node, dict):
                node = node.get(token)
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                break
            current = pointer_join(current, token)
            if isinstance(node, dict):
                ident = node.get(id_kw)
                if isinstance(ident, str) and not ident.startswith("#") and \
                        not (legacy and isinstance(node.get("$ref"), str)):
                    resource = current
        try:
            pointer = resource + unquote(ref[1:])
            pointer_parts(pointer)
        except ValueError:
            return None
        marker = object()
        value = doc.get(pointer, marker)
        if value is marker:
            return None
        return ResolvedRef(doc, pointer, value, retrieval_uri(doc.path) + "#" + pointer)

    def _find_resource(self, doc: JsonDocument, base: str, uri: str) -> tuple[JsonDocument, str] | Unresolved:
        self._index_all()
        if uri not in self._by_uri and self._id_candidates is not None and not uri.startswith(REPO_BASE):
            # Not among the documents loaded so far: ask the revision which files declare this
            # $id, so that the answer never depends on what happened to be loaded (base and head
            # resolve alike).
            for path in self._id_candidates(uri):
                self.document(path)
            self._index_all()
        if uri in self._by_uri:
            path, pointer = self._by_uri[uri]
            loaded = self.document(path)
            if isinstance(loaded, JsonDocument):
                return loaded, pointer
        if uri.startswith(REPO_BASE):
            return self._load_repo_path(unquote(uri[len(REPO_BASE):]))
        if uri.startswith("file:"):
            return Unresolved("", "outside", OUTSIDE_REASON)
        if uri.startswith(("http://", "https://")):
            mapped = self._map_remote(doc, uri)
            if mapped is not None:
                return mapped
            return Unresolved("", "remote", "remote references are never fetched; the referring schema is "
                                            "treated as unknown")
        return Unresolved("", "unsupported", "no repository file has this $id")

    def _load_repo_path(self, path: str) -> tuple[JsonDocument, str] | Unresolved:
        norm = posixpath.normpath(path) if path else path
        if not norm or norm.startswith("../") or norm == ".." or norm.startswith("/"):
            return Unresolved("", "outside", OUTSIDE_REASON)
        reason = unsafe_reason(norm)  # the rule every snapshot read applies, said here with the $ref
        if reason is not None:
            return Unresolved("", "missing", f"the path {reason}")
        loaded = self.document(norm)
        if loaded is None:
            return Unresolved("", "missing", f"{norm} does not exist at this revision")
        if isinstance(loaded, SchemacheckError):
            return Unresolved("", "unreadable", f"{norm} cannot be loaded ({loaded.message})")
        return loaded, ""

    def _map_remote(self, doc: JsonDocument, uri: str) -> tuple[JsonDocument, str] | None:
        """Map ``https://host/dir/x.json`` to a repository file through the referrer's root ``$id``.

        When ``doc`` (at ``api/a.json``) declares ``"$id": "https://host/schemas/a.json"``, the URI
        ``https://host/other/x.json`` is taken to be ``other/x.json`` next to ``api/``, i.e.
        ``other/x.json`` relative to the repository directory that mirrors ``/schemas/``. The file
        is used only if it exists and has that ``$id`` (or none); a path that would leave the
        repository is never tried.
        """
        root_id = self._index(doc).base
        if root_id.startswith(REPO_BASE):
            return None
        root, target = urlsplit(root_id), urlsplit(uri)
        if (root.scheme, root.netloc) != (target.scheme, target.netloc) or not target.path:
            return None
        rel = posixpath.relpath(unquote(target.path), posixpath.dirname(unquote(root.path)) or "/")
        candidate = posixpath.normpath(posixpath.join(posixpath.dirname(doc.path), rel))
        if candidate.startswith("../") or candidate in ("..", ".") or candidate.startswith("/"):
            return None
        loaded = self.document(candidate)
        if not isinstance(loaded, JsonDocument):
            return None
        cand_base = self._index(loaded).base
        if cand_base not in (uri, retrieval_uri(candidate)):
            return None
        return loaded, ""

    def _fail(self, doc: JsonDocument, ref: str, base_pointer: str, target: str, kind: str,
              reason: str) -> Unresolved:
        key = (doc.path, target)
        known = self.unresolved.get(key)
        if known is not None:
            return known
        ref_pointer = pointer_join(base_pointer, "$ref")
        location = None
        if doc.positions is not None:
            location = doc.nearest_location(ref_pointer)
        result = Unresolved(ref, kind, reason, location, base_pointer)
        self.unresolved[key] = result
        return result

    def resolve_chain(self, doc: JsonDocument, ref: str, base_pointer: str,
                      max_hops: int = 64) -> ResolvedRef | Unresolved:
        """Follow ``$ref`` through nodes that are only a ``$ref`` until a real schema; stop on cycles."""
        seen: set[tuple[str, str]] = set()
        current_doc, current_ref, current_ptr = doc, ref, base_pointer
        for _ in range(max_hops):
            result = self.resolve(current_doc, current_ref, current_ptr)
            if isinstance(result, Unresolved):
                return result
            if result.key in seen:
                return self._fail(doc, ref, base_pointer, result.uri, "cycle",
                                  "it is part of a cycle of $refs that never reaches a schema")
            seen.add(result.key)
            value = result.value
            if not (isinstance(value, dict) and set(value) <= {"$ref", "$comment", "description", "title"}
                    and isinstance(value.get("$ref"), str)):
                return result
            current_doc, current_ref, current_ptr = result.document, value["$ref"], result.pointer
        return self._fail(doc, ref, base_pointer, ref, "cycle", f"it goes through more than {max_hops} $refs")


def is_ref_cycle(resolver: RefResolver, doc: JsonDocument, ref: str, base_pointer: str) -> bool:
    """Whether ``ref`` starts a ``$ref``-only chain that never reaches a schema."""
    result = resolver.resolve_chain(doc, ref, base_pointer)
    return isinstance(result, Unresolved) and result.kind == "cycle"
