"""pub's "the Flutter SDK is not available" is a missing Flutter only where flutter did not run pub
itself: under flutter's own "pub get failed" dump (PUB_ENVIRONMENT "flutter_cli:…") the SDK is
installed, and the line is neither a missing tool nor a version conflict (the rule check
`flutter-ran-pub-below`, diagnose/flutter_pub_env.py)."""

from __future__ import annotations

from pathlib import Path

from tests.diagnose.joblog import assert_step_finding

_SDK_MISSING = (
    "Because app depends on flutter_test from sdk which doesn't exist (the Flutter SDK is not "
    "available), version solving failed."
)


def _flutter_dump(environment: str) -> list[str]:
    """flutter_tools' report of the pub it ran (dart-lang/pub #3884's lines)."""
    return [
        "pub get failed",
        'command: "/opt/hostedtoolcache/flutter/3.7.7/bin/cache/dart-sdk/bin/dart __deprecated_pub '
        '--directory . get --example"',
        "pub env: {",
        '  "FLUTTER_ROOT": "/opt/hostedtoolcache/flutter/3.7.7",',
        f'  "PUB_ENVIRONMENT": "{environment}",',
        "}",
        "exit code: 69",
    ]


def test_under_flutter_s_own_pub_the_sdk_is_installed(tmp_path: Path) -> None:
    lines = [_SDK_MISSING, "", *_flutter_dump("flutter_bot:flutter_cli:get")]
    assert_step_finding(tmp_path, lines, "unknown", {})


def test_dart_pub_without_flutter_is_the_missing_tool(tmp_path: Path) -> None:
    lines = [
        "Resolving dependencies...",
        _SDK_MISSING,
        "",
        "Flutter users should run `flutter pub get` instead of `dart pub get`.",
    ]
    assert_step_finding(tmp_path, lines, "missing_tool", {"command": "flutter"})


def test_a_real_conflict_under_flutter_s_pub_stays_a_conflict(tmp_path: Path) -> None:
    conflict = (
        "Because app depends on intl 0.17.0 and flutter_localizations from sdk depends on intl "
        "0.18.0, version solving failed."
    )
    lines = [conflict, "", *_flutter_dump("flutter_cli:get")]
    assert_step_finding(tmp_path, lines, "dependency_conflict", {})
