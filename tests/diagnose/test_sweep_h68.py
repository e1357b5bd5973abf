"""What the Node.js runtime and module-error sweep (helper h68) relies on beyond the rules' own
examples: BuildKit's failure summary pasted alone (its seconds prefix taken off, pastes.py), and the
verdicts on whole excerpts in the shapes people paste: a native addon built for another Node ABI,
node-gyp without Python or make, CommonJS globals in an ES module, a Node flag the runner's Node
does not know, and unhandled rejections that only warned in a job that passed.

Texts are the tools' real formats with names changed; the threads are named in the rules' comments
(rules/30-python.yaml, 20-setup.yaml, 40-node.yaml) and in pastes.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose.pastes import paste_cleaned
from tests.diagnose.joblog import text_finding

_SUMMARY = (
    "------\n"
    " > [6/9] RUN npm install --production:\n"
    "319.9 npm error gyp ERR! build error \n"
    "319.9 npm error gyp ERR! stack Error: not found: make\n"
    "320.1 npm error A complete log of this run can be found in: /root/.npm/_logs/x-debug-0.log\n"
    "------\n"
)


def test_buildkit_summary_seconds_are_taken_off() -> None:
    cleaned = paste_cleaned(_SUMMARY.encode())
    assert b"\nnpm error gyp ERR! stack Error: not found: make\n" in cleaned
    assert cleaned.count(b"\n") == _SUMMARY.count("\n")


def test_buildkit_seconds_without_the_frame_need_most_lines() -> None:
    # Two timed lines among prose: the paste's own numbers, not BuildKit's, stay.
    text = b"Run ./bench.sh\n1.25 ms median\nall good\nsee the table\n0.75 ms p99\n"
    assert paste_cleaned(text) == text


def test_buildkit_step_lines_keep_working() -> None:
    # The streamed form ("#12 318.2 ") is anchors.py's; the summary form is the paste's.
    text = "#12 318.2 npm error gyp ERR! stack Error: not found: make\n"
    assert paste_cleaned(text.encode()) == text.encode()


@pytest.mark.parametrize(
    ("text", "want", "facts"),
    [
        # BuildKit's summary alone (jo-inc/camofox-browser #2812), npm 10's prefix
        (_SUMMARY, "missing_tool", {"command": "make"}),
        (
            'ERROR: failed to solve: process "/bin/sh -c npm ci" did not complete successfully: exit code: 1\n'
            "------\n > [builder 4/7] RUN npm ci:\n"
            "4.296 gyp ERR! configure error \n"
            "4.296 gyp ERR! stack Error: Could not find any Python installation to use\n"
            "------\n",
            "missing_tool",
            {"command": "python"},
        ),
        # node-gyp 6-10's own error line under an indented nested npm log
        (
            "        npm ERR! gyp ERR! configure error\n"
            "        npm ERR! gyp ERR! stack Error: Could not find any Python installation to use\n",
            "missing_tool",
            {"command": "python"},
        ),
        # a native addon built for another Node ABI, as Node prints it over four lines
        (
            "Error: The module '/home/runner/work/app/app/node_modules/sharp/build/Release/sharp.node'\n"
            "was compiled against a different Node.js version using\n"
            "NODE_MODULE_VERSION 108. This version of Node.js requires\n"
            "NODE_MODULE_VERSION 115. Please try re-compiling or re-installing\n"
            "the module (for instance, using `npm rebuild` or `npm install`).\n",
            "import_error",
            {},
        ),
        # CommonJS globals in an ES module, each named by Node's esm loader
        (
            "file:///home/runner/work/app/app/scripts/build.js:5\n"
            "const root = path.join(__dirname, '..');\n"
            "                       ^\n\n"
            "ReferenceError: __dirname is not defined in ES module scope\n"
            "    at file:///home/runner/work/app/app/scripts/build.js:5:24\n",
            "import_error",
            {},
        ),
        (
            'TypeError [ERR_IMPORT_ATTRIBUTE_MISSING]: Module "file:///home/runner/work/app/app/package.json" '
            'needs an import attribute of "type: json"\n'
            "    at validateAttributes (node:internal/modules/esm/assert:88:15)\n",
            "import_error",
            {},
        ),
        # an addon that loads without registering (built for another runtime)
        (
            "Error: Module did not self-register: "
            "'/home/runner/work/app/app/node_modules/canvas/build/Release/canvas.node'.\n"
            "    at Object.Module._extensions..node (node:internal/modules/cjs/loader:1452:18)\n",
            "import_error",
            {},
        ),
        # the runner's own Node in a container whose C library is older than it needs
        (
            "Run actions/checkout@v4\n"
            '/usr/bin/docker exec  7cbdf08ca47f sh -c "cat /etc/*release | grep ^ID"\n'
            "/__e/node20/bin/node: /lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.28' not found "
            "(required by /__e/node20/bin/node)\n",
            "runner_failure",
            {"name": "GLIBC_2.28"},
        ),
        # Node 20+'s ESM resolver: the package folder is there, its main file is not
        (
            "node:internal/modules/run_main:123\n    triggerUncaughtException(\n    ^\n"
            "Error: Cannot find package '/home/runner/work/app/app/node_modules/zod/index.js' "
            "imported from /home/runner/work/app/app/src/adapters/api.ts\n"
            "    at legacyMainResolve (node:internal/modules/esm/resolve:215:26)\n",
            "missing_dependency",
            {"module": "zod"},
        ),
        # Yarn Plug'n'Play: a package required without being declared
        (
            "Module not found: Error: gatsby-plugin-mdx tried to access mkdirp, but it isn't declared in "
            "its dependencies; this makes the require call ambiguous and unsound.\n\n"
            'Required package: mkdirp (via "mkdirp")\n',
            "missing_dependency",
            {"module": "mkdirp"},
        ),
        # an action's file its ref does not have, in Node's words
        (
            "Error: Cannot find module '/home/runner/work/_actions/acme/prune/main/dist/index.js'\n"
            "    at Function.Module._resolveFilename (node:internal/modules/cjs/loader:933:15)\n"
            "  code: 'MODULE_NOT_FOUND',\n",
            "missing_tool",
            {"action": "acme/prune", "version": "main"},
        ),
        # node-gyp's closing Visual Studio banner on a Windows runner
        (
            "npm ERR! gyp ERR! find VS could not use PowerShell to find Visual Studio 2017 or newer\n"
            "npm ERR! gyp ERR! find VS You need to install the latest version of Visual Studio\n",
            "missing_tool",
            {},
        ),
        # npm's engine-strict lines without the code line above them
        (
            "npm ERR! engine Not compatible with your version of node/npm: vite@6.0.1\n"
            "npm ERR! notsup Not compatible with your version of node/npm: vite@6.0.1\n"
            'npm ERR! notsup Required: {"node":"^18.0.0 || >=20.0.0"}\n'
            'npm ERR! notsup Actual:   {"npm":"8.19.4","node":"v16.20.2"}\n',
            "dependency_conflict",
            {"package": "vite@6.0.1"},
        ),
        # the project's own module that does not resolve: ESM (TypeScript output without ".js") and CJS
        (
            "node:internal/process/esm_loader:40\n      internalBinding('errors').triggerUncaughtException(\n"
            "Error [ERR_MODULE_NOT_FOUND]: Cannot find module '/home/runner/work/app/app/dist/utils' "
            "imported from /home/runner/work/app/app/dist/index.js\n"
            "Did you mean to import ../utils.js?\n",
            "import_error",
            {"name": "/home/runner/work/app/app/dist/utils"},
        ),
        (
            "Error: Cannot find module './config'\nRequire stack:\n"
            "- /home/runner/work/app/app/scripts/deploy.js\n",
            "import_error",
            {"name": "./config"},
        ),
        # a Node 17+ flag on the runner's Node 16
        (
            "Run npm run build\n> web@1.0.0 build\n> react-scripts build\n\n"
            "node: --openssl-legacy-provider is not allowed in NODE_OPTIONS\n"
            "Error: Process completed with exit code 9.\n",
            "dependency_conflict",
            {},
        ),
    ],
)
def test_node_runtime_excerpts(tmp_path: Path, text: str, want: str, facts: dict[str, str]) -> None:
    got, data = text_finding(tmp_path, text)
    assert got == want
    for key, value in facts.items():
        assert data.get(key) == value


def test_unhandled_rejection_warning_alone_is_no_failure(tmp_path: Path) -> None:
    # Node 12-14 only warned (gautamkrishnar/blog-post-workflow #40: the job then pushed and passed).
    text = (
        "(node:2452) UnhandledPromiseRejectionWarning: Error: Invalid status code: 128\n"
        "    at ChildProcess.<anonymous> (/home/runner/work/_actions/acme/feed-action/1.3.9/dist/index.js:116:946)\n"
        "(node:2452) [DEP0018] DeprecationWarning: Unhandled promise rejections are deprecated.\n"
        "[main 9c2adf2] Updated with the latest posts\n"
        "   41b7e0c..9c2adf2  main -> main\n"
    )
    got, _ = text_finding(tmp_path, text)
    assert got is None
