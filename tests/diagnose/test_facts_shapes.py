"""The shared fact extractors: every location shape tools print, paths made repository-relative,
the first error of a run, the first failed test, and the bait that must not give a location.

Lines are written as the engine hands them to `enrich` (timestamps removed); texts are real tools'
formats with names changed, the source noted where the shape is not obvious.
"""

from __future__ import annotations

import pytest

from smartmon.diagnose.facts import enrich, first_test, project_dir, repo_path


def _facts(
    issue_type: str,
    text: str,
    before: tuple[str, ...] = (),
    after: tuple[str, ...] = (),
    data: dict[str, str] | None = None,
) -> dict[str, str]:
    return enrich(issue_type, dict(data or {}), text, before, "Run make", after)


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("/home/runner/work/app/app/src/main.py", "src/main.py"),
        ("/__w/app/app/src/main.py", "src/main.py"),
        ("/Users/runner/work/app/app/src/main.py", "src/main.py"),
        ("D:\\a\\app\\app\\src\\Program.cs", "src/Program.cs"),
        ("/github/workspace/src/main.py", "src/main.py"),
        ("./src/main.py", "src/main.py"),
        # self-hosted runners keep their work folder wherever they were installed
        ("/opt/actions-runner/_work/app/app/src/main.py", "src/main.py"),
        ("/home/ubuntu/actions-runner/_work/app/app/lib/a.rb", "lib/a.rb"),
        # Docker builds and container jobs: the usual WORKDIRs
        ("/work/server/java/src/Server.java", "server/java/src/Server.java"),
        ("/app/src/index.ts", "src/index.ts"),
        ("/usr/src/app/lib/a.js", "lib/a.js"),
        # a clone in a home folder (tox in a container, a self-hosted machine)
        ("/root/widget/python/test/test_ops.py", "python/test/test_ops.py"),
        ("/home/jdoe/widget/src/a.py", "src/a.py"),
    ],
)
def test_repo_path_strips_checkouts(raw: str, want: str) -> None:
    assert repo_path(raw) == want


@pytest.mark.parametrize(
    "raw",
    [
        "/opt/hostedtoolcache/Python/3.12.7/x64/lib/python3.12/site-packages/numpy/__init__.py",
        "/home/runner/work/_actions/reviewdog/action-eslint/v1/script.sh",
        "/root/go/pkg/mod/github.com/acme/lib@v1.2.0/x.go",
        "/root/.cargo/registry/src/index.crates.io-6f17d22bba15001f/serde-1.0.0/src/lib.rs",
        "/home/runner/.npm/_logs/2025-03-18T14_21_40_118Z-debug-0.log",
        "/tmp/build/x.c",
        "/home/runner/work/app/app/node_modules/acme/index.js",
    ],
)
def test_repo_path_rejects_files_outside_the_checkout(raw: str) -> None:
    assert repo_path(raw) is None


def test_relative_paths_are_taken_from_the_project_folder() -> None:
    assert repo_path("src/app.ts", "web") == "web/src/app.ts"
    assert repo_path("/home/runner/work/app/app/web/src/app.ts", "web") == "web/src/app.ts"
    assert repo_path("web/src/app.ts", "web") == "web/src/app.ts"


@pytest.mark.parametrize(
    ("before", "want"),
    [
        # npm ≤ 6 names the folder of the script it runs (Seneca-CDOT/telescope #2465)
        (("> @acme/web@2.3.0 build /home/runner/work/app/app/web",), "web"),
        (("> @acme/web@2.3.0 build /home/runner/work/app/app",), ""),
        # frontend-maven-plugin (microcks/microcks #501)
        (
            (
                "[INFO] Running 'npm run build' in /home/runner/work/app/app/webapp/src/main/frontend",
            ),
            "webapp/src/main/frontend",
        ),
        (("make[1]: Entering directory '/home/runner/work/app/app/native'",), "native"),
        (
            (
                "make[1]: Entering directory '/home/runner/work/app/app/native'",
                "make[1]: Leaving directory '/home/runner/work/app/app/native'",
            ),
            "",
        ),
        (("rootdir: /home/runner/work/app/app/python",), "python"),
        (("Run cd frontend && npm run lint",), "frontend"),
        # a folder outside the checkout says nothing about the repository's layout
        (("> acme@1.0.0 build /tmp/acme",), ""),
    ],
)
def test_project_dir(before: tuple[str, ...], want: str) -> None:
    assert project_dir(before) == want


@pytest.mark.parametrize(
    ("issue_type", "text", "before", "after", "want"),
    [
        # a problem matcher's ##[error] over a go test's indented t.Errorf row (mvdan/sh #513)
        (
            "test_failure",
            "    --- FAIL: TestRunnerTerminalExec/Pseudo (0.14s)",
            (),
            ("##[error]        terminal_test.go:129: signal: hangup", "FAIL"),
            {"file": "terminal_test.go", "line": "129"},
        ),
        # gcc / clang
        (
            "syntax_error",
            "src/parse.c:42:7: error: expected ';' before '}' token",
            (),
            (),
            {"file": "src/parse.c", "line": "42"},
        ),
        # go vet behind its prefix
        (
            "lint_failure",
            "vet: ./cmd/server/main.go:31:2: fmt.Printf format %d has arg name of wrong type string",
            (),
            (),
            {"file": "cmd/server/main.go", "line": "31"},
        ),
        # MSBuild on Windows
        (
            "syntax_error",
            "D:\\a\\app\\app\\src\\Program.cs(12,5): error CS1002: ; expected [D:\\a\\app\\app\\src\\App.csproj]",
            (),
            (),
            {"file": "src/Program.cs", "line": "12"},
        ),
        # rustc / cargo: the location below the message
        (
            "syntax_error",
            "error: expected one of `,`, `:`, or `}`, found `{`",
            (),
            ("  --> src/config.rs:14:9",),
            {"file": "src/config.rs", "line": "14"},
        ),
        # ts-loader (Mapepire-IBMi/mapepire-js #77): the location on the line above the code
        (
            "lint_failure",
            "      TS2339: Property 'reason' does not exist on type 'Error'.",
            (
                "ERROR in /home/runner/work/app-js/app-js/src/tls.ts",
                "./src/tls.ts 28:14-20",
                "[tsl] ERROR in /home/runner/work/app-js/app-js/src/tls.ts(28,15)",
            ),
            (),
            {"file": "src/tls.ts", "line": "28"},
        ),
        # fork-ts-checker-webpack-plugin
        (
            "lint_failure",
            "TS2322: Type 'string' is not assignable to type 'number'.",
            ("ERROR in src/components/List.tsx:40:11",),
            (),
            {"file": "src/components/List.tsx", "line": "40"},
        ),
        # create-react-app's TypeScript formatter
        (
            "lint_failure",
            "Cannot find name 'thing'.  TS2304",
            ("TypeScript error in /home/runner/work/web/web/src/App.tsx(24,1):",),
            (),
            {"file": "src/App.tsx", "line": "24"},
        ),
        # eslint stylish: the file alone on a line, then the rows
        (
            "lint_failure",
            "  12:5  error  'x' is assigned a value but never used  no-unused-vars",
            ("/home/runner/work/web/web/src/a.js",),
            (),
            {"file": "src/a.js", "line": "12"},
        ),
        # ... as copied from the run page, each line behind "Error: "
        (
            "lint_failure",
            "Error:   12:5  error  'x' is assigned a value but never used  no-unused-vars",
            ("Error: /home/runner/work/web/web/src/a.js",),
            (),
            {"file": "src/a.js", "line": "12"},
        ),
        # create-react-app with CI=true, CRA 3 (no column) and 4 (column)
        (
            "lint_failure",
            "Treating warnings as errors because process.env.CI = true.",
            (),
            (
                "Failed to compile.",
                "",
                "src/App.js",
                "  Line 36:  'x' is defined but never used  no-unused-vars",
            ),
            {"file": "src/App.js", "line": "36"},
        ),
        (
            "lint_failure",
            "Treating warnings as errors because process.env.CI = true.",
            (),
            (
                "Failed to compile.",
                "",
                "./src/App.js",
                "  Line 36:22:  'x' is defined but never used  no-unused-vars",
            ),
            {"file": "src/App.js", "line": "36"},
        ),
        # the run page's annotation header
        (
            "lint_failure",
            "Check failure on line 45 in src/app/models.py",
            (),
            (),
            {"file": "src/app/models.py", "line": "45"},
        ),
        # BuildKit: "Dockerfile:17" above the parse error (aquasecurity/starboard PR #1412)
        (
            "syntax_error",
            "ERROR: failed to solve: dockerfile parse error on line 17: unknown instruction: x",
            ("Dockerfile:17", "--------------------", "  17 | >>> x", "--------------------"),
            (),
            {"file": "Dockerfile", "line": "17"},
        ),
        # a shell error in a make recipe: make names the recipe line after it (scylladb/gocql #542)
        (
            "syntax_error",
            '/bin/sh: 9: Syntax error: end of file unexpected (expecting "}")',
            (),
            ("make: *** [Makefile:15: bench] Error 2",),
            {"file": "Makefile", "line": "15"},
        ),
        # pytest collecting a module with a syntax error, tox in a container (NervanaSystems/ngraph PR #2843)
        (
            "syntax_error",
            "E   SyntaxError: invalid syntax",
            (
                ".tox/py3/lib/python3.5/site-packages/_pytest/python.py:511: in _importtestmodule",
                "    mod = self.fspath.pyimport(ensuresyspath=importmode)",
                'E     File "/root/widget/python/test/test_ops.py", line 643',
                "E       function = Function([Constant(x, Shape([3, 3]))]),",
                "E                                                       ^",
            ),
            (),
            {"file": "python/test/test_ops.py", "line": "643"},
        ),
        # the innermost frame inside the repository, not the library's
        (
            "test_failure",
            "E   AssertionError: assert 2 == 3",
            (
                'File "/home/runner/work/app/app/tests/test_calc.py", line 7, in test_add',
                'File "/home/runner/work/app/app/.venv/lib/python3.12/site-packages/calc/core.py", line 40, in add',
            ),
            (),
            {"file": "tests/test_calc.py", "line": "7"},
        ),
        # tsc run by a frontend build in a project folder (microcks/microcks #501)
        (
            "lint_failure",
            "[ERROR] ERROR in src/app/pages/api.page.ts(114,40): error TS2339: Property 'name' does not exist on type 'unknown'.",
            ("[INFO] Running 'npm run build' in /home/runner/work/app/app/webapp/frontend",),
            (),
            {"file": "webapp/frontend/src/app/pages/api.page.ts", "line": "114"},
        ),
        # javac in a Docker build whose WORKDIR is /work (stripe-archive/accept-a-card-payment PR #47)
        (
            "syntax_error",
            "[ERROR] /work/server/java/src/main/java/com/acme/Server.java:[81,40] error: ';' expected",
            (),
            (),
            {"file": "server/java/src/main/java/com/acme/Server.java", "line": "81"},
        ),
        # PyYAML's context mark, then its problem mark: the problem's line, as yamllint reports it
        (
            "yaml_syntax_error",
            "yaml.parser.ParserError: while parsing a block mapping",
            (),
            (
                '  in "config/app.yml", line 4, column 5',
                "expected <block end>, but found '-'",
                '  in "config/app.yml", line 9, column 5',
            ),
            {"file": "config/app.yml", "line": "9"},
        ),
        # check-yaml's errors in two files: each file's own mark, the first file's first
        (
            "yaml_syntax_error",
            "while parsing a flow node",
            (),
            (
                "did not find expected node content",
                '  in "chart/templates/pvc.yaml", line 1, column 3',
                "while parsing a flow node",
                "did not find expected node content",
                '  in "chart/templates/statefulset.yaml", line 6, column 5',
            ),
            {"file": "chart/templates/pvc.yaml", "line": "1"},
        ),
    ],
)
def test_location_shapes(
    issue_type: str,
    text: str,
    before: tuple[str, ...],
    after: tuple[str, ...],
    want: dict[str, str],
) -> None:
    got = _facts(issue_type, text, before, after)
    assert {k: got.get(k) for k in want} == want


def test_a_rule_captured_path_is_taken_from_the_project_folder() -> None:
    got = _facts(
        "lint_failure",
        "src/app/x.ts(3,1): error TS2304: Cannot find name 'y'.",
        ("> web@1.0.0 build /home/runner/work/app/app/web",),
        data={"file": "src/app/x.ts", "line": "3"},
    )
    assert got["file"] == "web/src/app/x.ts"


def test_workflow_page_anchor_gives_way_to_the_runner_line() -> None:
    # "Invalid workflow file: x#L1" anchors the top; the next line has the place
    # (GitHubSecurityLab/seclab-taskflow-agent PR #151).
    got = _facts(
        "yaml_syntax_error",
        "Invalid workflow file: .github/workflows/smoke.yaml#L1",
        after=("(Line: 33, Col: 13): Unexpected symbol: '\"true\"'. Located at position 41",),
        data={"file": ".github/workflows/smoke.yaml", "line": "1"},
    )
    assert (got["file"], got["line"]) == (".github/workflows/smoke.yaml", "33")


def test_a_strategy_error_without_a_file_keeps_its_line() -> None:
    # 2021 runners printed the place without the file (GatoGraphQL/GatoGraphQL PR #317).
    got = _facts(
        "yaml_syntax_error",
        "Error when evaluating 'strategy' for job 'split'. (Line: 66, Col: 26): Matrix vector "
        "'package' does not contain any values",
    )
    assert got.get("line") == "66"
    assert "file" not in got


def test_a_real_first_line_anchor_is_kept() -> None:
    got = _facts(
        "yaml_syntax_error",
        "Invalid workflow file: .github/workflows/ci.yml#L1",
        after=(
            "The workflow is not valid. .github/workflows/ci.yml: mapping values are not allowed",
        ),
        data={"file": ".github/workflows/ci.yml", "line": "1"},
    )
    assert got["line"] == "1"


def test_prettier_check_names_the_first_file() -> None:
    # prettier --check lists each file behind "[warn]" and then its tally (Seneca-CDOT/telescope #2465).
    got = _facts(
        "lint_failure",
        "[warn] Code style issues found in 2 files. Forgot to run Prettier?",
        ("Checking formatting...", "[warn] src/api/server.js", "[warn] src/api/routes.js"),
        data={"tool": "prettier"},
    )
    assert got["file"] == "src/api/server.js"
    assert "line" not in got


def test_first_error_of_a_run_wins() -> None:
    got = _facts(
        "lint_failure",
        "Found 3 errors in 2 files (checked 40 source files)",
        (
            "src/app/a.py:3: error: Incompatible return value type  [return-value]",
            "src/app/b.py:9: error: Name 'x' is not defined  [name-defined]",
            "src/app/b.py:12: error: Missing return statement  [return]",
        ),
    )
    assert (got["file"], got["line"]) == ("src/app/a.py", "3")


@pytest.mark.parametrize(
    ("issue_type", "text", "before", "after"),
    [
        # a shell error outside make: no recipe line to take
        (
            "syntax_error",
            '/bin/sh: 1: Syntax error: "(" unexpected',
            (),
            ("Error: Process completed with exit code 2.",),
        ),
        # make's recipe line after a failed test run is not the test's location
        (
            "test_failure",
            "FAIL: test_add (tests.test_calc.CalcTest)",
            (),
            ("make: *** [Makefile:23: test] Error 1",),
        ),
        # a location in a library's file
        (
            "syntax_error",
            "/opt/hostedtoolcache/Python/3.12.7/x64/lib/python3.12/site-packages/acme/x.py:3:1: error: bad",
            (),
            (),
        ),
        # words before a colon are not files
        ("lint_failure", "Error:12: something went wrong", (), ()),
    ],
)
def test_no_location_from_bait(
    issue_type: str, text: str, before: tuple[str, ...], after: tuple[str, ...]
) -> None:
    assert "file" not in _facts(issue_type, text, before, after)


def test_pytest_summary_names_the_first_failed_test() -> None:
    # spdx/tools-python #844: the rule keeps the last FAILED line; the first is the one to read.
    before = (
        "=========================== short test summary info ============================",
        "FAILED tests/model/test_sub.py::test_init[CvssV2]",
        "FAILED tests/model/test_sub.py::test_init[CvssV3]",
    )
    text = "FAILED tests/model/test_sub.py::test_init[Vuln] - AssertionError"
    assert first_test("tests/model/test_sub.py::test_init[Vuln]", text, before) == (
        "tests/model/test_sub.py::test_init[CvssV2]"
    )


def test_jest_names_the_first_failed_test_of_the_suite() -> None:
    # JeanPaiva42/jest-an-issue #47: "FAIL file" then one "●" block per failed test.
    after = (
        "  ● example tests › test that always fails",
        "",
        "    expect(received).toBe(expected) // Object.is equality",
        "  ● example tests › test that always fails too",
    )
    got = _facts(
        "test_failure",
        "FAIL tests/example.test.js",
        after=after,
        data={"file": "tests/example.test.js"},
    )
    assert got["test"] == "example tests › test that always fails"
    before = ("FAIL tests/example.test.js", "  ● suite › first", "    expect(x).toBe(y)")
    assert first_test("suite › second", "  ● suite › second", before) == "suite › first"


def test_jest_suite_that_failed_to_run_is_not_a_test() -> None:
    after = (
        "  ● Test suite failed to run",
        "",
        "    Cannot find module './x' from 'src/a.test.js'",
    )
    got = _facts("test_failure", "FAIL src/a.test.js", after=after, data={"file": "src/a.test.js"})
    assert "test" not in got


def test_babel_puts_the_place_last() -> None:
    got = _facts(
        "syntax_error",
        'SyntaxError: /home/runner/work/web/web/src/App.js: Unexpected token, expected "," (3:5)',
    )
    assert (got["file"], got["line"]) == ("src/App.js", "3")


def test_pip_requirement_after_the_requires_python_line() -> None:
    # pip prints why it had no candidate, then the requirement (JackMcKew/pyinstaller-action-windows #31).
    text = "ERROR: Ignored the following versions that require a different python version: 1.22.0 Requires-Python >=3.8"
    after = (
        "ERROR: Could not find a version that satisfies the requirement numpy==1.22.4 (from versions: 1.3.0)",
        "ERROR: No matching distribution found for numpy==1.22.4",
    )
    assert _facts("dependency_conflict", text, after=after)["package"] == "numpy==1.22.4"
    after = (
        "ERROR: Could not find a version that satisfies the requirement skia-python (from versions: none)",
    )
    assert _facts("dependency_conflict", text, after=after)["package"] == "skia-python"


@pytest.mark.parametrize(
    ("text", "before", "step", "want"),
    [
        (
            "  12:5  error  'x' is assigned a value but never used  no-unused-vars",
            (),
            "Run make",
            "eslint",
        ),
        (
            "  58:7  warning  Unexpected any  @typescript-eslint/no-explicit-any",
            (),
            "Run make",
            "eslint",
        ),
        (
            "  3:1       error    wrong indentation: expected 2 but found 4  (indentation)",
            (),
            "Run make",
            "yamllint",
        ),
        ("  3:1  ✖  Unexpected empty block  block-no-empty", (), "Run make", "stylelint"),
        ("Found 3 errors.", (), "Run ruff check .", "ruff"),
        (
            "lint failed",
            ("> web@1.0.0 lint", "> eslint src --max-warnings 0"),
            "Run npm run lint",
            "eslint",
        ),
        # two linters named: no guess
        ("lint failed", (), "Run black --check . && flake8", None),
        # a linter's name inside a word or a path is not the command
        ("lint failed", (), "Run ./scripts/check-eslintrc.sh", None),
        # an action named for the linter it runs (gimenete/eslint-action #4)
        ("1 error(s), 0 warning(s) found", (), "Run gimenete/eslint-action@1.0", "eslint"),
        ("lint failed", (), "Run reviewdog/action-eslint@v1", "eslint"),
        ("lint failed", (), "Run golangci/golangci-lint-action@v6", "golangci-lint"),
        ("lint failed", (), "Run wearerequired/lint-action@v2", None),
    ],
)
def test_lint_tool(text: str, before: tuple[str, ...], step: str, want: str | None) -> None:
    got = enrich("lint_failure", {}, text, before, step, ())
    assert got.get("tool") == want


def test_rustc_location_is_the_arrow_below_not_the_warning_above() -> None:
    before = (
        "warning: unused variable: `x`",
        " --> src/a.rs:2:9",
        "  |",
        "2 |     let x = 1;",
    )
    after = (" --> src/b.rs:5:3", "  |")
    got = _facts("syntax_error", "error[E0425]: cannot find value `y` in this scope", before, after)
    assert (got["file"], got["line"]) == ("src/b.rs", "5")


def test_workflow_anchor_then_the_runner_message_with_the_path() -> None:
    got = _facts(
        "yaml_syntax_error",
        "Invalid workflow file: .github/workflows/ci.yml#L1",
        after=(
            "The workflow is not valid. .github/workflows/ci.yml (Line: 12, Col: 5): Unexpected value 'x'",
        ),
        data={"file": ".github/workflows/ci.yml", "line": "1"},
    )
    assert got["line"] == "12"


def test_webpack_module_span() -> None:
    # webpack 5: "ERROR in ./src/index.js 12:5" then the loader's message.
    got = _facts(
        "syntax_error",
        "SyntaxError: Unexpected token (12:5)",
        ("ERROR in ./src/index.js 12:5", "Module parse failed: Unexpected token (12:5)"),
    )
    assert (got["file"], got["line"]) == ("src/index.js", "12")


def test_first_error_of_a_run_past_source_excerpts() -> None:
    # ruff ≥ 0.12's full output: message, arrow, then a code frame, per error; the tally last.
    before = (
        "F401 [*] `os` imported but unused",
        " --> src/app.py:1:8",
        "  |",
        "1 | import os",
        "  |        ^^",
        "",
        "E501 Line too long (120 > 88)",
        " --> src/b.py:3:89",
        "  |",
        "3 | x = 1",
        "  |",
        "",
    )
    got = _facts("lint_failure", "Found 2 errors.", before, data={"tool": "ruff"})
    assert (got["file"], got["line"]) == ("src/app.py", "1")


@pytest.mark.parametrize(
    ("text", "data", "before", "want"),
    [
        (
            "PHP Parse error:  syntax error, unexpected '}' in /home/runner/work/app/app/src/a.php on line 12",
            {},
            (),
            ("src/a.php", "12"),
        ),
        ('syntax error at lib/Acme/Util.pm line 12, near "}"', {}, (), ("lib/Acme/Util.pm", "12")),
        (
            "./scripts/build.sh: line 3: syntax error near unexpected token `)'",
            {"line": "3"},
            (),
            ("scripts/build.sh", "3"),
        ),
        (
            "CMake Error at CMakeLists.txt:12 (find_package):",
            {},
            (),
            ("CMakeLists.txt", "12"),
        ),
        # no "Dockerfile:N" excerpt (a plain progress output): the build definition names the file
        (
            "ERROR: failed to solve: dockerfile parse error on line 4: unknown instruction: RUNN",
            {"line": "4"},
            ("#1 [internal] load build definition from docker/Dockerfile.ci", "#1 DONE 0.0s"),
            ("docker/Dockerfile.ci", "4"),
        ),
    ],
)
def test_interpreter_shapes(
    text: str, data: dict[str, str], before: tuple[str, ...], want: tuple[str, str]
) -> None:
    got = _facts("syntax_error", text, before, data=data)
    assert (got.get("file"), got.get("line")) == want


def test_the_runners_temp_script_is_not_a_file() -> None:
    text = "/home/runner/work/_temp/1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b.sh: line 7: syntax error near unexpected token `fi'"
    assert "file" not in _facts("syntax_error", text, data={"line": "7"})


def test_wrapped_called_workflow_permission_takes_the_callers_place_above() -> None:
    # The message wrapped before "is requesting"; its head names the caller (microsoft/hve-core #2423).
    got = _facts(
        "permission_error",
        "is requesting 'artifact-metadata: write, attestations: write, contents: write,",
        (
            ".github/workflows/release-stable.yml (Line: 536, Col: 3): Error calling workflow",
            "'acme/kit/.github/workflows/vex-attest.yml@<sha>'. The nested job 'attest'",
        ),
        data={"scope": "artifact-metadata", "access": "write"},
    )
    assert (got["file"], got["line"]) == (".github/workflows/release-stable.yml", "536")


def test_wrapped_called_workflow_permission_takes_the_page_anchor() -> None:
    # Only the page's head has the place (microsoft/edge-ai #596); its "#L1" would not be one.
    before = (
        "Invalid workflow file: .github/workflows/main.yml#L32",
        "The workflow is not valid. .github/workflows/main.yml ... Error calling workflow",
        "'acme/kit/.github/workflows/pages-deploy.yml ...'. The nested job 'test'",
    )
    text = "is requesting 'contents: read', but is only allowed 'contents: none'."
    got = _facts("permission_error", text, before, data={"scope": "contents", "access": "read"})
    assert (got["file"], got["line"]) == (".github/workflows/main.yml", "32")
    first = ("Invalid workflow file: .github/workflows/main.yml#L1", *before[1:])
    assert "file" not in _facts("permission_error", text, first, data={"scope": "contents"})


def test_a_refused_api_call_takes_no_workflow_place() -> None:
    got = _facts(
        "permission_error",
        "Error: Resource not accessible by integration",
        ("Invalid workflow file: .github/workflows/main.yml#L32",),
    )
    assert "file" not in got
