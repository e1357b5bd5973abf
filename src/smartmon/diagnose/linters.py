"""Which linter a lint failure came from, when the rule's line does not say: the shape of its rows
(eslint, yamllint, stylelint, clang, detekt, ktlint, SwiftLint), a banner it printed, the command the
step ran, or the pre-commit hook that ran it (and the file that hook changed).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from smartmon.diagnose.logs import STEP_HEADER

# Which linter printed a stylish row: eslint ends it with the rule id ("  no-unused-vars",
# "  react-hooks/exhaustive-deps"), yamllint with it in parentheses ("  (indentation)"), stylelint
# marks it "✖".
_ESLINT_ROW = re.compile(r"^.*\d+:\d+\s+(?:error|warning)\s+.*\S\s{2,}(?:@?[\w-]+/)*[\w-]+\s*$")
_YAMLLINT_ROW = re.compile(r"^\s*\d+:\d+\s+(?:error|warning)\s+.*\s\([\w-]+\)\s*$")
_STYLELINT_ROW = re.compile(r"^\s*\d+:\d+\s+✖\s")
# clang-format --dry-run names itself in the warning flag each row ends with ("src/a.cpp:12:3: error:
# code should be clang-formatted [-Wclang-format-violations]", google/ml-flashpoint #2); clang-tidy
# under WarningsAsErrors ends its rows with the check and ",-warnings-as-errors]".
_CLANG_ROW = re.compile(
    r"\[(?:(?P<format>-Wclang-format-violations)|[\w.-]+(?:,[\w.-]+)*,-warnings-as-errors)\]\s*$"
)
# The Kotlin and Swift linters print like their compilers and differ only in how a row ends: detekt
# with the rule in brackets ("Cart.kt:42:5: The function checkout is too long (72). The maximum length
# is 60. [LongMethod]"), ktlint with its rule set ("(standard:no-semi)"), SwiftLint with
# "Violation: … (line_length)".
_DETEKT_ROW = re.compile(r"\.kts?:\d+:\d+: .+ \[[A-Z]\w+\]\s*$")
_KTLINT_ROW = re.compile(r"\.kts?:\d+:\d+:? .+ \((?:standard|experimental|[\w-]+):[\w-]+\)\s*$")
_SWIFTLINT_ROW = re.compile(r"\.swift:\d+:\d+: (?:error|warning): .+ Violation: .+ \(\w+\)\s*$")
# dotnet format reports what it would change as MSBuild errors with its own pseudo-ids, which no
# compiler or analyzer prints: "Program.cs(58,14): error WHITESPACE: Fix whitespace formatting.",
# FINALNEWLINE, CHARSET, IMPORTS, ENDOFLINE (dotnet/runtime #112456, dotnet/format #2299).
_DOTNET_FORMAT_ROW = re.compile(
    r"\(\d+,\d+\): (?:error|warning) (?:WHITESPACE|FINALNEWLINE|CHARSET|IMPORTS|ENDOFLINE): "
)
# A linter named by the command the step ran ("Run npx eslint . --max-warnings 0", "> eslint src"),
# pinned as uvx and npx take it ('uvx "zizmor@1.29.0" --format=github .', RaspberryPiFoundation/
# editor-ui PR #1571; "npx eslint@8 ."); goimports and gofumpt print gofmt's "diff -u x.go.orig x.go"
# headers. `dotnet format --verify-no-changes` (also the old global tool, `dotnet-format --check`)
# is .NET's formatter and code-style checker. pycodestyle, pyflakes and pylama print flake8's rows
# ("src/app.py:10:80: E501 line too long (90 > 79 characters)"), mdl the Ruby markdownlint's, so only
# the command tells them apart. TeXtidote (LaTeX grammar and spelling) exits with the number of
# warnings it found and prints no row to the log when its report goes to a file (sylvainhalle/
# textidote #112, its README's CI note, PR #207). An action named for the linter it runs names it
# too: "Run gimenete/eslint-action@1.0" (gimenete/eslint-action #4), "Run reviewdog/action-eslint@v1",
# "Run golangci/golangci-lint-action@v6".
_LINTER_COMMAND = re.compile(
    r"(?:^|[\s/>$\"'])(?:action-)?(?P<tool>dotnet[ -]format|eslint|prettier|black|ruff|flake8|mypy|pylint|pyright|isort|golangci-lint"
    r"|staticcheck|shellcheck|rubocop|stylelint|yamllint|markdownlint|hadolint|actionlint|ktlint"
    r"|swiftlint|codespell|tsc|biome|phpstan|psalm|php-cs-fixer|phpcs|credo|dialyzer|tflint|clippy"
    r"|standardrb|goimports|gofumpt|deno lint|deno check|ty|solhint|hlint|luacheck|protolint|sqlfluff"
    r"|zizmor|checkov|tfsec|semgrep|gitleaks|pycodestyle|pydocstyle|pyflakes|pylama|mdl|cpplint"
    r"|jshint|tslint|editorconfig-checker|textidote)"
    r"(?:-action)?(?:@[\w.^~-]+)?[\"']?(?:\s|$)"
)
# Standard (Ruby's standardrb, JavaScript's standard) prints RuboCop's or ESLint's rows under its own
# banner: "standard: Use Ruby Standard Style (https://github.com/standardrb/standard)" (testdouble's
# URL before 1.0: julianrubisch/attractor PR #95), "standard: Use JavaScript Standard Style
# (https://standardjs.com)". Only Ruby's command names it alone: `standard` also runs before other
# tools in an npm script ("> standard && npm run build --prefix client", where eslint then failed).
_STANDARD_BANNER = re.compile(r"^\s*standard: Use (?:Ruby|JavaScript) Standard Style\b")
# zizmor opens with its rainbow banner, bare in a terminal ("🌈 zizmor v1.22.0", zizmorcore/zizmor
# #1705) or as a log record under pre-commit ("INFO zizmor: 🌈 zizmor v1.24.1", SalamLang/Salam PR
# #1038); its action's step is "Run zizmorcore/zizmor-action@<ref>".
_ZIZMOR_BANNER = re.compile(r"🌈 zizmor v\d|zizmorcore/zizmor-action@")
_ALIASES = {"standardrb": "standard", "dotnet-format": "dotnet format"}
# A tool's own lints carry its name in rustc's notes: "= note: `-D rustdoc::broken-intra-doc-links`
# implied by `-D warnings`" under `cargo doc` with RUSTDOCFLAGS="-D warnings" (near/near-sdk-rs
# #1264), "`-D clippy::needless-return` implied by `-D warnings`", "#[deny(clippy::all)]", and the
# help "add `#[allow(rustdoc::broken_intra_doc_links)]`".
_RUST_TOOL_LINT = re.compile(r"`(?:-[DF] |#!?\[(?:deny|forbid|allow)\()(?P<tool>clippy|rustdoc)::")


def lint_tool(text: str, before: Sequence[str], step_name: str) -> str | None:
    """The linter, from its row's shape or from the command the step ran (one linter named)."""
    if _STYLELINT_ROW.match(text):
        return "stylelint"
    if _YAMLLINT_ROW.match(text):
        return "yamllint"
    if _ESLINT_ROW.match(text):
        return "eslint"
    clang = _CLANG_ROW.search(text)
    if clang:
        return "clang-format" if clang.group("format") else "clang-tidy"
    for row, tool in _COMPILER_STYLE_ROWS:
        if row.search(text):
            return tool
    rust = _RUST_TOOL_LINT.search(text)
    if rust:
        return rust.group("tool")
    return commanded_linter(before, step_name)


_COMPILER_STYLE_ROWS = (
    (_DETEKT_ROW, "detekt"),
    (_KTLINT_ROW, "ktlint"),
    (_SWIFTLINT_ROW, "swiftlint"),
    (_DOTNET_FORMAT_ROW, "dotnet format"),
)


def _bannered(lines: Sequence[str]) -> str | None:
    """The linter whose banner heads the rows (Standard's "standard: Use Ruby Standard Style")."""
    if any(_STANDARD_BANNER.match(t) for t in lines):
        return "standard"
    return "zizmor" if any(_ZIZMOR_BANNER.search(t) for t in lines) else None


def commanded_linter(before: Sequence[str], step_name: str) -> str | None:
    """The one linter the step's command names ("Run ruff check .", "> eslint src"), or None."""
    commands = [step_name, *(t for t in before if t.startswith(("Run ", "> ", "$ ")))]
    return _bannered([step_name, *before[-40:]]) or _one_linter(commands)


def own_step_linter(before: Sequence[str], step_name: str) -> str | None:
    """The one linter the hit's own step names: its header, or in a paste the last `Run …` line
    above the hit and the commands echoed after it; never an earlier step ("Run pip install ruff").

    It outranks a rule's constant `tool`: ruff prints flake8's `path:3:8: F401 …` rows, `ruff format`
    black's "Would reformat"; the command says which of them ran.
    """
    start = next((i for i in range(len(before) - 1, -1, -1) if STEP_HEADER.match(before[i])), None)
    if start is not None and not step_name.startswith("Run "):
        step_name = before[start].removeprefix("##[group]")
    own = before[start + 1 :] if start is not None else before
    return _bannered([step_name, *own]) or _one_linter(
        [step_name, *(t for t in own if t.startswith(("> ", "$ ")))]
    )


def named_linter(command: str) -> str | None:
    """The linter a command starts with ("eslint src --ext .ts", "prettier@3 --check ."), or None."""
    m = _LINTER_COMMAND.match(command)
    return _ALIASES.get(m.group("tool"), m.group("tool")) if m else None


def _one_linter(commands: Sequence[str]) -> str | None:
    named = {
        _ALIASES.get(m.group("tool"), m.group("tool"))
        for c in commands
        for m in _LINTER_COMMAND.finditer(c)
    }
    return named.pop() if len(named) == 1 else None


# pre-commit prints one block per hook: "black....Failed", "- hook id: black", then the tool's rows or
# "- files were modified by this hook" and what the tool said of them: black "reformatted app/x.py",
# isort "Fixing /…/app/x.py" (also end-of-file-fixer's "Fixing app/x.py"), pyupgrade and its siblings
# (add-trailing-comma, yesqa) "Rewriting app/x.py" (asottile/pyupgrade _main.py). The hook id names the
# linter (mirrors' ids are the tool's: "mypy", "prettier", "clang-format", "shfmt"; "black-jupyter",
# "ruff-format", "stylua-github" run black, ruff and StyLua), the hook's name when no id follows it;
# a few ids spell the tool their own way: antonbabenko's "terraform_fmt" (pre-commit/action #191),
# gruntwork's "terraform-fmt", dnephin's "go-fmt", nbQA's "nbqa-black". A hook of no linter
# (trailing-whitespace, end-of-file-fixer) is pre-commit's own.
_HOOK_ID = re.compile(r"^- hook id: (?P<id>\S+)\s*$")
_HOOK_LINTER = re.compile(
    r"^(?:nbqa-)?(?P<tool>black|ruff|flake8|mypy|pylint|pyright|isort|eslint|prettier|yamllint"
    r"|shellcheck|codespell|markdownlint|hadolint|stylelint|rubocop|golangci-lint|actionlint"
    r"|pydocstyle|bandit|zizmor|checkov|gitleaks|semgrep|clang-format|clang-tidy|gofmt|goimports"
    r"|gofumpt|shfmt|stylua|ktlint|swiftformat|swift-format|swiftlint|rustfmt|clippy|tflint|autopep8"
    r"|yapf|pyupgrade|docformatter|autoflake|pycln|vulture|biome|mdformat|blacken-docs|sqlfluff)"
    r"(?:[-_][\w-]+)?$"
)
_HOOK_TOOLS = {
    "terraform_fmt": "terraform fmt",
    "terraform-fmt": "terraform fmt",
    "terraform_tflint": "tflint",
    "go-fmt": "gofmt",
    "go-imports": "goimports",
    "cargo-fmt": "rustfmt",
    "dotnet-format": "dotnet format",
    "mix-format": "mix format",
}
_HOOK_END = re.compile(r"\.{3,}\s*(?:Passed|Failed|Skipped)\s*$")
# pre-commit-hooks' own checks name the file first or last: "data/model.bin (1524 KB) exceeds 500 KB."
# (check-added-large-files), "bin/run: marked executable but has no (or invalid) shebang!" (prek
# indents it and drops the colon), "Private key found: deploy/id_rsa", requirements-txt-fixer's
# "Sorting requirements.txt".
_HOOK_FILE = re.compile(
    r"^(?:(?:reformatted|Fixing|would reformat|Rewriting|Sorting|Private key found:) (?P<file>\S+)\s*$"
    r"|\s*(?P<named>[^\s:]+):? (?:\(\d+ KB\) exceeds \d+ KB\."
    r"|marked executable but has no \(or invalid\) shebang!"
    r"|has a shebang but is not marked executable!))"
)
# Formatter hooks that rewrite files list them bare: prettier "asset/js/app.js 41ms" (pre-commit/
# pre-commit #532; since Prettier 3 a file it left alone is "src/index.ts 12ms (unchanged)", no
# match), terraform_fmt "locals.tf" (relative to its module: the diff below names it from the root),
# go-fmt's `gofmt -l` rows.
_HOOK_BARE_FILE = re.compile(r"^(?P<file>[\w.@+~/-]*\w\.[A-Za-z][\w+]{0,9})(?: \d+ms)?\s*$")
# A formatter hook that names no file (clang-format, terraform_fmt's names relative to its module):
# with `--show-diff-on-failure` (pre-commit/action's default) pre-commit prints "All changes made by
# hooks:" and git's diff, whose headers are repository paths (dlang/dmd PR #13855).
_ALL_CHANGES = re.compile(r"^All changes made by hooks:\s*$")
_GIT_DIFF = re.compile(r"^diff --git a/(?P<file>\S+) b/\S+\s*$")


def hook_linter(text: str, name: str, after: Sequence[str]) -> str | None:
    """The linter a failed pre-commit hook ran, from its id (on the line or just below) or name."""
    ids = [m.group("id") for m in map(_HOOK_ID.match, (text, *after[:2])) if m]
    for candidate in (*ids, name.strip()):
        if candidate in _HOOK_TOOLS:
            return _HOOK_TOOLS[candidate]
        m = _HOOK_LINTER.match(candidate)
        if m:
            return m.group("tool")
    return None


def hook_file(after: Sequence[str]) -> str | None:
    """The first file a failed pre-commit hook says it changed, before the next hook's row, as the
    diff pre-commit shows after the hooks names it from the root; that diff's first file when the
    hook named none and no other hook failed."""
    own: str | None = None
    for i, text in enumerate(after):
        if _HOOK_END.search(text):
            if own or text.rstrip().endswith("Failed"):
                return own or None  # the diff is of more than this hook's changes
            own = ""  # past the hook's block: only the diff can name the file
            continue
        m = _HOOK_FILE.match(text) or _HOOK_BARE_FILE.match(text)
        if m and own is None:
            own = m.group("file") or m.group("named")
        if _ALL_CHANGES.match(text):
            diff = next((d for d in map(_GIT_DIFF.match, after[i + 1 : i + 3]) if d), None)
            path = diff.group("file") if diff else None
            if path and (not own or path == own or path.endswith("/" + own)):
                return path
            return own or None
    return own or None
