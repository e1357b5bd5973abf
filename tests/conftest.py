"""Shared test configuration. Fixture plugins live in modules named tests/fixtures_*.py."""

import os

pytest_plugins = ["tests.fixtures_sandbox"]

# Tests must never talk to github.com, and never inherit a developer's token.
for _var in ("GITHUB_TOKEN", "GH_TOKEN", "GITHUB_API_URL"):
    os.environ.pop(_var, None)
