"""The request GITHUB_TOKEN was refused, read from a job's log lines: which scope it needed.

Pure functions over cleaned log lines (the finding's line and those before it). Each tool prints
the refused call its own way; the endpoint found is looked up in the endpoint table
(`workflows.endpoint_need`), so the answer is `{scope, access}` as GitHub's docs list it:

- octokit's `RequestError [HttpError]` dump: `status: 403`, `method: 'POST'`, `url: '…'`, and the
  `'x-accepted-github-permissions': 'issues=write; pull_requests=write'` response header
  (lee-dohm/no-response #412, vj-abigo/invite-on-label #35);
- gh: `HTTP 403: Resource not accessible by integration (https://api.github.com/repos/o/r/releases)`
  (taiki-e/create-gh-release-action #13);
- gh's GraphQL calls: `GraphQL: Resource not accessible by integration (createPullRequest)` names
  the mutation, looked up among the `gh` commands that send it (`workflows.graphql_needs`); a field
  path under `projectCards` is the classic-projects read `gh pr edit` makes (cli/cli #6274);
- Ruby Octokit and others: `POST https://api.github.com/repos/o/r/merges: 403 - …`, `HTTP Status 403
  for request POST https://…` (drdoctr/doctr #377);
- PyGithub: `GithubException: 403 {"message": …, "documentation_url": "https://docs.github.com/rest/
  reference/pulls#update-a-pull-request"}` (nvti/action-emoji #8): the docs section names the area;
- curl: `-X POST https://api.github.com/…` or `> POST /repos/… HTTP/2` with a 403 answer;
- `git push`: `remote: Permission to o/r.git denied to github-actions[bot].` -> contents;
- a push git answers only with `fatal: unable to access 'https://github.com/…': The requested URL
  returned error: 403` (the step runs `git push`, or an action says "Pushing to …") -> contents;
  the URL may carry the token (`https://x-access-token:***@github.com/…`) or lose its start to the
  mask (`'***github.com/o/r.git/'`, avinal/Profile-Readme-WakaTime #45); push actions say it their
  own way near the 403: "Push to branch main" (ad-m/github-push-action #55), "Pushing commits to
  repo..." (EndBug/add-and-commit #53), "error: push error" after it (the WakaTime action), or the
  step is a push action (`…/github-push-action@…`, `git-auto-commit-action`, `actions-js/push`);
- semantic-release's `EGITNOPERMISSION Cannot push to the Git repository.` with the job token's
  URL (`https://x-access-token:[secure]@github.com/…`) below it (cycjimmy/semantic-release-action #33)
  -> contents;
- ghcr.io pushes denied -> packages; SARIF uploads -> security-events; release asset uploads to
  `uploads.github.com` -> contents;
- Pages: actions/deploy-pages `Ensure GITHUB_TOKEN has permission "id-token: write"` / `"pages:
  write"` (actions/deploy-pages #71, academicpages #1175) -> pages and id-token;
- OIDC failures naming `ACTIONS_ID_TOKEN_REQUEST_URL`/`_TOKEN` -> id-token;
- a refusal that names no request, under a popular action's step (`Run svenstaro/upload-release-
  action@v2` then only `Error: Resource not accessible by integration`, svenstaro/upload-release-
  action #79): the one scope the action's docs say it writes (`action_need`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_API_URL = r"https?://(?:api\.github\.com|[\w.-]+/api/v3)(?P<path>/[^\s'\"`)]*)"
# axios prints its config's method in lower case (`method: 'post'`); octokit in upper case.
_OCTOKIT_METHOD = re.compile(r"^\s*method:\s*'(?P<method>[A-Za-z]+)'")
_OCTOKIT_URL = re.compile(r"^\s*url:\s*'" + _API_URL + "'")
# Node prints a short request object on one line: `request: { method: 'POST', url: '…', … }`.
_OCTOKIT_INLINE = re.compile(r"\bmethod:\s*'(?P<method>[A-Za-z]+)',\s*url:\s*'" + _API_URL + "'")
_ACCEPTED = re.compile(r"x-accepted-github-permissions'?\s*[:=]\s*'?(?P<value>[\w=,;\s-]+)", re.I)
_GH = re.compile(r"HTTP 403: [^(]*\(" + _API_URL + r"\)")
_METHOD_URL = re.compile(
    r"\b(?P<method>GET|POST|PUT|PATCH|DELETE)\s+" + _API_URL + r"(?::\s*403\b| returned 403)"
)
# Python requests' raise_for_status(): "403 Client Error: Forbidden for url: https://api.github.com/…".
_FOR_URL = re.compile(r"\b403 Client Error: .*? for url: " + _API_URL)
_STATUS_FOR = re.compile(
    r"(?:Status|status code:?)\s*403\b.*?\b(?P<method>GET|POST|PUT|PATCH|DELETE)\s+" + _API_URL
)
_CURL_CMD = re.compile(
    r"\bcurl\b.*?(?:-X|--request)\s*(?P<method>GET|POST|PUT|PATCH|DELETE)\b.*?" + _API_URL
)
_CURL_VERBOSE = re.compile(r"^>\s*(?P<method>GET|POST|PUT|PATCH|DELETE)\s+(?P<path>/\S+)\s+HTTP/")
_GRAPHQL = re.compile(r"GraphQL: Resource not accessible by [\w ]+? \((?P<field>[\w.]+)\)")
_STATUS_403 = re.compile(r"(?:\b403\b.*(?:Forbidden|not accessible))|HTTP/[\d.]+ 403|error: 403")
_DOCS = re.compile(
    r"docs\.github\.com/(?:[\w-]+/)?rest/(?:reference/)?(?P<area>[\w-]+)(?:/[\w-]+)?#(?P<op>[\w-]+)"
)
# The REST docs section GitHub links in a 403 body -> the scope of that section's endpoints.
_DOCS_AREA = {
    "issues": "issues",
    "pulls": "pull-requests",
    "checks": "checks",
    "git": "contents",
    "releases": "contents",
    "repos": "contents",
    "branches": "contents",
    "actions": "actions",
    "deployments": "deployments",
    "commits": "statuses",
    "packages": "packages",
    "pages": "pages",
    "code-scanning": "security-events",
    "attestations": "attestations",
}
_OIDC = re.compile(
    r"ACTIONS_ID_TOKEN_REQUEST_(?:URL|TOKEN)|Ensure GITHUB_TOKEN has permission \"id(?:-t|T)oken: write"
    r"|Did you mean to set the `id-token` permission|Did you remember to add `id-token: write`"
    r"|is the `id-token: write` permission missing"
)
_PAGES = re.compile(r"Ensure GITHUB_TOKEN has permission \"pages: write\"")
_PUSH = re.compile(
    r"Permission to \S+ denied to github-actions\[bot\]|^remote: Write access to repository not granted"
)
# git's 403 in its three shapes: "unable to access '<url>': …" (the URL may carry the token or lose its
# start to the mask), "error: RPC failed; HTTP 403 curl 22 …" (send-pack over HTTP/2, git 2.3x+,
# DonJayamanne/gitHistoryVSCode #742), and git 1.x's "error: The requested URL returned error: 403
# while accessing https://github.com/o/r.git/info/refs?service=git-receive-pack" (CentOS 7 images).
_GIT_403 = re.compile(
    r"unable to access '?(?:https://(?:[^@'\s/]+@)?|\*\*\*)github\.com/[^']*'?: "
    r"The requested URL returned error: 403"
    r"|^\s*error: RPC failed; HTTP 403 curl \d+"
    r"|^\s*error: The requested URL returned error: 403 while accessing (?:https://)?\S*github\.com/"
)
_DENIED_TO = re.compile(r"\bPermission to \S+ denied to ")
_JOB_TOKEN_URL = re.compile(r"\bx-access-token:(?:\[secure\]|\*\*\*)@github\.com/")
_GIT_PUSHING = re.compile(
    r"\bgit push\b|^Pushing to https://github\.com/|\bError: Pushing to https://|service=git-receive-pack"
)
# What a push action or a step named for its push says next to the 403 (module docstring): the
# word push, or the names of commit-and-push actions, in the step's name or a few lines around.
_PUSH_NEAR = re.compile(r"\bpush(?:ing|es)?\b|\bauto-commit-action\b|\badd-and-commit\b", re.I)
_GHCR = re.compile(
    r"installation not allowed to (?:Create|Write) organization package|permission_denied: "
    r"write_package|ghcr\.io\S*:? (?:403 Forbidden|denied)",
    re.IGNORECASE,
)
# GitHub's upload host serves one endpoint, a release asset's upload (POST …/releases/{id}/assets),
# which `gh release upload` and octokit's uploadReleaseAsset call (cli/cli pkg/cmd/release/shared/
# upload.go); a refusal names that URL as gh and octokit name any (`HTTP 403: … (https://uploads.
# github.com/repos/o/r/releases/123/assets?…)`, `url: 'https://uploads.github.com/…'`). GitHub's
# permission data leaves the endpoint out; the other release-asset endpoints need contents: write.
_UPLOADS = re.compile(r"https://uploads\.github\.com/repos/[^/\s]+/[^/\s]+/releases/\d+/assets")
_SARIF = re.compile(r"code-scanning/sarifs|upload-sarif action failed|CodeQL Action API endpoints")
# GitHub's words for a token's refusal, and the bare status tools print for it.
_REFUSED = re.compile(r"[Nn]ot accessible by (?:integration|personal access token)|\b403\b")


def _need(scope: str, access: str = "write", **extra: str) -> dict[str, str]:
    return {"scope": scope, "access": access, **{k: v for k, v in extra.items() if v}}


def _accepted(value: str) -> dict[str, str] | None:
    """GitHub's header: permission sets separated by `;`, permissions in a set by `,`."""
    from smartmon.workflows import TOKEN_SCOPES  # the tables load only when a 403 is read

    sets = [s.strip() for s in value.split(";") if s.strip()]
    options: list[tuple[str, str]] = []
    for one in sets:
        pairs = [p.split("=", 1) for p in one.split(",") if "=" in p]
        if len(pairs) == 1:
            scope = pairs[0][0].strip().replace("_", "-")
            if scope in TOKEN_SCOPES:
                options.append((scope, pairs[0][1].strip()))
    if not options:
        return None
    scope, access = options[0]
    others = ",".join(s for s, _ in options[1:] if s != scope)
    return _need(scope, access, alternatives=others)


def _endpoint(method: str | None, path: str) -> dict[str, str] | None:
    from smartmon.workflows import TOKEN_SCOPES, endpoint_need

    need = endpoint_need(method, path)
    if need is None or need.scope not in TOKEN_SCOPES:
        return None
    return _need(
        need.scope,
        need.access,
        alternatives=",".join(need.alternatives),
        method=need.method,
        path=need.path,
    )


def _octokit(lines: Sequence[str]) -> dict[str, str] | None:
    method = url = None
    for line in lines:
        if m := _OCTOKIT_INLINE.search(line):
            method, url = m["method"], m["path"]
        elif m := _OCTOKIT_METHOD.match(line):
            method = m["method"]
        elif m := _OCTOKIT_URL.match(line):
            url = m["path"]  # the request's url comes after the response's: keep the last
    return _endpoint(method, url) if url else None


def _dump_below(after: Sequence[str]) -> list[str]:
    """The object a JavaScript error printed under its head line (`HttpError: …` then `  status:
    403,`, `  request: {…}`): the indented lines and closing braces below it, up to 60."""
    dump: list[str] = []
    for line in after[:60]:
        if line[:1].isspace() or line.lstrip().startswith(("}", "]")):
            dump.append(line)
        else:
            break
    return dump


def _docs(line: str) -> dict[str, str] | None:
    m = _DOCS.search(line)
    if m is None or m["area"] not in _DOCS_AREA:
        return None
    access = "read" if m["op"].startswith(("get-", "list-", "download-")) else "write"
    return _need(_DOCS_AREA[m["area"]], access)


def _graphql(lines: Sequence[str]) -> dict[str, str] | None:
    from smartmon.workflows import graphql_needs

    for line in reversed(lines):
        m = _GRAPHQL.search(line)
        if m is None:
            continue
        if ".projectCards" in m["field"]:
            return _need("repository-projects", "read")
        needs = graphql_needs(m["field"])
        if not needs:
            return None
        (scope, access), *more = needs[0].items()
        others = ",".join(s for n in needs[1:] for s in n if s != scope)
        return _need(scope, access, alternatives=others, also=more[0][0] if more else "")
    return None


def _by_line(lines: Sequence[str]) -> dict[str, str] | None:
    saw_403 = any(_STATUS_403.search(line) for line in lines)
    for line in reversed(lines):
        for pattern in (_GH, _METHOD_URL, _STATUS_FOR, _FOR_URL):
            m = pattern.search(line)
            if m and (found := _endpoint(m.groupdict().get("method"), m["path"])):
                return found
        curl = saw_403 and (_CURL_CMD.search(line) or _CURL_VERBOSE.search(line))
        if curl and (found := _endpoint(curl["method"], curl["path"])):
            return found
    return None


def _pushing(lines: Sequence[str], step: str, after: Sequence[str]) -> bool:
    """Whether the git 403 answered a push: git's own command, or a push action's words near it."""
    if any(_GIT_PUSHING.search(line) for line in (step, *lines)):
        return True
    return any(_PUSH_NEAR.search(line) for line in (step, *lines[-8:], *after[:3]))


def request_need(lines: Sequence[str], step: str = "", after: Sequence[str] = ()) -> dict[str, str]:
    """`{scope, access[, alternatives, also, method, path]}` the refused request needed, or {}.

    `lines` are the log lines up to and including the error, oldest first; `step` the step's name
    (a run step's command); `after` the lines below it. `alternatives` lists other scopes the
    endpoint accepts (comma-separated); `also` a second scope the same job needs (a Pages
    deployment needs both `pages` and `id-token`).
    """
    text = "\n".join(lines)
    deploy_pages = "deploy-pages" in text
    if _PAGES.search(text):
        return _need("pages", also="id-token" if deploy_pages else "")
    if _OIDC.search(text):
        return _need("id-token", also="pages" if deploy_pages else "")
    if _SARIF.search(text):
        return _need("security-events")
    if any(_PUSH.search(line) for line in lines):
        return _need("contents")
    # semantic-release's refused push names the job token's URL (x-access-token) below its code.
    if "EGITNOPERMISSION" in text and any(
        _JOB_TOKEN_URL.search(line) for line in (*lines, *after[:8])
    ):
        return _need("contents")
    # Not when git names another identity ("denied to dependabot[bot]", "denied to jdoe"): a PAT's
    # or Dependabot's refusal, which no scope of the job token lifts.
    if (
        any(_GIT_403.search(line) for line in lines)
        and _pushing(lines, step, after)
        and not any(_DENIED_TO.search(line) for line in lines)
    ):
        return _need("contents")
    if _GHCR.search(text):
        return _need("packages")
    if _UPLOADS.search(text):
        return _need("contents")
    # An error printed at its head keeps its request in the object dumped below it.
    below = _dump_below(after)
    dumped = [*lines, *below]
    for line in reversed(dumped):
        m = _ACCEPTED.search(line)
        if m and (found := _accepted(m["value"])):
            return found
    found = _octokit(dumped) or _by_line(lines) or _graphql(lines) or _gh_api([step, *lines], text)
    if found:
        return found
    # A body printed over several lines ("Error! (403)", then `{`, `  "message": …`, then its
    # `  "documentation_url": …` below the finding's line: BigWigsMods/packager #171) links its docs
    # in the dump: the finding's own line first, then the dump nearest first (a later body's or a
    # cause's link is another request's), then the lines above it.
    for line in (*lines[-1:], *below, *reversed(lines[:-1])):
        if found := _docs(line):
            return found
    return {}


# `gh api [flags] <endpoint>` run by the step: gh's refusal ("gh: Resource not accessible by
# integration (HTTP 403)") names no URL, the command does. gh sends GET, or POST once a field is
# given (-f/-F/--field/--raw-field/--input), unless -X/--method says otherwise (gh api --help).
_GH_API = re.compile(r"\bgh api\b(?P<args>[^|;&\n]*)")
_GH_API_VALUED = frozenset(
    {
        "-X",
        "--method",
        "-H",
        "--header",
        "-f",
        "--raw-field",
        "-F",
        "--field",
        "--input",
        "-q",
        "--jq",
        "-t",
        "--template",
        "--hostname",
        "-p",
        "--preview",
        "--cache",
    }
)
_GH_API_FIELDS = frozenset({"-f", "--raw-field", "-F", "--field", "--input"})


def _gh_api(commands: Sequence[str], text: str) -> dict[str, str] | None:
    """The endpoint of the last `gh api` call among the step's command and the lines above (a
    paste's `Run gh api …`, a script's `+ gh api …`)."""
    if not _REFUSED.search(text):
        return None
    m = next((m for line in reversed(commands) if (m := _GH_API.search(line))), None)
    if m is None:
        return None
    args = m["args"].split()
    method = path = None
    fields = False
    i = 0
    while i < len(args):
        arg = args[i]
        flag, _, inline = arg.partition("=")
        if flag in _GH_API_VALUED:
            value = inline or (args[i + 1] if i + 1 < len(args) else "")
            if flag in ("-X", "--method"):
                method = value.upper()
            fields = fields or flag in _GH_API_FIELDS
            i += 1 if inline else 2
            continue
        if not arg.startswith("-") and path is None:
            path = arg.strip("'\"")
        i += 1
    if not path or path.startswith("graphql"):
        return None
    return _endpoint(method or ("POST" if fields else "GET"), "/" + path.lstrip("/"))


# The job token's own refusal, as octokit, gh and the actions built on them word it.
_TOKEN_REFUSED = re.compile(r"Resource not accessible by integration")
# The kind of item an action was working on when refused, in its own progress lines: actions/stale's
# "[#1728] Issue #1728", "Marking this issue as stale", v3's "Marking pr stale because …" (actions/
# stale #948, #1182, #209); release-changelog-builder's "ℹ️ Fetching PRs between dates …"
# (mikepenz/release-changelog-builder-action #1244). An input echoed under `with:` ("issue-number:
# 5") names no item.
_PULL_KIND = re.compile(r"\b(?:pull[ _-]requests?|PRs?)\b(?![-_])", re.IGNORECASE)
_ISSUE_KIND = re.compile(r"\bissues?\b(?![-_])", re.IGNORECASE)
_INPUT_ECHO = re.compile(r"^\s+[\w-]+:(?:\s|$)")


def _item_kind(lines: Sequence[str]) -> str | None:
    """`issues` or `pull-requests`: the item named by the nearest progress line above a refusal
    (a line naming both, "the issues and pull requests", says neither)."""
    for line in reversed(lines[-8:]):
        if _INPUT_ECHO.match(line):
            continue
        pull, issue = _PULL_KIND.search(line), _ISSUE_KIND.search(line)
        if pull and issue:
            continue
        if pull or issue:
            return "pull-requests" if pull else "issues"
    return None


def action_need(action: str, lines: Sequence[str]) -> dict[str, str]:
    """`{scope, access}` when the job token was refused inside an action that needs one scope.

    An action's refusal often names no request ("Error: Resource not accessible by integration"
    from softprops/action-gh-release or svenstaro/upload-release-action, rcmaehl/LocalUser.App #2,
    openscad/openscad-documentation #2); the one scope its docs say it writes for its usual job
    (`workflows.action_write_scope`) then says which was missing. An action that writes both
    issues and pull requests (actions/stale), or only reads, is narrowed by the kind of item its
    lines name just above the refusal; a read-only action that needs one scope gives that one
    (Gamesight/slack-workflow-status #45, actions: read). {} otherwise.
    """
    from smartmon.workflows import action_needs, action_write_scope

    if not any(_TOKEN_REFUSED.search(line) for line in lines):
        return {}
    scope = action_write_scope(action)
    if scope:
        return _need(scope, "write")
    needs = action_needs(action) or {}
    writes = {s: a for s, a in needs.items() if a == "write"}
    pool = writes or needs
    kind = _item_kind(lines)
    if (
        kind is not None
        and kind in pool
        and (not writes or {"issues", "pull-requests"} <= writes.keys())
    ):
        return _need(kind, pool[kind])
    if not writes and len(needs) == 1:
        ((scope, access),) = needs.items()
        return _need(scope, access)
    return {}
