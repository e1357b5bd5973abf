"""pub's "the Flutter SDK is not available" under flutter's own `pub get` is no missing Flutter.

flutter_tools runs pub itself with FLUTTER_ROOT set to its own root and PUB_ENVIRONMENT naming the
flutter command (flutter/flutter PR #11882, packages/flutter_tools/lib/src/dart/pub.dart), and when
pub fails it prints what it ran: "pub get failed", the command, then "pub env: {" with
'"FLUTTER_ROOT": "…",' and '"PUB_ENVIRONMENT": "flutter_cli:get",' and "exit code: 69" (dart-lang/pub
#3882 and #3884, pingbird/puro #7). There the SDK is installed, since flutter ran; pub not finding
it is something else (a cache that another concurrent flutter call was rewriting, a broken SDK
copy), which the line does not show (`checks: [flutter-ran-pub-below]`); nor is it a version conflict
for the resolver rules to read. `dart pub get` without Flutter, the missing tool, prints no such dump.
"""

from __future__ import annotations

import re

from smartmon.diagnose.jobstate import Hit

# pub's words for the SDK it could not find (its "sdk which doesn't exist" incompatibility).
_SDK_MISSING = re.compile(
    r"from sdk which doesn't exist \(the Flutter SDK is not|requires the Flutter SDK, version solving"
)
_FLUTTER_PUB_ENV = re.compile(r'"PUB_ENVIRONMENT": "[^"]*\bflutter_cli\b')
_BELOW = 15


def flutter_ran_pub(hit: Hit) -> bool:
    """A rule with `checks: [flutter-ran-pub-below]` whose line is pub's missing Flutter SDK, under
    flutter's own pub failure dump."""
    if "flutter-ran-pub-below" not in hit.rule.checks or not _SDK_MISSING.search(hit.text):
        return False
    return any(_FLUTTER_PUB_ENV.search(line) for line in hit.after[:_BELOW])
