"""Field declarations: labels, types, ``map<K, V>`` entries, groups, field options, defaults.

Maintainers: follows protoc's ``ParseMessageField``/``ParseMessageFieldNoLabel``, including
the synthesized ``XxxEntry`` map type and the overlapping locations of a group's field and
nested message. Defaults are stored the way protoc's parser stores them; the linker
normalises them once the field's type is known.
"""

from __future__ import annotations

from google.protobuf import descriptor_pb2 as d

from .lexer import FLOAT, IDENT, INT
from .parse_base import INT32_MAX, SIGNED, TYPES, UNSIGNED, ParserBase, PendingOptions, TypeRef
from .strings import c_escape, parse_int, simple_dtoa

F = d.FieldDescriptorProto
_LABELS = {"optional": F.LABEL_OPTIONAL, "repeated": F.LABEL_REPEATED, "required": F.LABEL_REQUIRED}
_SLOW_TYPES = frozenset(("map", "group"))


class FieldsMixin(ParserBase):
    """Parse one field (used in messages, oneofs and extend blocks)."""

    def fast_field(self, msg, mpath: tuple[int, ...], scope: tuple[str, ...]) -> bool:
        """Parse ``[label] type name = number;`` in one go (most fields); False if not that shape.

        Creates exactly the locations the general path creates, in the same order; anything
        unusual (maps, groups, options, errors) is left to :meth:`field`.
        """
        t = self.text
        k = self.kind
        i = j = self.i
        label = _LABELS.get(t[i])
        if label is not None:
            if self.syntax == "editions" and label != F.LABEL_REPEATED:
                return False
            j += 1
        type_start = j
        if k[j] != IDENT or t[j] in _SLOW_TYPES:
            return False
        j += 1
        while t[j] == "." and k[j + 1] == IDENT:
            j += 2
        if k[j] != IDENT or t[j + 1] != "=" or k[j + 2] != INT or t[j + 3] != ";":
            return False
        if label is None and self.syntax == "proto2":
            return False
        number = parse_int(t[j + 2])
        if number > INT32_MAX:
            return False
        lines = self.lines
        cols = self.cols
        ends = self.ends
        locs = self.locs
        fpath = mpath + (2, len(msg.field))
        fld = msg.field.add(name=t[j], number=number)
        floc = [fpath, [lines[i], cols[i]], "", "", None]
        locs.append(floc)
        if label is not None:
            locs.append([fpath + (4,), [lines[i], cols[i], ends[i]], "", "", None])
            fld.label = label
            if label == F.LABEL_OPTIONAL and self.syntax == "proto3":
                fld.proto3_optional = True
        else:
            fld.label = F.LABEL_OPTIONAL
        typ = TYPES.get(t[type_start]) if type_start + 1 == j else None
        last = j - 1
        tspan = [lines[type_start], cols[type_start]]
        if lines[last] != tspan[0]:
            tspan.append(lines[last])
        tspan.append(ends[last])
        if typ is not None:
            locs.append([fpath + (5,), tspan, "", "", None])
            fld.type = typ
        else:
            locs.append([fpath + (6,), tspan, "", "", None])
            fld.type_name = "".join(t[type_start:j])
            self.refs.append(TypeRef(fld, "type_name", scope, lines[type_start] + 1, cols[type_start] + 1, fpath))
        locs.append([fpath + (1,), [lines[j], cols[j], ends[j]], "", "", None])
        locs.append([fpath + (3,), [lines[j + 2], cols[j + 2], ends[j + 2]], "", "", None])
        self.i = j + 3
        self.try_end_decl(";", floc)
        self._end(floc)
        return True

    def label(self, fld: F, loc: list) -> None:
        text = self.text[self.i]
        if text in ("optional", "repeated", "required") and self.kind[self.i] == IDENT:
            if self.syntax == "editions" and text != "repeated":
                raise self.error(f"label '{text}' is not allowed in editions; use features instead")
            sub = self._loc(loc[0] + (4,))
            self.i += 1
            self._end(sub)
            if text == "optional":
                fld.label = F.LABEL_OPTIONAL
                if self.syntax == "proto3":
                    fld.proto3_optional = True
            elif text == "repeated":
                fld.label = F.LABEL_REPEATED
            else:
                fld.label = F.LABEL_REQUIRED

    def field(self, fld: F, nested, parent_path: tuple[int, ...], nested_no: int, loc: list,
              scope: tuple[str, ...], type_scope: tuple[str, ...]) -> None:
        self.label(fld, loc)
        self.field_no_label(fld, nested, parent_path, nested_no, loc, scope, type_scope)

    def field_no_label(self, fld: F, nested, parent_path: tuple[int, ...], nested_no: int, loc: list,
                       scope: tuple[str, ...], type_scope: tuple[str, ...]) -> None:
        path = loc[0]
        tloc = self._loc(path)
        type_tok = self.i
        is_map = False
        typ = None
        key = value = None
        if self.at("map") and self.text[self.i + 1] == "<":
            is_map = True
            if fld.HasField("oneof_index"):
                raise self.error("map fields are not allowed in oneofs")
            if fld.HasField("label"):
                raise self.error("field labels (required/optional/repeated) are not allowed on map fields")
            if fld.HasField("extendee"):
                raise self.error("map fields are not allowed to be extensions")
            fld.label = F.LABEL_REPEATED
            self.i += 2
            key = self.parse_type()
            self.consume(",", " between map key and value types")
            value = self.parse_type()
            self.consume(">", " to close the map type")
            tloc[0] = path + (6,)
        else:
            if not fld.HasField("label"):
                if self.syntax == "proto2":
                    raise self.error(f"expected 'required', 'optional' or 'repeated', found {self.found()}")
                fld.label = F.LABEL_OPTIONAL
            typ, name, _ = self.parse_type()
            if typ is not None:
                if typ == F.TYPE_GROUP and self.syntax != "proto2":
                    raise self.error("groups are not allowed in proto3 or editions; use a message field", type_tok)
                tloc[0] = path + (5,)
                fld.type = typ
            else:
                tloc[0] = path + (6,)
                fld.type_name = name
                self.refs.append(TypeRef(fld, "type_name", type_scope, self.tk.line[type_tok] + 1,
                                         self.tk.col[type_tok] + 1, path))
        self._end(tloc)
        name_tok = self.i
        nloc = self._loc(path + (1,))
        fld.name = self.ident("a field name")
        self._end(nloc)
        if not self.try_consume("="):
            raise self.error(f"expected '=' after field name '{fld.name}', found {self.found()}")
        num_loc = self._loc(path + (3,))
        fld.number = self.integer("a field number")
        self._end(num_loc)
        if self.at("["):
            self.field_options(fld, loc, scope)
        if typ == F.TYPE_GROUP:
            gloc = self._loc(parent_path)
            gloc[1][0], gloc[1][1] = loc[1][0], loc[1][1]
            gloc[0] = parent_path + (nested_no, len(nested))
            group = nested.add(name=fld.name)
            sub = self._loc(gloc[0] + (1,))
            self._start_at(sub, name_tok)
            self._end(sub, name_tok)
            sub = self._loc(path + (6,))
            self._start_at(sub, name_tok)
            self._end(sub, name_tok)
            if not ("A" <= group.name[0] <= "Z"):
                raise self.error("group names must start with a capital letter", name_tok)
            fld.name = fld.name.lower()
            fld.type_name = group.name
            self.refs.append(TypeRef(fld, "type_name", type_scope, self.tk.line[name_tok] + 1,
                                     self.tk.col[name_tok] + 1, path))
            if not self.at("{"):
                raise self.error(f"expected '{{' to open the group body, found {self.found()}")
            self.check_depth(type_tok)
            self.message_block(group, gloc, scope + (group.name,) if fld.HasField("extendee") else
                               type_scope + (group.name,))
            self._end(gloc)
        else:
            if not self.try_end_decl(";", loc):
                raise self.error("expected ';' after field " + ("options" if self.text[self.i - 1] == "]"
                                                                else "number") + f", found {self.found()}")
        if is_map:
            self.map_entry(fld, nested, key, value, type_scope, path, parent_path + (nested_no,))

    def parse_type(self) -> tuple[int | None, str, int]:
        tok = self.i
        typ = TYPES.get(self.text[self.i]) if self.kind[self.i] == IDENT else None
        if typ is not None:
            self.i += 1
            return typ, "", tok
        return None, self.type_name(), tok

    def type_name(self) -> str:
        if self.kind[self.i] == IDENT and self.text[self.i] in TYPES:
            raise self.error("expected a message type, found a scalar type")
        parts = []
        if self.try_consume("."):
            parts.append("")
        parts.append(self.ident("a type name"))
        while self.try_consume("."):
            parts.append(self.ident("an identifier after '.'"))
        return ".".join(parts)

    def map_entry(self, fld: F, nested, key, value, type_scope, path: tuple[int, ...],
                  entry_parent: tuple[int, ...]) -> None:
        name = "".join(p[:1].upper() + p[1:] for p in fld.name.split("_")) + "Entry"
        entry_path = entry_parent + (len(nested),)
        entry = nested.add(name=name)
        fld.type_name = name
        self.refs.append(TypeRef(fld, "type_name", type_scope, 0, 0, path))
        entry.options.map_entry = True
        for number, fname, (typ, tname, tok) in ((1, "key", key), (2, "value", value)):
            sub = entry.field.add(name=fname, number=number, label=F.LABEL_OPTIONAL)
            if typ is not None:
                sub.type = typ
            else:
                sub.type_name = tname
                self.refs.append(TypeRef(sub, "type_name", type_scope, self.tk.line[tok] + 1,
                                         self.tk.col[tok] + 1, entry_path + (2, number - 1)))
        # protoc's GenerateMapEntry copies every `features.…` option of the map field, as written,
        # to both synthetic fields (whatever their types), where it is interpreted like theirs.
        written = self.pending_by_owner.get((id(fld), path + (8,)))
        features = [item for item in written.items if item.name[0] == ("features", False)] if written else []
        for index, sub in enumerate(entry.field if features else ()):
            self.options.append(PendingOptions(sub, "FieldOptions", entry_path + (2, index, 8), written.scope,
                                               list(features)))

    def field_options(self, fld: F, loc: list, scope: tuple[str, ...]) -> None:
        oloc = self._loc(loc[0] + (8,))
        self.consume("[")
        while True:
            if self.at("default") and self.text[self.i + 1] == "=":
                self.default(fld, loc)
            elif self.at("json_name") and self.text[self.i + 1] == "=":
                if fld.HasField("json_name"):
                    raise self.error("option 'json_name' is already set")
                jloc = self._loc(loc[0] + (10,))
                self.i += 2
                vloc = self._loc(loc[0] + (10,))
                fld.json_name = self.text_string("a string for the JSON name")
                self._end(vloc)
                self._end(jloc)
            else:
                self.option(fld, "FieldOptions", oloc, scope + (fld.name,), statement=False)
            if not self.try_consume(","):
                break
        self.consume("]", " to close the field options")
        self._end(oloc)

    def default(self, fld: F, loc: list) -> None:
        if fld.HasField("default_value"):
            raise self.error("option 'default' is already set")
        self.i += 2
        dloc = self._loc(loc[0] + (7,))
        tok = self.i
        if not fld.HasField("type"):
            fld.default_value = self.text[self.i]
            self.i += 1
        else:
            typ = fld.type
            if typ in SIGNED:
                neg = self.try_consume("-")
                value = self.integer("an integer default value", SIGNED[typ] + neg)
                fld.default_value = ("-" if neg else "") + str(value)
            elif typ in UNSIGNED:
                if self.at("-"):
                    raise self.error("unsigned field can't have a negative default value")
                fld.default_value = str(self.integer("an integer default value", UNSIGNED[typ]))
            elif typ in (F.TYPE_FLOAT, F.TYPE_DOUBLE):
                neg = self.try_consume("-")
                kind, text = self.kind[self.i], self.text[self.i]
                if kind == FLOAT:
                    value = float(text)
                elif kind == INT:
                    value = float(parse_int(text))
                elif text in ("inf", "nan") and kind == IDENT:
                    value = float(text)
                else:
                    raise self.error(f"expected a number default value, found {self.found()}")
                self.i += 1
                fld.default_value = simple_dtoa(-value if neg else value)
            elif typ == F.TYPE_BOOL:
                if self.text[self.i] not in ("true", "false") or self.kind[self.i] != IDENT:
                    raise self.error(f"expected 'true' or 'false', found {self.found()}")
                fld.default_value = self.text[self.i]
                self.i += 1
            elif typ == F.TYPE_STRING:
                fld.default_value = self.text_string("a string default value")
            elif typ == F.TYPE_BYTES:
                fld.default_value = c_escape(self.string("a string default value"))
            else:
                raise self.error("messages can't have default values", tok)
        self._end(dloc)
