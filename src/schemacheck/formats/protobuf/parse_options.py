"""Option statements and ``[...]`` option lists, stored uninterpreted.

Maintainers: protoc's ``ParseOption``: the name parts (``foo``, ``(ext.name)``, ``(a).b``)
and one value token (or a ``{...}`` aggregate kept as text) go into a
:class:`~.parse_base.PendingOption`; :mod:`.options` interprets them after linking. The
location path ``.../options/999/i`` is the ``uninterpreted_option`` slot protoc uses.
"""

from __future__ import annotations

from .lexer import END, FLOAT, IDENT, INT, STRING
from .parse_base import ParserBase, PendingOption, PendingOptions


class OptionsMixin(ParserBase):
    """Parse ``option`` statements and bracketed option assignments."""

    def _pending(self, owner: object, options_type: str, path: tuple[int, ...],
                 scope: tuple[str, ...]) -> PendingOptions:
        # By path, not by scanning self.options: a scan made files with many optioned
        # elements quadratic.
        key = (id(owner), path)
        p = self.pending_by_owner.get(key)
        if p is not None and p.owner is owner:
            return p
        p = PendingOptions(owner, options_type, path, scope)
        self.options.append(p)
        self.pending_by_owner[key] = p
        return p

    def option(self, owner: object, options_type: str, oloc: list, scope: tuple[str, ...],
               statement: bool) -> None:
        pending = self._pending(owner, options_type, oloc[0], scope[:-1])
        loc = self._loc(oloc[0] + (999, len(pending.items)))
        if statement:
            self.consume("option")
        start = self.i
        name_loc = self._loc(loc[0] + (2,))
        parts = []
        while True:
            part_loc = self._loc(name_loc[0] + (len(parts),))
            if self.try_consume("("):
                inner = self._loc(part_loc[0] + (1,))
                pieces = []
                if self.kind[self.i] == IDENT:
                    pieces.append(self.ident("an identifier"))
                while self.try_consume("."):
                    pieces.append("." + self.ident("an identifier after '.'"))
                self._end(inner)
                self.consume(")", " to close the extension name")
                parts.append(("".join(pieces), True))
            else:
                inner = self._loc(part_loc[0] + (1,))
                parts.append((self.ident("an option name"), False))
                self._end(inner)
            self._end(part_loc)
            if not self.try_consume("."):
                break
        self._end(name_loc)
        self.consume("=", " after the option name")
        vloc = self._loc(loc[0])
        neg = self.try_consume("-")
        kind = self.kind[self.i]
        text = self.text[self.i]
        if kind == END:
            raise self.error("unexpected end of file while parsing option value")
        if kind == IDENT:
            if neg:
                if text not in ("inf", "nan"):
                    raise self.error("identifier after '-' must be inf or nan")
                value = float("nan") if text == "nan" else -float(text)
                item = PendingOption(parts, "double", value, self.tk.line[start], self.tk.col[start])
            else:
                item = PendingOption(parts, "ident", text, self.tk.line[start], self.tk.col[start])
            self.i += 1
        elif kind == INT:
            value = self.integer("an integer", 2**63 if neg else 2**64 - 1)
            item = PendingOption(parts, "neg" if neg else "pos", -value if neg else value,
                                 self.tk.line[start], self.tk.col[start])
        elif kind == FLOAT:
            value = float(text)
            self.i += 1
            item = PendingOption(parts, "double", -value if neg else value, self.tk.line[start], self.tk.col[start])
        elif kind == STRING:
            if neg:
                raise self.error("invalid '-' before a string")
            item = PendingOption(parts, "string", self.string("a string"), self.tk.line[start], self.tk.col[start])
        elif text == "{":
            item = PendingOption(parts, "aggregate", self.aggregate(), self.tk.line[start], self.tk.col[start])
        else:
            raise self.error(f"expected an option value, found {self.found()}")
        self._end(vloc)
        item.vline, item.vcol = vloc[1][0], vloc[1][1]
        pending.items.append(item)
        if statement:
            self.end_decl(";", loc, " after the option")
        self._end(loc)

    def aggregate(self) -> str:
        self.consume("{")
        depth = 1
        out = []
        while self.kind[self.i] != END:
            text = self.text[self.i]
            if text == "{" and self.kind[self.i] != STRING:
                depth += 1
            elif text == "}" and self.kind[self.i] != STRING:
                depth -= 1
                if depth == 0:
                    self.i += 1
                    return " ".join(out)
            if out and out[-1] == "-" and self.kind[self.i - 1] != STRING:
                out[-1] = "-" + text
            else:
                out.append(text)
            self.i += 1
        raise self.error("unexpected end of file while parsing aggregate value")
