"""`actions/create-github-app-token` as the sandbox runs it.

The sandbox has no GitHub Apps, so no JWT to sign: the `private-key` input holds an installation
token made beforehand (``POST /_sandbox/tokens {"kind": "github_token", "owner": ORG,
"permissions": {...}}``), and the step hands it back as the `token` output, masked. Anything else
in `private-key` fails the step as a bad key does on GitHub. The `permission-*`, `owner` and
`repositories` inputs are read but cannot narrow that token; outputs: `token`, `installation-id`,
`app-slug` (github.com/actions/create-github-app-token, action.yml of v3.1.1).
"""

from __future__ import annotations

from smartmon.sandbox.runner.builtin_actions import ActionCall, fail
from smartmon.sandbox.runner.job_context import StepOutcome

APP_TOKEN_DEFAULTS: dict[str, str | None] = {
    "client-id": None,
    "app-id": None,
    "private-key": None,
    "owner": None,
    "repositories": None,
    "skip-token-revoke": "false",
    "github-api-url": "${{ github.api_url }}",
}


def create_app_token(call: ActionCall) -> StepOutcome:
    ctx, inputs = call.ctx, call.inputs
    if not (inputs.get("client-id") or inputs.get("app-id")):
        return fail(ctx, "Either 'client-id' or 'app-id' input must be set")
    key = (inputs.get("private-key") or "").strip()
    if not key.startswith("ghs_"):
        return fail(
            ctx,
            "smartmon sandbox: 'private-key' must hold an installation token made with "
            'POST /_sandbox/tokens {"kind": "github_token", "owner": ...}',
        )
    ctx.log.masker.add(key)
    owner = inputs.get("owner") or call.env.get("GITHUB_REPOSITORY_OWNER", "")
    scope = inputs.get("repositories") or "all repositories"
    ctx.log.write(f"Creating an installation access token for {owner} ({scope})")
    outputs = {"token": key, "installation-id": "1", "app-slug": "smartmon-sandbox"}
    return StepOutcome("success", "success", outputs)
