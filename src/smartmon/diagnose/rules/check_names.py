"""The names a rule's `checks:` may list, each with what the engine then reads around its hit.

The code that does each check names it (diagnose/verdict.py, benign.py, settle.py and their
siblings); `entries` refuses a rule that lists a name not here.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

# What a rule's `checks:` may ask of the engine after its line matched (diagnose/verdict.py and
# diagnose/benign.py, context_above.py and their siblings read the lines around the hit for them):
CHECKS: Mapping[str, str] = MappingProxyType(
    {
        # verdict: pip's "(from versions: none)" for a name everyone installs means no build for
        # this Python or platform, a dependency_conflict, not a missing or misspelt package.
        "known-name-is-a-conflict": "a well-known distribution is a dependency_conflict",
        # verdict: conda lists the specs its channels lack below its error line.
        "conda-list-below": "the package (or its pin) comes from conda's list below the line",
        # verdict: pre-commit's hook line; the lines below say which linter ran and what changed.
        "pre-commit-hook": "the linter and file come from the hook's output below",
        # verdict: a CLI's "not logged in" with its token set (masked) in the step's env block.
        "token-set-means-refused": "an auth_error when the step's env block shows the token set",
        # verdict: pydantic-settings names each missing field on its own line below its header; a
        # database image lists the variables it accepts, one per bullet.
        "settings-fields-below": "the variable comes from the field names below the line",
        # benign: a scanner's tally is a report unless the runner's failure line follows it.
        "reported-tally": "no failure when the next step starts without the runner's error",
        # benign: `npm view`'s E404 for a version not published yet, a release script's probe.
        "npm-view-probe": "no failure when `npm view` printed it (a probe, not an install)",
        # benign: a set-up action's first install method (apt) that it then fell back from.
        "method-fallback": "no failure when the set-up action then tried its next install method",
        # benign: scorecard-action's warning that it gave up posting its results and went on.
        "posted-fail-open": "no failure when the action then warned that it gave up and went on",
        "verify-manually-below": "no failure when the action then left the lookup to verify by hand",
        # benign: yarn 1's and npm 6's notes that an optional dependency's failed build is skipped.
        "optional-build-skipped": "no failure when the package manager then skipped the optional "
        "dependency whose build it was",
        # benign: webpack's "Module not found" under a "Compiled with warnings" header.
        "bundler-warning": "no failure under a bundler's warnings header",
        # benign: a library's error line in a JVM build that then says BUILD SUCCESS(FUL).
        "build-went-on": "no failure when the build it was printed in ended green",
        # benign: Julia's error raised in an installed package's own source (its first frame).
        "julia-frame-in-package": "no finding unless the stack's first frame is a package's",
        # retries: a database or cache refused the client, then answered before any failure.
        "service-came-up": "no failure when the service answered after it",
        # upstream: pip's summary of a failed build; a cause printed in its output outranks it.
        "build-summary": "a cause printed in the build's output above it wins",
        # upstream: pip's box over a failed build hook ("× … did not run successfully."), yarn 1's
        # "error …/node_modules/x: Command failed." over its "Output:"; the output follows it, and
        # a cause printed there outranks it.
        "build-box": "a cause printed in the build's output below it wins",
        # upstream: a summary over what it could not fetch (sbt's ResolveException over "download
        # error: Caught java.net.SocketTimeoutException …", golangci-lint's "context loading failed:
        # …" quoting go's "dial tcp …: i/o timeout"): a download that failed there is the cause.
        "causes-below": "a network failure on its line or among the rows below it is the cause",
        # upstream: a compiler, build helper or system package not found: what it would have
        # built or installed is missing later (a tool, a module), and it is the cause.
        "leaves-uninstalled": "a tool or module missing later is what this install left behind",
        # upstream: a package manager that falls back to another source after this failure; a
        # refusal of that fallback (a private repository's clone) below it is its consequence.
        "source-fallback": "an auth_error in the fallback just below it in its step is its consequence",
        # upstream: a secret the step's env block left empty, named after the tool then refused.
        "empty-secret": "the missing variable, when the same step's tool is then refused",
        # benign: remark's warning rows fail the run only under --frail.
        "frail-above": "no failure unless the step's command above it runs with --frail",
        # benign: a tally that counts infos and warnings too (flutter analyze's "N issues found.").
        "failure-follows": "a failure only when the runner's error line follows it in its step",
        # build_went_on: Ivy's FAILED DOWNLOADS block that sbt's updateClassifiers goes past.
        "fails-unless-went-on": "no failure when a success line or the next step follows it first",
        # benign: a tool that logs an error and goes on (codecov-cli's "error - …").
        "logged-not-raised": "no failure when the job goes on without the runner's error",
        # benign: Python's exception line, a cause only where it closes a traceback whose step
        # did not go on (a program that logs a handled exception prints the same lines).
        "traceback-end": "a failure only as the last line of a traceback that ended its step",
        # benign: a bare `AssertionError` under a frame inside an installed package is the tool's
        # own assert (cibuildwheel's, nbclient's), not a test's.
        "tool-assertion": "no test failure when the assert that failed is in an installed package",
        # benign: pytest's INTERNALERROR is a plugin's crash only where the traceback's last frame
        # is an installed pytest plugin's own code, not a hook wrapper it passed through.
        "plugin-frame-above": "a cause only where an installed pytest plugin's own frame raised it",
        # js_stacks: Node 12-14 only warn on an unhandled rejection and an action exits 0, unless the
        # rejection came out of @actions/core's setFailed, which set the exit code first.
        "set-failed-below": "a failure only when the frames below it pass through setFailed",
        # benign: git's "not a git repository" has many causes; actions/checkout's notice that it
        # downloaded the files through the REST API (no Git 2.18 on the PATH) names this one.
        "checkout-without-git-above": "a cause only under checkout's REST API fallback notice",
        # benign: getopts' "Unrecognized option" is libtest's only under cargo's "Running …" line for
        # the harness binary; rustc and rustdoc print it too, for a flag their version lacks.
        "harness-run-above": "a cause only under cargo's line that runs a test or bench binary",
        # compile_summaries: cargo's "could not compile" counts whatever rustc's errors were.
        "rustc-error-above": "a compile error only under rustc's own error lines in its step",
        "vagrant-download-above": "a cause only under Vagrant's failed download of a box",
        # context_above: .NET under QEMU crashes in MSBuild's reflection stub, its top frame.
        "stub-top-frame": "a cause only as the first frame under MSBuild's NullReferenceException",
        # registry_sources: rustc's E0463 inside a crate cargo downloaded names that crate's own
        # dependency, which cargo resolved from its manifest.
        "registry-source-below": "a cause only where rustc located it in cargo's downloaded sources",
        # package_requires: Node's relative require that failed in a file under node_modules/.
        "package-file-below": "a cause only where the file that required it is an installed package's",
        # npm_publish: a 404 after npm's "Publishing to" notice answers the upload, not an install.
        "publish-notice-above": "a cause only under npm's notice that it is publishing",
        # js_stacks: Jest's unexpected token is an import problem only for a dependency or an asset.
        "dependency-source-below": "no import problem when Jest's details name the project's file",
        "reporter-sentence-above": "a cause only under jest's sentence for a reporter it lacks",
        "gradle-script-tree-above": "a cause only under Gradle's failure head or a plugin's apply",
        "loopback-cause-below": "no network failure when its cause below is this machine's own server",
        # loopback_statuses: a 5xx a server on this machine answered is that server's.
        "status-not-loopback": "no network failure when a server on this machine answered the status",
        # flutter_pub_env: pub's missing Flutter SDK under the dump of a pub that flutter ran.
        "flutter-ran-pub-below": "no missing Flutter when flutter's own pub failure dump follows",
        # benign: the runner's refusal of an action it could not download ("Repository access
        # blocked") is also an API answer an action can print in its own step, for another cause.
        "set-up-only": "a cause only where the runner printed it setting up the job",
        # upstream: a queue that gave up on its runner names no label; the run page's next annotation
        # (a retired image's deprecation sentence) names the one it waited for.
        "label-below": "a retired image's line just under it is the cause",
        # heal: a transient type whose cause a re-run meets again (memory, a quota, billing, a
        # stale package index, a label no runner serves): the job is not re-run for it.
        "same-on-rerun": "heal does not re-run the job: the same machine meets the same failure",
        # verdict: a runner's hint that names no cause of its own ("This job failure may be caused by
        # using an out of date self-hosted runner"): any other rule's line in the job outranks it.
        "hint-only": "a cause only where no other rule's line in the job is one",
        # verdict: go test -fuzz's coordinator reports its own -fuzztime deadline as the target's
        # failure, a bare "context deadline exceeded" under "--- FAIL: FuzzX" (golang/go #75804).
        "fuzz-deadline-below": "a timeout when the fuzz target's only failure is the fuzztime deadline",
        # verdict: a tool's refusal that an outdated action's own command meets (an action that
        # still taps homebrew/core): the action's fact comes from the step; in a script, unknown.
        "action-step-only": "the rule's type only in a step that runs an action (or a composite "
        "action's own step pasted under its header), else unknown",
        # benign: an npm lifecycle script that failed is a Node version question only where npm
        # warned above that the same package does not support this Node (EBADENGINE).
        "engine-warned-above": "a cause only under npm's engine warning for the same package",
        # benign: knitr's call for the markdown package is pandoc's absence only where knitr fell
        # back to R Markdown v1 for want of pandoc above it; elsewhere a vignette asks for markdown.
        "pandoc-fell-back-above": "a cause only under knitr's fallback to R Markdown v1",
        # context_above: a setup.py's distutils fallback after setuptools failed to import.
        "setuptools-missing-above": "setuptools, when a failed setuptools import is chained above",
        # benign: r-lib/actions/check-r-package shows the testthat output after R CMD check; a
        # tally there under the check's own "Running ‘testthat.R’" / " OK" is no failure.
        "r-check-tests-ok-above": "no failure when R CMD check above it passed the tests",
        # benign: a 404 page's text is a script's failure only where Python ran it (its line 1 above).
        "page-run-as-script": "a cause only where an interpreter ran the 404 page as a script",
        # benign: a refused write a tool prints as a warning and goes on past (npm's log file).
        "not-a-warning": "no cause when the line is the tool's warning",
        # benign: an id-token hint over the token request's own failure (the request was sent, so
        # the permission was granted): the failure below is the cause.
        "id-token-request-not-sent": "no missing id-token when the token request itself failed",
        # benign: a "Failures:" header is a test runner's only over its numbered blocks.
        "numbered-block-below": "a failure only when a numbered block (1) …) follows the header",
        # benign: an RSpec spec that did not load because rails_helper's database refused the
        # connection (the lines below) is the connection rule's, not a test's.
        "connection-cause-below": "no test failure when a refused database connection follows",
        # benign: Clipanion's "Command not found" over a suggestion of the command it was running is
        # its arguments refused (Yarn 4's `yarn add -W`), not a missing command.
        "command-not-suggested": "no cause when the first suggestion below is the command it ran",
        # scan: a restore names each missing package on a row of its own, the rows are peers, and
        # MSBuild repeats them after "Build FAILED.": keep the first row of the last step with one.
        "first-of-listing": "the finding is the first of the rule's rows in the last step with one",
        # upstream: the runner evaluates a later step's expressions after an earlier failure (even a
        # skipped step's env, actions/runner #1722); fromJSON of the output it left empty fails there.
        "cause-above": "another cause printed above it in its job is the cause",
        # verdict: a line that says what stopped, not why (a working directory missing), yields to a
        # hint printed above it that names why (composer's disabled installer plugin).
        "hint-above-is-cause": "a hint-only cause printed above it in its job is the cause",
        # verdict: a set-up action asked for the `latest` release that it cannot fetch is outdated.
        "latest-is-outdated-action": "a deprecated_action when the step's inputs ask for latest",
        # settle: the runner's unhealthy postgres service, created (`docker create`) with no password.
        "postgres-password-unset-above": "a cause only where the postgres service had no password",
        # later_lines: flutter_tools' pin that pub could not list is the SDK's own retry (shared.sh
        # tries `pub upgrade` again) or is followed by the project's own solve failing.
        "pub-retried-below": "no cause when Flutter retried or the project's own solve failed below",
        # later_lines: helm lint prints missing dependencies as a warning and may still pass.
        "lint-passed-below": "no cause when helm lint's tally below says 0 chart(s) failed",
        # later_lines: a Zig compile step's error count also counts a link or system-library error.
        "placeless-error-below": "no compile error when the error below the tree has no place",
        # later_lines: a bare "(errcheck)" ends a git subject or an app's log line just as well.
        "golangci-context": "a lint only beside golangci-lint: its step, a place below, a Check line",
        # later_lines: "cannot import name 'X' from" wrapped before "partially initialized module".
        "circular-wrap-below": "no cause when the wrapped message below is a circular import's",
        # step_context: a refused check run, a probe in a pnpm script that passed, a 403 that was a
        # rate limit, glibc's futex abort with no Electron: told by the lines near it in its step.
        "tests-reported-below": "no cause when the reporter then failed on the tests it reported",
        "lifecycle-done-below": "no cause when pnpm's install script that printed it then passed",
        "rate-limit-body-below": "no cause when the GithubException at or below it names a rate limit",
        "electron-near": "a cause only where a line near it names Electron or VS Code's tests",
        # not_missing: a stray sentence the shell ran yields to a program the job really lacks.
        "missing-tool-wins": "no cause while a real missing program is left in the job",
        # verdict (hint_above): the hints that can explain a missing folder (an installer plugin
        # that never ran did not lay it out); any other hint explains no missing folder.
        "explains-missing-folder": "a hint that can explain a later step's missing folder",
        # link_statuses: markdown-link-check's dead links all 429 or 0 are the hosts refusing now.
        "dead-links-all-refused": "no cause when a dead link's status is other than 429 or 0",
        # exit_next: Swift Testing's passing summary over an exit the XCTest half caused.
        "runner-exit-next": "a failure only when the runner's exit line is the next line printed "
        "and no passing XCTest summary is above it in its step",
        # later_lines: git's HTTP 408, transient on a fetch or clone but not on a push.
        "timeout-not-push": "git's HTTP 408 only where the step was not pushing (no send-pack "
        "below, no `git push` above)",
        # docker_builds: the classic builder's platform parse error, also docker pull's and run's.
        "under-docker-build": "a cause only in a step that shows a docker build (Step N/M rows, the "
        "build context, a `docker build`/`compose build` command or a build action's header)",
        # exit_next: a command's own last line (rm's refusal), where the script may go on past it.
        "exit-or-paste-end": "a failure only when the runner's exit line or docker's failure lines "
        "come next, or nothing is printed after it",
        # exit_next: git's refused push, where only git's own lines may sit before the exit line.
        "git-lines-to-exit": "a failure only when nothing but git's own lines sits between it and "
        "the runner's exit line (or the end of a paste)",
        # cache_paths: a restore that failed on the network, where the next step misses its path.
        "cache-path-missing-below": "a cause only where a failing line below says its path is missing",
        # loopback_refusals: a local database's refusal is the cause only where it ended its step.
        "refusal-ends-step": "a cause only as the step's last error (only its stack and object below "
        "it), never in Jest's console block",
        # notebook_kernels: a kernel that died starting is no cause beside another test's failure.
        "kernel-death-only": "no cause when pytest's summary has a FAILED row that is no kernel death",
        # tap_blocks: a shell's error among TAP comments is a failing test's only under its not ok.
        # failing_test_http: an HTTP 401/403 a failing test raised (pytest's E line or FAILED row, a
        # Jest or Vitest test's block, a loopback URL) is the test's failure, not a credential.
        "test-owns-http-error": "no cause when a failing test raised it (the test rules report it)",
        "failing-test-block-above": "a cause only under a failing test's `not ok N`, no `ok N` between",
        # tap_blocks: busted's TAP handler crash under a named test's failure hides no cause.
        "no-named-tap-failure-above": "no cause under a named test's `not ok N - name` or a "
        "`# Failure message:` row in its step (the test failure wins)",
        # textidote_runs: TeXtidote's exit code is its advice count, unless it runs with --ci.
        "advice-exit-code": "a cause only in the failed step, where TeXtidote ran without --ci",
        # release_downloads: curl's bare 403 is a release-asset CDN's blip only for a public download
        # (curl-release-asset-403-blip); there, it is no refused permission (tool-http-403-forbidden).
        "public-release-download": "a cause only where the step fetched a public GitHub release asset "
        "without a credential",
        "west-boards-format-above": "a cause only where west boards' format call raised it",
        # wrapper_exits: turbo's crash on the way out after its own failed run or task line, and
        # patrol's "… process exited unexpectedly" under its child's own "Error: …" line.
        "turbo-run-failed-above": "no cause for turbo's crash under turbo's own failed run or "
        "task line in its step",
        "child-error-above": "no cause under an `Error: …` line of its step (the child's own error)",
        "release-asset-blip": "no refused permission for curl's bare 403 where the step fetched a "
        "public GitHub release asset without a credential, and no other URL",
        # container_hooks: the hooks' failure line closes every failed step in kubernetes mode.
        "initialize-containers-only": "a runner failure only in the Initialize containers step",
    }
)
