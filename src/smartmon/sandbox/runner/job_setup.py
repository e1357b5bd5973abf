"""The "Set up job" boilerplate: runner version, image, token permissions, action downloads.

Line shapes from actions/runner ``JobExtension.cs``/``ActionManager.cs`` and real logs
(research/classification.md §4.10, github-api.md §2).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from smartmon.sandbox import permissions as token_model
from smartmon.sandbox.runner.joblog import JobLog
from smartmon.sandbox.runner.runtypes import RunRequest

RUNNER_VERSION = "2.336.0"
IMAGE_VERSION = "20261116.1.0"
_SCOPES = [
    ("actions", "Actions"),
    ("attestations", "Attestations"),
    ("checks", "Checks"),
    ("contents", "Contents"),
    ("deployments", "Deployments"),
    ("discussions", "Discussions"),
    ("id-token", "IdToken"),
    ("issues", "Issues"),
    ("models", "Models"),
    ("packages", "Packages"),
    ("pages", "Pages"),
    ("pull-requests", "PullRequests"),
    ("repository-projects", "RepositoryProjects"),
    ("security-events", "SecurityEvents"),
    ("statuses", "Statuses"),
]


class UnsupportedLabel(ValueError):
    """A runner label the sandbox (Linux, bash) cannot honestly emulate."""


def image_for(labels: Iterable[str]) -> str:
    """The Ubuntu image a job's labels select; Windows and macOS labels are refused."""
    for label in (lbl.lower() for lbl in labels):
        if label.startswith(("windows", "macos")):
            raise UnsupportedLabel(
                f"smartmon sandbox runs Linux jobs only; runs-on: {label} is not supported"
            )
        if label == "ubuntu-22.04" or label.startswith("ubuntu-22.04-"):
            return "ubuntu-22.04"
    return "ubuntu-24.04"


def token_permissions(
    workflow: Any, job: Any, *, default: str = "write", fork: bool = False
) -> dict[str, str]:
    """GITHUB_TOKEN scopes: the job's ``permissions`` if set, else the workflow's, else the default."""
    return token_model.job_permissions(workflow, job, default=default, fork=fork)


def job_request(request: RunRequest, workflow: Any, job: Any) -> RunRequest:
    """The request as one job sees it: its own token for the scopes its ``permissions:`` grant."""
    if request.mint_token is None:
        return request
    perms = token_permissions(workflow, job, default=request.default_permissions, fork=request.fork)
    token = request.mint_token(perms)
    oidc = ""
    if token_model.may_request_id_token(perms):
        oidc = f"{request.api_url.rstrip('/')}/_services/token/idtoken?api-version=2.0"
    return replace(request, token=token, oidc_url=oidc)


def action_sha(uses: str) -> str:
    """A stable stand-in for the commit an action tag resolves to."""
    return hashlib.sha1(uses.encode(), usedforsecurity=False).hexdigest()


def write_preamble(log: JobLog, image: str, permissions: dict[str, str]) -> None:
    log.write(f"Current runner version: '{RUNNER_VERSION}'")
    log.write("Runner Image Provisioner")
    log.write("  Hosted Compute Agent")
    log.write("  Version: 20261104.437")
    log.write("  Commit: 0a6d9a7c1c2a4bd2b8f0c6fb7f7e9d7d9e1f2a3b")
    log.write("  Build Date: 2026-11-04T18:43:12Z")
    log.write("  Worker ID: {5c1f1b2e-8d3a-4f0e-9a57-2a9f3c6e1d42}")
    log.write("  Azure Region: eastus")
    log.group("Operating System")
    log.write("Ubuntu")
    log.write("24.04.3" if image == "ubuntu-24.04" else "22.04.5")
    log.write("LTS")
    log.endgroup()
    short = image.replace("ubuntu-", "ubuntu").replace(".04", "")
    readme = "Ubuntu2404-Readme.md" if image == "ubuntu-24.04" else "Ubuntu2204-Readme.md"
    log.group("Runner Image")
    log.write(f"Image: {image}")
    log.write(f"Version: {IMAGE_VERSION}")
    log.write(
        f"Included Software: https://github.com/actions/runner-images/blob/{short}/"
        f"{IMAGE_VERSION[:-2]}/images/ubuntu/{readme}"
    )
    log.write(
        f"Image Release: https://github.com/actions/runner-images/releases/tag/"
        f"{short}%2F{IMAGE_VERSION[:-2]}"
    )
    log.endgroup()
    log.group("GITHUB_TOKEN Permissions")
    titles = dict(_SCOPES) | {"metadata": "Metadata"}
    for key in sorted(permissions, key=lambda k: titles.get(k, k)):
        log.write(f"{titles.get(key, key)}: {permissions[key]}")
    log.endgroup()
    log.write("Secret source: Actions")
    log.write("Prepare workflow directory")
    log.write("Prepare all required actions")


def write_downloads(log: JobLog, remote_uses: list[str]) -> None:
    log.write("Getting action download info")
    for uses in dict.fromkeys(remote_uses):
        log.write(f"Download action repository '{uses}' (SHA:{action_sha(uses)})")
