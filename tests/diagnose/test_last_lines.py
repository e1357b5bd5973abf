"""A job that failed where no rule matched is reported by its last meaningful lines: those above a
build tool's closing lines (Gradle's "BUILD FAILED in 14s" and "* Try:" hints, Maven's "[Help 1]"
epilogue, npm's lifecycle epilogue), under the step a paste's last `Run …` line names.

The closing lines are as the tools print them: Gradle 6 (gradle/gradle#9580), Maven 3.8
(apache/maven-gpg-plugin#47), npm 6 (Gravebot/Gravebot#257) and npm 7+'s install-script failure (a node-sass build in this corpus). The failures above them are ours.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose import analyze_paths

GRADLE = """Run ./gradlew publishPlugins
> Task :plugin:publishPlugins FAILED

FAILURE: Build failed with an exception.

* What went wrong:
Execution failed for task ':plugin:publishPlugins'.
> Plugin id 'com.acme.widget' is already claimed by someone else

* Try:
Run with --stacktrace option to get the stack trace. Run with --info or --debug option to get more \
log output. Run with --scan to get full insights.

* Get more help at https://help.gradle.org

BUILD FAILED in 14s
3 actionable tasks: 1 executed, 2 up-to-date
Error: Process completed with exit code 1.
"""
MAVEN = """Run mvn -B verify
[INFO] ------------------------------------------------------------------------
[INFO] BUILD FAILURE
[INFO] ------------------------------------------------------------------------
[INFO] Total time:  41.202 s
[INFO] Finished at: 2024-03-02T10:11:12Z
[INFO] ------------------------------------------------------------------------
[ERROR] Failed to execute goal com.acme:widget-maven-plugin:1.4.0:assemble (default) on project \
widget-core: Widget descriptor has no name -> [Help 1]
[ERROR]
[ERROR] To see the full stack trace of the errors, re-run Maven with the -e switch.
[ERROR] Re-run Maven using the -X switch to enable full debug logging.
[ERROR]
[ERROR] For more information about the errors and possible solutions, please read the following \
articles:
[ERROR] [Help 1] http://cwiki.apache.org/confluence/display/MAVEN/MojoExecutionException
Error: Process completed with exit code 1.
"""
NPM10 = """Run npm ci
npm error code 1
npm error path /home/runner/work/widget/widget/node_modules/widget-native
npm error command failed
npm error command sh -c node install.js
npm error widget-native: prebuilt binary for linux-x64 withdrawn by its publisher
npm error A complete log of this run can be found in: /home/runner/.npm/_logs/2024-03-02T10_11_12_000Z-debug-0.log
Error: Process completed with exit code 1.
"""
NPM6 = """Run npm run build
> widget@1.0.0 build /home/runner/work/widget/widget
> node scripts/build.js

Widget manifest is empty: nothing to build
npm ERR! code ELIFECYCLE
npm ERR! errno 1
npm ERR! widget@1.0.0 build: `node scripts/build.js`
npm ERR! Exit status 1
npm ERR!
npm ERR! Failed at the widget@1.0.0 build script.
npm ERR! This is probably not a problem with npm. There is likely additional logging output above.

npm ERR! A complete log of this run can be found in:
npm ERR!     /home/runner/.npm/_logs/2024-03-02T10_11_12_000Z-debug.log
Error: Process completed with exit code 1.
"""


@pytest.mark.parametrize(
    ("log", "step", "text"),
    [
        (
            GRADLE,
            "Run ./gradlew publishPlugins",
            "> Plugin id 'com.acme.widget' is already claimed",
        ),
        (MAVEN, "Run mvn -B verify", "[ERROR] Failed to execute goal com.acme:widget-maven-plugin"),
        (NPM6, "Run npm run build", "Widget manifest is empty"),
        (NPM10, "Run npm ci", "npm error widget-native: prebuilt binary"),
    ],
    ids=["gradle", "maven", "npm6", "npm10"],
)
def test_the_line_above_a_build_tool_s_epilogue(
    tmp_path: Path, log: str, step: str, text: str
) -> None:
    path = tmp_path / "paste.txt"
    path.write_text(log)
    finding = analyze_paths([path]).findings[0]
    assert (finding.type.value, finding.step) == ("unknown", step)
    # Shown as the finding's line, or (under a build driver's own last word, a rule of its own)
    # in the lines shown above it.
    shown = (finding.text, *finding.context)
    assert any(line.startswith(text) for line in shown), shown


# A script's last output can be a bare number (a `grep -c` count before a failing `test`): it is the
# last meaningful line and is shown (review rev58; a page copy's own line numbers are the price).
def test_a_count_a_script_printed_is_its_last_line(tmp_path: Path) -> None:
    path = tmp_path / "job.txt"
    path.write_text(
        "2024-01-01T00:00:00.0000000Z ##[group]Run n=$(grep -c TODO src/*.py); echo $n; test $n -eq 0\n"
        "2024-01-01T00:00:00.0000000Z ##[endgroup]\n"
        "2024-01-01T00:00:00.0000000Z 17\n"
        "2024-01-01T00:00:00.0000000Z ##[error]Process completed with exit code 1.\n"
    )
    finding = analyze_paths([path]).findings[0]
    assert (finding.type.value, finding.text) == ("unknown", "17")
