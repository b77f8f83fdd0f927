"""Read one Python module with libcst into plain frozen values: imports, classes, aliases, routes.

Maintainers: this is the only module that touches libcst (imported lazily, only for files
that passed the text pre-filter). It keeps what DTO extraction needs and nothing else:
import bindings (local name -> qualified name), module-level assignments (type aliases,
functional ``TypedDict``/``Enum`` calls), classes (bases, keywords, decorators, body
statements) and decorated functions (FastAPI routes), as the values of :mod:`.syntax`
(re-exported here). Nothing is imported or executed.
"""

from __future__ import annotations

from typing import Any

from ...errors import ParseError
from .spans import node_spans
from .syntax import NO_SPAN, ClassDef, Expr, FuncDef, ModuleInfo, Span, Stmt

__all__ = ["Expr", "Span", "Stmt", "ClassDef", "FuncDef", "ModuleInfo", "parse_module", "parse_annotation_text"]

def parse_module(path: str, module: str, data: bytes, positions: bool = True) -> ModuleInfo:
    """Parse ``data`` (the text of ``path``) with libcst.

    Args:
        path: Repository-relative path (for positions and errors).
        module: Its dotted module name (to make relative imports absolute).
        data: File bytes.
        positions: Compute positions (a module only read to resolve names needs none, and
            position metadata costs more than the parse itself).

    Raises:
        ParseError: Not UTF-8 or not valid Python.
    """
    import libcst as cst

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParseError(path, 0, 0, f"is not UTF-8 (byte {exc.start})") from None
    _check_with_cpython(path, text)
    try:
        tree = _parse_text(cst, text)
    except (cst.ParserSyntaxError, cst.CSTValidationError) as exc:  # validation: e.g. 'a' b'b'
        line, column, cause = _syntax_error(text, exc)
        raise ParseError(path, line, column, f"is not valid Python: {cause}") from None
    except RecursionError:
        raise ParseError(path, 0, 0, "is nested too deeply to parse") from None
    try:
        if not positions:
            return _Reader(path, module, {}).read_module(tree)
        # The reader runs twice: first to learn which nodes it spans, then with their spans
        # (positions of all nodes cost several times more than both reads; see .spans).
        wanted = _Wanted()
        _Reader(path, module, wanted).read_module(tree)
        return _Reader(path, module, node_spans(tree, wanted.keys)).read_module(tree)
    except RecursionError:  # libcst's parser is native, but its trees are walked (and printed) recursively:
        # hundreds of adjacent string literals ('a' 'b' 'c' ...) parse, then nest too deep to read
        raise ParseError(path, 0, 0, "is nested too deeply to read (an expression nests hundreds of levels, "
                                     "e.g. adjacent string literals)") from None


_NESTING_REFUSALS = ("too many nested parentheses", "too complex", "too many statically nested blocks")


def _check_with_cpython(path: str, text: str) -> None:
    """Raise :class:`ParseError` for text CPython's own parser refuses, before libcst sees it.

    libcst's native parser is not safe on such text: about 10,000 nested ``not``/``-``/
    ``lambda``/``if else`` levels, or 600 nested calls, overflow its stack and kill the process
    (SIGSEGV, no message), and on some invalid text it backtracks for minutes (a 130 KB line of
    decorators with a bracket never closed: 50 s). CPython's parser bounds its depth and fails
    fast, so it is asked first (the syntax tree only, no code object, warnings silenced); text it
    accepts is safe for libcst (measured at every depth it accepts). Its verdict is final: the
    Python read is that of the running interpreter, which is what libcst's default grammar
    follows too (run schemacheck on the newest Python the code base uses).
    """
    import ast
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(text, path, "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
    except (RecursionError, MemoryError):
        raise ParseError(path, 0, 0, "is nested too deeply to parse (deeper than Python's own parser accepts)") from None
    except SyntaxError as exc:
        if "integer string conversion" in str(exc.msg):  # a runtime limit (sys.set_int_max_str_digits),
            return                                        # not grammar: the literal is read as an unknown value
        if any(reason in str(exc.msg) for reason in _NESTING_REFUSALS):
            raise ParseError(path, exc.lineno or 0, exc.offset or 0,
                             f"is nested too deeply to parse ({exc.msg})") from None
        raise ParseError(path, exc.lineno or 0, exc.offset or 0, f"is not valid Python: {exc.msg}") from None
    except ValueError:  # NUL bytes (Python 3.11): libcst reports them as a syntax error of its own
        pass


def _parse_text(cst: Any, text: str) -> Any:
    """libcst's tree of ``text``; a file mixing newline styles is read with ``\\n`` throughout.

    libcst rejects valid Python whose lines end differently inside one indented block (a CRLF
    file edited on another system: "Internal error while parsing whitespace"); CPython reads
    ``\\r\\n``, ``\\r`` and ``\\n`` alike. Every one is one line end for libcst's positions too, so
    lines and columns stay those of the file.
    """
    try:
        return cst.parse_module(text)
    except cst.ParserSyntaxError:
        if "\r" not in text:
            raise
        try:
            return cst.parse_module(text.replace("\r\n", "\n").replace("\r", "\n"))
        except (cst.ParserSyntaxError, cst.CSTValidationError):
            pass
        raise


def parse_annotation_text(text: str, span: Span) -> Expr | None:
    """A string annotation (forward reference) as an :class:`Expr` (``None`` if it does not parse)."""
    import libcst as cst

    try:
        node = cst.parse_expression(text)
    except (cst.ParserSyntaxError, RecursionError, ValueError):
        return None
    return _Reader("", "", {}, fixed=span).expr(node)


class _Wanted:
    """A stand-in for the spans that notes which nodes the reader asks about (by ``id``)."""

    def __init__(self) -> None:
        self.keys: set[int] = set()

    def get(self, key: int) -> None:
        self.keys.add(key)


class _Reader:
    def __init__(self, path: str, module: str, spans: Any, fixed: Span | None = None) -> None:
        """``spans`` maps a node's ``id`` to its span (see :func:`.spans.node_spans`)."""
        self.path, self.module, self.spans, self.fixed = path, module, spans, fixed

    def span(self, node: Any) -> Span:
        if self.fixed is not None:
            return self.fixed
        found = self.spans.get(id(node))
        return NO_SPAN if found is None else found

    # -- module ----------------------------------------------------------------------------
    def read_module(self, tree: Any) -> ModuleInfo:
        import libcst as cst

        imports: dict[str, str] = {}
        classes: dict[str, ClassDef] = {}
        assigns: dict[str, Stmt] = {}
        functions: list[FuncDef] = []
        for stmt in tree.body:
            if isinstance(stmt, cst.ClassDef):
                classes[stmt.name.value] = self.class_def(stmt)
            elif isinstance(stmt, cst.FunctionDef):
                if stmt.decorators:
                    functions.append(self.func_def(stmt))
            elif isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    if isinstance(small, (cst.Import, cst.ImportFrom)):
                        self.imports(small, imports)
                    else:
                        found = self.small(small, stmt)
                        if found is not None:
                            assigns[found.target] = found
            elif isinstance(stmt, (cst.If, cst.Try)):
                # ``if TYPE_CHECKING:`` / ``try: import ...`` blocks bind names too.
                for inner in _nested_simple(stmt):
                    for small in inner.body:
                        if isinstance(small, (cst.Import, cst.ImportFrom)):
                            self.imports(small, imports)
        return ModuleInfo(self.path, self.module, imports, classes, assigns, tuple(functions))

    def imports(self, node: Any, out: dict[str, str]) -> None:
        import libcst as cst

        if isinstance(node, cst.Import):
            for alias in node.names:
                full = _dotted(alias.name)
                if alias.asname is not None:
                    out[_dotted(alias.asname.name)] = full
                else:
                    out[full.split(".")[0]] = full.split(".")[0]
            return
        base = _dotted(node.module) if node.module is not None else ""
        if node.relative:
            parts = self.module.split(".")
            is_package = self.path.endswith("__init__.py")
            keep = len(parts) - len(node.relative) + (1 if is_package else 0)
            prefix = ".".join(parts[:max(keep, 0)])
            base = ".".join(p for p in (prefix, base) if p)
        if isinstance(node.names, cst.ImportStar):
            out[f"*{len([k for k in out if k.startswith('*')])}"] = base  # resolved by Project.qualify
            return
        for alias in node.names:
            name = _dotted(alias.name)
            local = _dotted(alias.asname.name) if alias.asname is not None else name
            out[local] = f"{base}.{name}" if base else name

    def small(self, small: Any, line: Any) -> Stmt | None:
        import libcst as cst

        if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
            value = self.expr(small.value) if small.value is not None else None
            return Stmt("ann", small.target.value, self.expr(small.annotation.annotation), value, (), self.span(line))
        if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
            return Stmt("assign", small.targets[0].target.value, None, self.expr(small.value), (), self.span(line))
        type_alias = getattr(cst, "TypeAlias", None)
        if type_alias is not None and isinstance(small, type_alias):
            return Stmt("type", small.name.value, None, self.expr(small.value), (), self.span(line))
        return None

    def class_def(self, node: Any) -> ClassDef:
        import libcst as cst

        bases = tuple(self.expr(a.value) for a in node.bases if a.keyword is None and not a.star)
        keywords = tuple((a.keyword.value, self.expr(a.value)) for a in node.keywords if a.keyword is not None)
        decorators = tuple(self.expr(d.decorator) for d in node.decorators)
        body: list[Stmt] = []
        inner: list[ClassDef] = []
        block = node.body.body if isinstance(node.body, cst.IndentedBlock) else (node.body,)
        for stmt in block:
            if isinstance(stmt, cst.ClassDef):
                inner.append(self.class_def(stmt))
            elif isinstance(stmt, cst.FunctionDef):
                body.append(Stmt("def", stmt.name.value, None, None,
                                 tuple(self.expr(d.decorator) for d in stmt.decorators), self.span(stmt)))
            elif isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    found = self.small(small, stmt)
                    if found is not None:
                        body.append(found)
        return ClassDef(node.name.value, bases, keywords, decorators, tuple(body), tuple(inner), self.span(node),
                        self.span(node.name))

    def func_def(self, node: Any) -> FuncDef:
        params = []
        for p in (*node.params.posonly_params, *node.params.params, *node.params.kwonly_params):
            ann = self.expr(p.annotation.annotation) if p.annotation is not None else None
            default = self.expr(p.default) if p.default is not None else None
            params.append((p.name.value, ann, default))
        returns = self.expr(node.returns.annotation) if node.returns is not None else None
        return FuncDef(node.name.value, tuple(self.expr(d.decorator) for d in node.decorators), tuple(params),
                       returns, self.span(node))

    # -- expressions ---------------------------------------------------------------------------
    def expr(self, node: Any) -> Expr:
        import libcst as cst

        span = self.span(node)
        if isinstance(node, (cst.Name, cst.Attribute)):
            dotted = _dotted_or_none(node)
            if dotted is None:
                return Expr("other", _code(node), span=span)
            if dotted in ("True", "False", "None"):
                return Expr("const", dotted, value={"True": True, "False": False, "None": None}[dotted], span=span)
            return Expr("name", dotted, span=span)
        if isinstance(node, cst.Ellipsis):
            return Expr("const", "...", value=Ellipsis, span=span)
        if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
            value = _evaluated(node)
            if value is _NOT_LITERAL or isinstance(value, bytes):
                return Expr("other", _code(node), span=span)
            return Expr("str", value or "", value=value, span=span)
        if isinstance(node, (cst.Integer, cst.Float)):
            number = _evaluated(node)
            if number is _NOT_LITERAL:
                return Expr("other", node.value, span=span)
            return Expr("num", node.value, value=number, span=span)
        if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus) \
                and isinstance(node.expression, (cst.Integer, cst.Float)):
            number = _evaluated(node.expression)
            if number is _NOT_LITERAL:
                return Expr("other", _code(node), span=span)
            return Expr("num", "-" + node.expression.value, value=-number, span=span)
        if isinstance(node, cst.Subscript):
            items = []
            for element in node.slice:
                if isinstance(element.slice, cst.Index):
                    items.append(self.expr(element.slice.value))
                else:
                    items.append(Expr("other", _code(element.slice), span=span))
            base = self.expr(node.value)
            return Expr("sub", base.text if base.kind == "name" else _code(node.value), tuple(items), span=span)
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.BitOr):
            return Expr("or", "|", (self.expr(node.left), self.expr(node.right)), span=span)
        if isinstance(node, cst.Call):
            func = self.expr(node.func)
            args = tuple(self.expr(a.value) for a in node.args if a.keyword is None and not a.star)
            kwargs = tuple((a.keyword.value, self.expr(a.value)) for a in node.args if a.keyword is not None)
            return Expr("call", func.text if func.kind == "name" else _code(node.func), args, kwargs, span=span)
        if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
            kind = {cst.List: "list", cst.Tuple: "tuple", cst.Set: "set"}[type(node)]
            return Expr(kind, "", tuple(self.expr(e.value) for e in node.elements if not isinstance(e, cst.StarredElement)),
                        span=span)
        if isinstance(node, cst.Dict):
            items: list[Expr] = []
            for element in node.elements:
                if isinstance(element, cst.DictElement):
                    items += [self.expr(element.key), self.expr(element.value)]
            return Expr("dict", "", tuple(items), span=span)
        return Expr("other", _code(node), span=span)


_NOT_LITERAL = object()


def _evaluated(node: Any) -> Any:
    """libcst's ``evaluated_value`` (``ast.literal_eval`` of the token), or :data:`_NOT_LITERAL`
    where CPython refuses the token libcst accepted: an integer over 4,300 digits (ValueError),
    a NUL character inside a string (SyntaxError); a fuzz finding. The value is then unknown."""
    try:
        return node.evaluated_value
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return _NOT_LITERAL


def _nested_simple(stmt: Any) -> list[Any]:
    import libcst as cst

    out = []
    stack = [stmt]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.SimpleStatementLine):
            out.append(node)
            continue
        for child in node.children:
            if isinstance(child, (cst.IndentedBlock, cst.If, cst.Else, cst.Try, cst.ExceptHandler, cst.Finally,
                                  cst.SimpleStatementLine)):
                stack.append(child)
            elif isinstance(child, cst.BaseSuite):
                stack.append(child)
    return out


def _dotted(node: Any) -> str:
    found = _dotted_or_none(node)
    return found if found is not None else ""


def _dotted_or_none(node: Any) -> str | None:
    import libcst as cst

    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        head = _dotted_or_none(node.value)
        return None if head is None else f"{head}.{node.attr.value}"
    return None


def _code(node: Any) -> str:
    import libcst as cst

    try:
        return cst.Module(body=[]).code_for_node(node)
    except Exception:  # noqa: BLE001 - a text for messages only
        return type(node).__name__


def _syntax_error(text: str, exc: object) -> tuple[int, int, str]:
    """Line, column and cause of a syntax error libcst found.

    libcst's ``raw_line``/``raw_column`` often name the start of the line after the error, and
    its cause lists every token it expected; CPython's own parser, asked only once libcst has
    failed, names the exact place and says why ("'(' was never closed"). When CPython parses the
    text (syntax newer than libcst's grammar, or the reverse), libcst's own position and cause stand.
    """
    import ast
    import re
    import warnings

    try:
        with warnings.catch_warnings():  # its SyntaxWarnings ("invalid decimal literal") are not ours to print
            warnings.simplefilter("ignore")
            ast.parse(text)
    except SyntaxError as err:
        if err.lineno:
            return err.lineno, max(err.offset or 1, 1), err.msg
    except (ValueError, RecursionError, MemoryError):
        pass
    message = " ".join(str(getattr(exc, "message", "")).split())
    found = re.match(r"(?:parser error: )?error at (\d+):(\d+): (.*)", message)
    if found:
        return int(found.group(1)), int(found.group(2)) + 1, found.group(3)
    return getattr(exc, "raw_line", 0), getattr(exc, "raw_column", 0) + 1, message or "syntax error"
