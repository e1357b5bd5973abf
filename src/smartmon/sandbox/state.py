"""The sandbox's in-memory model of repositories, runs, jobs, pulls and tokens.

One ``SandboxState`` per server. Callers take ``state.lock`` around reads that must be consistent
and around every mutation, then call ``save()``; with a state directory the model is written as
one JSON file (temp file + rename), and loaded back on start.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import tempfile
import threading
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from nacl.public import PrivateKey

from smartmon.sandbox.issue_state import IssueBook

TokenKind = Literal["github_token", "pat"]

# What a personal access token may do in the sandbox: everything the product touches.
PAT_PERMISSIONS: dict[str, str] = {
    "actions": "write",
    "checks": "write",
    "contents": "write",
    "metadata": "read",
    "pull_requests": "write",
    "secrets": "write",
    "statuses": "write",
    "workflows": "write",
    "issues": "write",
}
# GITHUB_TOKEN in permissive mode; it has no `workflows` or `secrets` scope at all
# (docs: actions/reference/github_token-reference.md).
GITHUB_TOKEN_DEFAULT: dict[str, str] = {
    "actions": "write",
    "checks": "write",
    "contents": "write",
    "deployments": "write",
    "issues": "write",
    "metadata": "read",
    "packages": "write",
    "pull_requests": "write",
    "statuses": "write",
}
RATE_LIMITS: dict[str, int] = {"pat": 5000, "github_token": 1000, "anonymous": 60}


def utcnow() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Token:
    value: str
    kind: TokenKind
    permissions: dict[str, str]
    login: str = "sandbox-user"
    repo: str | None = None  # a github_token only sees its own repository
    owner: str | None = None  # an App installation token sees only this account's repositories
    limit: int = 5000
    used: int = 0
    reset: int = 0
    expired: bool = False


@dataclass
class Workflow:
    id: int
    name: str
    path: str
    state: str = "active"
    created_at: str = ""
    updated_at: str = ""


@dataclass
class Repo:
    id: int
    owner: str
    name: str
    default_branch: str
    git_dir: str
    private: bool = True
    created_at: str = ""
    key_id: str = ""
    private_key: str = ""  # Base64; kept so tests can check the sealed-box round trip
    secrets: dict[str, str] = field(default_factory=dict)
    variables: dict[str, str] = field(default_factory=dict)
    workflows: dict[str, Workflow] = field(default_factory=dict)  # path -> workflow
    protected_branches: list[str] = field(default_factory=list)
    zip_layout: str = "steps"  # "steps" (per-step folders) or "flat" (top-level files only)
    zip_legacy: bool = False  # also add "-<n>_<job>.txt" duplicates
    run_numbers: dict[str, int] = field(default_factory=dict)  # workflow path -> last number
    next_head_repository: str | None = None  # fork full_name for the next run
    default_workflow_permissions: str = "write"  # GITHUB_TOKEN default: "write" or "read"
    archived: bool = False
    fork: bool = False
    topics: list[str] = field(default_factory=list)

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"

    @property
    def public_key(self) -> str:
        key = PrivateKey(base64.b64decode(self.private_key)).public_key
        return base64.b64encode(bytes(key)).decode()


@dataclass
class Job:
    id: int
    run_id: int
    run_attempt: int
    key: str
    name: str
    status: str
    conclusion: str | None
    created_at: str
    started_at: str
    completed_at: str | None
    labels: list[str] = field(default_factory=list)
    steps: list[dict[str, Any]] = field(default_factory=list)
    runner_name: str | None = None
    log: str = ""
    annotations: list[dict[str, Any]] = field(default_factory=list)
    needs: list[str] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)
    step_logs: dict[str, str] = field(default_factory=dict)  # str(step number) -> text


@dataclass
class Attempt:
    number: int
    status: str
    conclusion: str | None
    created_at: str
    updated_at: str
    run_started_at: str
    triggering_actor: str
    job_ids: list[int] = field(default_factory=list)
    annotations: list[dict[str, Any]] = field(default_factory=list)
    check_run_id: int = 0  # holds run-level annotations (startup failures)
    jobs_to_run: list[str] | None = None
    debug: bool = False


@dataclass
class Run:
    id: int
    repo_id: int
    workflow_id: int
    workflow_path: str
    name: str
    run_number: int
    event: str
    head_branch: str | None
    head_sha: str
    ref: str
    actor: str
    head_repository: str | None  # full_name when it differs (fork runs)
    payload: dict[str, Any]
    head_commit: dict[str, Any] | None
    created_at: str
    check_suite_id: int
    attempts: list[Attempt] = field(default_factory=list)
    logs_deleted: bool = False
    chain_depth: int = 0
    pull_requests: list[dict[str, Any]] = field(default_factory=list)  # pull-request-minimal

    @property
    def latest(self) -> Attempt:
        return self.attempts[-1]


@dataclass
class Pull:
    id: int
    number: int
    repo_id: int
    title: str
    body: str | None
    head: str
    base: str
    head_sha: str
    base_sha: str
    user: str
    created_at: str
    updated_at: str
    draft: bool = False
    state: str = "open"
    head_owner: str | None = None  # a fork's owner: `owner:branch` (the branch lives here)


@dataclass
class Blob:
    data: bytes
    content_type: str
    expires: float


class SandboxState:
    """All sandbox data; ``lock`` guards every access from the server's threads."""

    def __init__(self, root: Path, state_dir: Path | None = None) -> None:
        self.lock = threading.RLock()
        self.root = root  # repositories live in root/<owner>/<name>.git
        self.state_dir = state_dir
        self.repos: dict[str, Repo] = {}  # full_name -> repo
        self.runs: dict[int, Run] = {}
        self.jobs: dict[int, Job] = {}
        self.pulls: dict[int, Pull] = {}
        self.tokens: dict[str, Token] = {}
        self.blobs: dict[str, Blob] = {}  # never persisted: they expire within a minute
        self.issues = IssueBook()  # issues, comments and labels (pull requests' too)
        self.counter = 1000
        if state_dir is not None and (state_dir / "state.json").is_file():
            self._load(state_dir / "state.json")

    def next_id(self) -> int:
        with self.lock:
            self.counter += 1
            return self.counter

    def new_token(
        self,
        kind: TokenKind,
        *,
        permissions: dict[str, str] | None = None,
        login: str = "sandbox-user",
        repo: str | None = None,
        limit: int | None = None,
        owner: str | None = None,
    ) -> Token:
        prefix = "ghs_" if kind == "github_token" else "ghp_"
        default = GITHUB_TOKEN_DEFAULT if kind == "github_token" else PAT_PERMISSIONS
        token = Token(
            value=prefix + secrets.token_hex(18),
            kind=kind,
            permissions=dict(default if permissions is None else permissions),
            login=login if kind == "pat" else "github-actions[bot]",
            repo=repo,
            limit=RATE_LIMITS[kind] if limit is None else limit,
            owner=owner,
        )
        with self.lock:
            self.tokens[token.value] = token
        return token

    def new_repo(self, owner: str, name: str, default_branch: str, *, private: bool) -> Repo:
        key = PrivateKey.generate()
        repo = Repo(
            id=self.next_id(),
            owner=owner,
            name=name,
            default_branch=default_branch,
            git_dir=str(self.root / owner / f"{name}.git"),
            private=private,
            created_at=iso(utcnow()),
            key_id=str(self.next_id() * 7919),
            private_key=base64.b64encode(bytes(key)).decode(),
        )
        with self.lock:
            self.repos[repo.full_name] = repo
        return repo

    def repo_by_id(self, repo_id: int) -> Repo:
        with self.lock:
            return next(r for r in self.repos.values() if r.id == repo_id)

    def jobs_of(self, attempt: Attempt) -> list[Job]:
        with self.lock:
            return [self.jobs[j] for j in attempt.job_ids if j in self.jobs]

    def latest_jobs(self, run: Run) -> list[Job]:
        """The most recent execution of each job (GitHub's `filter=latest`)."""
        with self.lock:
            by_name: dict[str, Job] = {}
            order: list[str] = []
            for attempt in run.attempts:
                for job in self.jobs_of(attempt):
                    if job.name not in by_name:
                        order.append(job.name)
                    by_name[job.name] = job
            return [by_name[name] for name in order]

    def save(self) -> None:
        if self.state_dir is None:
            return
        with self.lock:
            data = {
                "counter": self.counter,
                "repos": [asdict(r) for r in self.repos.values()],
                "runs": [asdict(r) for r in self.runs.values()],
                "jobs": [asdict(j) for j in self.jobs.values()],
                "pulls": [asdict(p) for p in self.pulls.values()],
                "tokens": [asdict(t) for t in self.tokens.values()],
                "issues": self.issues.dump(),
            }
            text = json.dumps(data)
        self.state_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.state_dir, prefix=".state-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, self.state_dir / "state.json")

    def _load(self, path: Path) -> None:
        data = json.loads(path.read_text(encoding="utf-8"))
        self.counter = int(data["counter"])
        for raw in data["repos"]:
            raw["workflows"] = {k: Workflow(**w) for k, w in raw["workflows"].items()}
            repo = _build(Repo, raw)
            self.repos[repo.full_name] = repo
        for raw in data["runs"]:
            raw["attempts"] = [_build(Attempt, a) for a in raw["attempts"]]
            run = _build(Run, raw)
            for attempt in run.attempts:
                if attempt.status != "completed":  # the server stopped while it waited or ran
                    attempt.status, attempt.conclusion = "completed", "cancelled"
            self.runs[run.id] = run
        for raw in data["jobs"]:
            job = _build(Job, raw)
            self.jobs[job.id] = job
        for raw in data["pulls"]:
            pull = _build(Pull, raw)
            self.pulls[pull.id] = pull
        for raw in data["tokens"]:
            token = _build(Token, raw)
            self.tokens[token.value] = token
        self.issues = IssueBook.load(data.get("issues"))


def _build(cls: Any, raw: dict[str, Any]) -> Any:
    names = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in raw.items() if k in names})
