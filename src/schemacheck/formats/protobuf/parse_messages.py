"""Message bodies: nested types, ``extensions``, ``reserved``, ``extend`` and ``oneof`` blocks.

Maintainers: one method per protoc parser function (``ParseMessageBlock``,
``ParseExtensions``, ``ParseReserved``, ``ParseExtend``, ``ParseOneof``), in the same order
of location creation. ``max`` in ranges is resolved after the block, as protoc does,
because ``message_set_wire_format`` changes its value.
"""

from __future__ import annotations

from google.protobuf import descriptor_pb2 as d

from .lexer import END, IDENT, STRING
from .parse_base import INT32_MAX, MAX_FIELD, ParserBase, PendingOptions, TypeRef

F = d.FieldDescriptorProto

#: protoc's parser refuses a 32nd level of nested messages (groups count as messages) with
#: "Reached maximum recursion limit for nested messages."; so does this one, at the same
#: token. It also keeps every later stage (linker, options, source info, rules) shallow.
MAX_MESSAGE_DEPTH = 31


class MessagesMixin(ParserBase):
    """Parse messages and the blocks that can appear inside them."""

    def message(self, msg: d.DescriptorProto, loc: list, scope: tuple[str, ...]) -> None:
        self.check_depth(self.i)
        self.consume("message")
        name_loc = self._loc(loc[0] + (1,))
        msg.name = self.ident("a message name")
        self._end(name_loc)
        self.message_block(msg, loc, scope + (msg.name,))
        if self.syntax == "proto3":
            self.synthetic_oneofs(msg)

    def synthetic_oneofs(self, msg: d.DescriptorProto) -> None:
        names = {o.name for o in msg.oneof_decl}
        names.update(f.name for f in msg.field)
        for fld in msg.field:
            if fld.proto3_optional:
                name = fld.name if fld.name.startswith("_") else "_" + fld.name
                while name in names:
                    name = "X" + name
                names.add(name)
                fld.oneof_index = len(msg.oneof_decl)
                msg.oneof_decl.add(name=name)

    def check_depth(self, at: int) -> None:
        """Refuse a message (or group) starting at token ``at`` nested too deep to compile."""
        if self.depth >= MAX_MESSAGE_DEPTH:
            raise self.error(f"reached maximum recursion limit for nested messages "
                             f"(protoc allows {MAX_MESSAGE_DEPTH} levels)", at)

    def message_block(self, msg: d.DescriptorProto, loc: list, scope: tuple[str, ...]) -> None:
        self.end_decl("{", loc, " to open the message body")
        self.depth += 1
        while not self.try_end_decl("}", None):
            if self.kind[self.i] == END:
                raise self.error("reached end of file in message definition (missing '}')")
            self.message_statement(msg, loc, scope)
        self.depth -= 1
        opts = [p for p in self.options if p.owner is msg]
        limit = INT32_MAX if any(
            len(o.name) == 1 and o.name[0][0] == "message_set_wire_format" and o.value == "true"
            for p in opts for o in p.items) else MAX_FIELD + 1
        for rng in msg.extension_range:
            if rng.end == -1:
                rng.end = limit
        for rng in msg.reserved_range:
            if rng.end == -1:
                rng.end = limit

    def message_statement(self, msg: d.DescriptorProto, loc: list, scope: tuple[str, ...]) -> None:
        path = loc[0]
        if self.try_end_decl(";", None):
            return
        text = self.text[self.i]
        vis = None
        if text in ("export", "local") and self.kind[self.i + 1] == IDENT \
                and self.text[self.i + 1] in ("message", "enum"):
            vis = d.VISIBILITY_EXPORT if text == "export" else d.VISIBILITY_LOCAL
            self.i += 1
            text = self.text[self.i]
        if text == "message":
            sub = self._loc(path + (3, len(msg.nested_type)))
            nested = msg.nested_type.add()
            self.message(nested, sub, scope)
            if vis is not None:
                nested.visibility = vis
            self._end(sub)
        elif text == "enum":
            sub = self._loc(path + (4, len(msg.enum_type)))
            en = msg.enum_type.add()
            self.enum(en, sub, scope)
            if vis is not None:
                en.visibility = vis
            self._end(sub)
        elif text == "extensions":
            sub = self._loc(path + (5,))
            self.extensions(msg, sub, scope)
            self._end(sub)
        elif text == "reserved":
            self.reserved(msg, path, 9, 10, message=True)
        elif text == "extend":
            sub = self._loc(path + (6,))
            self.extend(msg.extension, msg.nested_type, path, 3, sub, scope)
            self._end(sub)
        elif text == "option":
            sub = self._loc(path + (7,))
            self.option(msg, "MessageOptions", sub, scope, statement=True)
            self._end(sub)
        elif text == "oneof":
            index = len(msg.oneof_decl)
            sub = self._loc(path + (8, index))
            self.oneof(msg.oneof_decl.add(), msg, index, sub, loc, scope)
            self._end(sub)
        elif not self.fast_field(msg, path, scope):
            sub = self._loc(path + (2, len(msg.field)))
            self.field(msg.field.add(), msg.nested_type, path, 3, sub, scope, scope)
            self._end(sub)

    def extensions(self, msg: d.DescriptorProto, loc: list, scope: tuple[str, ...]) -> None:
        self.consume("extensions")
        old = len(msg.extension_range)
        while True:
            rloc = self._loc(loc[0] + (len(msg.extension_range),))
            rng = msg.extension_range.add()
            sloc = self._loc(rloc[0] + (1,))
            start_tok = self.i
            start = self.integer("a field number range")
            self._end(sloc)
            end_tok = self.i
            if self.try_consume("to"):
                eloc = self._loc(rloc[0] + (2,))
                end_tok = self.i
                end = -2 if self.try_consume("max") else self.integer("an integer")
                self._end(eloc)
            else:
                eloc = self._loc(rloc[0] + (2,))
                self._start_at(eloc, start_tok)
                self._end(eloc, start_tok)
                end, end_tok = start, start_tok
            if end >= INT32_MAX:  # the exclusive end would not fit in the descriptor's int32
                raise self.error("field number out of bounds", end_tok + 1)  # where protoc reports it
            self._end(rloc)
            rng.start = start
            rng.end = end + 1
            if not self.try_consume(","):
                break
        if self.at("["):
            saved = self.locs
            self.locs = info = []
            index = len(loc[0])
            iloc = self._loc(loc[0] + (0,))
            oloc = self._loc(iloc[0] + (3,))
            first = msg.extension_range[old]
            self.consume("[")
            while True:
                self.option(first, "ExtensionRangeOptions", oloc, scope + ("dummy",), statement=False)
                if not self.try_consume(","):
                    break
            self.consume("]", " to close the extension range options")
            self._end(oloc)
            self._end(iloc)
            self.locs = saved
            pend = self.options[-1]
            pend.path = pend.path[:index] + (old,) + pend.path[index + 1:]
            for i in range(old + 1, len(msg.extension_range)):
                other = msg.extension_range[i]
                other.options.SetInParent()
                self.options.append(PendingOptions(other, pend.options_type,
                                                   pend.path[:index] + (i,) + pend.path[index + 1:],
                                                   pend.scope, list(pend.items)))
            first.options.SetInParent()
            for i in range(old, len(msg.extension_range)):
                for item in info:
                    if len(item[0]) == index + 1:
                        continue
                    path = item[0][:index] + (i,) + item[0][index + 1:]
                    self.locs.append([path, list(item[1]), item[2], item[3], item[4]])
        self.end_decl(";", loc, " after the extension range")

    def reserved(self, msg, path: tuple[int, ...], range_no: int, name_no: int, message: bool) -> None:
        start_tok = self.i
        self.consume("reserved")
        if self.kind[self.i] in (STRING, IDENT):
            loc = self._loc(path + (name_no,))
            self._start_at(loc, start_tok)
            while True:
                sub = self._loc(loc[0] + (len(msg.reserved_name),))
                if self.kind[self.i] == IDENT:
                    if self.syntax != "editions":
                        raise self.error("reserved names must be string literals before editions "
                                         f"(write \"{self.text[self.i]}\")")
                    msg.reserved_name.append(self.text[self.i])
                    self.i += 1
                else:
                    if self.syntax == "editions":
                        raise self.error("reserved names must be identifiers in editions, not strings")
                    msg.reserved_name.append(self.text_string("a field name"))
                self._end(sub)
                if not self.try_consume(","):
                    break
        else:
            loc = self._loc(path + (range_no,))
            self._start_at(loc, start_tok)
            first = True
            while True:
                rloc = self._loc(loc[0] + (len(msg.reserved_range),))
                rng = msg.reserved_range.add()
                sloc = self._loc(rloc[0] + (1,))
                tok = self.i
                what = ("a field name or number range" if first else "a field number range") if message \
                    else ("an enum value or number range" if first else "an enum number range")
                start = self.integer(what) if message else self.signed(what)
                self._end(sloc)
                if self.try_consume("to"):
                    eloc = self._loc(rloc[0] + (2,))
                    if self.try_consume("max"):
                        end = -2 if message else INT32_MAX
                    else:
                        end = self.integer("an integer") if message else self.signed("an integer")
                else:
                    eloc = self._loc(rloc[0] + (2,))
                    self._start_at(eloc, tok)
                    self._end(eloc, tok)
                    end = start
                self._end(eloc)
                self._end(rloc)
                if message and end >= INT32_MAX:  # the exclusive end would not fit in an int32
                    raise self.error("field number out of bounds: a reserved range ends at 2147483646 at most", tok)
                rng.start = start
                rng.end = end + 1 if message else end
                first = False
                if not self.try_consume(","):
                    break
        self.end_decl(";", loc, " after the reserved statement")
        self._end(loc)

    def extend(self, extensions, nested, parent_path: tuple[int, ...], nested_no: int, loc: list,
               scope: tuple[str, ...]) -> None:
        self.consume("extend")
        first_tok = self.i
        extendee = self.type_name()
        last_tok = self.i - 1
        self.end_decl("{", loc, " to open the extend block")
        while True:
            if self.kind[self.i] == END:
                raise self.error("reached end of file in extend definition (missing '}')")
            floc = self._loc(loc[0] + (len(extensions),))
            fld = extensions.add()
            eloc = self._loc(floc[0] + (2,))
            self._start_at(eloc, first_tok)
            self._end(eloc, last_tok)
            fld.extendee = extendee
            self.refs.append(TypeRef(fld, "extendee", scope, self.tk.line[first_tok] + 1,
                                     self.tk.col[first_tok] + 1, floc[0]))
            self.field(fld, nested, parent_path, nested_no, floc, scope, scope)
            self._end(floc)
            if self.try_end_decl("}", None):
                break

    def oneof(self, oneof: d.OneofDescriptorProto, msg: d.DescriptorProto, index: int, loc: list,
              msg_loc: list, scope: tuple[str, ...]) -> None:
        self.consume("oneof")
        nloc = self._loc(loc[0] + (1,))
        oneof.name = self.ident("a oneof name")
        self._end(nloc)
        self.end_decl("{", loc, " to open the oneof body")
        while True:
            if self.kind[self.i] == END:
                raise self.error("reached end of file in oneof definition (missing '}')")
            if self.at("option"):
                oloc = self._loc(loc[0] + (2,))
                self.option(oneof, "OneofOptions", oloc, scope + (oneof.name,), statement=True)
                self._end(oloc)
            elif self.try_end_decl(";", None):
                pass
            else:
                if self.text[self.i] in ("required", "optional", "repeated"):
                    raise self.error("fields in oneofs must not have labels (required / optional / repeated)")
                floc = self._loc(msg_loc[0] + (2, len(msg.field)))
                fld = msg.field.add(label=F.LABEL_OPTIONAL, oneof_index=index)
                self.field_no_label(fld, msg.nested_type, msg_loc[0], 3, floc, scope, scope)
                self._end(floc)
            if self.try_end_decl("}", None):
                break
