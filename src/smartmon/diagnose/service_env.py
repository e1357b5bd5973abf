"""A service container the runner gave up on, read from the `docker create` line it printed.

The runner names a `services:` container's failed health check by its network alias: "##[error]Failed
to initialize, postgres service is unhealthy." (actions/runner's ContainerOperationProvider), and
prints the `docker create` line it started the container with, in the same "Initialize containers"
step above: its env as `-e "NAME=value"`, and a variable whose value is empty (a secret that is not
set) as the bare key, `-e "NAME"` (actions/runner DockerCommandManager.DockerCreate), which docker
fills from the runner's own environment, where it is not set either. The official postgres image refuses to initialise without a
superuser password ("Error: Database is uninitialized and superuser password is not specified. You
must specify POSTGRES_PASSWORD to a non-empty value …", docker-library/postgres since February 2020;
gocardless/statesman PR #398, metasfresh/metasfresh-docker #49), so a postgres service created with
neither POSTGRES_PASSWORD (nor its _FILE form) nor POSTGRES_HOST_AUTH_METHOD with a value never
becomes healthy (niclin/rails-github-actions-example #7: the fix added POSTGRES_PASSWORD to the
service). An `--env-file` in the service's options may hold either, so it counts as given.
"""

from __future__ import annotations

import re

from smartmon.diagnose.jobstate import Hit

_UNHEALTHY = re.compile(r"Failed to initialize, (?P<alias>[\w.-]+) service is unhealthy\.")
_CREATE = re.compile(r"(?:^|[\s/\]])docker create\s")
# The official image as a service names it: postgres, postgres:16-alpine, docker.io/library/postgres,
# with or without a digest; the image is the create line's last word.
_POSTGRES_IMAGE = re.compile(
    r"\s(?:docker\.io/)?(?:library/)?postgres(?::[\w.-]+)?(?:@sha256:[0-9a-f]+)?\s*$"
)
# A non-empty password, a password file, or an auth method: the image starts. An empty value counts
# as none, as the entrypoint's `-z` test does: the runner's bare key (`-e "POSTGRES_PASSWORD"`) or an
# empty assignment (`-e "POSTGRES_PASSWORD="`). An env file may set any of them.
_PASSWORD_GIVEN = re.compile(
    r"\b(?:POSTGRES_PASSWORD(?:_FILE)?|POSTGRES_HOST_AUTH_METHOD)=[^\s\"']|\s--env-file[\s=]"
)


def postgres_password_unset(hit: Hit) -> bool:
    """The unhealthy service is the official postgres image, created without a password."""
    m = _UNHEALTHY.search(hit.text)
    if m is None:
        return False
    alias = re.compile(r"--network-alias " + re.escape(m["alias"]) + r"\s")
    for line in reversed(hit.before):
        if _CREATE.search(line) and alias.search(line):
            return bool(_POSTGRES_IMAGE.search(line)) and not _PASSWORD_GIVEN.search(line)
    return False


def postgres_password_given(hit: Hit) -> bool:
    """A rule with `checks: [postgres-password-unset-above]` whose service was not created so."""
    return "postgres-password-unset-above" in hit.rule.checks and not postgres_password_unset(hit)
