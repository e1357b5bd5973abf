"""GitHub Actions `${{ }}` expressions: a small tokenizer, parser and evaluator (never `eval`).

Semantics follow GitHub's documentation ("Evaluate expressions in workflows and actions"):
loose equality with number coercion, case-insensitive string comparison, `&&`/`||` returning
an operand, `*` object filters, and the status functions for `if:` conditions.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from smartmon.sandbox.runner.expression_values import (
    ExpressionError,
    compare,
    format_string,
    hash_files,
    loose_equal,
    to_number,
    to_str,
    truthy,
)

__all__ = ["Evaluator", "ExpressionError", "hash_files", "to_str", "truthy"]


@dataclass(frozen=True)
class _Tok:
    kind: str  # num, str, ident, op, eof
    value: Any
    pos: int


_TOKEN_RE = re.compile(
    r"\s*(?:(?P<num>0x[0-9a-fA-F]+|-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)"
    r"|(?P<str>'(?:[^']|'')*')"
    r"|(?P<ident>[A-Za-z_][A-Za-z0-9_-]*)"
    r"|(?P<op>==|!=|<=|>=|&&|\|\||[<>!()\[\].,*]))"
)


def _tokenize(text: str) -> list[_Tok]:
    tokens: list[_Tok] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN_RE.match(text, pos)
        if not m or m.end() == pos:
            bad = text[pos:].lstrip()[:1]
            raise ExpressionError(
                f"Unexpected symbol: '{bad}'. Located at position {pos + 1} "
                f"within expression: {text}"
            )
        start = m.start(m.lastgroup or 0)
        kind = m.lastgroup or "op"
        raw = m.group(kind)
        value: Any = raw
        if kind == "num":
            # `a.-1` never happens in practice; a leading '-' after a value is not supported.
            value = int(raw, 16) if raw.startswith("0x") else float(raw)
        elif kind == "str":
            value = raw[1:-1].replace("''", "'")
        tokens.append(_Tok(kind, value, start))
        pos = m.end()
    tokens.append(_Tok("eof", None, len(text)))
    return tokens


# AST nodes are tuples: ("lit", v) ("ctx", name) ("prop", obj, key) ("index", obj, expr)
# ("star", obj) ("not", e) ("bin", op, a, b) ("call", name, [args])
Node = tuple[Any, ...]


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = _tokenize(text)
        self.i = 0

    def peek(self) -> _Tok:
        return self.toks[self.i]

    def take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def expect(self, op: str) -> None:
        tok = self.take()
        if tok.kind != "op" or tok.value != op:
            self.fail(tok)

    def fail(self, tok: _Tok) -> None:
        shown = "end of expression" if tok.kind == "eof" else str(tok.value)
        raise ExpressionError(
            f"Unexpected symbol: '{shown}'. Located at position {tok.pos + 1} "
            f"within expression: {self.text}"
        )

    def parse(self) -> Node:
        node = self.or_()
        if self.peek().kind != "eof":
            self.fail(self.peek())
        return node

    def _binary(self, ops: tuple[str, ...], sub: Callable[[], Node]) -> Node:
        node = sub()
        while self.peek().kind == "op" and self.peek().value in ops:
            op = self.take().value
            node = ("bin", op, node, sub())
        return node

    def or_(self) -> Node:
        return self._binary(("||",), self.and_)

    def and_(self) -> Node:
        return self._binary(("&&",), self.eq)

    def eq(self) -> Node:
        return self._binary(("==", "!="), self.cmp)

    def cmp(self) -> Node:
        return self._binary(("<", "<=", ">", ">="), self.unary)

    def unary(self) -> Node:
        if self.peek().kind == "op" and self.peek().value == "!":
            self.take()
            return ("not", self.unary())
        return self.postfix()

    def postfix(self) -> Node:
        node = self.primary()
        while self.peek().kind == "op" and self.peek().value in (".", "["):
            if self.take().value == ".":
                tok = self.take()
                if tok.kind == "op" and tok.value == "*":
                    node = ("star", node)
                elif tok.kind == "ident":
                    node = ("prop", node, tok.value)
                else:
                    self.fail(tok)
            else:
                if self.peek().kind == "op" and self.peek().value == "*":
                    self.take()
                    node = ("star", node)
                else:
                    node = ("index", node, self.or_())
                self.expect("]")
        return node

    def primary(self) -> Node:
        tok = self.take()
        if tok.kind in ("num", "str"):
            return ("lit", tok.value)
        if tok.kind == "ident":
            low = tok.value.lower()
            if self.peek().kind == "op" and self.peek().value == "(":
                self.take()
                args: list[Node] = []
                if not (self.peek().kind == "op" and self.peek().value == ")"):
                    args.append(self.or_())
                    while self.peek().kind == "op" and self.peek().value == ",":
                        self.take()
                        args.append(self.or_())
                self.expect(")")
                return ("call", low, args)
            if low in ("true", "false"):
                return ("lit", low == "true")
            if low == "null":
                return ("lit", None)
            if low == "nan":
                return ("lit", math.nan)
            if low == "infinity":
                return ("lit", math.inf)
            return ("ctx", low)
        if tok.kind == "op" and tok.value == "(":
            node = self.or_()
            self.expect(")")
            return node
        self.fail(tok)
        raise AssertionError("unreachable")


@dataclass
class Evaluator:
    """Evaluates expressions against contexts; ``status`` feeds success()/failure()/cancelled()."""

    contexts: Mapping[str, Any]
    status: str = "success"  # success | failure | cancelled
    workspace: Path | None = None

    def evaluate(self, text: str) -> Any:
        return self._eval(_Parser(text).parse())

    def condition(self, text: str | bool | None) -> bool:
        """Evaluate an ``if:`` value, adding the implicit ``success() &&`` like GitHub."""
        if text is None:
            text = "success()"
        if isinstance(text, bool):
            return text and self.status == "success"
        body = str(text).strip()
        if body.startswith("${{") and body.endswith("}}"):
            body = body[3:-2].strip()
        if not body:
            body = "success()"
        node = _Parser(body).parse()
        if not _has_status_call(node):
            node = ("bin", "&&", ("call", "success", []), node)
        return truthy(self._eval(node))

    def interpolate(self, text: str) -> str:
        """Replace every `${{ expr }}` in ``text`` with the expression's string value."""
        out: list[str] = []
        pos = 0
        while True:
            start = text.find("${{", pos)
            if start < 0:
                out.append(text[pos:])
                return "".join(out)
            out.append(text[pos:start])
            end = _find_close(text, start + 3)
            out.append(to_str(self.evaluate(text[start + 3 : end])))
            pos = end + 2

    def interpolate_value(self, value: Any) -> Any:
        """Interpolate a YAML value; a string that is exactly one expression keeps its type."""
        if isinstance(value, str):
            stripped = value.strip()
            if (
                stripped.startswith("${{")
                and stripped.endswith("}}")
                and _find_close(stripped, 3) == len(stripped) - 2
            ):
                return self.evaluate(stripped[3:-2])
            return self.interpolate(value)
        if isinstance(value, list):
            return [self.interpolate_value(v) for v in value]
        if isinstance(value, dict):
            return {k: self.interpolate_value(v) for k, v in value.items()}
        return value

    def _eval(self, node: Node) -> Any:
        kind = node[0]
        if kind == "lit":
            return node[1]
        if kind == "ctx":
            name = node[1]
            if name not in self.contexts:
                raise ExpressionError(f"Unrecognized named-value: '{name}'.")
            return self.contexts[name]
        if kind == "prop":
            return _get(self._eval(node[1]), node[2])
        if kind == "index":
            obj = self._eval(node[1])
            key = self._eval(node[2])
            if isinstance(obj, list):
                num = to_number(key)
                if math.isnan(num) or num != int(num) or not 0 <= num < len(obj):
                    return None
                return obj[int(num)]
            return _get(obj, to_str(key))
        if kind == "star":
            obj = self._eval(node[1])
            if isinstance(obj, Mapping):
                return list(obj.values())
            return list(obj) if isinstance(obj, list) else []
        if kind == "not":
            return not truthy(self._eval(node[1]))
        if kind == "bin":
            return self._binary(node[1], node[2], node[3])
        if kind == "call":
            return self._call(node[1], [self._eval(a) for a in node[2]])
        raise AssertionError(kind)

    def _binary(self, op: str, left: Node, right: Node) -> Any:
        a = self._eval(left)
        if op == "&&":
            return self._eval(right) if truthy(a) else a
        if op == "||":
            return a if truthy(a) else self._eval(right)
        b = self._eval(right)
        if op == "==":
            return loose_equal(a, b)
        if op == "!=":
            return not loose_equal(a, b)
        return compare(op, a, b)

    def _call(self, name: str, args: list[Any]) -> Any:
        if name == "success":
            return self.status == "success"
        if name == "failure":
            return self.status == "failure"
        if name == "cancelled":
            return self.status == "cancelled"
        if name == "always":
            return True
        if name == "contains":
            _arity(name, args, 2, 2)
            hay, needle = args
            if isinstance(hay, list):
                return any(loose_equal(item, needle) for item in hay)
            return to_str(needle).lower() in to_str(hay).lower()
        if name == "startswith":
            _arity(name, args, 2, 2)
            return to_str(args[0]).lower().startswith(to_str(args[1]).lower())
        if name == "endswith":
            _arity(name, args, 2, 2)
            return to_str(args[0]).lower().endswith(to_str(args[1]).lower())
        if name == "format":
            _arity(name, args, 1, 99)
            return format_string(to_str(args[0]), [to_str(a) for a in args[1:]])
        if name == "join":
            _arity(name, args, 1, 2)
            sep = to_str(args[1]) if len(args) > 1 else ","
            items = args[0] if isinstance(args[0], list) else [args[0]]
            return sep.join(to_str(i) for i in items)
        if name == "tojson":
            _arity(name, args, 1, 1)
            return json.dumps(args[0], indent=2)
        if name == "fromjson":
            _arity(name, args, 1, 1)
            try:
                return json.loads(to_str(args[0]))
            except json.JSONDecodeError as exc:
                raise ExpressionError(f"Error parsing fromJson: {exc}") from exc
        if name == "hashfiles":
            _arity(name, args, 1, 99)
            return hash_files(self.workspace, [to_str(a) for a in args])
        raise ExpressionError(f"Unrecognized function: '{name}'.")


def _arity(name: str, args: Sequence[Any], low: int, high: int) -> None:
    if not low <= len(args) <= high:
        raise ExpressionError(f"Function '{name}' called with {len(args)} parameters")


def _has_status_call(node: Node) -> bool:
    if node[0] == "call" and node[1] in ("success", "failure", "always", "cancelled"):
        return True
    return any(
        _has_status_call(child)
        for part in node[1:]
        for child in (part if isinstance(part, list) else [part])
        if isinstance(child, tuple)
    )


def _find_close(text: str, pos: int) -> int:
    in_str = False
    i = pos
    while i < len(text):
        ch = text[i]
        if in_str:
            if ch == "'":
                if text[i + 1 : i + 2] == "'":
                    i += 1
                else:
                    in_str = False
        elif ch == "'":
            in_str = True
        elif text.startswith("}}", i):
            return i
        i += 1
    raise ExpressionError(
        "The expression is not closed. An unescaped ${{ sequence was found, "
        "but the closing }} sequence was not found."
    )


def _get(obj: Any, key: str) -> Any:
    if isinstance(obj, list):  # result of a `*` filter: project the property over items
        return [_get(item, key) for item in obj if isinstance(item, Mapping)]
    if isinstance(obj, Mapping):
        if key in obj:
            return obj[key]
        low = key.lower()
        for k, v in obj.items():
            if str(k).lower() == low:
                return v
    return None
