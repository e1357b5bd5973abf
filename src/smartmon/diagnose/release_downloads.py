"""curl's bare "(22) … returned error: 403" is a download host's blip only where the step's command
fetched a public GitHub release asset: the rule that reads it so (`checks: [public-release-download]`)
is cleared elsewhere, and the 403 stays a refused permission (tool-http-403-forbidden).
"""

from __future__ import annotations

import re

from smartmon.diagnose.jobstate import Hit
from smartmon.diagnose.step_actions import step_command

# GitHub serves a release's assets from "https://github.com/<owner>/<repo>/releases/download/<tag>/
# <file>", redirected to its CDN ("objects.githubusercontent.com", since 2025 "release-assets.
# githubusercontent.com"); for a public repository without any credential its transient 403s are
# per-IP rate limits and WAF blips (yugabyte/yugabyte-db #31426, bats-core/bats-action PR #14).
_RELEASE_ASSET = re.compile(
    r"\bgithub\.com/[\w.-]+/[\w.-]+/releases/download/"
    r"|\b(?:objects|release-assets)\.githubusercontent\.com\b"
)
# A request that sends a credential (a token in a header or the URL, curl's -u/--user, a bearer
# token, a .netrc) is refused for what the credential may not do: a permission, not a blip. The API's
# asset URL (api.github.com/…/releases/assets/<id>) is a private asset's and is no download above.
_CREDENTIAL = re.compile(
    r"(?i)authorization|bearer|token|--oauth2-bearer|--netrc|\bcurl\b[^|;&]*\s(?:-u|--user)\b"
)


def public_release_download(hit: Hit) -> bool:
    """The hit's step fetched a GitHub release asset and sent no credential."""
    command = step_command(hit.step.name, hit.before)
    return any(_RELEASE_ASSET.search(line) for line in command) and not any(
        _CREDENTIAL.search(line) for line in command
    )


def not_public_release_download(hit: Hit) -> bool:
    """A rule with `checks: [public-release-download]` whose step fetched no public release asset."""
    return "public-release-download" in hit.rule.checks and not public_release_download(hit)


_CURL_403 = re.compile(r"^curl: \(22\) The requested URL returned error: 403\b")
# Any http(s) URL in the step's commands, and those that are GitHub release-asset downloads: curl's
# bare 403 names no URL, so where the step also fetched or posted elsewhere (a private bucket, a
# deploy API) the refusal may be that other host's, a permission.
_URL = re.compile(r"""https?://[^\s"'<>|;&()]+""")
_ASSET_URL = re.compile(
    r"https?://(?:github\.com/[^\s/]+/[^\s/]+/releases/(?:latest/)?download/"
    r"|(?:objects|release-assets)\.githubusercontent\.com(?:[/:?]|$))"
)


def _only_release_urls(hit: Hit) -> bool:
    """Every http(s) URL in the hit's step's commands is a GitHub release asset's."""
    command = step_command(hit.step.name, hit.before)
    return all(_ASSET_URL.match(url) for line in command for url in _URL.findall(line))


def release_asset_blip(hit: Hit) -> bool:
    """A rule with `checks: [release-asset-blip]` on curl's bare 403 in a step that fetched a public
    release asset and no other URL: the download host's blip (curl-release-asset-403-blip), not a
    refused permission."""
    return (
        "release-asset-blip" in hit.rule.checks
        and bool(_CURL_403.match(hit.text))
        and public_release_download(hit)
        and _only_release_urls(hit)
    )
