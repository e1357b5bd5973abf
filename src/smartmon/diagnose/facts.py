"""Facts by output format, not by rule: what a rule's match gets beyond its own captures.

The shared extractors live one job to a module; `enrich` combines them for a finding:

- `locations`: (file, line) from a line in any shape tools print (`path:line:col`, `File "x", line N`,
  `--> x:3:5`, `path(l,c)`, `(Line: N, Col: M)`, `Dockerfile:17`, …): add a new tool's shape there;
- `locations_below`: places printed under the message (YAML marks, arrows, code frames, traces);
- `location_search`: where the error is among the lines around the match (the first of a run of
  errors, a traceback's innermost frame, the place printed under the message);
- `location_blocks`: reports whose file and line are on different lines (scanners' blocks, phpcs);
- `repo_paths`: paths made repository-relative (runner work folders, containers, project subfolders);
- `failed_tests`: the first failed test of pytest's short summary or a jest suite;
- `fill_ins`: the linter of a lint failure, the requirement pip could not satisfy, the variable
  listed under a message (dotenv-safe's names on the line below), the dependency listed above its
  status (Mix's "* plug (Hex package)");
- `step_actions`: the action a step ran, from its header or the set-up lines;
- `api_requests`: the refused API call and the GITHUB_TOKEN scope it needed;
- `hosts`: the host a failed network request went to;
- `relayed_lines`: a monorepo runner's prefix in front of each line its task printed, taken off.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from smartmon.diagnose.action_hosts import action_json_host
from smartmon.diagnose.api_requests import action_need, request_need
from smartmon.diagnose.failed_test_places import go_test_location
from smartmon.diagnose.failed_tests import block_test_above, failed_test_near, first_test
from smartmon.diagnose.fill_ins import (
    build_missing_requirement,
    cargo_crate_above,
    continued_env_var,
    dependency_above,
    first_unset_variable,
    listed_env_var,
    locked_dependency_above,
    package_below,
    pak_unsolved,
    pip_conflict_pin,
    pip_requirement,
    pkg_config_module_above,
    registry_package,
)
from smartmon.diagnose.hosts import network_host
from smartmon.diagnose.import_sources import (
    import_source_above,
    wrapped_module_below,
    wrapped_name_above,
)
from smartmon.diagnose.linters import lint_tool
from smartmon.diagnose.location_search import fill_location, find_location
from smartmon.diagnose.locations import location
from smartmon.diagnose.package_requires import installed_package
from smartmon.diagnose.program_fill_ins import (
    archive_version_near,
    attempted_version_above,
    autoconf_macro_tool,
    cmake_compiler,
    cmake_missing_executable,
    env_compiler_below,
    generator_program,
    language_compiler,
    version_below,
    yarn_command_above,
)
from smartmon.diagnose.relayed_lines import unrelayed
from smartmon.diagnose.repo_paths import (
    action_manifest_path,
    in_checkout,
    project_dir,
    repo_path,
    workspace_mounts,
)
from smartmon.diagnose.step_actions import (
    action_in_lines,
    action_in_own_step,
    action_in_path,
    action_in_trace,
    action_layout,
    downloaded_actions,
    step_action,
)
from smartmon.diagnose.workflow_places import fill_request_place

__all__ = [
    "LOCATED_TYPES",
    "action_in_lines",
    "action_manifest_path",
    "downloaded_actions",
    "enrich",
    "find_location",
    "first_test",
    "image_label",
    "location",
    "project_dir",
    "repo_path",
    "runner_label",
    "step_action",
]

# A hosted image's label as GitHub's messages spell it ("macOS-12", "Ubuntu-24.04-arm").
_IMAGE_LABEL = re.compile(r"(?i)(?:macos|ubuntu|windows)-[\d.]+(?:-[a-z\d]+)*$")

# A hosted image named in prose, as the retirement messages the generic rule reads spell it: "This is a
# scheduled Ubuntu 16.04 brownout.", "The Windows Server 2016 image has been removed.", "macOS 10.15";
# or a label in the job's title above an annotation ("build (ubuntu-16.04, 3.8)").
_IMAGE_PROSE = re.compile(
    r"(?i)\b(?:ubuntu[ -](?P<ubuntu>\d\d\.\d\d)|windows(?: server)?[ -](?P<windows>20\d\d)"
    r"|macos[ -](?P<macos>1\d(?:\.\d+)?))\b(?![.\d])"
)
_TITLE_LABEL = re.compile(r"\((?:[^()]*[ ,])?(?P<label>(?i:ubuntu|windows|macos)-[\d.]*\d)[,)]")

# Which finding types carry a location (a fixer or a person opens that file at that line).
LOCATED_TYPES = frozenset({"syntax_error", "lint_failure", "yaml_syntax_error", "test_failure"})

# Types whose `version` is their own (a toolchain's, a package's), not the step's action ref.
_OWN_VERSION_TYPES = frozenset({"missing_tool", "dependency_conflict"})


def runner_label(label: str) -> str:
    """A hosted image's label as runs-on spells it: GitHub's messages say "macOS-12" / "Ubuntu-18.04",
    the label (what a reader and the fixer look for) is "macos-12"; any other label as printed."""
    return label.lower() if _IMAGE_LABEL.match(label) else label


def _from_actions_dir(out: dict[str, str]) -> None:
    """A path in the runner's folder of downloaded actions names the action and its ref: a manifest
    there is the action's own file (`action.yml`), another file (its `dist/index.js`) no file of the
    repository's, a folder the action itself (`owner/repo/path`, an action in a subfolder)."""
    found = action_in_path(out["file"])
    if found is None:
        return
    action, ref, inside = found
    if re.search(r"\.ya?ml$", inside):
        out["file"] = inside
    else:
        del out["file"]
        if inside and "." not in inside.rsplit("/", 1)[-1]:
            action = f"{action}/{inside}"
    if "action" not in out:
        out["action"] = action
        out.setdefault("version", ref)


def image_label(text: str, before: Sequence[str] = ()) -> str | None:
    """The runs-on label of a hosted image a message names in prose, or its job's title names."""
    m = _IMAGE_PROSE.search(text)
    if m:
        kind = next(k for k in ("ubuntu", "windows", "macos") if m.group(k))
        return f"{kind}-{m.group(kind)}"
    title = _TITLE_LABEL.search(before[-1]) if before else None
    return title.group("label").lower() if title else None


def _from_downloaded(out: dict[str, str], before: Sequence[str]) -> None:
    """A manifest the runner names `{owner}/{repo}/{ref}/{path}` belongs to the action the set-up
    lines downloaded at that ref, whichever was downloaded last: "Download action repository
    'acme/tool@v1'" then "Error: acme/tool/v1/action.yml (Line: 10, Col: 5): …"."""
    for text in reversed(before):
        found = downloaded_actions(text)
        inside = found and action_layout(out["file"], *found)
        if found and inside:
            out["action"], out["version"], out["file"] = found[0], found[1], inside[2]
            return


# The runner names a local action's manifest by its path in the checkout ("/home/runner/work/x/x/./.git
# hub/actions/setup/action.yml", "./.github/actions/setup/action.yml") and a downloaded one's in the
# `{owner}/{repo}/{ref}/{path}` layout: "acme/composite-java-action/main/action.yaml (Line: 39, Col:
# 5): Unexpected value 'if'", "Failed to load acme/reporter/v1.5.3/action.yml" (actions/runner #1283;
# PavanMudigonda/html-reporter-github-pages #74), which names the action even without set-up lines.
_MANIFEST = re.compile(r"(?:.+/)?action\.ya?ml")
_RUNNER_MANIFEST_TEXT = re.compile(r"\(Line: \d+, Col: \d+|\bFail(?:ed)? to load ")


def _remote_manifest(out: dict[str, str], text: str) -> None:
    found = action_layout(out["file"])
    if found and _MANIFEST.fullmatch(found[2]) and _RUNNER_MANIFEST_TEXT.search(text):
        # An action in a sub-folder is used as `owner/repo/folder@ref` (github/codeql-action/init).
        action, ref, path = found
        folder = path.rpartition("/")[0]
        out["action"] = action + (f"/{folder}" if folder else "")
        out["version"], out["file"] = ref, path


# The runner's validation message names its place first and wraps after it where it was pasted: "The
# workflow is not valid. .github/workflows/nightly.yml (Line: 54, Col: 3): " then "Error calling workflow
# 'x'. The nested job 'y' is requesting 'contents: read', …" (openwallet-foundation/acapy PR #3682).
_PLACE_ENDING = re.compile(
    r"(?:^|\s)(?P<file>[^\s(]+\.ya?ml) \(Line: (?P<line>\d+), Col: \d+\):\s*$"
)


def _wrapped_place(out: dict[str, str], text: str, before: Sequence[str]) -> None:
    """File and line from the line above when the message was wrapped after the runner's place."""
    m = _PLACE_ENDING.search(before[-1]) if before and "(Line: " not in text else None
    if m:
        out["file"] = repo_path(m.group("file")) or m.group("file")
        out["line"] = m.group("line")


def enrich(
    issue_type: str,
    data: dict[str, str],
    text: str,
    before: Sequence[str],
    step_name: str,
    after: Sequence[str] = (),
) -> dict[str, str]:
    """The rule's own captures, completed by the shared extractors where the rule had none."""
    out = dict(data)
    text, before, after = unrelayed(text, before, after)
    mounts = workspace_mounts((step_name, *before))
    if mounts:
        text = in_checkout(text, mounts)
        before = [in_checkout(line, mounts) for line in before]
        after = [in_checkout(line, mounts) for line in after]
        if "file" in out:
            out["file"] = in_checkout(out["file"], mounts)
    if "file" in out:
        _from_actions_dir(out)
    if "file" in out and "action" not in out:
        _from_downloaded(out, before)
    if issue_type == "yaml_syntax_error" and "file" in out and "action" not in out:
        _remote_manifest(out, text)
    if "file" not in out and "action" not in out:
        _wrapped_place(out, text, before)
    if issue_type in LOCATED_TYPES:
        fill_location(issue_type, out, text, before, after)
    elif "file" in out:
        fixed = repo_path(out["file"])
        if fixed:
            out["file"] = fixed
    if issue_type == "test_failure":
        if "test" in out:
            first = first_test(out["test"], text, before)
            if first != out["test"]:
                moved = go_test_location(first, before, project_dir(before))
                if moved:
                    out["file"], out["line"] = moved
            out["test"] = first
        else:
            found_test = failed_test_near(text, before, after)
            if found_test:
                out["test"] = found_test
    if issue_type == "timeout" and "test" not in out:
        # a browser call's timeout inside a test's block (the test it failed, or a flaky one)
        in_block = block_test_above(before)
        if in_block:
            out["test"] = in_block
    if issue_type == "lint_failure" and "tool" not in out:
        tool = lint_tool(text, before, step_name)
        if tool:
            out["tool"] = tool
    if issue_type == "missing_env_vars":
        var = first_unset_variable(text, before) or (
            None if "var" in out else listed_env_var(text, after) or continued_env_var(after)
        )
        if var:
            out["var"] = var
    if issue_type == "missing_tool" and "command" not in out:
        compiler = (
            cmake_compiler(before)
            or env_compiler_below(text, after)
            or cmake_missing_executable(text)
            or language_compiler(out.get("name", ""))
            or yarn_command_above(text, before, after)
        )
        if compiler:
            out["command"] = compiler
    elif issue_type == "missing_tool":
        out["command"] = generator_program(out["command"], text)
    if issue_type == "missing_tool":
        macro_tool = autoconf_macro_tool(out.get("command") or out.get("name", ""))
        if macro_tool:
            out["command"] = macro_tool
    if issue_type == "missing_tool" and "version" not in out:
        below = (
            version_below(text, after)
            or archive_version_near(text, before, after)
            or attempted_version_above(text, before)
        )
        if below:
            out["version"] = below
    if (
        issue_type == "missing_dependency"
        and "package" not in out
        and out.get("name", "").startswith(".")
        and "Cannot find module" in text
        and (installed := installed_package(after))
    ):
        out["package"] = installed  # the package whose own file required the missing one
    if issue_type == "missing_dependency" and "module" not in out and "package" not in out:
        dependency = dependency_above(text, before)
        if dependency:
            out["module"] = dependency
    if issue_type == "dependency_conflict":
        pinned = pip_conflict_pin(out.get("package"), [*before[-30:], text, *after[:30]])
        package = out.get("package") or (
            pip_requirement(after[:3])
            or package_below(after[:4])
            or cargo_crate_above(before)
            or locked_dependency_above(text, before)
            or pak_unsolved(text, after)
        )
        if pinned or package:
            out["package"] = pinned or package or ""
    if issue_type == "missing_dependency" and not ({"package", "module"} & out.keys()):
        named = (
            package_below(after[:6])
            or build_missing_requirement(text, after)
            or registry_package(text)
            or pkg_config_module_above(text, before)
        )
        if named:
            out["package"] = named
    if (
        issue_type == "import_error"
        and "name" not in out
        and (name := wrapped_name_above(text, before))
    ):
        out["name"] = name
    if issue_type == "import_error" and out.get("name") and "from" not in out:
        source = wrapped_module_below(text, after) or import_source_above(out["name"], before)
        if source:
            out["from"] = source
    if issue_type == "network_error" and not out.get("host"):
        host = network_host(text, before, after)
        if host:
            out["host"] = host
    if issue_type == "retired_runner" and "label" not in out:
        label = image_label(text, before)
        if label:
            out["label"] = label
    if issue_type == "retired_runner" and "label" in out:
        out["label"] = runner_label(out["label"])
    if issue_type == "permission_error":
        fill_request_place(out, text, before, project_dir(before, after))
        # The refused request, as the tool printed it: which GITHUB_TOKEN scope it needed.
        need = request_need([*before, text], step_name, after)
        if need and out.get("scope", need["scope"]) == need["scope"]:
            out = {**need, **out}
    if "action" not in out:
        found_action = (
            step_action(step_name)
            or action_in_lines(before)
            or action_in_own_step(before, step_name)
            or action_in_trace(text, before, after, step_name)
        )
        if found_action:
            out["action"], version = found_action
            # A missing tool's or a conflict's `version` is the toolchain's or the package's
            # ("Unable to find Go version '1.13'"), never the ref of the set-up action it ran in.
            if issue_type not in _OWN_VERSION_TYPES:
                out.setdefault("version", version)
    if issue_type == "network_error" and not out.get("host"):
        host = action_json_host(text, out.get("action"), before, after)
        if host:
            out["host"] = host
    if issue_type == "permission_error" and "scope" not in out and "action" in out:
        out = {**action_need(out["action"], [*before, text]), **out}
    if "file" in out and "action" in out:
        out["file"] = action_manifest_path(out["file"], out["action"])
    return out
