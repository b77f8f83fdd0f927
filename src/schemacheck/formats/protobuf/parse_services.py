"""Enums (values, value options, reserved) and services (methods, streaming, method options).

Maintainers: protoc's ``ParseEnumBlock``/``ParseEnumConstant`` and
``ParseServiceBlock``/``ParseServiceMethod``. A method with a ``{}`` body gets an (empty)
options message, as protoc gives it.
"""

from __future__ import annotations

from google.protobuf import descriptor_pb2 as d

from .lexer import END
from .parse_base import ParserBase, TypeRef


class EnumsServicesMixin(ParserBase):
    """Parse enum and service definitions."""

    def enum(self, en: d.EnumDescriptorProto, loc: list, scope: tuple[str, ...]) -> None:
        self.consume("enum")
        nloc = self._loc(loc[0] + (1,))
        en.name = self.ident("an enum name")
        self._end(nloc)
        self.end_decl("{", loc, " to open the enum body")
        inner = scope + (en.name,)
        while not self.try_end_decl("}", None):
            if self.kind[self.i] == END:
                raise self.error("reached end of file in enum definition (missing '}')")
            if self.try_end_decl(";", None):
                continue
            if self.at("option"):
                oloc = self._loc(loc[0] + (3,))
                self.option(en, "EnumOptions", oloc, inner, statement=True)
                self._end(oloc)
            elif self.at("reserved"):
                self.reserved(en, loc[0], 4, 5, message=False)
            else:
                vloc = self._loc(loc[0] + (2, len(en.value)))
                self.enum_value(en.value.add(), vloc, scope)
                self._end(vloc)

    def enum_value(self, value: d.EnumValueDescriptorProto, loc: list, scope: tuple[str, ...]) -> None:
        nloc = self._loc(loc[0] + (1,))
        value.name = self.ident("an enum constant name")
        self._end(nloc)
        if not self.try_consume("="):
            raise self.error(f"expected '=' after enum constant name '{value.name}', found {self.found()}")
        num = self._loc(loc[0] + (2,))
        value.number = self.signed("an integer")
        self._end(num)
        if self.at("["):
            oloc = self._loc(loc[0] + (3,))
            self.consume("[")
            while True:
                self.option(value, "EnumValueOptions", oloc, scope + (value.name,), statement=False)
                if not self.try_consume(","):
                    break
            self.consume("]", " to close the enum value options")
            self._end(oloc)
        self.end_decl(";", loc, " after the enum value")

    def service(self, svc: d.ServiceDescriptorProto, loc: list) -> None:
        self.consume("service")
        nloc = self._loc(loc[0] + (1,))
        svc.name = self.ident("a service name")
        self._end(nloc)
        scope = self.package + (svc.name,)
        self.end_decl("{", loc, " to open the service body")
        while not self.try_end_decl("}", None):
            if self.kind[self.i] == END:
                raise self.error("reached end of file in service definition (missing '}')")
            if self.try_end_decl(";", None):
                continue
            if self.at("option"):
                oloc = self._loc(loc[0] + (3,))
                self.option(svc, "ServiceOptions", oloc, scope, statement=True)
                self._end(oloc)
            else:
                mloc = self._loc(loc[0] + (2, len(svc.method)))
                self.method(svc.method.add(), mloc, scope)
                self._end(mloc)

    def method(self, method: d.MethodDescriptorProto, loc: list, scope: tuple[str, ...]) -> None:
        path = loc[0]
        self.consume("rpc", " to start a method")
        nloc = self._loc(path + (1,))
        method.name = self.ident("a method name")
        self._end(nloc)
        for attr, stream_no, type_no in (("input_type", 5, 2), ("output_type", 6, 3)):
            if attr == "output_type":
                self.consume("returns", " after the method input")
            self.consume("(")
            if self.at("stream"):
                sloc = self._loc(path + (stream_no,))
                self.i += 1
                self._end(sloc)
                setattr(method, "client_streaming" if stream_no == 5 else "server_streaming", True)
            tloc = self._loc(path + (type_no,))
            tok = self.i
            setattr(method, attr, self.type_name())
            self.refs.append(TypeRef(method, attr, scope, self.tk.line[tok] + 1, self.tk.col[tok] + 1, path))
            self._end(tloc)
            self.consume(")")
        if self.at("{"):
            method.options.SetInParent()
            self.end_decl("{", loc)
            while not self.try_end_decl("}", None):
                if self.kind[self.i] == END:
                    raise self.error("reached end of file in method options (missing '}')")
                if self.try_end_decl(";", None):
                    continue
                oloc = self._loc(path + (4,))
                self.option(method, "MethodOptions", oloc, scope + (method.name,), statement=True)
                self._end(oloc)
        else:
            self.end_decl(";", loc, " after the method")
