"""Descriptor pools that custom options are interpreted against.

Maintainers: interpreting ``[(my.option) = {...}]`` needs the extension's definition and
every type it uses, fully linked, in a ``google.protobuf`` ``DescriptorPool``. The pool is
built from the files defining the extensions used, with their whole import closure; in a
shallow compile those files are linked here, on demand (``build`` links a file whose
imports are merely declared, and the closure walk below links each of them in turn).
"""

from __future__ import annotations

from google.protobuf import descriptor_pb2 as d

from ...errors import LinkError
from .parser import ParsedFile

__all__ = ["PoolsMixin", "MissingDefinitions"]


class MissingDefinitions(LinkError):
    """The files defining the custom options used import something found nowhere (a compile
    that allows missing imports then keeps those options uninterpreted)."""


class PoolsMixin:
    """Pool methods of the compiler's ``_Compilation``."""

    def _add_closure(self, pool, added: set[str], name: str) -> None:
        if name in self.missing:  # a missing import has nothing to load: the pool will lack it
            self.pool_lacks = True
            return
        if name in added:
            return
        if name not in self.done:  # shallow compile: link on demand
            self.build(name, self.locate(name) or name)
        fd = self.done[name][0].fd
        for dep in list(fd.dependency) + list(fd.option_dependency):
            self._add_closure(pool, added, dep)
        added.add(name)
        pool.AddSerializedFile(fd.SerializeToString())

    def pool_for(self, pf: ParsedFile, files: set[str] | None):
        """A pool with the definitions custom options of ``pf`` need.

        ``files`` are the files defining the extensions used (None: unknown, load every
        import). A file using its own extensions gets a private pool holding itself.
        """
        from google.protobuf import descriptor_pool

        fd = pf.fd
        deps = list(fd.dependency) + list(fd.option_dependency)
        try:
            if fd.name in files if files is not None else _defines_extensions(fd):
                pool = descriptor_pool.DescriptorPool()
                added: set[str] = set()
                for dep in deps:
                    self._add_closure(pool, added, dep)
                pool.AddSerializedFile(fd.SerializeToString())
                return pool
            if self.pool is None:
                self.pool = descriptor_pool.DescriptorPool()
            for dep in sorted(files) if files is not None else deps:
                self._add_closure(self.pool, self.in_pool, dep)
            return self.pool
        except (TypeError, ValueError) as exc:
            if getattr(self, "pool_lacks", False):
                raise MissingDefinitions(pf.path, 0, 0, f"custom option definitions need a missing import: {exc}") \
                    from None
            raise LinkError(pf.path, 0, 0, f"cannot load the definitions of custom options: {exc}") from None


def _defines_extensions(fd: d.FileDescriptorProto) -> bool:
    if len(fd.extension):
        return True
    stack = list(fd.message_type)
    while stack:
        msg = stack.pop()
        if len(msg.extension):
            return True
        stack.extend(msg.nested_type)
    return False
