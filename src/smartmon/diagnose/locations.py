"""Locations by output format, not by rule: (file, line) from a line in any shape tools print.

Tools print locations in a handful of shapes, whatever the error; one reader per shape serves every
rule, so a new rule gets `file`/`line` for free and a new tool's shape is added once, here:

- `path:line[:col]` (gcc, clang, tsc --pretty false, eslint -f unix, ruff, flake8, mypy, go vet, shellcheck gcc)
  and HCL's one-line diagnostic `path:line,col-col: Summary; detail` (Packer, Terragrunt, Nomad)
- `path(line,col)` (MSBuild, tsc's default); MSBuild names a relative file from the project it
  prints last in brackets (`a/B.cs(3,5): error CS0103: … [/…/src/Lib/Lib.csproj]`)
- `--> path:line:col` (rustc, cargo) and SWC's code frame `,-[path:line:col]` / `╭─[path:line:col]`,
  printed under the message (`arrow_below`)
- `File "path", line N` (Python tracebacks: the innermost frame inside the repository; OCaml's
  `File "x.ml", lines 3-5, characters 2-10:`)
- `Error Trace:\tpath:line` (testify's assertion report in go test output)
- `path (Line: N, Col: M)` (the runner's validation of workflows and action.yml)
- `in "path", line N, column M` (PyYAML); Ansible's `The error appears to be in 'path': line N, column M`
- `on path line N, in resource …` (Terraform's diagnostics, under `Error: …`, often boxed in `│`)
- `template: path:line:col: executing …` (Go's text/template: helm, hugo)
- eslint's stylish format: the file alone on a line, then `  16:7  error  …` lines under it

- `ERROR in path(line,col)` / `ERROR in path:line:col` (webpack's ts-loader, fork-ts-checker), `./path L:C-C`
- `Dockerfile:17`, `Makefile:15:` (build files without an extension), and make's `*** [Makefile:15: x]`
  after a shell error in a recipe
- documentation builds: Psych's `(path): … at line N column M` (Jekyll's config and front matter), Hugo's
  quoted `"path:line:col": message`, Liquid's `Liquid syntax error (line N): … in path`
- Gradle's `Build file 'path' line: N` under "* Where:"; the run page's annotation titles `job: path#L12`
- Sass's stack under its code frame, `  path line:col  root stylesheet`, and libsass's `on line N of path`
  (`trace_below`)

A bracketed folder is part of a path (Next.js dynamic routes: `src/app/[id]/page.tsx:62:9`), and so
is a folder in parentheses (route groups: `app/(auth)/login/page.tsx:12:3`).
Every path is made repository-relative (`repo_paths`); one outside the checkout is no location.
Files named without a line (a formatter's diff, prettier's `[warn] path` rows) are `file_rows`'.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from smartmon.diagnose.repo_paths import beside_build_tree, repo_path

# Build files named without an extension, as tools print them: "Dockerfile:17", "Makefile:15:".
_BARE_NAMES = (
    "Dockerfile|Containerfile|Makefile|GNUmakefile|makefile|Jenkinsfile|Vagrantfile|Gemfile"
    "|Rakefile|Podfile|Fastfile|Brewfile|Justfile|justfile|Earthfile|Tiltfile|Snakefile"
)
_BARE_FILE = re.compile(r"(?:^|/)(?:" + _BARE_NAMES + r")$")
# A path's characters; a bracketed segment (Next.js dynamic routes: `src/app/eval/[id]/page.tsx`) is
# one unit, never `[` alone, which would swallow javac's `path:[l,c]` and ts-loader's `[tsl]` prefix.
# So is a folder in parentheses (Next.js route groups, `app/(group)/layout.tsx`, vercel/next.js
# #47748; `next build` prints "./app/(ee)/settings/layout.tsx:9:11" over its "Type error: …",
# sinaptik-ai/pandas-ai #1455), never `(` alone: MSBuild's and tsc's `path(line,col)`.
FILE_CHARS = r"(?:[\w.@+~\-/\\]|\[\[?[\w.-]+\]\]?(?=/)|\([\w.-]+\)(?=[/\\]))"
EXT = r"\.[A-Za-z][\w+]{0,9}"
FILE = (
    r"(?:/?[A-Za-z]:[\\/])?(?:"
    + FILE_CHARS
    + r"+"
    + EXT
    + r"|(?:"
    + FILE_CHARS
    + r"*/)?(?:"
    + _BARE_NAMES
    + r"))"
)
# Monorepo runners put the task in front of each line it prints: turbo "web:build: ./src/app/page.tsx:
# 12:5" and "@acme/auth:build: error: …" (package:task; oven-sh/bun #17099, baptisteArno/typebot.io
# #9), pnpm -r "apps/web build: src/x.ts(3,5): error TS2322: …" (folder, a space, the script).
TASK_PREFIX = re.compile(
    r"^(?:(?:@[\w.-]+/)?[\w.-]+:[A-Za-z][\w-]*(?::[\w-]+)*: |(?:[\w.@-]+/)+[\w.-]+ [A-Za-z][\w:-]*: )"
)
# A line may start with a runner tag, an annotation word or a tool's own prefix before the path;
# webpack's loaders print "ERROR in path(…)" ("[tsl] ERROR in …" from ts-loader), create-react-app
# "TypeScript error in path(24,1):", go vet "vet: ./x.go:3:5: …", kotlinc "e: file:///D:/a/r/r/src/Main.kt:3:5 …",
# Elixir 1.15+ closes a diagnostic's frame with the place, "  └─ lib/x.ex:8:39: X.start/2"; bandit
# "   Location: ./app/cli.py:14:4" under its ">> Issue: …"; Node's ESM loader
# "file:///home/runner/work/r/r/src/index.js:12" above the code frame of a SyntaxError; Verilator
# "%Warning-UNUSEDSIGNAL: rtl/alu.sv:17:17: …" and "%Error-PINNOTFOUND: rtl/top.sv:12:5: …"; Nix
# quotes a failed builder's last lines as "       > src/x.c:5:3: error: …" (anchors.py); AAPT2 under
# Gradle's "Android resource linking failed" indents "ERROR: /…/AndroidManifest.xml:14:5-35:19: AAPT:
# error: …" (a manifest element's span, line:col-line:col) or glues it, "ERROR:/…/values.xml:239: AAPT:
# error: …" (as glog's "[ERROR:/…/x.cc:1386]" does). The run page shows an error annotation's text
# after "Error: ", so a pasted line may carry both: "Error: [tsl] ERROR in /…/src/index.ts(10,28)"
# (Bullrich/Status-Page #14), "Error: e: file:///…/Main.kt:3:5 …".
# Credo prints the place under its issue row, "┃       lib/a.ex:4:13 #(MyApp.A)" (older "#(…)", newer
# "(…)"), or on it with `--format oneline`, "[R] → lib/a.ex:27:7 Functions should have a @spec …".
# D's druntime names a thrown exception's class before its place, "core.exception.AssertError@
# source/app.d(10): unittest failure" (a failed `dub test`): the class is not part of the path.
# Crystal puts its place on a line of its own above the code frame, "In src/app.cr:12:5".
# MSBuild with several nodes (/m) puts the node's number before each row, "35>C:\…\Microsoft.CppCommon.
# targets(299,5): error MSB3073: …" (microsoft/ebpf-for-windows #3063, a windows-2022 run; #1181),
# "1>C:\…\AndroidManifest.xml : error APT2260: …" (dotnet/maui #18801), "  3>D:\a\…\x.cs(12,5): …".
# A problem matcher's ##[error] keeps the line's own indent: "##[error]        terminal_test.go:129:
# signal: hangup" (a go test's t.Errorf row, mvdan/sh #513), as "Error:        …" on the run page.
_PREFIX = (
    r"^(?:\[(?:ERROR|WARNING|INFO)\] +)?(?:(?:Error|Warning): +(?=\S))?(?:##\[(?:error|warning)\]\s*|[\w.]*(?:Error|Exception)@|In (?=\S)|%(?:Error|Warning)(?:-[A-Z0-9_]+)?: |CMake (?:Error|Warning)(?: \(dev\))? at |Error: +|Warning: +|error: |\s*ERROR(?::\s*| )|\s*E\s+|\s*[-*]\s+|\s*\d+\s+"
    r"|\s*(?:\[tsl\] )?(?:ERROR|WARNING) in |TypeScript error in |vet: |[ew]: (?:file://)?|file://|\[[\w-]+\]\s+"
    r"|\s*└─ |\s*Location: | {2,}> +|┃\s+|\[[CDRFW]\] [↑↗→↘↓] |\s*\d{1,4}>(?=\S)|\s*)?"
)
_COLON = re.compile(
    _PREFIX
    + r"(?P<file>"
    + FILE
    + r"):(?P<line>\d+)(?::(?P<col>\d+))?(?:-\d+(?::\d+)?)?(?::|\s*[-:]\s|\s*$|\s+#?[\w(]|,\d+-(?:\d+,)?\d+: )"
)
_PAREN = re.compile(
    _PREFIX + r"(?P<file>" + FILE + r")\((?P<line>\d+)(?:,(?P<col>\d+))?(?:,\d+,\d+)?\)\s*(?::|$)"
)
# Rollup 3+ names a plugin's error by the plugin, the module and the place: "[plugin vite:vue]
# src/views/AdminView.vue (84:7): Element is missing end tag." (Vite puts "[vite:vue] " in front, a
# thrown copy "SyntaxError: "); Rolldown (Vite 8) prints the place alone, "[plugin vite:vue]
# /…/src/views/index.vue:244:6", over the message.
_ROLLUP_PLUGIN = re.compile(
    r"\[plugin [^\]\s]+\] (?P<file>" + FILE + r")(?: \(|:)(?P<line>\d+):\d+(?:\)|\s*$)"
)
# Interpreters that say "in FILE on line N" (PHP: "PHP Parse error:  syntax error, unexpected '}' in
# /…/src/a.php on line 12"), "at FILE line N" (Perl: "syntax error at lib/A.pm line 12, near"), and
# bash's "FILE: line N: …" for a script of the repository (the runner's own temp script is not).
_IN_ON_LINE = re.compile(r"\bin (?P<file>" + FILE + r") on line (?P<line>\d+)")
# Terraform: "│   on main.tf line 12, in resource \"aws_s3_bucket\" \"b\":" (hashicorp/terraform's
# diagnostic format; 0.12-0.14 print it without the box).
_TF_ON_LINE = re.compile(r"^[│|]?\s*on (?P<file>" + FILE + r") line (?P<line>\d+)(?:,|:|\s*$)")
# MSBuild's project, printed last in brackets: "… error CS0103: … [/home/…/src/Lib/Lib.csproj]".
_MSBUILD_PROJECT = re.compile(r"\[(?P<project>[^\[\]]+\.(?:[a-z]+proj|sln|targets|props))\]\s*$")
_AT_LINE = re.compile(r"\bat (?P<file>" + FILE + r") line (?P<line>\d+)\b")
# Go's text/template (helm, hugo, gomplate): "template: app/templates/x.yaml:24:28: executing …".
_GO_TEMPLATE = re.compile(r"\btemplate: (?P<file>" + FILE + r"):(?P<line>\d+)(?::\d+)?: ")
# Collision (Pest, `php artisan test`) under a failure: "  at tests/Feature/ExampleTest.php:15" (Windows:
# "  at D:\\a\\app\\app\\tests\\Feature\\CustomerTest.php:22"). PHP files only: a Node stack frame
# "    at /…/src/x.js:10:5" is not a place to fix.
_COLLISION_AT = re.compile(
    r"^\s*at (?P<file>(?:[A-Za-z]:[\\/])?" + FILE_CHARS + r"+\.php):(?P<line>\d+)\s*$"
)
# testify's assertion report in go test output: "        \tError Trace:\t/home/runner/work/app/app/db/
# db_test.go:42" (the assertion's call site; a Windows runner prints "D:/a/app/app/…").
_TESTIFY = re.compile(r"^\s*Error Trace:\s+(?P<file>" + FILE + r"):(?P<line>\d+)\s*$")
# PowerShell's error position: "At D:\a\app\app\build.ps1:85 char:21" (Windows PowerShell 5.1;
# pwsh 7 with the NormalView), above the "+ ~~~" marker and the message.
_PS_AT = re.compile(r"^\s*At (?P<file>" + FILE + r"):(?P<line>\d+) char:\d+\s*$")
# pwsh 7's ConciseView heads the error with the command (or the error's category) and the position
# alone: "ParserError: D:\a\app\app\build.ps1:42", "Write-Error: /home/…/ci/run.ps1:7", ".: …:2".
_PS_HEAD = re.compile(r"^\s*(?:[A-Z][\w-]*|\.): (?P<file>" + FILE + r"):(?P<line>\d+)\s*$")
# dash (Debian's sh) leaves out the word: "./scripts/release.sh: 12: Syntax error: "fi" unexpected".
_SH_LINE = re.compile(r"^(?P<file>" + FILE + r"): (?:line )?(?P<line>\d+): ")
# ShellCheck's default (tty) format heads each finding with "In scripts/deploy.sh line 14:", also under
# a pre-commit hook's "- hook id: shellcheck"; Symfony's console heads a PHP exception the same way
# ("In Container.php line 263:", a vendor file), which is not taken.
_SHELLCHECK_IN = re.compile(
    r"^In (?!\S*\.php line )(?P<file>" + FILE + r") line (?P<line>\d+):\s*$"
)
# javac through Maven: "[ERROR] /…/Server.java:[81,40] error: ';' expected"; maven-checkstyle-plugin
# leaves the column out when the check has none: "[WARNING] src/main/java/Main.java:[23] (sizes)
# LineLength: Line is longer than 100 characters (found 104)."
_BRACKET = re.compile(_PREFIX + r"(?P<file>" + FILE + r"):\[(?P<line>\d+)(?:,\d+)?\]")
ARROW = re.compile(r"^\s*(?:> +)?-+>\s*(?P<file>" + FILE_CHARS + r"+" + EXT + r"):(?P<line>\d+)")
# Python's traceback frames; OCaml's compiler and dune print the same head, with "lines 22-24" for a
# span over several lines: 'File "src/dune-prop.sexp", lines 22-24, characters 0-103:' (garrigue/
# lablgtk #196), 'File "bin/main.ml", lines 12-14, characters 2-10:'.
_PY_FRAME = re.compile(r'^\s*(?:E\s+)?File "(?P<file>[^"]+)", lines? (?P<line>\d+)')
# The YAML parser's own place adds the offset and a range: "x/action.yml: (Line: 492, Col: 1, Idx:
# 21131) - (Line: 492, Col: 1, Idx: 21131): While scanning a simple key, could not find expected ':'."
# (PavanMudigonda/html-reporter-github-pages #74).
_RUNNER = re.compile(
    r"(?P<file>"
    + FILE_CHARS
    + r"+\.ya?ml):?\s*\(Line: (?P<line>\d+), Col: (?P<col>\d+)(?:, Idx: \d+)?\)"
)
PYYAML_MARK = re.compile(r'in "(?P<file>[^"<>]+)", line (?P<line>\d+), column (?P<col>\d+)')
# Ansible's place under its errors: "The error appears to (have been|be) in '/…/tasks/main.yml': line
# 12, column 38, but may" (ansible/errors; '<string>' when the text came from no file).
ANSIBLE_MARK = re.compile(
    r"The error appears to (?:have been|be) in '(?P<file>[^'<>]+)': line (?P<line>\d+)(?:, column \d+)?"
)
_YAML_LINE = re.compile(r"(?P<file>" + FILE_CHARS + r"+\.ya?ml)\b.*?\b[Ll]ine:? (?P<line>\d+)")
# Ruby's Psych names the file in parentheses and the place last: "(/github/workspace/_config.yml): did
# not find expected key while parsing a block mapping at line 21 column 1" (Jekyll; jeffreytse/
# jekyll-deploy-action #94); front matter is "(<unknown>)", the file named before it: "Error: could not
# read file /…/_events/x.md: (<unknown>): …", "YAML Exception reading /…/x.md: (<unknown>): …",
# "Error reading file /…/index.md: (<unknown>): …" (Jekyll 2-4; RalphHightower/RH #16).
_PSYCH = re.compile(
    r"(?:(?:could not read file|YAML Exception reading|Error reading file) (?P<read>\S+?): )?"
    r"\((?:<unknown>|(?P<file>[^()<>\s]+))\): [^()]*? at line (?P<line>\d+) column \d+"
)
# Hugo quotes a file position before its message: 'Error: error building site: assemble:
# "/…/content/x/_index.md:1:1": EOF looking for end TOML front matter delimiter', 'loading templates:
# "/…/layouts/partials/head.html:34:1": parse failed: …' (htw-imi-showtime/showtime-website #268,
# nanxiaobei/hugo-paper #161).
_QUOTED_POSITION = re.compile(r'"(?P<file>[^"\s]+):(?P<line>\d+):\d+": ')
# Liquid (Jekyll) puts the line first and the page last: "Liquid Exception: Liquid syntax error (line
# 36): Variable '{{0x800, …' was not properly terminated with regexp: /\}\}/ in docs/x.md" (google/
# syzkaller #5089); layouts and includes are named from the site root, "in /_layouts/post.liquid".
# An error inside an include names the include with the line, the page or layout that included it
# last: "Liquid syntax error (/github/workspace/_includes/head.html line 22): Expected end_of_string
# but found id included in /_layouts/default.html" (greenelab/lab-website-template #346). A render
# error says "Liquid error (line 5): …" (Liquid::Error#to_s without "syntax").
_LIQUID = re.compile(
    r"Liquid (?:syntax )?error \((?:(?P<file>/?[^\s()]+) )?line (?P<line>\d+)\): "
    r"(?:.* in (?:/(?=_))?(?P<read>[^\s/]\S*?)\s*$)?"
)
# Babel (and tools built on it) put the place last: "SyntaxError: /…/src/App.js: Unexpected token,
# expected "," (3:5)"; Jest indents it under "● Test suite failed to run", "    SyntaxError: /…/src/
# App.test.js: Unexpected token (7:18)" (aspittel/learn-code-from-us PR #37, jestjs/jest #9721), older
# babel-jest without the class, "    C:/Users/u/Desktop/app/App.test.js: Unexpected token (7:35)"
# (scorelab/Massa #33).
_BABEL = re.compile(
    r"^\s*(?:SyntaxError: |Error: )?(?P<file>" + FILE + r"): .*\((?P<line>\d+):\d+\)\s*$"
)
# webpack 5 names the module and the span: "./src/tls.ts 28:14-20", "ERROR in ./src/a.js 12:5-10".
_WEBPACK_SPAN = re.compile(
    r"^\s*(?:(?:ERROR|WARNING) in )?(?P<file>\./" + FILE_CHARS + r"+" + EXT + r") (?P<line>\d+):\d+"
)
# eslint's stylish rows (`  16:7  error  …`, `Error:   16:7 …` when copied from the web page) and
# create-react-app's (`  Line 36:22:  'x' is defined but never used  no-unused-vars`; CRA 3 and
# older print no column, `  Line 36:  …`); rebar3 dialyzer's `Line 28 Column 9: The pattern …` rows
# under the file named alone (rebar3's dialyzer format since OTP 24); pydoclint's `    18: DOC102:
# Method …` rows under the file (TeamGraphix/graphix PR #446); remark's (unified-engine's) rows give
# the span, `24:32-24:38  warning  Emphasis should use …` (skills/test-with-actions #52).
_STYLISH_ROW = re.compile(
    r"^\s*(?:##\[(?:error|warning)\]|Error: |Warning: )?\s*"
    r"(?:(?P<line>\d+):(?P<col>\d+)(?:-\d+:\d+)?:?\s+"
    r"(?:error|warning|\S)|Line (?P<cra>\d+)(?::\d+| Column \d+)?:\s+\S|(?P<doc>\d+): DOC\d{3}: )"
)
# The run page's annotation header, as people copy it: "Check failure on line 45 in ci.yml".
_ANNOTATION = re.compile(
    r"(?:Check failure|Check warning|Error|Warning) on line (?P<line>\d+) in (?P<file>\S+)"
)
# The file header may be a log group: yamllint's github format (its default under Actions) opens
# "::group::.github/workflows/ci.yml" ("##[group]…" in the downloaded log) above its "12:3 [rule]" rows.
# ruff's grouped format ends it with a colon: "src/app/views.py:" over "  91:8 F401 [*] `os` imported
# but unused" (astral-sh/ruff PR #4776).
_STYLISH_FILE = re.compile(
    r"^(?:##\[(?:error|warning|group)\]|::group::|Error: |Warning: )?\s*"
    r"(?P<file>(?:[A-Za-z]:[\\/]|/)?" + FILE_CHARS + r"+" + EXT + r"):?\s*$"
)
# A workflow command a tool printed where the runner did not take it (a nested shell, a container):
# "::error file=src/a.py,line=3,col=8,endLine=3::…" (ruff, yamllint, golangci-lint's github formats).
_WORKFLOW_COMMAND = re.compile(
    r"::(?:error|warning|notice) (?:[^:]*,)?file=(?P<file>[^,:]+),(?:[^:]*,)?line=(?P<line>\d+)"
)
# detekt's plain console rows: "\tMagicNumber - [main] at /…/src/main/kotlin/Main.kt:12:5 - Signature=…",
# "\tMagicNumber - [<anonymous>] at app/src/…/Event.kt:41:80" (detekt/detekt #1565, #275; detekt 1.x,
# before its `file:line:col: message [Rule]` rows).
# The log reader strips a bare "[m" (a colour reset that lost its ESC), so "[main]" may reach us as "ain]".
_DETEKT_AT = re.compile(r"\s-\s\[?[^\]\s]+\] at (?P<file>" + FILE + r"):(?P<line>\d+):\d+(?:\s|$)")
# Dart's analyzer: "  error - lib/main.dart:12:5 - Undefined name 'foo'. - undefined_identifier" (dart
# analyze) and "  error • Undefined name 'foo' • lib/main.dart:12:5 • undefined_identifier" (flutter
# analyze; newer versions print " - " there too, and a Windows console shows the bullet as "â€¢").
_DART_SEP = r"(?:-|•|â€¢)"
_DART = re.compile(
    r"^\s*(?:error|warning|info|lint|hint) "
    + _DART_SEP
    + r" (?:.*? "
    + _DART_SEP
    + r" )?(?P<file>"
    + FILE
    + r"):(?P<line>\d+):\d+(?: "
    + _DART_SEP
    + r" |\s*$)"
)
# PHPStan's table: a header naming the file, "  Line   src/Foo.php", over rows "  12     Call to …".
# An error in a trait names the trait's file and the class it was analysed in: "  Line
# src/Kernel/WorkspaceTestTrait.php (in context of class Drupal\Tests\…)" (phpstan's Error::getFile).
_TABLE_HEADER = re.compile(
    r"^\s*Line\s{2,}(?P<file>\S+" + EXT + r")(?: \(in context of class [^)]*\))?\s*$"
)
_TABLE_ROW = re.compile(r"^\s*(?P<line>\d+)(?:\s{2,}|\s*$)")
_TABLE_RULE = re.compile(r"^\s*-{3,}(?:\s+-{3,})+\s*$")
# The run page's annotation list, as people paste it, titles each annotation "job: path#L12" (or the
# rule: "yaml[truthy]: .github/workflows/lint.yml#L2", ansible/ansible-lint-action #178). The runner's
# "Invalid workflow file: x.yml#L1" anchor is read elsewhere (its real line is on the next line).
_ANNOTATION_TITLE = re.compile(
    r"^\s*(?:[\w\[\]() .-]+: )?(?<!Invalid workflow file: )(?P<file>"
    + FILE
    + r")#L(?P<line>\d+)(?:-L\d+)?\s*$"
)
# Gradle's "* Where:" block names the build script it was evaluating: "Build file
# '/home/runner/work/app/app/desktop/build.gradle' line: 18" (Wieku/danser #10), "Build file
# 'C:\\Users\\…\\build.gradle' line: 7" (successtar/web-to-app #16), "Settings file '…' line: 3",
# "Script '…/dependencies.gradle' line: 5".
_GRADLE_WHERE = re.compile(
    r"^\s*(?:Build file|Settings file|Init script|Script) '(?P<file>[^']+)' line: (?P<line>\d+)\s*$"
)


# A JVM method named like a file: Surefire's results list "CalcTest.testAdd:21 expected:<3> but was:<2>"
# (a class, maybe package-qualified, then a lowerCamelCase or snake_case method, then the test's line;
# "SubTest>BaseTest.testAdd:21" for a method a superclass declares). File suffixes are neither.
_CLASS_METHOD = re.compile(r"^[\w$.]+(?:>[\w$]+)?\.[a-z]+[A-Z_][\w$]*$")


def _plausible(path: str) -> bool:
    """A file, not a word that happens to sit before a colon ("Error:12", "note:3") nor a test
    method of Surefire's results ("CalcTest.testAdd:21")."""
    if _CLASS_METHOD.match(path):
        return False
    return "/" in path.rstrip("/") or "." in path or bool(_BARE_FILE.search(path))


def _msbuild_dir(text: str, shape: re.Pattern[str]) -> str:
    """The folder of the project MSBuild names after a `path(l,c)` diagnostic ("" if none)."""
    if shape is not _PAREN:
        return ""
    m = _MSBUILD_PROJECT.search(text)
    project = repo_path(m.group("project")) if m else None
    return project.rpartition("/")[0] if project else ""


# Go's testing package reports in its own name under a failed test: "    testing.go:1490: race
# detected during execution of test" (thrasher-corp/gocryptotrader #1987), "testing.go:1485: panic:
# …" (a fuzz target), "testing.go:1152: test executed panic(nil) or runtime.Goexit". The place is
# Go's source, not the repository's.
_GO_TESTING_OWN = re.compile(r"^\s*testing\.go:\d+: (?:race detected|panic: |test executed panic)")


def location(text: str, cwd: str = "") -> tuple[str, str] | None:
    """(file, line) from one line in any of the shapes above, the file repository-relative."""
    text = TASK_PREFIX.sub("", text, count=1)
    if _GO_TESTING_OWN.match(text):
        return None
    shapes = (
        _ANNOTATION,
        _WORKFLOW_COMMAND,
        _ROLLUP_PLUGIN,
        _DART,
        _DETEKT_AT,
        _RUNNER,
        PYYAML_MARK,
        ANSIBLE_MARK,
        _TESTIFY,
        _PSYCH,
        _QUOTED_POSITION,
        _LIQUID,
        ARROW,
        _PAREN,
        _COLON,
        _BRACKET,
        _PY_FRAME,
        _WEBPACK_SPAN,
        _BABEL,
        _SH_LINE,
        _SHELLCHECK_IN,
        _PS_AT,
        _PS_HEAD,
        _TF_ON_LINE,
        _IN_ON_LINE,
        _AT_LINE,
        _GO_TEMPLATE,
        _COLLISION_AT,
        _YAML_LINE,
        _GRADLE_WHERE,
        _ANNOTATION_TITLE,
    )
    for shape in shapes:
        searched = (
            _ANNOTATION,
            _WORKFLOW_COMMAND,
            _ROLLUP_PLUGIN,
            _RUNNER,
            PYYAML_MARK,
            ANSIBLE_MARK,
            _PSYCH,
            _QUOTED_POSITION,
            _LIQUID,
            _YAML_LINE,
            _IN_ON_LINE,
            _AT_LINE,
            _GO_TEMPLATE,
            _DETEKT_AT,
        )
        if shape is _QUOTED_POSITION and '": ' in text:
            quoted = list(_QUOTED_POSITION.finditer(text))
            if quoted:
                return _quoted_position(quoted, cwd)
        m = shape.search(text) if shape in searched else shape.match(text)
        raw = (m.group("file") or m.groupdict().get("read")) if m else None
        if m and raw:
            path = repo_path(raw, _msbuild_dir(text, shape) or cwd)
            project = _MSBUILD_PROJECT.search(text) if shape is _PAREN and not path else None
            if project:
                path = beside_build_tree(raw, project.group("project"))
            # Ansible quotes the whole path, so a bare name there is a file ("inventory").
            if path and shape is not ANSIBLE_MARK and not _plausible(path):
                continue
            if path:
                return path, m.group("line")
    return None


def _quoted_position(quoted: Sequence[re.Match[str]], cwd: str) -> tuple[str, str] | None:
    """The first of Hugo's quoted positions inside the checkout (Hugo wraps an error in its callers':
    'render of "page" failed: "/…/layouts/_default/baseof.html:11:3": … error calling partial:
    "/…/layouts/partials/x.html:5:7": …'). None when all are outside it (a theme module's cache):
    the template names after them ("template: section/event.html:11:403") are that module's
    layouts, not the repository's (HugoBlox/kit #3102)."""
    for m in quoted:
        path = repo_path(m.group("file"), cwd)
        if path and _plausible(path):
            return path, m.group("line")
    return None


def frame_location(lines: Sequence[str], cwd: str = "") -> tuple[str, str] | None:
    """The innermost traceback frame inside the repository (the last one printed)."""
    for text in reversed(lines):
        m = _PY_FRAME.match(text)
        if m:
            path = repo_path(m.group("file"), cwd)
            if path:
                return path, m.group("line")
    return None


def stylish_location(text: str, before: Sequence[str], cwd: str = "") -> tuple[str, str] | None:
    """An eslint stylish row (`  16:7  error  …`) with the file named alone on a line above it."""
    row = _STYLISH_ROW.match(text)
    if not row:
        return None
    line = row.group("line") or row.group("cra") or row.group("doc")
    for prev in reversed(before):
        m = _STYLISH_FILE.match(prev)
        if m:
            path = repo_path(m.group("file"), cwd)
            return (path, line) if path else None
        if not _STYLISH_ROW.match(prev) and prev.strip():
            return None
    return None


def table_location(text: str, before: Sequence[str], cwd: str = "") -> tuple[str, str] | None:
    """A PHPStan table row (`  12     Call to …`) under its `  Line   src/Foo.php` header."""
    row = _TABLE_ROW.match(text)
    if not row:
        return None
    for prev in reversed(before):
        m = _TABLE_HEADER.match(prev)
        if m:
            path = repo_path(m.group("file"), cwd)
            return (path, row.group("line")) if path else None
        if not prev.strip() or not prev.startswith(" "):
            return None
    return None
