"""JSON bodies in the shapes of GitHub's REST schemas (every required field, right types)."""

from __future__ import annotations

import hashlib
from typing import Any

from smartmon.sandbox.git.gitrepo import CommitInfo
from smartmon.sandbox.state import Job, Repo, Run, Workflow

JSON = dict[str, Any]


def node_id(kind: str, ident: int | str) -> str:
    return kind + "_" + hashlib.sha1(f"{kind}:{ident}".encode()).hexdigest()[:16]


def _stable_id(text: str) -> int:
    return int(hashlib.sha1(text.encode()).hexdigest()[:8], 16)


def user(api: str, login: str) -> JSON:
    bot = login.endswith("[bot]")
    ident = _stable_id(login)
    base = f"{api}/users/{login}"
    return {
        "login": login,
        "id": ident,
        "node_id": node_id("U", ident),
        "avatar_url": f"{api}/avatars/{login}",
        "gravatar_id": "",
        "url": base,
        "html_url": f"{api}/{login}",
        "followers_url": f"{base}/followers",
        "following_url": f"{base}/following{{/other_user}}",
        "gists_url": f"{base}/gists{{/gist_id}}",
        "starred_url": f"{base}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{base}/subscriptions",
        "organizations_url": f"{base}/orgs",
        "repos_url": f"{base}/repos",
        "events_url": f"{base}/events{{/privacy}}",
        "received_events_url": f"{base}/received_events",
        "type": "Bot" if bot else "User",
        "site_admin": False,
    }


def repository(api: str, repo: Repo, *, full_name: str | None = None) -> JSON:
    """A superset of `full-repository`, `repository` and `minimal-repository`."""
    name = full_name or repo.full_name
    owner, short = name.split("/", 1)
    fork = full_name is not None and full_name != repo.full_name
    ident = repo.id if not fork else _stable_id(name)
    u = f"{api}/repos/{name}"
    body: JSON = {
        "id": ident,
        "node_id": node_id("R", ident),
        "name": short,
        "full_name": name,
        "owner": user(api, owner),
        "private": repo.private,
        "html_url": f"{api}/{name}",
        "description": None,
        "fork": fork or repo.fork,
        "url": u,
        "git_url": f"git://{api.split('://', 1)[1]}/{name}.git",
        "ssh_url": f"git@localhost:{name}.git",
        "clone_url": f"{api}/{name}.git",
        "svn_url": f"{api}/{name}",
        "mirror_url": None,
        "homepage": None,
        "language": None,
        "license": None,
        "forks": 0,
        "forks_count": 0,
        "stargazers_count": 0,
        "watchers_count": 0,
        "watchers": 0,
        "size": 1,
        "default_branch": repo.default_branch,
        "open_issues_count": 0,
        "open_issues": 0,
        "is_template": False,
        "topics": list(repo.topics),
        "has_issues": True,
        "has_projects": False,
        "has_wiki": False,
        "has_pages": False,
        "has_downloads": True,
        "has_discussions": False,
        "archived": repo.archived,
        "disabled": False,
        "visibility": "private" if repo.private else "public",
        "pushed_at": repo.created_at,
        "created_at": repo.created_at,
        "updated_at": repo.created_at,
        "subscribers_count": 0,
        "network_count": 0,
        "permissions": {
            "admin": True,
            "maintain": True,
            "push": True,
            "triage": True,
            "pull": True,
        },
    }
    for key, suffix in _REPO_URLS.items():
        body[key] = u + suffix
    return body


_REPO_URLS = {
    "archive_url": "/{archive_format}{/ref}",
    "assignees_url": "/assignees{/user}",
    "blobs_url": "/git/blobs{/sha}",
    "branches_url": "/branches{/branch}",
    "collaborators_url": "/collaborators{/collaborator}",
    "comments_url": "/comments{/number}",
    "commits_url": "/commits{/sha}",
    "compare_url": "/compare/{base}...{head}",
    "contents_url": "/contents/{+path}",
    "contributors_url": "/contributors",
    "deployments_url": "/deployments",
    "downloads_url": "/downloads",
    "events_url": "/events",
    "forks_url": "/forks",
    "git_commits_url": "/git/commits{/sha}",
    "git_refs_url": "/git/refs{/sha}",
    "git_tags_url": "/git/tags{/sha}",
    "hooks_url": "/hooks",
    "issue_comment_url": "/issues/comments{/number}",
    "issue_events_url": "/issues/events{/number}",
    "issues_url": "/issues{/number}",
    "keys_url": "/keys{/key_id}",
    "labels_url": "/labels{/name}",
    "languages_url": "/languages",
    "merges_url": "/merges",
    "milestones_url": "/milestones{/number}",
    "notifications_url": "/notifications{?since,all,participating}",
    "pulls_url": "/pulls{/number}",
    "releases_url": "/releases{/id}",
    "stargazers_url": "/stargazers",
    "statuses_url": "/statuses/{sha}",
    "subscribers_url": "/subscribers",
    "subscription_url": "/subscription",
    "tags_url": "/tags",
    "teams_url": "/teams",
    "trees_url": "/git/trees{/sha}",
}


def workflow(api: str, repo: Repo, wf: Workflow) -> JSON:
    return {
        "id": wf.id,
        "node_id": node_id("W", wf.id),
        "name": wf.name,
        "path": wf.path,
        "state": wf.state,
        "created_at": wf.created_at,
        "updated_at": wf.updated_at,
        "url": f"{api}/repos/{repo.full_name}/actions/workflows/{wf.id}",
        "html_url": f"{api}/{repo.full_name}/blob/{repo.default_branch}/{wf.path}",
        "badge_url": f"{api}/{repo.full_name}/workflows/{wf.name}/badge.svg",
    }


def head_commit(info: CommitInfo) -> JSON:
    return {
        "id": info.sha,
        "tree_id": info.tree,
        "message": info.message,
        "timestamp": info.committer_date,
        "author": {"name": info.author_name, "email": info.author_email},
        "committer": {"name": info.committer_name, "email": info.committer_email},
    }


def workflow_run(api: str, repo: Repo, run: Run, attempt_no: int | None = None) -> JSON:
    attempt = run.attempts[(attempt_no or len(run.attempts)) - 1]
    u = f"{api}/repos/{repo.full_name}/actions/runs/{run.id}"
    previous = f"{u}/attempts/{attempt.number - 1}" if attempt.number > 1 else None
    branch_suffix = f"@{run.head_branch}" if run.head_branch else ""
    return {
        "id": run.id,
        "name": run.name,
        "node_id": node_id("WFR", run.id),
        "check_suite_id": run.check_suite_id,
        "check_suite_node_id": node_id("CS", run.check_suite_id),
        "head_branch": run.head_branch,
        "head_sha": run.head_sha,
        "path": run.workflow_path + branch_suffix,
        "display_title": (run.head_commit or {}).get("message", run.name).split("\n")[0],
        "run_number": run.run_number,
        "run_attempt": attempt.number,
        "event": run.event,
        "status": attempt.status,
        "conclusion": attempt.conclusion,
        "workflow_id": run.workflow_id,
        "url": u,
        "html_url": f"{api}/{repo.full_name}/actions/runs/{run.id}",
        "pull_requests": [dict(p) for p in run.pull_requests],
        "created_at": run.created_at,
        "updated_at": attempt.updated_at,
        "run_started_at": attempt.run_started_at,
        "actor": user(api, run.actor),
        "triggering_actor": user(api, attempt.triggering_actor),
        "jobs_url": f"{u}/jobs",
        "logs_url": f"{u}/logs",
        "check_suite_url": f"{api}/repos/{repo.full_name}/check-suites/{run.check_suite_id}",
        "artifacts_url": f"{u}/artifacts",
        "cancel_url": f"{u}/cancel",
        "rerun_url": f"{u}/rerun",
        "previous_attempt_url": previous,
        "workflow_url": f"{api}/repos/{repo.full_name}/actions/workflows/{run.workflow_id}",
        "head_commit": run.head_commit,
        "referenced_workflows": [],
        "repository": repository(api, repo),
        "head_repository": repository(api, repo, full_name=run.head_repository),
        "head_repository_id": repo.id,
    }


def job(api: str, repo: Repo, run: Run, j: Job) -> JSON:
    return {
        "id": j.id,
        "run_id": j.run_id,
        "run_url": f"{api}/repos/{repo.full_name}/actions/runs/{j.run_id}",
        "run_attempt": j.run_attempt,
        "node_id": node_id("CR", j.id),
        "head_sha": run.head_sha,
        "head_branch": run.head_branch,
        "url": f"{api}/repos/{repo.full_name}/actions/jobs/{j.id}",
        "html_url": f"{api}/{repo.full_name}/actions/runs/{j.run_id}/job/{j.id}",
        "status": j.status,
        "conclusion": j.conclusion,
        "created_at": j.created_at,
        "started_at": j.started_at,
        "completed_at": j.completed_at,
        "name": j.name,
        "steps": [dict(s) for s in j.steps],
        "check_run_url": f"{api}/repos/{repo.full_name}/check-runs/{j.id}",
        "labels": list(j.labels),
        "runner_id": 1 if j.runner_name else None,
        "runner_name": j.runner_name,
        "runner_group_id": 0 if j.runner_name else None,
        "runner_group_name": "GitHub Actions" if j.runner_name else None,
        "workflow_name": run.name,
    }


def annotation(api: str, repo: Repo, sha: str, ann: dict[str, Any]) -> JSON:
    return {
        "path": ann["path"],
        "start_line": ann["start_line"],
        "end_line": ann["end_line"],
        "start_column": None,
        "end_column": None,
        "annotation_level": ann["level"],
        "title": ann.get("title", ""),
        "message": ann["message"],
        "raw_details": "",
        "blob_href": f"{api}/{repo.full_name}/blob/{sha}/{ann['path']}",
    }


def commit(api: str, repo: Repo, info: CommitInfo) -> JSON:
    u = f"{api}/repos/{repo.full_name}"
    person = {"name": info.author_name, "email": info.author_email, "date": info.author_date}
    committer = {
        "name": info.committer_name,
        "email": info.committer_email,
        "date": info.committer_date,
    }
    return {
        "url": f"{u}/commits/{info.sha}",
        "sha": info.sha,
        "node_id": node_id("C", info.sha),
        "html_url": f"{api}/{repo.full_name}/commit/{info.sha}",
        "comments_url": f"{u}/commits/{info.sha}/comments",
        "commit": {
            "url": f"{u}/git/commits/{info.sha}",
            "author": person,
            "committer": committer,
            "message": info.message,
            "comment_count": 0,
            "tree": {"sha": info.tree, "url": f"{u}/git/trees/{info.tree}"},
            "verification": _unsigned(),
        },
        "author": None,
        "committer": None,
        "parents": [
            {"sha": p, "url": f"{u}/commits/{p}", "html_url": f"{api}/{repo.full_name}/commit/{p}"}
            for p in info.parents
        ],
    }


def _unsigned() -> JSON:
    return {
        "verified": False,
        "reason": "unsigned",
        "signature": None,
        "payload": None,
        "verified_at": None,
    }


def git_commit(api: str, repo: Repo, info: CommitInfo) -> JSON:
    """The `commit` half of a contents `file-commit` response (a git commit object)."""
    u = f"{api}/repos/{repo.full_name}"
    return {
        "sha": info.sha,
        "node_id": node_id("C", info.sha),
        "url": f"{u}/git/commits/{info.sha}",
        "html_url": f"{api}/{repo.full_name}/commit/{info.sha}",
        "author": {"name": info.author_name, "email": info.author_email, "date": info.author_date},
        "committer": {
            "name": info.committer_name,
            "email": info.committer_email,
            "date": info.committer_date,
        },
        "message": info.message,
        "tree": {"sha": info.tree, "url": f"{u}/git/trees/{info.tree}"},
        "parents": [
            {
                "sha": p,
                "url": f"{u}/git/commits/{p}",
                "html_url": f"{api}/{repo.full_name}/commit/{p}",
            }
            for p in info.parents
        ],
        "verification": _unsigned(),
    }


def content_entry(
    api: str, repo: Repo, ref: str, path: str, sha: str, size: int, kind: str
) -> JSON:
    u = f"{api}/repos/{repo.full_name}"
    self_url = f"{u}/contents/{path}?ref={ref}"
    git_url = f"{u}/git/{'blobs' if kind == 'file' else 'trees'}/{sha}"
    html = f"{api}/{repo.full_name}/{'blob' if kind == 'file' else 'tree'}/{ref}/{path}"
    return {
        "type": kind,
        "size": size,
        "name": path.rsplit("/", 1)[-1],
        "path": path,
        "sha": sha,
        "url": self_url,
        "git_url": git_url,
        "html_url": html,
        "download_url": f"{api}/{repo.full_name}/raw/{ref}/{path}" if kind == "file" else None,
        "_links": {"self": self_url, "git": git_url, "html": html},
    }
