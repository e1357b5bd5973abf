"""Which PyPI distribution provides an import name, from the curated table in data/import_names.tsv.

A name read from a log is untrusted (typosquats, dependency confusion): only distributions listed
here, or already named by the repository, may ever be added to a manifest.
"""

from __future__ import annotations

import difflib
import functools
import importlib.resources
import re
import sys
from collections.abc import Iterable, Mapping
from types import MappingProxyType

_TABLE = "import_names.tsv"
_SEPARATORS = re.compile(r"[-_.]+")


def canonicalize_name(name: str) -> str:
    """A distribution name as PEP 503 compares it (what `packaging.utils.canonicalize_name` gives,
    without importing `packaging`, which would cost every `smartmon analyze` 6-9 ms)."""
    return _SEPARATORS.sub("-", name).lower()


@functools.cache
def _table() -> Mapping[str, tuple[str, ...]]:
    """import name -> distributions providing it (default first)."""
    text = (
        importlib.resources.files("smartmon.diagnose").joinpath("data", _TABLE).read_text("utf-8")
    )
    out: dict[str, list[str]] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        if not raw.strip() or raw.startswith("#"):
            continue
        fields = raw.split("\t")
        if len(fields) != 2 or not all(fields):
            raise ValueError(f"{_TABLE}:{number}: expected IMPORT<TAB>DISTRIBUTION")
        module, dist = fields
        out.setdefault(module, []).append(dist)
    return MappingProxyType({k: tuple(v) for k, v in out.items()})


def _is_stdlib(module: str) -> bool:
    return module.split(".", 1)[0] in sys.stdlib_module_names


def distributions_for(module: str, *, exact: bool = False) -> tuple[str, ...]:
    """All listed distributions providing `module` (default first); () if unknown or stdlib.

    The full dotted name is tried first, then (unless `exact`) shorter prefixes:
    `google.protobuf.message` finds `google.protobuf`, while a bare namespace like `google` is not
    listed and stays unknown.
    """
    if not module or _is_stdlib(module):
        return ()
    table = _table()
    if exact:
        return table.get(module, ())
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        found = table.get(".".join(parts[:end]))
        if found:
            return found
    return ()


def listed_under(namespace: str) -> list[str]:
    """Listed import names inside `namespace` (e.g. google -> google.auth, google.protobuf, ...)."""
    prefix = namespace + "."
    return sorted(m for m in _table() if m.startswith(prefix))


def distribution_for(module: str) -> str | None:
    """The default distribution providing `module`, or None (unknown, ambiguous or stdlib)."""
    found = distributions_for(module)
    return found[0] if found else None


def imports_for(distribution: str) -> tuple[str, ...]:
    """The import names the table lists for a distribution (matched by PEP 503 name)."""
    want = canonicalize_name(distribution)
    found = (m for m, dists in _table().items() if any(canonicalize_name(d) == want for d in dists))
    return tuple(sorted(found))


@functools.cache
def known_distributions() -> frozenset[str]:
    """Every distribution name in the table, as spelled there."""
    return frozenset(d for dists in _table().values() for d in dists)


@functools.cache
def _canonical_known() -> Mapping[str, str]:
    return MappingProxyType({canonicalize_name(d): d for d in sorted(known_distributions())})


def known_distribution(name: str) -> str | None:
    """The table's spelling of distribution `name` (PEP 503 comparison), or None if not listed."""
    return _canonical_known().get(canonicalize_name(name))


def suggest(name: str, extra: Iterable[str] = ()) -> list[str]:
    """Up to three "did you mean" names from the table's imports and distributions plus `extra`."""
    candidates: dict[str, str] = {}
    for cand in (*extra, *_table(), *sorted(known_distributions())):
        candidates.setdefault(cand.lower(), cand)
    candidates.pop(name.lower(), None)
    matches = difflib.get_close_matches(name.lower(), list(candidates), n=3, cutoff=0.75)
    out: list[str] = []
    for match in matches:
        original = candidates[match]
        dist = distribution_for(original) or original
        if dist not in out:
            out.append(dist)
    return out
