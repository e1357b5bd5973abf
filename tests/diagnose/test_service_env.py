"""The runner's unhealthy postgres service is a missing POSTGRES_PASSWORD only where its `docker
create` line above started the official image without one, or with an empty one (the runner prints
it as the bare key, `-e "POSTGRES_PASSWORD"`); an `--env-file` may hold it (the rule check
`postgres-password-unset-above`, diagnose/service_env.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.diagnose.joblog import TS, assert_finding

CREATE = (
    "##[command]/usr/bin/docker create --name 7d2c_postgres11_4b1e --label 1f8a2c --network"
    " github_network_3e9d --network-alias postgres -p 5432:5432 --health-cmd pg_isready"
    " --health-interval 10s --health-timeout 5s --health-retries 5 {env}-e GITHUB_ACTIONS=true"
    " -e CI=true {image}"
)


def _job(env: str, image: str = "postgres:11", alias: str = "postgres") -> list[str]:
    lines = [
        "##[group]Initialize containers",
        "##[group]Starting postgres service container",
        f"##[command]/usr/bin/docker pull {image}",
        "11: Pulling from library/postgres",
        f"Status: Downloaded newer image for {image}",
        CREATE.format(env=env, image=image),
        "c0ffee0000000000000000000000000000000000000000000000000000000000",
        "##[command]/usr/bin/docker start c0ffee0000000000000000000000000000000000000000000000000000000000",
        "##[endgroup]",
        "##[group]Waiting for all services to be ready",
        '##[command]/usr/bin/docker inspect --format="{{if .Config.Healthcheck}}{{print .State.Health.Status}}{{end}}" c0ffee',
        "starting",
        f"{alias} service is starting, waiting 2 seconds before checking again.",
        '##[command]/usr/bin/docker inspect --format="{{if .Config.Healthcheck}}{{print .State.Health.Status}}{{end}}" c0ffee',
        "unhealthy",
        "##[endgroup]",
        f"##[error]Failed to initialize, {alias} service is unhealthy.",
    ]
    return [TS + line for line in lines]


@pytest.mark.parametrize(
    "env",
    [
        "-e POSTGRES_USER=postgres ",  # no password at all (niclin/rails-github-actions-example)
        '-e "POSTGRES_PASSWORD=" ',  # an empty value written out
        # the runner prints an empty value (a secret that is not set) as the bare key
        '-e "POSTGRES_PASSWORD" ',
        '-e "POSTGRES_USER=app" -e "POSTGRES_PASSWORD" -e "POSTGRES_HOST_AUTH_METHOD" ',
    ],
)
def test_a_postgres_service_without_a_password(tmp_path: Path, env: str) -> None:
    assert_finding(tmp_path, _job(env), "missing_env_vars", {"var": "POSTGRES_PASSWORD"})


@pytest.mark.parametrize(
    ("env", "image"),
    [
        ('-e "POSTGRES_PASSWORD=***" ', "postgres:11"),  # masked secret: given
        ("-e POSTGRES_PASSWORD=postgres ", "postgres:16-alpine"),
        ("-e POSTGRES_HOST_AUTH_METHOD=trust ", "postgres:11"),
        ('-e "POSTGRES_HOST_AUTH_METHOD=trust" ', "postgres:11"),
        ('-e "POSTGRES_PASSWORD_FILE=/run/secrets/pg" ', "postgres:11"),
        ("--env-file /etc/ci/pg.env ", "postgres:11"),  # the options' env file may set it
        ("-e POSTGRES_USER=postgres ", "bitnami/postgresql:15"),  # another image's variables
    ],
)
def test_a_password_given_or_another_image_is_no_missing_variable(
    tmp_path: Path, env: str, image: str
) -> None:
    got = _job(env, image)
    assert_finding(tmp_path, got, "unknown", {})


def test_no_create_line_shown_is_no_missing_variable(tmp_path: Path) -> None:
    lines = [TS + "##[error]Failed to initialize, postgres service is unhealthy."]
    assert_finding(tmp_path, lines, "unknown", {})
