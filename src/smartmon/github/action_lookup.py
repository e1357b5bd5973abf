"""Look an action up through the API, in the runtime dataset's record shape.

For `owner/repo[/path]`: `GET /repos/{owner}/{repo}` (archived, visibility; a renamed repository
answers with its new `full_name`), `GET /repos/{owner}/{repo}/tags` (the majors: a `vN` tag, else
the highest `vN.x.y`; at most `MAX_TAGS`), and `GET /repos/{owner}/{repo}/contents/{path}/action.yml`
(else `action.yaml`) at the major's commit for `runs.using` and `inputs`. Answers come through the
client's ETag cache, which the caller may keep on disk (`Transport.load_etags`/`save_etags`), so a
second scan costs no rate limit (304s are free: https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api#use-conditional-requests-if-appropriate).

Everything here is read from a repository anyone may create, so nothing is trusted: the slug is
checked before any request, an action.yml is read only from the JSON contents object (base64, at
most 64 KiB; never the raw media type), parsed by a safe loader after its event stream was checked
for aliases and depth, and only string values are kept. A SHA pin may move only to a full `vX.Y.Z`
tag whose commit's action.yml was read (`_offered`).
"""

from __future__ import annotations

import base64
import logging
import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import yaml

from smartmon.errors import InputError
from smartmon.github.errors import NotFound

if TYPE_CHECKING:
    from smartmon.github.client import GitHubClient
    from smartmon.github.http import Transport

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

log = logging.getLogger(__name__)

_TAG = re.compile(r"^v?(?P<major>\d+)(?:\.(?P<minor>\d+))?(?:\.(?P<patch>\d+))?$")
_OWNER = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$")
_REPO = re.compile(r"^[A-Za-z0-9._-]{1,100}$")
_SHA = re.compile(r"^[0-9a-f]{40}$")
MAX_MAJORS = 8  # the newest majors only: enough to find the current and the first node24 one
MAX_TAGS = 300  # the first pages of tags only: GitHub lists the newest names first
MAX_ACTION_YML = 64 * 1024  # bytes; real action.yml files are a few KiB
MAX_PATH = 200  # characters of the path inside the repository
_MAX_DEPTH = 32  # nesting of mappings and sequences in an action.yml
_MAX_EVENTS = 20_000
_MAX_TEXT = 1000  # characters kept of runs.using and a deprecationMessage


def split_slug(slug: str) -> tuple[str, str, list[str]]:
    """(owner, repo, path segments) of `owner/repo[/path]`; InputError for anything GitHub would
    not name so, before it can reach a URL (dot segments, empty segments, odd characters)."""
    owner, _, rest = slug.partition("/")
    repo, _, path = rest.partition("/")
    segments = path.split("/") if path else []
    if (
        not _OWNER.fullmatch(owner)
        or not _REPO.fullmatch(repo)
        or repo in (".", "..")
        or any(s in ("", ".", "..") for s in segments)
        or len(path) > MAX_PATH
    ):
        raise InputError(f"{slug[:120]!r} is not an action name (owner/repo[/path])")
    return owner, repo, segments


def repo_path(owner: str, repo: str, *tail: str) -> str:
    """`/repos/{owner}/{repo}/...`, each segment percent-quoted on its own (a `/` or `%` in one
    cannot make another)."""
    return "/repos/" + "/".join(quote(s, safe="") for s in (owner, repo, *tail))


def _sha(tag: Any) -> str:
    """A tag's commit when it is a full SHA-1 in lower case; "" for anything else."""
    commit = tag.get("commit") if isinstance(tag, dict) else None
    sha = commit.get("sha") if isinstance(commit, dict) else None
    return sha if isinstance(sha, str) and _SHA.fullmatch(sha) else ""


def _version(name: str) -> tuple[int, int | None, int | None] | None:
    """(major, minor, patch) of a version tag name (`v2`, `v2.1`, `2.1.3`); None for others."""
    match = _TAG.fullmatch(name)  # not .match: `$` would let a trailing newline through
    if match is None:
        return None
    minor, patch = match["minor"], match["patch"]
    return int(match["major"]), int(minor) if minor else None, int(patch) if patch else None


def _full(name: str) -> tuple[int, int, int] | None:
    """(major, minor, patch) of a full `vX.Y.Z` tag, the only kind a SHA pin moves to."""
    version = _version(name)
    if version is None or version[1] is None or version[2] is None:
        return None
    return version[0], version[1], version[2]


def _tags(raw: list[Any]) -> dict[str, str]:
    """name -> commit of the version tags whose commit is a SHA (the first answer per name)."""
    tags: dict[str, str] = {}
    for tag in raw:
        name = tag.get("name") if isinstance(tag, dict) else None
        sha = _sha(tag)
        if isinstance(name, str) and sha and _version(name) is not None:
            tags.setdefault(name, sha)
    return tags


def _majors(tags: dict[str, str]) -> dict[int, tuple[str, str]]:
    """major -> (tag name, commit) read for it: a bare `vN` tag wins over the highest `vN.x.y`."""
    best: dict[int, tuple[str, str, tuple[int, int]]] = {}
    for name, sha in tags.items():
        major, minor, patch = _version(name) or (0, None, None)
        rank = (10**9, 0) if minor is None else (minor, patch or 0)
        if major not in best or rank > best[major][2]:
            best[major] = (name, sha, rank)
    return {major: (name, sha) for major, (name, sha, _) in best.items()}


def parse_action_yml(text: str) -> dict[str, Any] | None:
    """The mapping an action.yml holds, or None (logged by the caller) when it is not one.

    The event stream is read first: an alias (a "billion laughs" expands through them), nesting
    deeper than `_MAX_DEPTH` or more than `_MAX_EVENTS` events refuse the file before anything
    is built from it.
    """
    depth = 0
    for events, event in enumerate(yaml.parse(text, Loader=_Loader), 1):
        if isinstance(event, yaml.AliasEvent):
            raise ValueError("YAML aliases are not read in an action.yml")
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        if depth > _MAX_DEPTH or events > _MAX_EVENTS:
            raise ValueError("the YAML is nested too deeply or too long")
    data = yaml.load(text, Loader=_Loader)  # a safe loader (libyaml's or PyYAML's)
    return data if isinstance(data, dict) else None


def _read_action_yml(
    http: Transport, owner: str, repo: str, path: list[str], ref: str
) -> dict[str, Any] | None:
    """action.yml (else action.yaml) at commit `ref` from the JSON contents object, or None."""
    for name in ("action.yml", "action.yaml"):
        url = repo_path(owner, repo, "contents", *path, name)
        try:
            data = http.request("GET", url, params={"ref": ref}).json()
        except NotFound:  # no such file at that commit: try the other name
            continue
        if not isinstance(data, dict) or data.get("type") != "file":
            continue  # a folder or a symlink of that name
        where = f"{owner}/{repo}@{ref[:12]} {'/'.join([*path, name])}"
        size, content = data.get("size"), data.get("content")
        encoding = data.get("encoding")
        if not isinstance(size, int) or size > MAX_ACTION_YML or encoding != "base64":
            # Never the raw media type: a 1-100 MB file would be downloaded and parsed.
            log.warning(
                "%s: no usable action.yml (size %r, encoding %r; read up to %d bytes in base64)",
                where,
                size,
                str(encoding)[:20],
                MAX_ACTION_YML,
            )
            return None
        try:
            if not isinstance(content, str) or len(content) > 2 * MAX_ACTION_YML:
                raise ValueError("no base64 content")
            raw = base64.b64decode("".join(content.split()), validate=True)
            if len(raw) > MAX_ACTION_YML:
                raise ValueError(f"{len(raw)} bytes")
            return parse_action_yml(raw.decode("utf-8"))
        except Exception as exc:  # any error at all: the file is not one we can use
            log.warning("%s: no usable action.yml (%s)", where, str(exc)[:200])
            return None
    return None


def _text(value: Any) -> str | None:
    return value[:_MAX_TEXT] if isinstance(value, str) and value else None


def _inputs(meta: dict[str, Any]) -> dict[str, dict[str, Any]]:
    raw = meta.get("inputs")
    if not isinstance(raw, dict):
        return {}
    out: dict[str, dict[str, Any]] = {}
    for name, spec in raw.items():
        if not isinstance(name, str) or not name or len(name) > 100:
            continue
        spec = spec if isinstance(spec, dict) else {}
        entry: dict[str, Any] = {
            "required": str(spec.get("required")).strip().lower() == "true",
            "default": "default" in spec,
        }
        message = _text(spec.get("deprecationMessage"))
        if message:
            entry["deprecationMessage"] = message
        out[name] = entry
    return out


def _runtime(meta: dict[str, Any]) -> tuple[str | None, dict[str, dict[str, Any]]]:
    """(runs.using, inputs) of an action.yml: what a major's record and a bump depend on."""
    runs = meta.get("runs")
    using = _text(runs.get("using")) if isinstance(runs, dict) else None
    return using, _inputs(meta)


def _offered(
    tags: dict[str, str], major: int, read: set[str]
) -> tuple[dict[str, str], tuple[int, int] | None]:
    """The tags of `major` a record may list, and the rank of the newest full tag among them.

    A pin moves to the newest full `vX.Y.Z` tag listed, so every full tag at or above the newest
    one whose commit's action.yml was read is left out; older ones stay, to name a pin's version.
    """
    mine = {n: c for n, c in tags.items() if (_version(n) or (-1,))[0] == major}
    ranks = {n: (v[1], v[2]) for n in mine if (v := _full(n)) is not None}
    top = max((r for n, r in ranks.items() if mine[n] in read), default=None)

    def kept(name: str, commit: str) -> bool:
        return name not in ranks or commit in read or (top is not None and ranks[name] < top)

    return {n: c for n, c in mine.items() if kept(n, c)}, top


def lookup_action(
    client: GitHubClient,
    slug: str,
    *,
    today: str | None = None,
    public_only: bool = False,
    trusted_owner: str | None = None,
) -> dict[str, Any] | None:
    """The dataset record of `owner/repo[/path]`, or None when no tag of it has an action.yml.

    With `public_only` (a fork's run), a repository that is not public and not owned by
    `trusted_owner` raises NotFound, as one that does not exist does: its tags, inputs and very
    existence must not reach what the fork can read. Raises InputError for a slug that is no
    action name (before any request) and the client's GitHubError (NotFound, PermissionDenied,
    RateLimited …) when the repository or its tags cannot be read.
    """
    owner, repo, path = split_slug(slug)
    http = client.http
    checked = today or datetime.now(UTC).date().isoformat()
    info = http.request("GET", repo_path(owner, repo)).json()
    info = info if isinstance(info, dict) else {}
    full_name = info.get("full_name")
    if not (isinstance(full_name, str) and _valid_repo(full_name)):
        full_name = f"{owner}/{repo}"
    if public_only and not _readable_by_forks(info, full_name, trusted_owner):
        raise NotFound(404, "Not Found", method="GET", url=http.url(repo_path(owner, repo)))
    moved = full_name.lower() != f"{owner}/{repo}".lower()
    listed = http.paginate(
        repo_path(owner, repo, "tags"), params={"per_page": 100}, max_items=MAX_TAGS
    )
    tags = _tags(list(listed))
    where = "/".join(path) + "/" if path else ""
    majors: dict[str, dict[str, Any]] = {}
    for major, (tag, sha) in sorted(_majors(tags).items())[-MAX_MAJORS:]:
        meta = _read_action_yml(http, owner, repo, path, sha)
        if meta is None:
            continue
        runtime = _runtime(meta)
        read = {sha}
        offered, top = _offered(tags, major, read)
        newest = _newest_full(tags, major)
        if newest is not None and newest[1] not in read and (top is None or newest[0] > top):
            # The pin would move to a commit whose action.yml was not read: read it too.
            other = _read_action_yml(http, owner, repo, path, newest[1])
            if other is not None and _runtime(other) == runtime:
                read.add(newest[1])
                offered, _ = _offered(tags, major, read)
            else:
                log.info("%s: v%d's newest tag is not the commit read; no pin target", slug, major)
        majors[f"v{major}"] = {
            "ref": tag,
            "ref_type": "tag",
            "commit": sha,
            "using": runtime[0],
            "inputs": runtime[1],
            "source": f"api {owner}/{repo}@{tag} {where}action.yml",
            "checked": checked,
            "tags": offered,
        }
    if not majors:
        return None
    node24 = [int(k[1:]) for k, v in majors.items() if v["using"] == "node24"]
    return {
        "repo": f"{owner}/{repo}",
        "path": "/".join(path),
        "newest_major": max(majors, key=lambda k: int(k[1:])),
        "first_node24_major": f"v{min(node24)}" if node24 else None,
        "archived": info.get("archived") is True,
        "deprecated": False,
        "moved_to": "/".join([full_name, *path]) if moved else None,
        "successor": None,
        "status_source": f"api GET /repos/{owner}/{repo} ({checked})",
        "majors": majors,
    }


def _newest_full(tags: dict[str, str], major: int) -> tuple[tuple[int, int], str] | None:
    """((minor, patch), commit) of the newest full `vX.Y.Z` tag of `major` (where a pin moves)."""
    full = [((v[1], v[2]), c) for n, c in tags.items() if (v := _full(n)) and v[0] == major]
    return max(full) if full else None


def _valid_repo(full_name: str) -> bool:
    owner, _, repo = full_name.partition("/")
    return bool(_OWNER.fullmatch(owner) and _REPO.fullmatch(repo)) and repo not in (".", "..")


def _readable_by_forks(info: dict[str, Any], full_name: str, trusted_owner: str | None) -> bool:
    """Public (`private` false, `visibility` public when given), or the run's own owner's."""
    if trusted_owner and full_name.split("/")[0].lower() == trusted_owner.lower():
        return True
    return info.get("private") is False and info.get("visibility", "public") == "public"
