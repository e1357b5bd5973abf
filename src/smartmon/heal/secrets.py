"""The repository secrets that a wired environment variable needs (`NAME: ${{ secrets.NAME }}`).

A secret value never goes into git. When asked (`create-secrets: true`) and the token may, a
missing secret is created through the sealed-box API with a random value, and the summary says to
replace it; otherwise the summary lists the secrets to add.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Sequence

from smartmon.errors import InputError
from smartmon.github import GitHubClient, GitHubError, NotFound
from smartmon.model import Finding, Fix, IssueType

log = logging.getLogger(__name__)

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")  # a name read from a log goes into a URL path


def settle(
    client: GitHubClient,
    fixes: Sequence[Fix],
    findings: Sequence[Finding],
    *,
    create: bool,
    fork: bool,
) -> tuple[list[str], list[str]]:
    """Secrets the wired variables need and lack: (created with a random value, still missing).

    A secret that exists is neither; one whose existence the token may not read counts as missing
    (the summary then says to make sure it exists).
    """
    wired = {f.type for f in fixes if f.applicable}
    if IssueType.MISSING_ENV_VARS not in wired:
        return [], []
    names = sorted(
        {
            f.data["var"]
            for f in findings
            if f.type is IssueType.MISSING_ENV_VARS
            and f.data.get("var")
            and _NAME.fullmatch(f.data["var"])
            and not f.data["var"].upper().startswith("GITHUB_")
        }
    )
    created: list[str] = []
    missing: list[str] = []
    for name in names:
        if _exists(client, name):
            continue
        if create and not fork:
            try:
                client.put_secret(name, secrets.token_urlsafe(32))
                created.append(name)
                continue
            except (GitHubError, InputError) as exc:
                log.warning("could not create secret %s: %s", name, exc)
        missing.append(name)
    return created, missing


def _exists(client: GitHubClient, name: str) -> bool | None:
    try:
        client.http.request("GET", f"/repos/{client.repo}/actions/secrets/{name}")
    except NotFound:
        return False
    except GitHubError:
        return None  # GITHUB_TOKEN may not read secrets: unknown
    return True
