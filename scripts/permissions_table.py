#!/usr/bin/env python3
"""Generate the tables that say which GITHUB_TOKEN permission a REST call needs.

Reads local copies of public data and writes, under src/smartmon/workflows/data/:

* endpoint_permissions.json -- every REST endpoint listed under one of the GITHUB_TOKEN
  permissions smartmon cares about, from GitHub's "Permissions required for GitHub Apps"
  data (github/docs: src/github-apps/data/<version>/server-to-server-permissions.json).
* octokit_methods.json -- ``github.rest.<namespace>.<method>`` (actions/github-script,
  Octokit) -> the endpoint it calls, for the endpoints in the first table
  (octokit/plugin-rest-endpoint-methods.js: src/generated/endpoints.ts).

The docs list, for each permission, the endpoints that accept it; an endpoint flagged
``additional-permissions`` needs either several permissions at once or any one of several.
That data alone cannot say which, so the script settles it in this order:

1. ``--permission-sets`` (optional): permission sets copied from the REST reference's
   per-endpoint data ("at least one of the following permission sets").
2. One permission listed twice and each other listed once, as many others as the first
   permission's extra listings: the first alone, or the first together with one other
   (contents alone, or contents and workflows to touch a workflow file).
3. Exactly "issues" and "pull_requests": either one (a pull request is an issue, and the
   REST reference gives them as alternatives for the shared issue endpoints).
4. Anything else is written with ``"combination": "unknown"``.

Each endpoint row has ``method``, ``path``, ``scope`` and ``access`` (the permission to
grant first; an alternative that suffices on its own whenever one exists) and, where they
apply: ``scopes`` (every permission that suffices on its own), ``also_requires`` (the
other permissions of the only set), ``permission_sets`` (all sets, when a single field
cannot say it), ``listed_with`` + ``combination`` (unresolved: grant them all, or fall
back to a PAT or app token), ``basis`` (``rest-reference`` or ``inferred`` when the sets
did not come straight from one docs row), ``installation_token`` (false when GitHub App
installation tokens, GITHUB_TOKEN among them, cannot call it) and ``github_token`` (a
workflow can make the call work by granting permissions: installation tokens allowed, a
repository endpoint, and some set made only of permissions a ``permissions:`` block can
grant). Scope names are the ``permissions:`` keys (docs key with ``_`` -> ``-``).

Run from the repository root::

    python scripts/permissions_table.py --docs-data PATH [--docs-data PATH ...] \
        [--docs-source URL ...] [--permission-sets PATH] [--octokit PATH] \
        [--octokit-source URL] [--out-dir DIR] [--generated YYYY-MM-DD] [--check]

With several ``--docs-data`` files an endpoint's rows come from the first file listing it.

Output is deterministic: the same inputs and ``--generated`` give byte-identical files.
Standard library only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT_DIR = REPO_ROOT / "src" / "smartmon" / "workflows" / "data"
GENERATOR = "scripts/permissions_table.py"
ENDPOINTS_FILE = "endpoint_permissions.json"
OCTOKIT_FILE = "octokit_methods.json"

DEFAULT_DOCS_SOURCE = (
    "https://github.com/github/docs/blob/main/src/github-apps/data/fpt-2022-11-28/"
    "server-to-server-permissions.json"
)
DEFAULT_OCTOKIT_SOURCE = (
    "https://github.com/octokit/plugin-rest-endpoint-methods.js/blob/main/"
    "src/generated/endpoints.ts"
)

# GITHUB_TOKEN permissions this table covers, in the order they are reported.
TABLE_SCOPES: tuple[str, ...] = (
    "contents",
    "issues",
    "pull-requests",
    "actions",
    "checks",
    "statuses",
    "deployments",
    "pages",
    "packages",
    "security-events",
    "attestations",
    "discussions",
    "id-token",
    "metadata",
)

# Every permission a workflow's `permissions:` block can grant (metadata: read is implicit).
GRANTABLE: frozenset[str] = frozenset(
    {
        "actions",
        "artifact-metadata",
        "attestations",
        "checks",
        "contents",
        "deployments",
        "discussions",
        "id-token",
        "issues",
        "metadata",
        "models",
        "packages",
        "pages",
        "pull-requests",
        "repository-projects",
        "security-events",
        "statuses",
    }
)

# The REST category an endpoint is filed under -> the permission named first for it.
CATEGORY_SCOPE: Mapping[str, str] = {
    "actions": "actions",
    "branches": "contents",
    "checks": "checks",
    "code-scanning": "security-events",
    "commits": "contents",
    "deployments": "deployments",
    "git": "contents",
    "issues": "issues",
    "pages": "pages",
    "pulls": "pull-requests",
    "releases": "contents",
    "repos": "contents",
}

ALTERNATIVE_PAIRS: tuple[frozenset[str], ...] = (frozenset({"issues", "pull_requests"}),)
METHODS: tuple[str, ...] = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
REPO_PREFIX = "/repos/{owner}/{repo}"

PermissionSet = dict[str, str]
EndpointKey = tuple[str, str]


class InputError(Exception):
    """An input file is not of the expected shape."""


def scope_name(docs_key: str) -> str:
    """Docs permission key -> the name a workflow uses (pull_requests -> pull-requests)."""
    return docs_key.replace("_", "-")


@dataclass(frozen=True)
class Listing:
    """One row of the docs' per-permission data: an endpoint under one permission."""

    key: str
    access: str
    additional: bool
    installation: bool
    category: str


@dataclass
class Endpoint:
    method: str
    path: str
    listings: list[Listing] = field(default_factory=list)

    def pairs(self) -> Counter[tuple[str, str]]:
        return Counter((item.key, item.access) for item in self.listings)

    def category(self) -> str:
        return Counter(item.category for item in self.listings).most_common(1)[0][0]


@dataclass(frozen=True)
class DocsData:
    endpoints: dict[EndpointKey, Endpoint]
    titles: dict[str, str]


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise InputError(message)


def load_docs_permissions(paths: Sequence[Path]) -> DocsData:
    """Parse github/docs ``server-to-server-permissions.json`` files (or excerpts of them).

    With several files, an endpoint's rows come from the first file that lists it, so a
    newer data set can fill in endpoints an older one lacks without doubling any row.
    """
    endpoints: dict[EndpointKey, Endpoint] = {}
    titles: dict[str, str] = {}
    for path in paths:
        found: dict[EndpointKey, Endpoint] = {}
        raw = json.loads(path.read_text(encoding="utf-8"))
        _require(isinstance(raw, dict), f"{path}: expected an object of permission sections")
        for key, section in raw.items():
            _require(isinstance(section, dict), f"{path}: section {key!r} is not an object")
            titles.setdefault(key, str(section.get("title", key)))
            rows = section.get("permissions")
            _require(isinstance(rows, list), f"{path}: section {key!r} has no permissions list")
            for row in rows:
                _require(
                    "server-to-server" in row,
                    f"{path}: {key!r} rows lack 'server-to-server'; pass the GitHub Apps file",
                )
                method = str(row["verb"]).upper()
                _require(method in METHODS, f"{path}: unknown verb {row['verb']!r}")
                ep_key = (method, str(row["requestPath"]))
                ep = found.setdefault(ep_key, Endpoint(*ep_key))
                ep.listings.append(
                    Listing(
                        key=key,
                        access=str(row["access"]),
                        additional=bool(row.get("additional-permissions", False)),
                        installation=bool(row["server-to-server"]),
                        category=str(row.get("category", "")),
                    )
                )
        for ep_key, ep in found.items():
            endpoints.setdefault(ep_key, ep)
    return DocsData(endpoints=endpoints, titles=titles)


def load_permission_sets(path: Path) -> tuple[dict[EndpointKey, list[PermissionSet]], list[str]]:
    """Parse the ``--permission-sets`` file: endpoints with their REST-reference sets."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    rows = raw.get("endpoints") if isinstance(raw, dict) else None
    if not isinstance(rows, list):
        raise InputError(f"{path}: expected an object with an 'endpoints' list")
    verified: dict[EndpointKey, list[PermissionSet]] = {}
    sources: set[str] = set()
    for row in rows:
        key = (str(row["method"]).upper(), str(row["path"]))
        sets = row["permission_sets"]
        _require(
            isinstance(sets, list) and all(isinstance(s, dict) and s for s in sets),
            f"{path}: {key} needs a non-empty list of permission sets",
        )
        verified[key] = [{str(k): str(v) for k, v in s.items()} for s in sets]
        if row.get("source"):
            sources.add(str(row["source"]))
    return verified, sorted(sources)


def resolve_sets(
    ep: Endpoint, verified: Mapping[EndpointKey, list[PermissionSet]]
) -> tuple[list[PermissionSet] | None, str]:
    """The endpoint's permission sets (alternatives; each set needs all of its entries)."""
    pairs = ep.pairs()
    if (ep.method, ep.path) in verified:
        return verified[(ep.method, ep.path)], "rest-reference"
    if not any(item.additional for item in ep.listings):
        return [{k: a} for k, a in sorted(pairs)], "docs"
    top = max(pairs.values())
    if top > 1:
        heads = [p for p, n in pairs.items() if n == top]
        others = sorted(p for p, n in pairs.items() if n != top)
        if len(heads) == 1 and all(pairs[p] == 1 for p in others) and top == len(others) + 1:
            head_key, head_access = heads[0]
            sets: list[PermissionSet] = [{head_key: head_access}]
            sets += [{head_key: head_access, k: a} for k, a in others]
            return sets, "inferred"
        return None, "unresolved"
    keys = frozenset(k for k, _ in pairs)
    if len(pairs) == len(keys) and keys in ALTERNATIVE_PAIRS:
        return [{k: a} for k, a in sorted(pairs)], "inferred"
    return None, "unresolved"


def pick_primary(scopes: Iterable[str], category: str) -> str:
    names = sorted(set(scopes))
    preferred = CATEGORY_SCOPE.get(category)
    if preferred in names:
        return preferred
    for scope in TABLE_SCOPES:
        if scope in names:
            return scope
    return names[0]


def _entries(pairs: Iterable[tuple[str, str]], skip: str = "") -> list[dict[str, str]]:
    return [{"scope": s, "access": a} for s, a in sorted(pairs) if s != skip]


def build_row(ep: Endpoint, sets: list[PermissionSet] | None, basis: str) -> dict[str, Any]:
    category = ep.category()
    installation = any(item.installation for item in ep.listings)
    row: dict[str, Any] = {"method": ep.method, "path": ep.path}
    if sets is None:
        listed = sorted({(scope_name(k), a) for k, a in ep.pairs()})
        primary = pick_primary((s for s, _ in listed), category)
        row["scope"] = primary
        row["access"] = next(a for s, a in listed if s == primary)
        others = _entries(listed, skip=primary)
        if others:
            row["listed_with"] = others
        row["combination"] = "unknown"
        grantable = all(s in GRANTABLE for s, _ in listed)
    else:
        named = [{scope_name(k): a for k, a in s.items()} for s in sets]
        singles = dict(sorted(next(iter(s.items())) for s in named if len(s) == 1))
        if singles:
            primary = pick_primary(singles, category)
            row["scope"], row["access"] = primary, singles[primary]
            if len(singles) > 1:
                row["scopes"] = sorted(singles)
                if len(set(singles.values())) > 1:
                    row["access_by_scope"] = singles
        else:
            first = named[0]
            primary = pick_primary(first, category)
            row["scope"], row["access"] = primary, first[primary]
            row["also_requires"] = _entries(first.items(), skip=primary)
        if any(len(s) > 1 for s in named) and (singles or len(named) > 1):
            row["permission_sets"] = [dict(sorted(s.items())) for s in named]
        grantable = any(all(name in GRANTABLE for name in s) for s in named)
    if basis not in ("docs", "unresolved"):
        row["basis"] = basis
    if not installation:
        row["installation_token"] = False
    on_repo = ep.path == REPO_PREFIX or ep.path.startswith(REPO_PREFIX + "/")
    row["github_token"] = bool(installation and grantable and on_repo)
    return row


def _row_scopes(row: Mapping[str, Any]) -> set[str]:
    return {row["scope"], *row.get("scopes", ())}


def _mentioned_scopes(row: Mapping[str, Any]) -> set[str]:
    names = _row_scopes(row)
    for key in ("also_requires", "listed_with"):
        names.update(entry["scope"] for entry in row.get(key, ()))
    for pset in row.get("permission_sets", ()):
        names.update(pset)
    return names


def endpoint_sort_key(row: Mapping[str, Any]) -> tuple[str, int]:
    return (row["path"], METHODS.index(row["method"]))


def build_endpoint_table(
    docs: DocsData,
    verified: Mapping[EndpointKey, list[PermissionSet]],
    *,
    generated: str,
    sources: Mapping[str, Any],
) -> dict[str, Any]:
    wanted = {s.replace("-", "_") for s in TABLE_SCOPES}
    rows = []
    for ep in docs.endpoints.values():
        if not any(item.key in wanted for item in ep.listings):
            continue
        sets, basis = resolve_sets(ep, verified)
        rows.append(build_row(ep, sets, basis))
    rows.sort(key=endpoint_sort_key)

    mentioned = set().union(*(_mentioned_scopes(r) for r in rows)) if rows else set()
    scopes: dict[str, Any] = {}
    for name in (*TABLE_SCOPES, *sorted(mentioned - set(TABLE_SCOPES))):
        title = docs.titles.get(name.replace("-", "_"))
        info: dict[str, Any] = {"title": title, "github_token": name in GRANTABLE}
        if name in TABLE_SCOPES:
            info["endpoints"] = sum(1 for r in rows if name in _row_scopes(r))
        scopes[name] = info
    return {
        "generated": generated,
        "source": dict(sources),
        "generator": GENERATOR,
        "scopes": scopes,
        "endpoints": rows,
    }


# --- octokit ---------------------------------------------------------------------------

_JS_TOKEN = re.compile(
    r"""(?P<ws>\s+|//[^\n]*|/\*.*?\*/)
      |(?P<str>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
      |(?P<num>-?\d+(?:\.\d+)?)
      |(?P<ident>[A-Za-z_$][\w$]*)
      |(?P<punct>[{}\[\]:,;=()])""",
    re.S | re.X,
)


class _JsLiteral:
    """A reader for the object literal in endpoints.ts (strings, arrays, objects)."""

    def __init__(self, text: str) -> None:
        self.tokens: list[tuple[str, str]] = []
        pos = 0
        while pos < len(text):
            match = _JS_TOKEN.match(text, pos)
            if match is None:
                raise InputError(
                    f"endpoints.ts: cannot read at offset {pos}: {text[pos : pos + 40]!r}"
                )
            kind = match.lastgroup or ""
            if kind != "ws":
                self.tokens.append((kind, match.group()))
            pos = match.end()
        self.index = 0

    def _next(self) -> tuple[str, str]:
        if self.index >= len(self.tokens):
            raise InputError("endpoints.ts: unexpected end of input")
        token = self.tokens[self.index]
        self.index += 1
        return token

    def _expect(self, value: str) -> None:
        _kind, got = self._next()
        if got != value:
            raise InputError(f"endpoints.ts: expected {value!r}, got {got!r}")

    def _peek(self) -> str:
        return self.tokens[self.index][1] if self.index < len(self.tokens) else ""

    def value(self) -> Any:
        kind, text = self._next()
        if text == "{":
            obj: dict[str, Any] = {}
            while self._peek() != "}":
                key_kind, key = self._next()
                if key_kind == "str":
                    key = json.loads('"' + key[1:-1] + '"')
                elif key_kind != "ident":
                    raise InputError(f"endpoints.ts: bad object key {key!r}")
                self._expect(":")
                obj[key] = self.value()
                if self._peek() == ",":
                    self._next()
            self._expect("}")
            return obj
        if text == "[":
            items: list[Any] = []
            while self._peek() != "]":
                items.append(self.value())
                if self._peek() == ",":
                    self._next()
            self._expect("]")
            return items
        if kind == "str":
            return json.loads('"' + text[1:-1] + '"')
        if kind == "num":
            return float(text) if "." in text else int(text)
        if kind == "ident" and text in ("true", "false", "null"):
            return {"true": True, "false": False, "null": None}[text]
        raise InputError(f"endpoints.ts: unexpected token {text!r}")


def load_octokit_endpoints(path: Path) -> dict[str, dict[str, list[Any]]]:
    """The ``Endpoints`` object of octokit's generated endpoints.ts."""
    text = path.read_text(encoding="utf-8")
    match = re.search(r"const\s+Endpoints\b[^=]*=\s*", text)
    if match is None:
        raise InputError(f"{path}: no 'const Endpoints = {{...}}' found")
    endpoints = _JsLiteral(text[match.end() :]).value()
    if not isinstance(endpoints, dict):
        raise InputError(f"{path}: Endpoints is not an object")
    return {str(ns): dict(members) for ns, members in endpoints.items()}


def normalise_route(route: str) -> EndpointKey:
    method, _, url = route.partition(" ")
    url = re.sub(r"\{\?[^}]*\}", "", url)  # RFC 6570 query part, e.g. {?key,ref}
    url = url.removeprefix("{origin}")
    url = url.replace("{base}...{head}", "{basehead}")  # compareCommits' older spelling
    return method.upper(), url


def build_octokit_table(
    endpoints: Mapping[str, Mapping[str, Sequence[Any]]],
    known: set[EndpointKey],
    *,
    generated: str,
    sources: Mapping[str, Any],
) -> tuple[dict[str, Any], int]:
    methods: dict[str, Any] = {}
    skipped = 0
    for namespace, members in endpoints.items():
        for name, spec in members.items():
            method, path = normalise_route(str(spec[0]))
            if (method, path) not in known:
                skipped += 1
                continue
            entry: dict[str, Any] = {"method": method, "path": path}
            decorations = spec[2] if len(spec) > 2 and isinstance(spec[2], dict) else {}
            renamed = decorations.get("renamed")
            if isinstance(renamed, list) and len(renamed) == 2:
                entry["renamed_to"] = f"github.rest.{renamed[0]}.{renamed[1]}"
            if decorations.get("deprecated"):
                entry["deprecated"] = True
            methods[f"github.rest.{namespace}.{name}"] = entry
    table = {
        "generated": generated,
        "source": dict(sources),
        "generator": GENERATOR,
        "methods": dict(sorted(methods.items())),
    }
    return table, skipped


# --- command line ----------------------------------------------------------------------


def _dump(data: Mapping[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _default_generated() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date().isoformat()
    return dt.datetime.now(tz=dt.UTC).date().isoformat()


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--docs-data",
        type=Path,
        action="append",
        required=True,
        help="local copy of github/docs src/github-apps/data/<version>/"
        "server-to-server-permissions.json (or an excerpt in the same shape); repeat to let "
        "later files add endpoints the earlier ones lack",
    )
    parser.add_argument(
        "--permission-sets",
        type=Path,
        help="JSON {'endpoints': [{method, path, permission_sets, source}]} copied from the "
        "REST reference, to settle endpoints flagged additional-permissions",
    )
    parser.add_argument("--octokit", type=Path, help="local copy of octokit's endpoints.ts")
    parser.add_argument("--out-dir", type=Path, default=DEFAULT_OUT_DIR)
    parser.add_argument(
        "--docs-source",
        action="append",
        help="URL to record for each --docs-data, in the same order",
    )
    parser.add_argument("--octokit-source", default=DEFAULT_OCTOKIT_SOURCE, help="URL to record")
    parser.add_argument(
        "--generated",
        default=None,
        help="date to record (default: SOURCE_DATE_EPOCH, else today in UTC)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if the files on disk differ from what would be written",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse_args(argv)
    generated = args.generated or _default_generated()
    try:
        dt.date.fromisoformat(generated)
        docs = load_docs_permissions(args.docs_data)
        docs_sources = list(args.docs_source or [])
        _require(
            len(docs_sources) <= len(args.docs_data),
            "more --docs-source than --docs-data",
        )
        if not docs_sources:
            docs_sources = [DEFAULT_DOCS_SOURCE]
        docs_sources += [str(p) for p in args.docs_data[len(docs_sources) :]]
        verified: dict[EndpointKey, list[PermissionSet]] = {}
        set_sources: list[str] = []
        if args.permission_sets:
            verified, set_sources = load_permission_sets(args.permission_sets)
        sources: dict[str, Any] = {"permissions": docs_sources}
        if set_sources:
            sources["permission_sets"] = set_sources
        table = build_endpoint_table(docs, verified, generated=generated, sources=sources)
        outputs = {ENDPOINTS_FILE: _dump(table)}
        report = [f"{ENDPOINTS_FILE}: {len(table['endpoints'])} endpoints"]
        report += [
            f"  {name}: {info['endpoints']}"
            for name, info in table["scopes"].items()
            if "endpoints" in info
        ]
        if args.octokit:
            known = {(row["method"], row["path"]) for row in table["endpoints"]}
            octokit, skipped = build_octokit_table(
                load_octokit_endpoints(args.octokit),
                known,
                generated=generated,
                sources={"octokit": args.octokit_source, "endpoints": ENDPOINTS_FILE},
            )
            outputs[OCTOKIT_FILE] = _dump(octokit)
            covered = {(m["method"], m["path"]) for m in octokit["methods"].values()}
            report.append(
                f"{OCTOKIT_FILE}: {len(octokit['methods'])} methods "
                f"({skipped} outside the table; {len(known - covered)} endpoints without a method)"
            )
    except (OSError, ValueError, KeyError, IndexError, InputError) as exc:
        print(f"permissions_table: {exc}", file=sys.stderr)
        return 2

    if args.check:
        stale = [
            name
            for name, text in outputs.items()
            if not (args.out_dir / name).is_file()
            or (args.out_dir / name).read_text(encoding="utf-8") != text
        ]
        for name in stale:
            print(f"permissions_table: {args.out_dir / name} is out of date", file=sys.stderr)
        return 1 if stale else 0

    args.out_dir.mkdir(parents=True, exist_ok=True)
    for name, text in outputs.items():
        target = args.out_dir / name
        tmp = target.with_suffix(target.suffix + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(target)
    print("\n".join(report), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
