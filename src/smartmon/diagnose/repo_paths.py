"""Paths as the repository names them: a tool's printed path made repository-relative, or refused.

The runner's checkout folders (`/home/runner/work/<r>/<r>/`, `/__w/<r>/<r>/`, `D:\\a\\<r>\\<r>\\` and
Git Bash's `/d/a/<r>/<r>/`,
`/Users/runner/work/<r>/<r>/`, `/github/workspace/`, a self-hosted runner's `…/_work/<r>/<r>/`), the
usual container work folders (`/work/`, `/workspace/`, `/app/`, …), a clone in a home folder
(`/root/<r>/`, `/home/<user>/<r>/`) and `./` are removed and backslashes become slashes. A relative
path is the tool's, relative to where it ran: when the lines before say the command ran in a project
folder (npm's `> pkg@1.0 build /…/<r>/<r>/web`, `Running 'npm run build' in …`, make's `Entering
directory`, pytest's `rootdir:`, a `Run cd web && …` step), that folder is put in front. Paths outside
the checkout (site-packages, the tool cache) are never a finding's `file`.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence

from smartmon.diagnose.step_actions import CUT_RUNNER_ROOT, action_layout

# A clone on a developer's machine, as a local build prints it: in a folder of clones under the home
# folder ("/Users/u/Desktop/wechat-antirecall/Sources/…/CloneView.swift:29:36: error: …", fzlzjerry/
# wechat-antirecall #64; "C:\\Users\\u\\Projects\\app\\src\\…", "/home/u/code/app/…"), perhaps one
# host's folder deeper ("~/Developer/GitHub/<r>/"), or on another disk ("/Volumes/Data/github/resymbol/
# Sources/…/Type.swift:21:13", paradiseduo/resymbol #2). The runner's own home is never one.
_CLONE_HOME = (
    r"(?:[A-Za-z]:[\\/]Users[\\/](?!runneradmin[\\/])[^\\/.][^\\/]*"
    r"|/(?:home|Users)/(?!runner/)[^/.][^/]*|/Volumes/[^/]+)"
)
_CLONES = (
    r"(?:Desktop|Documents|Downloads|Developer|Projects|projects|Code|code|src|dev|Dev|git|Git"
    r"|github|GitHub|gitlab|repos|Repos|workspace|Workspace|Sites)"
)
_HOSTS = r"(?:GitHub|github|GitLab|gitlab|git|repos|Repos|Projects|projects)"
# Where the runner checks a repository out, on each OS and in containers (github-api.md §2); then
# self-hosted runners (`<anywhere>/_work/<r>/<r>/`), the work folders container jobs and Docker builds
# use, and a clone in a home folder (a self-hosted machine, a `docker run` with the repo in /root),
# Visual Studio's `C:\Users\<u>\source\repos\<r>\` (Azure/azure-iot-protocol-gateway #136) and
# GitHub Desktop's `…/Documents/GitHub/<r>/` (roozbehid/dotnet-vcxproj #29); the clones of the hosts
# that build docs sites' previews, Netlify's `/opt/build/repo/` (dhis2/ui PR #1710) and Vercel's
# `/vercel/path0/` (deepset-ai/haystack PR #10470), whose logs are pasted beside the Actions ones;
# and the copy of an R package that R CMD INSTALL parses.
_CHECKOUT = re.compile(
    r"^(?:/home/runner/work/[^/]+/[^/]+/"
    r"|/__w/[^/]+/[^/]+/"
    r"|/Users/runner/work/[^/]+/[^/]+/"
    r"|/github/workspace/"
    r"|/?[A-Za-z]:[\\/]a[\\/][^\\/]+[\\/][^\\/]+[\\/]"  # "/D:/a/…" from a file:/// URI
    r"|/(?:cygdrive/|mnt/)?[A-Za-z]/a/[^/]+/[^/]+/"  # Git Bash, MSYS2, Cygwin: "/d/a/<r>/<r>/"
    r"|/home/runner/_work/[^/]+/[^/]+/"
    r"|[A-Za-z]:[\\/]actions-runner[\\/]_work[\\/][^\\/]+[\\/][^\\/]+[\\/]"
    r"|(?:[A-Za-z]:)?[\\/](?:[^\\/\s]+[\\/])*?_work[\\/][^\\/_][^\\/]*[\\/][^\\/]+[\\/]"
    r"|/(?:work|workspace|workdir|app|code|src|project|repo|usr/src/app)/"
    r"|/opt/build/repo/|/vercel/path\d/"
    # Nix copies a flake's checkout into the store before it evaluates it: "/nix/store/<hash>-source/
    # flake.nix:3:10" (nwg-piotr/nwg-displays PR #11).
    r"|/nix/store/[0-9a-z]{32}-source/"
    r"|/root/(?!\.)[^/]+/"
    r"|[A-Za-z]:[\\/]Users[\\/][^\\/]+[\\/]source[\\/]repos[\\/][^\\/]+[\\/]"
    r"|(?:[A-Za-z]:[\\/]Users|/home|/Users)[\\/][^\\/]+[\\/]Documents[\\/]GitHub[\\/][^\\/]+[\\/]"
    r"|" + _CLONE_HOME + r"[\\/]" + _CLONES + r"[\\/](?:" + _HOSTS + r"[\\/])?(?!\.)[^\\/\s]+[\\/]"
    r"|/home/(?!runner/)[^/.][^/]*/(?!\.)[^/]+/"
    # R CMD INSTALL parses a copy of the package: "/tmp/RtmpAb12/R.INSTALL3f1c2/<pkg>/R/x.R".
    r"|(?:[A-Za-z]:)?[\\/](?:[^\\/\s]+[\\/])*?Rtmp\w+[\\/]R\.INSTALL\w*[\\/][^\\/]+[\\/])"
)
# Not the repository's files: installed packages, toolchains, the runner's own folders.
_OUTSIDE = re.compile(
    r"(?:site-packages|dist-packages|hostedtoolcache|/usr/(?:lib|local|include)/|/opt/"
    r"|node_modules/|\.cargo/registry|/go/pkg/mod/|<frozen |<string>|\.pyenv/|/_temp/|\\_temp\\"
    r"|/_actions/|\\_actions\\|/_tool/|^/tmp/|^<"
    r"|(?:^|/)vendor/bundle/"  # Bundler's gems installed into the checkout (`bundle config path`)
    # Third-party sources a build unpacks inside the checkout: vcpkg's port trees ("vcpkg\\buildtrees\\
    # zlib\\src\\…") and CMake FetchContent's "build/_deps/googletest-src/…".
    r"|(?:^|[\\/])buildtrees[\\/]|(?:^|[\\/])_deps[\\/][^\\/]+-(?:src|build|subbuild)[\\/])",
    re.IGNORECASE,
)
# Markers of code that is not the repository's, looked for before a checkout prefix is removed
# (`/home/runner/work/_actions/…` is an action's code, `/root/go/pkg/mod/…` the module cache, on a
# Windows runner `C:\Users\runneradmin\go\pkg\mod\…`; cargo's registry and git checkouts). The
# runner's own folders beside the checkouts in its work folder, `_temp` (the step's script, the file
# commands: "EACCES: permission denied, open '/__w/_temp/_runner_file_commands/save_state_…'",
# actions/runner #2278) and `_tool` (setup actions' installs), in a job container (`/__w/`), on a
# self-hosted runner (`…/_work/`) and a hosted one (`/home/runner/work/`, `D:\a\`).
_OUTSIDE_RAW = re.compile(
    r"[\\/]_actions[\\/]|[\\/]go[\\/]pkg[\\/]mod[\\/]|\.cargo[\\/](?:registry|git[\\/]checkouts)[\\/]"
    r"|(?:^/__w|[\\/]_?work|^/?[A-Za-z]:?[\\/]a)[\\/]_(?:temp|tool)[\\/]",
    re.IGNORECASE,
)
_ABSOLUTE = re.compile(r"^(?:[A-Za-z]:)?[\\/]")


def tool_folder(path: str) -> bool:
    """A path in the runner's or a tool's own folders (an action, the tool cache, _temp, a module
    or package cache, site-packages, node_modules): never the repository's own file."""
    return bool(_OUTSIDE_RAW.search(path) or _OUTSIDE.search(path.replace("\\", "/")))


# A called workflow as the runner names it, `{owner}/{repo}/.github/workflows/x.yml` (its `@ref` cut
# off by the rule): "Error when evaluating 'strategy' for job 'ct'. emqx/emqx/.github/workflows/
# run_test_cases.yaml@51e685e… (Line: 144, Col: 9)" (emqx/emqx #16727; canonical/operator-workflows #564).
_CALLED_WORKFLOW = re.compile(r"^[\w.-]+/[\w.-]+/(?=\.github/)")
# Windows' verbatim prefix, which Rust tools print on a Windows runner: rustfmt's "Diff in
# \\?\D:\a\app\app\src\main.rs:12:" (std::fs::canonicalize returns it).
_VERBATIM = ("\\\\?\\", "//?/")

# Where a command ran, when the tool prints paths relative to it. A `cd DIR && …` line is the step's
# script or a recipe make echoes ("cd src/nni_manager && yarn && yarn build", microsoft/nni #1046), a
# `set -x` trace ("+ cd web") or a terminal's "$ cd web"; a later `cd ..` goes back to the root. Gradle
# runs a module's task in the module's folder and Spotless names files from there: "> Task
# :app:spotlessKotlin FAILED" then "Step 'ktlint' found problem in 'src\main\…\NiaApp.kt':"
# (android/nowinandroid #519); a root task (":spotlessKotlin") is the root. A package manager told where
# to run, `yarn --cwd web build`, `npm run lint --prefix client`, `pnpm -C web build` / `--dir web`, runs
# the script there (elastic/opbeans-frontend #119 ran `npm run build --prefix client`).
_CWD = re.compile(
    r"^(?:\[INFO\] )?(?:"
    r"> \S+@\S+ [\w:.-]+ (?P<npm>(?:[A-Za-z]:)?[\\/]\S+)\s*$"  # npm ≤ 6: "> pkg@1.0.0 build /dir"
    r"|Running '[^']+' in (?P<maven>\S+)\s*$"  # frontend-maven-plugin
    r"|g?make(?:\[\d+\])?: Entering directory [`'](?P<make>[^']+)'"
    r"|ninja: Entering directory [`'](?P<ninja>[^']+)'"
    # told where to build: `ninja -C build`, `meson compile -C builddir` (meson names sources from
    # the build folder, "../src/main.c:12:5: error: …", and a paste often lacks ninja's own line)
    r"|(?:(?:##\[group\])?Run |\++ |\$ )?(?:ninja|samu|meson (?:compile|test|install))\b[^|;&]*? -C ?"
    r"(?P<ninjac>[^\s;&|]+)"
    r"|rootdir: (?P<pytest>/[^\s,]+)"
    r"|(?:(?:##\[group\])?Run |\++ |\$ |\()?cd (?P<cd>[^\s;&|)]+)\s*(?:&&|;|\)|$)"
    r"|(?:(?:##\[group\])?Run |\++ |\$ )?(?:npm|yarn|pnpm)\b(?:(?! -- )[^|;&])*? (?:--cwd|--prefix|-C|--dir)[= ]"
    r"(?P<pm>[\w.@+-][\w./@+-]*)(?:\s|$)"
    r"|> Task :(?P<gradle>(?:[\w.-]+:)*)[A-Za-z][\w-]*(?: [A-Z][A-Z-]*)?\s*$"
    r"|(?:##\[group\])?Run helm (?:lint|template|install|upgrade|package) (?P<helmcmd>[^|;&]+)"
    r"|==> Linting (?P<helm>\S+)\s*$"  # helm lint; chart-testing (ct lint) names the chart first:
    r"|Linting chart '[^']*path: \"(?P<ct>[^\"]+)\"\)'\s*$"  # "Linting chart 'x => (…, path: "charts/x")'"
    # R CMD check runs a package's tests from its tests/ folder, and R names their files from there.
    r"|Running the tests in [‘'](?P<rtests>[\w.-]+(?:/[\w.-]+)*)/[\w.-]+\.R[’'] failed\.)"
)
_CWD_END = re.compile(r"^g?make(?:\[\d+\])?: Leaving directory ")
# Where the failed command ran, as the runners print it after the failure: npm 7+ "npm ERR! path
# /…/<r>/<r>/client" (npm 10 "npm error path …", workspaces "npm ERR!   at location: …"; elastic/
# opbeans-frontend #119 ran `npm run build --prefix client`), turbo "ERROR: command finished with
# error: command (/…/<r>/<r>/apps/web) bun run build exited (1)" (oven-sh/bun #6142; 2.x "web#build:
# command (…) … exited (1)"), pnpm -r "/…/<r>/<r>/apps/web:" above its ERR_PNPM_RECURSIVE_RUN_FIRST_FAIL;
# Yarn Berry's `workspaces foreach` names the workspace by its locator, whose folder is already the
# repository's: "The command failed in workspace ses@workspace:packages/ses" (yarnpkg/berry #6535).
_CWD_AFTER = re.compile(
    r"(?:(?:^|: )npm (?:ERR!|error) +(?:path|at location:) (?P<npm>(?:[A-Za-z]:)?[\\/]\S+)\s*$"
    r"|command \((?P<turbo>(?:[A-Za-z]:)?[\\/][^)]+)\) .* exited \(\d+\)"
    r"|^(?P<pnpm>(?:[A-Za-z]:)?[\\/]\S+):\s*$"
    r"|The command failed in workspace (?:@[\w.-]+/)?[\w.-]+@workspace:(?P<yarn>[\w.@/-]+))"
)


def repo_path(path: str, cwd: str = "") -> str | None:
    """The path relative to the repository, or None when it lies outside the checkout.

    `cwd` is the repository-relative folder the tool ran in; a relative path is taken from there.
    """
    # A paste in Markdown wraps the runner's message in a code span: "**Error:** `.github/actions/x/
    # action.yml (Line: 18, Col: 7): Required property is missing: shell`" (github/vscode-github-
    # actions #378 quotes it so).
    path = path.strip().strip("'\"`")
    if CUT_RUNNER_ROOT.match(path):
        path = "/" + path
    if path.startswith("file://"):
        path = path[len("file://") :]
    if path.startswith(_VERBATIM):
        path = path[len(_VERBATIM[0]) :]
    if _OUTSIDE_RAW.search(path):
        return None
    relative = not _ABSOLUTE.match(path)
    if relative:
        path = _CALLED_WORKFLOW.sub("", path)
    path = _CHECKOUT.sub("", path)
    if _OUTSIDE.search(path):
        return None
    path = path.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    if not path or path.startswith("/") or re.match(r"^[A-Za-z]:/", path):
        return None
    if ".." in path.split("/"):
        # MSBuild names a file from the project's folder ("..\src\main.cpp(12,5): error C2065: …
        # [D:\a\app\app\build\app.vcxproj]", or "D:\a\app\app\build\..\src\main.cpp"); an
        # out-of-tree build names sources from its build folder (meson and cmake under ninja print
        # "../src/qps.F90:170:11:" after "ninja: Entering directory `builddir'", ralna/GALAHAD PR
        # #253): resolved against a known folder it is a repository path, unless it climbs out.
        if relative and not cwd:
            return None
        path = posixpath.normpath(f"{cwd}/{path}" if relative else path)
        return None if path == ".." or path.startswith("../") else path
    if relative and cwd and not path.startswith(cwd.rstrip("/") + "/"):
        folder = cwd.rstrip("/")
        if path.startswith(posixpath.basename(folder) + "/"):
            # Named from the folder's parent: helm prints a chart's templates as "<chart>/templates/x"
            # whatever folder the chart is in ("parse error at (app/templates/x.yaml:8)", charts/app).
            folder = posixpath.dirname(folder)
        path = posixpath.normpath(f"{folder}/{path}") if folder else path
    return path


# A Windows checkout outside the runner's folders (a self-hosted runner's "E:\o3de\", a developer's
# "F:\gitP\google\mathfu\") is known by its CMake build tree: MSBuild's project sits in a build folder
# beside the sources, "E:\o3de\Code\…\Tests.cpp(167,147): error C2220: … [E:\o3de\build\windows\Code\
# …\AssetProcessor.Tests.vcxproj]" (o3de/o3de #19096), "… [F:\gitP\google\mathfu\build_amd64\
# unit_tests\quaternion_tests.vcxproj]" (google/mathfu #56). The folder both share is the checkout.
_BUILD_TREE = re.compile(r"^(?:_?build|out|cmake-build-[\w-]+|build[_-][\w-]+)$", re.IGNORECASE)
_DRIVE_PATH = re.compile(r"^[A-Za-z]:[\\/]")


def beside_build_tree(path: str, project: str) -> str | None:
    """`path` relative to the folder it shares with an MSBuild project under a build folder, or None."""
    if not (_DRIVE_PATH.match(path) and _DRIVE_PATH.match(project)):
        return None
    source, built = path.replace("\\", "/").split("/"), project.replace("\\", "/").split("/")
    shared, last = 0, min(len(source), len(built)) - 1
    while shared < last and source[shared].lower() == built[shared].lower():
        shared += 1
    # the root is a folder on the drive, the project lies in a build folder just under it, and the
    # file does not (a generated source of the build tree is not the repository's)
    if shared < 2 or not _BUILD_TREE.match(built[shared]) or _BUILD_TREE.match(source[shared]):
        return None
    return repo_path("/".join(source[shared:]))


# Go names the package above its errors and prints files relative to where it ran: "# github.com/
# microsoft/go-sqlcmd/cmd/modern/root/open" over "root/open/ads_darwin.go:31:14: undefined: localizer"
# (microsoft/go-sqlcmd PR #418, built from cmd/modern); a test build adds the test binary, "# github.com/
# acme/app/db [github.com/acme/app/db.test]". On a forge whose import paths are
# host/owner/repo, the package path past the repository (a major-version `/v2` aside) is its folder.
_GO_PACKAGE = re.compile(
    r"^# (?P<pkg>(?:github\.com|gitlab\.com|bitbucket\.org)/[\w.-]+/[\w.-]+(?:/[\w.-]+)*)"
    r"(?: \[[\w./-]+\.test\])?\s*$"
)
_GO_MAJOR = re.compile(r"^v\d+$")


def go_package_path(path: str, before: Sequence[str]) -> str:
    """A Go file's path from the repository root, when the package header above says where it ran."""
    if _ABSOLUTE.match(path):
        # "C:\Users\runneradmin\go\pkg\mod\…\flags.go" or "/home/runner/go/pkg/mod/…": placed already
        return path
    path = path.replace("\\", "/")  # "internal\store\db.go" on a Windows runner
    for text in reversed(before[-40:]):
        m = _GO_PACKAGE.match(text)
        if m:
            break
    else:
        return path
    parts = m.group("pkg").split("/")[3:]
    if parts and _GO_MAJOR.match(parts[0]):
        parts = parts[1:]
    folder = posixpath.dirname(path)
    tail = folder.split("/") if folder else []
    if len(parts) <= len(tail) or (tail and parts[-len(tail) :] != tail):
        return path
    return "/".join([*parts[: len(parts) - len(tail)], path])


# A job's own `docker run` that mounts the checkout in another folder: the tools inside print paths
# under it, "-v "$GITHUB_WORKSPACE:/mnt"" then "/mnt/stable/app/values.yaml" (ct lint in the
# chart-testing image, deliveryhero/helm-charts #4); "-v $(pwd):/data", "-v ${PWD}:/repo:ro",
# "--volume=/home/runner/work/r/r:/build" (a step header shows `${{ github.workspace }}` expanded).
_MOUNT = re.compile(
    r"(?:-v|--volume)[= ]['\"]?(?:\$\{?GITHUB_WORKSPACE\}?|\$\{\{\s*github\.workspace\s*\}\}|\$\(pwd\)|`pwd`"
    r"|\$\{?PWD\}?|\.|(?:/home/runner/work|/__w|/Users/runner/work)/[^/:\s'\"]+/[^/:\s'\"]+)/?['\"]?"
    r":['\"]?(?P<dst>/[\w.@+-]+(?:/[\w.@+-]+)*?)/?(?::[a-z,]+)?['\"]?(?=\s|$)"
)


def workspace_mounts(lines: Sequence[str]) -> tuple[str, ...]:
    """The folders a `docker run` in these lines mounts the checkout at."""
    found: list[str] = []
    for text in lines:
        if "-v" in text or "--volume" in text:
            for m in _MOUNT.finditer(text):
                if m["dst"] != "/github/workspace" and m["dst"] not in found:
                    found.append(m["dst"])
    return tuple(found)


def in_checkout(text: str, mounts: Sequence[str]) -> str:
    """The line with paths under a mount of the checkout spelled as the checkout's own."""
    for folder in mounts:
        if folder + "/" in text:
            text = re.sub(r"(?<![\w./-])" + re.escape(folder) + "/", "/github/workspace/", text)
    return text


def action_manifest_path(path: str, action: str) -> str:
    """A remote action's file as its own repository names it, else `path` unchanged.

    The runner names a downloaded action's metadata `{owner}/{repo}/{ref}/{path}`, the layout of its
    `_actions` folder: "azure/container-apps-deploy-action/v0/action.yml (Line: 275, Col: 11)"
    (Azure/container-apps-deploy-action #25), "ramsey/composer-install/3cf229dc…/action.yml" (ramsey/
    composer-install #273). The ref may be a tag or a SHA, whatever the step header said.
    """
    found = action_layout(path, action)
    return found[2] if found else path


def project_dir(before: Sequence[str], after: Sequence[str] = ()) -> str:
    """The repository-relative folder the failing command ran in ("" for the root or unknown)."""
    found_before = _dir_before(before)
    if found_before is not None:
        return found_before
    for text in after[:40]:
        m = _CWD_AFTER.search(text)
        if m and m.group("yarn"):
            folder = m.group("yarn").removeprefix("./").rstrip("/")
            return "" if folder == "." else folder
        if m:
            return _checkout_dir(next(v for v in m.groupdict().values() if v)) or ""
    return ""


def _checkout_dir(raw: str) -> str | None:
    """The repository-relative form of an absolute folder inside the checkout."""
    if not _CHECKOUT.match(raw.rstrip("/\\") + "/"):
        return None
    found = repo_path(raw.rstrip("/\\") + "/x")
    found = found[:-2] if found else None
    return found.strip("/") if found and found != "." else None


# The workspace as a script names it: "cd $GITHUB_WORKSPACE/web", "cd \"${GITHUB_WORKSPACE}\"/web".
_WORKSPACE_VAR = re.compile(r"^[\"']?\$\{?GITHUB_WORKSPACE\}?[\"']?(?:/|$)")


# dune runs each command in its build folder and echoes it, "(cd _build/default && ocamlc.opt … -impl
# bin/main.ml)", above the compiler's 'File "bin/main.ml", line 3': the folder mirrors the source
# tree, so the path is the repository's (a cross context is "_build/default.windows"); dune's
# bootstrap does the same in "_boot" ("cd _boot && …/ocamldep.opt …", ocaml/dune PR #5412).
_BUILD_MIRROR = re.compile(r"^(?:\./)?(?:_build/default(?:\.[\w-]+)?|_boot)/?$")


def _cd_dir(raw: str) -> str | None:
    """The repository-relative folder a `cd` goes to (None: the root, or a folder outside it)."""
    raw = raw.strip("\"'")
    if _BUILD_MIRROR.match(raw):
        return None
    if _WORKSPACE_VAR.match(raw):
        raw = _WORKSPACE_VAR.sub("", raw) or "."
    elif raw.startswith(("$", "~", "-")):
        return None
    elif _ABSOLUTE.match(raw):
        return _checkout_dir(raw)
    return repo_path(raw)


# helm's options that take a value (the chart is the positional argument that is a local folder).
_HELM_VALUED = frozenset(
    {
        "-f",
        "--values",
        "--set",
        "--set-string",
        "--set-file",
        "-n",
        "--namespace",
        "--version",
        "--timeout",
        "--kube-context",
        "-o",
        "--output-dir",
        "--repo",
        "--post-renderer",
    }
)


def _helm_chart(args: str) -> str | None:
    """The local chart folder a helm command names ("upgrade --install api ./deploy/charts/api -f
    x.yaml" -> "deploy/charts/api"); None for a chart from a repository ("bitnami/redis")."""
    words = args.split()
    i = 0
    while i < len(words):
        word = words[i]
        if word in _HELM_VALUED:
            i += 2
            continue
        last = word.rstrip("/").rsplit("/", 1)[-1]
        if not word.startswith("-") and word.startswith(("./", "../", "/")) and "." not in last:
            return repo_path(word.rstrip("/"))
        i += 1
    return None


def _dir_before(before: Sequence[str]) -> str | None:
    """The folder a line before names ("" for the root), or None when none does."""
    for text in reversed(before):
        if _CWD_END.match(text):
            return ""
        m = _CWD.match(text)
        if not m:
            continue
        if m.group("gradle") is not None:
            return m.group("gradle").strip(":").replace(":", "/")
        raw = next(v for v in m.groupdict().values() if v)
        if m.group("cd"):
            found = _cd_dir(raw)
        elif m.group("helmcmd"):
            found = _helm_chart(raw)
        elif m.group("pm") or m.group("helm") or m.group("ct") or m.group("rtests"):
            found = repo_path(raw)
        elif (m.group("ninja") or m.group("ninjac")) and not _ABSOLUTE.match(raw):
            found = repo_path(raw)  # an absolute build folder is read as a checkout path below
        elif _CHECKOUT.match(raw.rstrip("/\\") + "/"):
            found = repo_path(raw.rstrip("/\\") + "/x")
            found = found[:-2] if found else None
        else:
            found = None
        return found.strip("/") if found and found != "." else ""
    return None
