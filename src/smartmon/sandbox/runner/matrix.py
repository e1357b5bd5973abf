"""``strategy.matrix`` expansion (include/exclude) and matrix job names, as GitHub does them."""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping
from typing import Any

from smartmon.sandbox.runner.expressions import to_str


class MatrixError(ValueError):
    """A matrix GitHub would reject."""


def expand(matrix: Any) -> list[dict[str, Any]]:
    """Combinations in GitHub's order; ``[{}]`` when there is no matrix."""
    if matrix is None or matrix == {}:
        return [{}]
    if not isinstance(matrix, Mapping):
        raise MatrixError("Unexpected value: strategy.matrix must be a mapping")
    include = matrix.get("include") or []
    exclude = matrix.get("exclude") or []
    vectors = {str(k): v for k, v in matrix.items() if k not in ("include", "exclude")}
    for key, values in vectors.items():
        if not isinstance(values, list):
            raise MatrixError(f"Matrix vector '{key}' must be a sequence")
        if not values:
            raise MatrixError(f"Matrix vector '{key}' does not contain any values")
    combos: list[dict[str, Any]] = []
    if vectors:
        keys = list(vectors)
        combos = [
            dict(zip(keys, vals, strict=True)) for vals in itertools.product(*vectors.values())
        ]
    combos = [c for c in combos if not any(_partial_match(c, ex) for ex in exclude)]
    base_keys = set(vectors)
    extra: list[dict[str, Any]] = []
    for entry in include:
        if not isinstance(entry, Mapping):
            raise MatrixError("Matrix include entries must be mappings")
        matched = False
        for combo in combos:
            if all(combo.get(k) == v for k, v in entry.items() if k in base_keys):
                combo.update({k: v for k, v in entry.items() if k not in base_keys})
                matched = True
        if not matched or not combos:
            extra.append(dict(entry))
    result = combos + extra
    if not result:
        raise MatrixError("Matrix must define at least one vector")
    return result


def _partial_match(combo: Mapping[str, Any], pattern: Any) -> bool:
    if not isinstance(pattern, Mapping):
        return False
    return all(k in combo and combo[k] == v for k, v in pattern.items())


def _show(value: Any) -> str:
    if isinstance(value, Mapping | list):
        return json.dumps(value, separators=(", ", ": "))
    return to_str(value)


def leg_name(base: str, combo: Mapping[str, Any], has_expression: bool) -> str:
    """``build (ubuntu-latest, 3.12)``; a name that uses expressions is kept as evaluated."""
    if not combo or has_expression:
        return base
    return f"{base} ({', '.join(_show(v) for v in combo.values())})"
