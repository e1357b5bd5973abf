"""Verdicts the Android sweep (helper h74) relies on beyond the rules' own examples: which of a
tool's rows wins when several match (R8's class row over its summary, a plugin's artifact row over
its header, the signing action's own words under the runner's), that a row's place is made
repository-relative, and the green builds that print the same words as warnings.

Texts are the tools' real formats with names changed; the rules cite their threads.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.diagnose.joblog import FAILED, assert_finding, run_step

R8_SUMMARY = (
    "ERROR: Missing classes detected while running R8. Please add the missing classes or apply "
    "additional keep rules that are generated in /home/runner/work/shop/shop/app/build/outputs/"
    "mapping/release/missing_rules.txt."
)


@pytest.mark.parametrize(
    ("body", "want", "facts"),
    [
        # R8's first class row names the module; the summary above it and the unprefixed rows
        # below it do not outrank it.
        (
            [
                "> Task :app:minifyReleaseWithR8 FAILED",
                R8_SUMMARY,
                "ERROR: R8: Missing class proguard.annotation.Keep (referenced from: "
                "com.razorpay.AnalyticsEvent and 8 other contexts)",
                "Missing class proguard.annotation.KeepClassMembers (referenced from: "
                "com.razorpay.AnalyticsEvent and 8 other contexts)",
            ],
            "missing_dependency",
            {"module": "proguard.annotation.Keep"},
        ),
        # The summary alone (the rows cut from a paste) is still the cause, with no module.
        (
            ["> Task :app:minifyReleaseWithR8 FAILED", R8_SUMMARY],
            "missing_dependency",
            {"module": None},
        ),
        # Gradle names the plugin's artifact under the header: the pin is the package.
        (
            [
                "* What went wrong:",
                "Plugin [id: 'com.android.application', version: '8.3.0', apply: false] was not "
                "found in any of the following sources:",
                "",
                "- Gradle Core Plugins (plugin is not in 'org.gradle' namespace)",
                "- Plugin Repositories (could not resolve plugin artifact "
                "'com.android.application:com.android.application.gradle.plugin:8.3.0')",
                "  Searched in the following repositories:",
                "    Google",
            ],
            "dependency_conflict",
            {"package": "com.android.application:com.android.application.gradle.plugin:8.3.0"},
        ),
        # Gradle's JVM line under an included build: the Java the build needs is the version.
        (
            [
                "> Could not resolve all dependencies for configuration ':app:classpath'.",
                "   > Could not resolve project :build-logic.",
                "     Required by:",
                "         project :app",
                "      > Dependency requires at least JVM runtime version 17. This build uses a "
                "Java 11 JVM.",
            ],
            "missing_tool",
            {"version": "17"},
        ),
        # AAPT2's row: the resource file, relative to the checkout, and its line.
        (
            [
                "> Task :app:mergeDebugResources FAILED",
                "/home/runner/work/shop/shop/app/src/main/res/values-fr/strings.xml:149:5-84: "
                "AAPT: error: unescaped apostrophe in string",
                "",
                "/home/runner/work/shop/shop/app/src/main/res/values-fr/strings.xml:151:5-95: "
                "AAPT: error: unescaped apostrophe in string",
            ],
            "syntax_error",
            {"file": "app/src/main/res/values-fr/strings.xml", "line": "149"},
        ),
        # AGP 7's parser error names the file and puts the line in [row,col].
        (
            [
                "Execution failed for task ':app:mergeReleaseResources'.",
                "> A failure occurred while executing "
                "com.android.build.gradle.internal.res.ResourceCompilerRunnable",
                "   > Resource compilation failed (Failed to compile resource file: "
                "/home/runner/work/shop/shop/app/src/main/res/layout/detail.xml: . Cause: "
                "javax.xml.stream.XMLStreamException: ParseError at [row,col]:[126,35]",
            ],
            "syntax_error",
            {"file": "app/src/main/res/layout/detail.xml", "line": "126"},
        ),
    ],
)
def test_android_rows(tmp_path: Path, body: list[str], want: str, facts: dict[str, str]) -> None:
    lines = run_step("./gradlew assembleRelease", *body, "BUILD FAILED in 41s", FAILED)
    assert_finding(tmp_path, lines, want, facts)


def test_signing_action_build_tools_missing(tmp_path: Path) -> None:
    """The runner's "Unable to locate executable file" row names the tool the action wanted."""
    lines = [
        "##[group]Run r0adkll/sign-android-release@v1",
        "with:",
        "  releaseDirectory: app/build/outputs/apk/release",
        "##[endgroup]",
        "##[error]Couldnt find the Android build tools @ /usr/local/lib/android/sdk/build-tools/29.0.3",
        "##[error]Unable to locate executable file: /usr/local/lib/android/sdk/build-tools/29.0.3/"
        "zipalign. Please verify either the file path exists or the file can be found within a "
        "directory specified by the PATH environment variable.",
    ]
    assert_finding(tmp_path, lines, "missing_tool", {"command": "zipalign"})


@pytest.mark.parametrize(
    "body",
    [
        # R8 with failOnMissingClasses off: the same words as warnings, the build goes on.
        [
            "WARNING:Missing classes detected while running R8. Please add the missing classes or "
            "apply additional keep rules that are generated in /home/runner/work/shop/shop/app/"
            "build/outputs/mapping/release/missing_rules.txt.",
            "WARNING:R8: Missing class io.sentry.android.timber.SentryTimberIntegration "
            "(referenced from: void io.sentry.android.core.AndroidOptionsInitializer.install())",
        ],
        # AGP without an NDK packages native libraries unstripped.
        [
            "Unable to strip library '/home/runner/work/shop/shop/app/build/intermediates/"
            "merged_native_libs/release/out/lib/arm64-v8a/libfoo.so' due to missing strip tool "
            "for ABI 'arm64-v8a'. Packaging it as is.",
        ],
        # An old AGP reading a newer SDK repository.
        [
            "Warning: Mapping new ns http://schemas.android.com/repository/android/common/02 to "
            "old ns http://schemas.android.com/repository/android/common/01",
        ],
        # Flutter's NDK advice is a warning in a build that goes on.
        [
            "Your project is configured with Android NDK 23.1.7779620, but the following "
            "plugin(s) depend on a different Android NDK version:",
            "- path_provider_android requires Android NDK 25.1.8937393",
            "Fix this issue by using the highest Android NDK version (they are backward "
            "compatible).",
        ],
    ],
)
def test_green_android_builds(tmp_path: Path, body: list[str]) -> None:
    lines = run_step("./gradlew assembleRelease", *body, "BUILD SUCCESSFUL in 2m 3s")
    assert_finding(tmp_path, lines, None, {})


def test_emulator_without_acceleration_outranks_boot_timeout(tmp_path: Path) -> None:
    """Without KVM the runner's boot wait times out too: the emulator's own refusal is the cause."""
    lines = [
        "##[group]Run reactivecircus/android-emulator-runner@v2",
        "##[endgroup]",
        "emulator: ERROR: x86_64 emulation currently requires hardware acceleration!",
        "CPU acceleration status: /dev/kvm is not found: VT disabled in BIOS or KVM kernel module "
        "not loaded",
        "error: no devices/emulators found",
        "##[error]Timeout waiting for emulator to boot.",
    ]
    assert_finding(tmp_path, lines, "runner_failure", {})
