"""parse_function: a safe parser for a user's target function of x, built on `ast`, never on eval."""
from __future__ import annotations

import ast
import functools
from types import MappingProxyType
from typing import Callable, Mapping

import numpy as np
from numpy.typing import ArrayLike

from .terms import relu

__all__ = ["ALLOWED_FUNCTIONS", "ExpressionError", "ParsedFunction", "parse_function"]

MAX_LENGTH = 200
"""The longest formula accepted, in characters."""
MAX_DEPTH = 30
"""The deepest nesting of parentheses accepted."""
MAX_LITERAL = 1e6
"""The largest |number| a formula may contain."""
MAX_EXPONENT = 64
"""The largest |exponent| accepted in x**p."""
CARET_WINDOW = 30
"""A caret line shows at most this many characters of the formula either side of the bad one."""

ALLOWED_FUNCTIONS: Mapping[str, Callable[[np.ndarray], np.ndarray]] = MappingProxyType({
    "sin": np.sin, "cos": np.cos, "tan": np.tan, "exp": np.exp, "log": np.log, "sqrt": np.sqrt,
    "abs": np.abs, "tanh": np.tanh, "sinh": np.sinh, "cosh": np.cosh, "arctan": np.arctan,
    "arcsin": np.arcsin, "arccos": np.arccos, "log2": np.log2, "log10": np.log10, "sign": np.sign,
    "relu": relu, "g": relu,
})
"""The functions a formula may call, each with exactly one argument; `g` is the seeds' name for relu."""

CONSTANTS: Mapping[str, float] = MappingProxyType({"pi": float(np.pi), "e": float(np.e)})

# Printable ASCII only: no control characters or line breaks (the message stays one line) and no
# Unicode look-alikes that Python would quietly normalise to x; ast columns then count characters.
_ALLOWED_CHARACTERS = frozenset(chr(code) for code in range(32, 127)) | {"\t"}
_BINARY = {ast.Add: np.add, ast.Sub: np.subtract, ast.Mult: np.multiply, ast.Div: np.true_divide,
           ast.Pow: np.power}
_UNARY = {ast.UAdd: np.positive, ast.USub: np.negative}
_LATEX_FUNCTIONS = {"log2": r"\log_{2}", "log10": r"\log_{10}", "sign": r"\operatorname{sign}",
                    "relu": "g", "g": "g"}
_DESCRIPTIONS = {
    ast.IfExp: "conditional", ast.BoolOp: "'and'/'or'", ast.Compare: "comparison", ast.Tuple: "tuple",
    ast.Starred: "unpacking", ast.Await: "await", ast.UnaryOp: "'not'", ast.Lambda: "lambda",
    ast.Subscript: "indexing", ast.List: "list", ast.Dict: "dict", ast.Set: "set",
    ast.ListComp: "comprehension", ast.SetComp: "comprehension", ast.DictComp: "comprehension",
    ast.GeneratorExp: "comprehension", ast.JoinedStr: "f-string", ast.NamedExpr: "assignment",
}
_HELP = "use numbers, x, pi, e, + - * / **, parentheses and functions such as sin(x)"

Evaluator = Callable[[np.ndarray], np.ndarray]


def _escape(char: str) -> str:
    r"""A printable ASCII character as itself, any other as its Python escape ('\n', '\x1b', '\u2028')."""
    return char if " " <= char <= "~" else char.encode("unicode_escape").decode("ascii")


class ExpressionError(ValueError):
    """A formula that `parse_function` refuses, with the 0-based `column` of the offending part.

    >>> err = ExpressionError("unknown name 'y'", "x + y", 4, "only x, pi and e are allowed")
    >>> str(err)
    "unknown name 'y' at column 4: only x, pi and e are allowed"
    >>> print(err.caret())
    x + y
        ^
    """

    def __init__(self, what: str, text: str, column: int, hint: str) -> None:
        self.text = text
        self.column = max(0, min(int(column), len(text)))
        super().__init__(f"{what} at column {self.column}: {hint}".replace("\n", " "))

    def caret(self) -> str:
        r"""A short window of the formula around the offending part, with a ^ under it.

        At most `CARET_WINDOW` characters either side, cut ends marked '...', and every character
        that is not printable ASCII written as its escape (a tab as \t, ESC as \x1b), so the two
        lines stay two lines on any terminal and the ^ lines up.

        >>> print(ExpressionError("character '\x1b'", "x +\x1b[31m y", 3, "no").caret())
        x +\x1b[31m y
           ^
        """
        lo = max(0, self.column - CARET_WINDOW)
        hi = min(len(self.text), self.column + CARET_WINDOW)
        shown = [_escape(char) for char in self.text[lo:hi]]
        head = "..." if lo > 0 else ""
        tail = "..." if hi < len(self.text) else ""
        pad = " " * (len(head) + sum(len(piece) for piece in shown[:self.column - lo]))
        return f"{head}{''.join(shown)}{tail}\n{pad}^"


class ParsedFunction:
    """A parsed formula: call it on an array of x; `.text` is the source, `.latex` its rendering.

    >>> f = parse_function("2")
    >>> f(np.zeros((2, 2))).tolist(), f.text, f.latex
    ([[2.0, 2.0], [2.0, 2.0]], '2', '2')
    """

    __slots__ = ("text", "latex", "_evaluate")

    def __init__(self, text: str, latex: str, evaluate: Evaluator) -> None:
        self.text, self.latex, self._evaluate = text, latex, evaluate

    def __call__(self, x: ArrayLike) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        with np.errstate(all="ignore"):
            return np.array(np.broadcast_to(self._evaluate(x), x.shape), dtype=float)

    def __repr__(self) -> str:
        return f"parse_function({self.text!r})"


def parse_function(text: str) -> ParsedFunction:
    r"""Parse a formula in x into a vectorised numpy function, refusing everything else.

    The text is parsed with `ast` (mode "eval") and the tree is turned into nested closures over
    numpy ufuncs; Python's eval never sees it. Allowed: int and float literals up to 1e6 in size,
    x, pi, e, + - * / (binary and unary), ** with a plain number exponent of size at most 64, and
    one-argument calls of `ALLOWED_FUNCTIONS`; at most 200 characters and 30 nested parentheses.
    The result returns floats with the shape of x; inf and nan are the caller's to handle.

    Raises
    ------
    ExpressionError
        For anything else, naming the offending part and its column.

    Examples
    --------
    >>> f = parse_function("sin(3*x) + x**2/2")
    >>> np.round(f(np.array([0.0, 2.0])), 6).tolist()
    [0.0, 1.720585]
    >>> print(f.latex)
    \sin(3x) + \frac{x^{2}}{2}
    >>> parse_function("x + y")
    Traceback (most recent call last):
    ...
    relu_core.expressions.ExpressionError: unknown name 'y' at column 4: only x, pi and e are allowed
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_function needs text, got {type(text).__name__}")
    return _parse(text)


@functools.lru_cache(maxsize=256)
def _parse(text: str) -> ParsedFunction:
    """Each formula is parsed once a process: the command, its checks and the scene share the result
    (a ParsedFunction cannot be changed, so sharing it is safe; refusals are not cached)."""
    tree = _Parser(text).parse()
    return ParsedFunction(text, _latex(tree), _compile(tree))


class _Parser:
    """Checks the text and its syntax tree; every refusal is an ExpressionError with a column."""

    def __init__(self, text: str) -> None:
        self.text = text
        # ast rejects leading blanks in eval mode; parse without them and shift columns back.
        self.offset = len(text) - len(text.lstrip(" \t"))

    def refuse(self, what: str, column: int, hint: str = _HELP) -> ExpressionError:
        return ExpressionError(what, self.text, column, hint)

    def segment(self, node: ast.AST) -> str:
        part = ast.get_source_segment(self.text[self.offset:], node) or ""
        return part if len(part) <= 24 else part[:21] + "..."

    def column(self, node: ast.AST) -> int:
        return self.offset + node.col_offset

    def parse(self) -> ast.Expression:
        text = self.text
        if len(text) > MAX_LENGTH:
            raise self.refuse("formula too long", MAX_LENGTH,
                              f"at most {MAX_LENGTH} characters, got {len(text)}")
        if not text.strip():
            raise self.refuse("empty formula", 0, "type a formula in x, such as sin(3*x) + x**2/2")
        depth = 0
        for column, char in enumerate(text):
            if char not in _ALLOWED_CHARACTERS:
                raise self.refuse(f"character {char!r}", column)
            if char == "^":
                raise self.refuse("'^'", column, "use ** for powers, as in x**2")
            depth += (char in "([{") - (char in ")]}")
            if depth > MAX_DEPTH:
                raise self.refuse("nesting too deep", column, f"at most {MAX_DEPTH} levels of brackets")
        try:
            tree = ast.parse(text[self.offset:], mode="eval")
        except SyntaxError as err:
            hint = "write 2*x for a product" if "decimal literal" in str(err.msg) else str(err.msg)
            raise self.refuse("syntax error", self.offset + (err.offset or 1) - 1, hint) from None
        self.check(tree.body)
        return tree

    def check(self, node: ast.AST) -> None:
        """Walk the tree and refuse the first part outside the grammar."""
        if isinstance(node, ast.Constant):
            self.number(node)
        elif isinstance(node, ast.Name):
            self.name(node)
        elif isinstance(node, ast.BinOp):
            self.binary(node)
        elif isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
            self.check(node.operand)
        elif isinstance(node, ast.Call):
            self.call(node)
        elif isinstance(node, ast.Attribute):
            column = self.offset + node.end_col_offset - len(node.attr)
            raise self.refuse(f"attribute '.{node.attr}'", column,
                              "attributes are not allowed; write sin(x), not np.sin(x)")
        else:
            what = _DESCRIPTIONS.get(type(node), "expression")
            raise self.refuse(f"{what} {self.segment(node)!r}", self.column(node), f"not allowed; {_HELP}")

    def number(self, node: ast.Constant) -> float:
        value = node.value
        if type(value) not in (int, float):
            raise self.refuse(f"constant {self.segment(node)!r}", self.column(node),
                              "only real numbers such as 2 or 0.5 are allowed")
        if not abs(value) <= MAX_LITERAL:
            raise self.refuse(f"number {self.segment(node)!r}", self.column(node),
                              f"numbers must be at most {MAX_LITERAL:,.0f} in size")
        return float(value)

    def name(self, node: ast.Name) -> None:
        if node.id in ALLOWED_FUNCTIONS:
            raise self.refuse(f"function '{node.id}' without an argument", self.column(node),
                              f"call it, as in {node.id}(x)")
        if node.id != "x" and node.id not in CONSTANTS:
            raise self.refuse(f"unknown name '{node.id}'", self.column(node),
                              "only x, pi and e are allowed")

    def binary(self, node: ast.BinOp) -> None:
        self.check(node.left)
        if type(node.op) not in _BINARY:
            gap = self.text[self.offset + node.left.end_col_offset:self.column(node.right)]
            column = self.offset + node.left.end_col_offset + len(gap) - len(gap.lstrip(" \t)"))
            symbol = gap.strip(" \t()")
            raise self.refuse(f"operator '{symbol}'", column, "only + - * / and ** are allowed")
        if isinstance(node.op, ast.Pow):
            self.exponent(node.right)
        else:
            self.check(node.right)

    def exponent(self, node: ast.AST) -> None:
        literal = node.operand if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY else node
        if not isinstance(literal, ast.Constant):
            raise self.refuse(f"exponent {self.segment(node)!r}", self.column(node),
                              "powers need a plain number exponent, as in x**2 or x**-0.5; "
                              "use exp(x) for e**x")
        if abs(self.number(literal)) > MAX_EXPONENT:
            raise self.refuse(f"exponent {self.segment(node)!r}", self.column(node),
                              f"exponents must be at most {MAX_EXPONENT} in size")

    def call(self, node: ast.Call) -> None:
        func = node.func
        if not isinstance(func, ast.Name):
            self.check(func)
            raise self.refuse(f"call of {self.segment(func)!r}", self.column(func),
                              "only named functions such as sin can be called")
        if func.id not in ALLOWED_FUNCTIONS:
            names = ", ".join(ALLOWED_FUNCTIONS)
            raise self.refuse(f"unknown function '{func.id}'", self.column(func), f"allowed: {names}")
        if node.keywords:
            raise self.refuse(f"'**' argument to {func.id}", self.offset + node.keywords[0].col_offset,
                              "functions take one plain argument")
        if len(node.args) != 1:
            where = self.column(node.args[1]) if node.args else self.column(func)
            raise self.refuse(f"{func.id} with {len(node.args)} arguments", where,
                              "functions take exactly one argument")
        self.check(node.args[0])


def _compile(tree: ast.Expression) -> Evaluator:
    """Nested closures over numpy for a tree that `_Parser` has checked."""

    def build(node: ast.AST) -> Evaluator:
        if isinstance(node, ast.Constant):
            value = np.float64(node.value)
            return lambda x: value
        if isinstance(node, ast.Name):
            if node.id == "x":
                return lambda x: x
            constant = np.float64(CONSTANTS[node.id])
            return lambda x: constant
        if isinstance(node, ast.BinOp):
            op, left, right = _BINARY[type(node.op)], build(node.left), build(node.right)
            return lambda x: op(left(x), right(x))
        if isinstance(node, ast.UnaryOp):
            op, operand = _UNARY[type(node.op)], build(node.operand)
            return lambda x: op(operand(x))
        func, argument = ALLOWED_FUNCTIONS[node.func.id], build(node.args[0])
        return lambda x: func(argument(x))

    return build(tree.body)


# -- LaTeX ---------------------------------------------------------------------------------------
# Binding strength of each rendering: sums 1, products 2, signs 3, powers 4, atoms 5.
def _latex(tree: ast.Expression) -> str:
    return _render(tree.body)[0]


def _render(node: ast.AST) -> tuple[str, int]:
    if isinstance(node, ast.Constant):
        number = _latex_number(float(node.value))
        return number, 2 if r"\cdot" in number else 5
    if isinstance(node, ast.Name):
        return {"x": "x", "pi": r"\pi", "e": "e"}[node.id], 5
    if isinstance(node, ast.UnaryOp):
        sign = "-" if isinstance(node.op, ast.USub) else "+"
        return sign + _wrap(node.operand, lambda s: s in (1, 3)), 3
    if isinstance(node, ast.Call):
        name, (argument, _) = node.func.id, _render(node.args[0])
        if name == "sqrt":
            return rf"\sqrt{{{argument}}}", 5
        if name == "abs":
            return f"|{argument}|", 5
        command = _LATEX_FUNCTIONS.get(name, "\\" + name)
        return f"{command}({argument})", 5
    op = type(node.op)
    if op is ast.Div:
        return rf"\frac{{{_render(node.left)[0]}}}{{{_render(node.right)[0]}}}", 5
    if op is ast.Pow:
        base = _wrap(node.left, lambda s: s < 5 or isinstance(node.left, ast.BinOp))
        return f"{base}^{{{_render(node.right)[0]}}}", 4
    if op is ast.Mult:
        left, right = _wrap(node.left, lambda s: s < 2), _wrap(node.right, lambda s: s <= 3)
        numeric = isinstance(node.left, ast.Constant) or (
            isinstance(node.left, ast.UnaryOp) and isinstance(node.left.operand, ast.Constant))
        juxtapose = numeric and (right[0].isalpha() or right[0] == "(" or
                                 right.startswith("\\") and not right.startswith(r"\frac"))
        return (left + right if juxtapose else rf"{left} \cdot {right}"), 2
    sign = " + " if op is ast.Add else " - "
    right = _wrap(node.right, lambda s: s == 3 or (s == 1 and op is ast.Sub))
    return _render(node.left)[0] + sign + right, 1


def _wrap(node: ast.AST, needs_parentheses: Callable[[int], bool]) -> str:
    text, strength = _render(node)
    return f"({text})" if needs_parentheses(strength) else text


def _latex_number(value: float) -> str:
    """2 for 2.0, 0.5 for 0.5, 1 \\cdot 10^{-7} for 1e-07."""
    if value.is_integer():
        return str(int(value))
    mantissa, _, power = repr(value).partition("e")
    return rf"{mantissa} \cdot 10^{{{int(power)}}}" if power else mantissa
