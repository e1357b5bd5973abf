"""Missing variables said in a tool's own words (helper h85): an env schema's report whose header
names nothing and whose first key below is the variable (t3-env's zod object and Standard Schema
forms, envalid's block, pydantic-settings under a CLI's argparse error), in a paste and in the
runner's downloaded form; and the libraries that name the variable on their own line.

Texts are the tools' real formats with names changed; the threads are named in the rules.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.diagnose.joblog import FAILED, TS, run_step, top_finding

# t3-env (zod fieldErrors) with a message other than 'Required': secrets empty in CI.
_ZOD_OBJECT = [
    "  Collecting page data  ..❌ Invalid environment variables: {",
    "  NEWS_URL: [ 'String must contain at least 1 character(s)' ],",
    "  GOOGLE_CLIENT_ID: [ 'String must contain at least 1 character(s)' ]",
    "}",
    "Error: Invalid environment variables",
    "    at onValidationError (/home/runner/work/app/app/node_modules/@t3-oss/env-core/dist/index.js:109:15)",
    "",
    "> Build error occurred",
    "Error: Failed to collect page data for /api/news",
]
# t3-env 0.10+ prints Standard Schema issues: the name is in `path`.
_STANDARD_SCHEMA = [
    "❌ Invalid environment variables: [",
    "  {",
    "    expected: 'string',",
    "    code: 'invalid_type',",
    "    path: [ 'DATABASE_URL' ],",
    "    message: 'Invalid input: expected string, received undefined'",
    "  }",
    "]",
    "Error: Invalid environment variables",
]
_ENVALID = [
    "================================",
    " Missing environment variables:",
    "    SENTRY_DSN: undefined",
    "    API_KEY: undefined",
    "================================",
    "",
    " Exiting with error code 1",
]
# astro:env lists the variables as bullets under its error, after a blank line.
_ASTRO = [
    "09:24:06 [content] Synced content",
    "[EnvInvalidVariables] The following environment variables defined in `env.schema` are invalid:",
    "",
    "- BETTER_AUTH_SECRET is missing",
    "- GITHUB_CLIENT_SECRET is missing",
    "",
    "  Error reference:",
    "    https://docs.astro.build/en/reference/errors/env-invalid-variables/",
]
_PYDANTIC_ARGPARSE = [
    "usage: settings-export [-h] [settings ...]",
    "settings-export: error: argument settings: 2 validation errors for Settings",
    "client_id",
    "  Field required [type=missing, input_value={}, input_type=dict]",
    "    For further information visit https://errors.pydantic.dev/2.7/v/missing",
    "client_secret",
    "  Field required [type=missing, input_value={}, input_type=dict]",
]


@pytest.mark.parametrize(
    ("lines", "var"),
    [
        (_ZOD_OBJECT, "NEWS_URL"),
        (_STANDARD_SCHEMA, "DATABASE_URL"),
        (_ENVALID, "SENTRY_DSN"),
        (_PYDANTIC_ARGPARSE, "client_id"),
        (_ASTRO, "BETTER_AUTH_SECRET"),
    ],
)
@pytest.mark.parametrize("form", ["pasted", "downloaded"])
def test_schema_report_names_its_first_key(
    tmp_path: Path, lines: list[str], var: str, form: str
) -> None:
    if form == "downloaded":
        lines = [TS + line for line in [*run_step("npm run build", *lines), FAILED]]
    got, data = top_finding(tmp_path, lines)
    assert (got, data.get("var")) == ("missing_env_vars", var)


def test_bare_schema_error_names_no_variable(tmp_path: Path) -> None:
    # A monorepo task's paste keeps only t3-env's thrown error (vercel/next-forge #194).
    got, data = top_finding(
        tmp_path,
        [
            "api:build: > Build error occurred",
            "api:build: Error: Invalid environment variables",
            "api:build:     at onValidationError (/vercel/path0/node_modules/@t3-oss/env-core/dist/index.js:109:15)",
            "api:build:  ELIFECYCLE  Command failed with exit code 1.",
        ],
    )
    assert got == "missing_env_vars"
    assert "var" not in data


@pytest.mark.parametrize(
    ("line", "var"),
    [
        (
            '** (System.EnvError) could not fetch environment variable "SECRET_KEY_BASE" because it is not set',
            "SECRET_KEY_BASE",
        ),
        (
            "PHP Fatal error:  Uncaught Dotenv\\Exception\\ValidationException: One or more environment"
            " variables failed assertions: DB_NAME is missing, DB_USER is missing. in"
            " D:\\a\\site\\site\\vendor\\vlucas\\phpdotenv\\src\\Validator.php:181",
            "DB_NAME",
        ),
        ('Dotenv::MissingKeys: Missing required configuration key: ["SECRET"]', "SECRET"),
        (
            "error: set `DATABASE_URL` to use query macros online, or run `cargo sqlx prepare` to"
            " update the query cache",
            "DATABASE_URL",
        ),
        ("Error: STRIPE_KEY value not found in the environment", "STRIPE_KEY"),
        # SvelteKit's $env/static module lacks a variable unset at build time (Rollup's words).
        (
            'RollupError: "AUTH_SECRET" is not exported by "virtual:$env/static/private",'
            ' imported by "src/hooks.server.ts".',
            "AUTH_SECRET",
        ),
        ('env: environment variable "API_KEY" should not be empty', "API_KEY"),
        ("ERROR    NonInteractive: Credential not found for password.", "TWINE_PASSWORD"),
        (
            "google.auth.exceptions.DefaultCredentialsError: File"
            " /home/runner/work/app/app/key.json was not found.",
            "GOOGLE_APPLICATION_CREDENTIALS",
        ),
        ("[CI/test]   ❗  ::error::Input required and not supplied: token", "token"),
    ],
)
def test_library_names_the_variable(tmp_path: Path, line: str, var: str) -> None:
    got, data = top_finding(tmp_path, [line])
    assert (got, data.get("var")) == ("missing_env_vars", var)


def test_schema_header_warning_in_passing_job_is_quiet(tmp_path: Path) -> None:
    # docker compose v1 warns for each unset variable and goes on; the tests pass.
    lines = run_step(
        "docker-compose up -d",
        "WARNING: The GIT_HASH variable is not set. Defaulting to a blank string.",
        "Creating app_db_1 ... done",
    ) + run_step("pytest -q", "80 passed in 8.61s")
    got, _ = top_finding(tmp_path, [TS + line for line in lines])
    assert got is None
