"""Look an action up through the API, in the runtime dataset's record shape.

For `owner/repo[/path]`: `GET /repos/{owner}/{repo}` (archived; a renamed repository answers
with its new `full_name`), `GET /repos/{owner}/{repo}/tags` (the majors: a `vN` tag, else the
highest `vN.x.y`), and `GET /repos/{owner}/{repo}/contents/{path}/action.yml?ref=TAG` (else
`action.yaml`) for `runs.using` and `inputs`. Answers come through the client's ETag cache, which
the caller may keep on disk (`Transport.load_etags`/`save_etags`), so a second scan costs no rate
limit (304s are free: https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api#use-conditional-requests-if-appropriate).
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import yaml

from smartmon.errors import SmartmonError

if TYPE_CHECKING:
    from smartmon.github.client import GitHubClient

log = logging.getLogger(__name__)

_TAG = re.compile(r"^v?(?P<major>\d+)(?:\.(?P<minor>\d+))?(?:\.(?P<patch>\d+))?$")
MAX_MAJORS = 8  # the newest majors only: enough to find the current and the first node24 one


def _majors(tags: list[dict[str, Any]]) -> dict[int, tuple[str, str, tuple[int, int]]]:
    """major -> (tag name, commit sha, (minor, patch)); a bare `vN` tag wins over `vN.x.y`."""
    best: dict[int, tuple[str, str, tuple[int, int]]] = {}
    for tag in tags:
        name = str(tag.get("name", ""))
        match = _TAG.match(name)
        sha = str((tag.get("commit") or {}).get("sha", ""))
        if match is None or not sha:
            continue
        major = int(match["major"])
        rank = (
            (10**9, 0)
            if match["minor"] is None
            else (int(match["minor"]), int(match["patch"] or 0))
        )
        if major not in best or rank > best[major][2]:
            best[major] = (name, sha, rank)
    return best


def _metadata(client: GitHubClient, path: str, ref: str) -> dict[str, Any] | None:
    for name in ("action.yml", "action.yaml"):
        try:
            raw, _ = client.get_contents(f"{path}/{name}".lstrip("/"), ref=ref)
        except SmartmonError:
            continue
        try:
            data = yaml.safe_load(raw.decode("utf-8", "replace"))
        except yaml.YAMLError:
            return None
        return data if isinstance(data, dict) else None
    return None


def _inputs(meta: dict[str, Any]) -> dict[str, dict[str, Any]]:
    raw = meta.get("inputs")
    if not isinstance(raw, dict):
        return {}
    out: dict[str, dict[str, Any]] = {}
    for name, spec in raw.items():
        spec = spec if isinstance(spec, dict) else {}
        entry: dict[str, Any] = {
            "required": bool(spec.get("required", False)),
            "default": "default" in spec,
        }
        if spec.get("deprecationMessage"):
            entry["deprecationMessage"] = str(spec["deprecationMessage"])
        out[str(name)] = entry
    return out


def lookup_action(
    client: GitHubClient, slug: str, *, today: str | None = None
) -> dict[str, Any] | None:
    """The dataset record of `owner/repo[/path]`, or None when the API does not know it."""
    owner, repo, *rest = slug.split("/")
    path = "/".join(rest)
    scoped = client.for_repo(f"{owner}/{repo}")
    checked = today or datetime.now(UTC).date().isoformat()
    try:
        info = scoped.get_repo()
        tags = list(client.http.paginate(f"/repos/{owner}/{repo}/tags", params={"per_page": 100}))
    except SmartmonError as exc:
        log.warning("%s: not looked up (%s)", slug, exc)
        return None
    full_name = str(info.get("full_name") or f"{owner}/{repo}")
    moved = full_name.lower() != f"{owner}/{repo}".lower()
    majors: dict[str, dict[str, Any]] = {}
    for major, (tag, sha, _) in sorted(_majors(tags).items())[-MAX_MAJORS:]:
        meta = _metadata(scoped, path, tag)
        if meta is None:
            continue
        runs = meta.get("runs")
        runs = runs if isinstance(runs, dict) else {}
        majors[f"v{major}"] = {
            "ref": tag,
            "ref_type": "tag",
            "commit": sha,
            "using": str(runs.get("using")) if runs.get("using") else None,
            "inputs": _inputs(meta),
            "source": f"api {owner}/{repo}@{tag} {path + '/' if path else ''}action.yml",
            "checked": checked,
            "tags": {t["name"]: t["commit"]["sha"] for t in tags if _same_major(t, major)},
        }
    if not majors:
        return None
    node24 = [int(k[1:]) for k, v in majors.items() if v["using"] == "node24"]
    return {
        "repo": f"{owner}/{repo}",
        "path": path,
        "newest_major": max(majors, key=lambda k: int(k[1:])),
        "first_node24_major": f"v{min(node24)}" if node24 else None,
        "archived": bool(info.get("archived")),
        "deprecated": False,
        "moved_to": "/".join([full_name, *rest]) if moved else None,
        "successor": None,
        "status_source": f"api GET /repos/{owner}/{repo} ({checked})",
        "majors": majors,
    }


def _same_major(tag: dict[str, Any], major: int) -> bool:
    match = _TAG.match(str(tag.get("name", "")))
    return match is not None and int(match["major"]) == major and bool(tag.get("commit"))
