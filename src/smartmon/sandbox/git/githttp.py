"""Smart-HTTP git hosting through `git http-backend` (CGI), with GitHub's token rules.

Clients authenticate with HTTP Basic, the token as password and any user name (GitHub's
`x-access-token:<token>`), or with an `Authorization: Bearer <token>` extra header. A push made
with a workflow's own GITHUB_TOKEN starts no workflow run; a personal token's push does.
"""

from __future__ import annotations

import base64
import binascii
import logging
import os
import subprocess
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import TYPE_CHECKING

from smartmon.sandbox import events
from smartmon.sandbox.git import gitrepo
from smartmon.sandbox.state import Repo, Token

if TYPE_CHECKING:
    from smartmon.sandbox.app import Sandbox

log = logging.getLogger(__name__)

_LEVEL = {"none": 0, "read": 1, "write": 2, "admin": 3}


def _token(app: Sandbox, header: str | None) -> tuple[Token | None, bool]:
    """(token, credentials_were_sent) from a Basic or Bearer `Authorization` header."""
    if not header:
        return None, False
    scheme, _, value = header.strip().partition(" ")
    secret = value.strip()
    if scheme.lower() == "basic":
        try:
            user, _, password = base64.b64decode(secret).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None, True
        secret = password or user
    elif scheme.lower() not in ("bearer", "token"):
        return None, True
    with app.state.lock:
        token = app.state.tokens.get(secret)
    if token is None or token.expired:
        return None, True
    return token, True


def _plain(
    h: BaseHTTPRequestHandler, status: int, text: str, extra: dict[str, str] | None = None
) -> None:
    data = text.encode()
    h.send_response(status)
    for name, value in (extra or {}).items():
        h.send_header(name, value)
    h.send_header("Content-Type", "text/plain; charset=utf-8")
    h.send_header("Content-Length", str(len(data)))
    h.end_headers()
    h.wfile.write(data)


def serve(
    app: Sandbox, h: BaseHTTPRequestHandler, owner: str, name: str, rest: str, body: bytes
) -> None:
    """Answer one git request (`rest` after `/OWNER/NAME.git`, `body` already read)."""
    with app.state.lock:
        repo = app.state.repos.get(f"{owner}/{name}")
    token, sent = _token(app, h.headers.get("Authorization"))
    pushing = rest.endswith("git-receive-pack") or "service=git-receive-pack" in h.path
    challenge = {"WWW-Authenticate": 'Basic realm="GitHub"'}
    if sent and token is None:
        _plain(h, 401, "Invalid username or token.\n", challenge)
        return
    # Any token may fetch a public repository (a job's GITHUB_TOKEN checking out an action's
    # repository, say); a token scoped to other repositories sees no private one.
    public_read = repo is not None and not repo.private and not pushing
    scoped_out = token is not None and (
        token.repo not in (None, f"{owner}/{name}") or token.owner not in (None, owner)
    )
    if repo is None or (scoped_out and not public_read):
        _plain(h, 404, "Repository not found.\n")
        return
    if token is None and (repo.private or pushing):
        _plain(h, 401, "Authentication required.\n", challenge)
        return
    needed = "write" if pushing else "read"
    if (
        token is not None
        and not public_read
        and _LEVEL[token.permissions.get("contents", "none")] < _LEVEL[needed]
    ):
        _plain(h, 403, f"Permission to {repo.full_name}.git denied to {token.login}.\n")
        return
    if pushing and h.command == "GET":
        fault = app.faults.take(("push-nonff",), "GET", f"/{owner}/{name}.git{rest}")
        if fault is not None:
            _concurrent_commit(app, repo, fault.params.get("branch") or repo.default_branch)
    if pushing and h.command == "POST":
        assert token is not None
        with app.push_lock(repo):
            before = gitrepo.list_refs(repo.git_dir)
            answer = _cgi(app, h, repo, rest, body, token)
            after = gitrepo.list_refs(repo.git_dir)
        # Queue the runs before answering, so a client that waits for an idle queue sees them.
        for ref in sorted(set(before) | set(after)):
            old, new = before.get(ref, gitrepo.ZERO_SHA), after.get(ref, gitrepo.ZERO_SHA)
            if old != new:
                events.on_push(app, repo, ref, old, new, token.kind, token.login)
        _answer(h, *answer)
        return
    _answer(h, *_cgi(app, h, repo, rest, body, token))


def _concurrent_commit(app: Sandbox, repo: Repo, branch: str) -> None:
    """Someone else's commit lands first (fault `push-nonff`) and, like any push, starts runs."""
    ref = f"refs/heads/{branch}"
    parent = gitrepo.rev_parse(repo.git_dir, ref)
    if parent is None:
        return
    blob = gitrepo.read_blob(repo.git_dir, parent, "CONCURRENT.md")
    text = (blob[1] if blob else b"") + b"A commit pushed by someone else.\n"
    new = gitrepo.commit_files(
        repo.git_dir,
        parent=parent,
        files={"CONCURRENT.md": text},
        message="Concurrent change (sandbox fault push-nonff)",
    )
    gitrepo.update_ref(repo.git_dir, ref, new, parent)
    events.on_push(app, repo, ref, parent, new, "pat", "someone-else")


def _cgi(
    app: Sandbox, h: BaseHTTPRequestHandler, repo: Repo, rest: str, body: bytes, token: Token | None
) -> tuple[int, list[tuple[str, str]], bytes]:
    query = h.path.partition("?")[2]
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        {
            "GIT_PROJECT_ROOT": str(Path(repo.git_dir).parent.parent),
            "GIT_HTTP_EXPORT_ALL": "1",
            "GIT_CONFIG_NOSYSTEM": "1",
            "PATH_INFO": f"/{repo.owner}/{repo.name}.git{rest}",
            "REQUEST_METHOD": h.command,
            "QUERY_STRING": query,
            "CONTENT_TYPE": h.headers.get("Content-Type") or "",
            "CONTENT_LENGTH": str(len(body)),
            "REMOTE_ADDR": h.client_address[0],
            "REMOTE_USER": token.login if token else "",
            "SERVER_PROTOCOL": "HTTP/1.1",
        }
    )
    if h.headers.get("Content-Encoding"):
        env["HTTP_CONTENT_ENCODING"] = h.headers["Content-Encoding"]
    if h.headers.get("Git-Protocol"):
        env["GIT_PROTOCOL"] = h.headers["Git-Protocol"]
    if token is not None and _LEVEL[token.permissions.get("workflows", "none")] < 2:
        env["SANDBOX_DENY_WORKFLOWS"] = token.kind
    proc = subprocess.run(
        ["git", "http-backend"], input=body, capture_output=True, env=env, check=False
    )
    if proc.stderr:
        log.debug("git http-backend: %s", proc.stderr.decode(errors="replace").strip())
    head, sep, payload = proc.stdout.partition(b"\r\n\r\n")
    if not sep:
        head, sep, payload = proc.stdout.partition(b"\n\n")
    status = 200
    headers: list[tuple[str, str]] = []
    for line in head.decode("latin-1").splitlines():
        key, _, value = line.partition(":")
        if key.lower() == "status":
            status = int(value.strip().split()[0])
        elif key:
            headers.append((key.strip(), value.strip()))
    return status, headers, payload


def _answer(
    h: BaseHTTPRequestHandler, status: int, headers: list[tuple[str, str]], payload: bytes
) -> None:
    h.send_response(status)
    for key, value in headers:
        h.send_header(key, value)
    h.send_header("Content-Length", str(len(payload)))
    h.end_headers()
    h.wfile.write(payload)
