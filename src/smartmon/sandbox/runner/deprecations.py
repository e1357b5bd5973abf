"""Platform refusals GitHub applies before a job runs: deprecated action majors, retired images.

Texts and dates: research/workflow-yaml.md §6.1 and §6.3, research/classification.md §4.5–4.6.
"""

from __future__ import annotations

import re

_ARTIFACT_V1_V2 = (
    "https://github.blog/changelog/2024-02-13-deprecation-notice-v1-and-v2-of-the-artifact-actions/"
)
_ARTIFACT_V3 = (
    "https://github.blog/changelog/2024-04-16-deprecation-notice-v3-of-the-artifact-actions/"
)
_CACHE = (
    "https://github.blog/changelog/2024-12-05-notice-of-upcoming-releases-and-breaking-changes-"
    "for-github-actions/#actions-cache-v1-v2-and-actions-toolkit-cache-package-closing-down"
)
_MAJOR_RE = re.compile(r"^v?(\d+)(?:\.\d+)*$")


def deprecated_action_error(action: str, ref: str) -> str | None:
    """GitHub's "automatically failed" text for ``owner/repo`` at ``ref``, or None."""
    match = _MAJOR_RE.match(ref)
    if not match:
        return None  # branch names and SHAs: GitHub resolves them; we cannot date them
    major = int(match.group(1))
    head = (
        "This request has been automatically failed because it uses a deprecated version of "
        f"`{action}: {ref}`."
    )
    if action in ("actions/upload-artifact", "actions/download-artifact"):
        if major <= 2:
            return f"{head} Learn more: {_ARTIFACT_V1_V2}"
        if major == 3:
            return f"{head} Learn more: {_ARTIFACT_V3}"
    if action == "actions/cache" and major <= 2:
        return (
            f"{head} Please update your workflow to use v3/v4 of actions/cache to avoid "
            f"interruptions. Learn more: {_CACHE}"
        )
    return None


_RETIRED: dict[str, str] = {
    "ubuntu-16.04": (
        "This is a scheduled Ubuntu-16.04 retirement. The Ubuntu-16.04 environment has been "
        "removed. For more details, see https://github.com/actions/virtual-environments/issues/3287"
    ),
    "ubuntu-18.04": (
        "This is a scheduled Ubuntu-18.04 retirement. The Ubuntu-18.04 environment was removed "
        "on April 1st, 2023. For more details, see https://github.com/actions/runner-images/issues/6002"
    ),
    "ubuntu-20.04": (
        "This is a scheduled Ubuntu 20.04 retirement. Ubuntu 20.04 LTS runner will be removed on "
        "2025-04-15. For more details, see https://github.com/actions/runner-images/issues/11101"
    ),
    "windows-2016": (
        "The windows-2016 environment has been removed. For more details, see "
        "https://github.com/actions/runner-images/issues/5238"
    ),
    "windows-2019": (
        "Windows Server 2019 has been retired. The Windows Server 2019 image has been removed as "
        "of 2025-06-30. For more details, see https://github.com/actions/runner-images/issues/12045"
    ),
    "macos-10.15": (
        "The macOS-10.15 environment has been removed. For more details, see "
        "https://github.com/actions/runner-images/issues/5583"
    ),
    "macos-11": (
        "The macOS-11 environment has been removed. For more details, see "
        "https://github.com/actions/runner-images/issues/9046"
    ),
    "macos-12": (
        "The macOS-12 environment is deprecated, consider switching to macOS-13, macOS-14 "
        "(macos-latest) or macOS-15. For more details, see "
        "https://github.com/actions/runner-images/issues/10721"
    ),
    "macos-13": (
        "The macOS-13 based runner images are now retired. For more details, see "
        "https://github.com/actions/runner-images/issues/13046."
    ),
    "macos-14": (
        "The macOS-14 based runner images are now retired. For more details, see "
        "https://github.com/actions/runner-images/issues/13518."
    ),
}


def retired_label_error(labels: list[str]) -> str | None:
    """The retirement text for the first retired GitHub-hosted label in ``labels``."""
    for label in labels:
        low = label.lower()
        for retired, text in _RETIRED.items():
            if low == retired or low.startswith(f"{retired}-"):
                return text
    return None
