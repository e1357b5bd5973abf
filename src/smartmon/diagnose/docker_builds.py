"""The classic builder's platform parse error is a build's only where the step ran one.

`docker build` without buildx hands `--platform linux/amd64,linux/arm64` to the daemon, which splits
it on "/" and rejects the middle part (docker-classic-builder-platform-unparsed); `docker pull` and
`docker run` pass `--platform` to the same parser and print the very same line, but there the fix is
one platform per command, not buildx. So the rule counts only in a step that shows a build: the
classic builder's "Step N/M :" rows or "Sending build context to Docker daemon", a command that runs
`docker build` / `docker image build` / `compose build`, or a build action's header
(mr-smithers-excellent/docker-build-push, whose plain `docker build` prints nothing before the
error). The check is `under-docker-build`.
"""

from __future__ import annotations

import re

from smartmon.diagnose.jobstate import Hit, up_to_header

_BUILD_SHOWN = re.compile(
    r"^\s*Step \d+/\d+ :|^\s*Sending build context to Docker daemon"
    r"|\bdocker(?: image)? build\b|\bcompose build\b"
    r"|^(?:##\[group\])?Run [\w.-]+/[\w.-]*docker-build[\w.-]*@"
    # only `docker build` prints the legacy builder's banner (a wrapper script may not echo it)
    r"|^DEPRECATED: The legacy builder is deprecated"
)


def not_under_docker_build(hit: Hit) -> bool:
    """`under-docker-build`: nothing above the hit in its step (its header included) shows a
    docker build."""
    if "under-docker-build" not in hit.rule.checks:
        return False
    return not any(_BUILD_SHOWN.search(line.strip()) for line in up_to_header(hit.before))
