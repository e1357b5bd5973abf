"""Emulations of ``actions/checkout`` and ``actions/setup-python``, plus the registry of built-ins.

They match by ``owner/repo`` whatever the ref (tag, branch or SHA); deprecated majors are refused
earlier, at "Set up job" (deprecations.py).
"""

from __future__ import annotations

import base64
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from smartmon.sandbox.runner import python_env
from smartmon.sandbox.runner.expression_values import hash_files
from smartmon.sandbox.runner.job_context import JobContext, PostStep, Scope, StepOutcome

_SHA_RE = re.compile(r"^[0-9a-f]{40}$")


@dataclass
class ActionCall:
    ctx: JobContext
    scope: Scope
    action: str  # owner/repo, lower case
    ref: str
    inputs: dict[str, str]
    env: dict[str, str]
    display: str


Builtin = Callable[[ActionCall], StepOutcome]


def fail(ctx: JobContext, message: str) -> StepOutcome:
    ctx.annotations.append(ctx.log.error_annotation(message))
    return StepOutcome("failure", "failure")


def truthy_input(value: str | None) -> bool:
    return str(value).strip().lower() == "true"


# ---------------------------------------------------------------- actions/checkout


def _git(ctx: JobContext, cwd: Path, *args: str, quiet: bool = False) -> int:
    """Run git like the checkout action: ``[command]`` echo, then its output."""
    git = shutil.which("git") or "git"
    if not quiet:
        ctx.log.write(f"[command]{git} {' '.join(args)}")
    env = {
        "HOME": str(ctx.home),
        "PATH": ctx.process_env({}, Scope({}, {}))["PATH"],
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_CONFIG_NOSYSTEM": "1",
        "LC_ALL": "C",
    }
    proc = subprocess.run([git, *args], cwd=cwd, env=env, capture_output=True, text=True)
    if not quiet:
        output = (proc.stdout + proc.stderr).rstrip("\n")
        if output:
            ctx.log.write(output)
    return proc.returncode


def _repo_url(git_url: str, current: str, wanted: str) -> str:
    if wanted.lower() == current.lower():
        return git_url
    suffix = ".git" if git_url.endswith(".git") else ""
    base = git_url[: -len(suffix)] if suffix else git_url
    if base.lower().endswith(current.lower()):
        return base[: -len(current)] + wanted + suffix
    return git_url


def _extraheader_key(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return None
    return f"http.{parts.scheme}://{parts.netloc}/.extraheader"


def checkout(call: ActionCall) -> StepOutcome:
    ctx, inputs, req = call.ctx, call.inputs, call.ctx.request
    repo = inputs.get("repository") or req.repo_full_name
    dest = (ctx.workspace / inputs.get("path", "")).resolve()
    url = _repo_url(req.git_url, req.repo_full_name, repo)
    token = inputs.get("token") or req.token
    depth = int(inputs.get("fetch-depth") or "1")
    log = ctx.log
    log.write(f"Syncing repository: {repo}")
    log.group("Getting Git version info")
    log.write(f"Working directory is '{dest}'")
    _git(ctx, ctx.workspace, "version")
    log.endgroup()
    dest.mkdir(parents=True, exist_ok=True)
    if any(dest.iterdir()):
        log.write(f"Deleting the contents of '{dest}'")
        for child in dest.iterdir():
            shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
    log.group("Initializing the repository")
    _git(ctx, dest, "init", str(dest))
    _git(ctx, dest, "remote", "add", "origin", url)
    log.endgroup()
    log.group("Disabling automatic garbage collection")
    _git(ctx, dest, "config", "--local", "gc.auto", "0")
    log.endgroup()
    header_key = _extraheader_key(url)
    if header_key and token:
        log.group("Setting up auth")
        basic = base64.b64encode(f"x-access-token:{token}".encode()).decode()
        log.masker.add(basic)
        _git(ctx, dest, "config", "--local", header_key, f"AUTHORIZATION: basic {basic}")
        log.endgroup()

    wanted = inputs.get("ref", "")
    target_sha = req.sha if repo.lower() == req.repo_full_name.lower() and not wanted else ""
    if _SHA_RE.match(wanted):
        target_sha = wanted
    ref = wanted or (req.ref if repo.lower() == req.repo_full_name.lower() else "")
    if ref and not ref.startswith("refs/") and not target_sha:
        ref = f"refs/heads/{ref}"
    local = (
        ref.replace("refs/heads/", "refs/remotes/origin/", 1)
        if ref.startswith("refs/heads/")
        else ref or "refs/remotes/origin/HEAD"
    )
    log.group("Fetching the repository")
    fetch = ["-c", "protocol.version=2", "fetch", "--no-tags", "--prune", "--no-recurse-submodules"]
    if depth <= 0:  # full history of every branch and tag, as actions/checkout does
        all_refs = ["+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*"]
        code = _git(ctx, dest, *[a for a in fetch if a != "--no-tags"], "origin", *all_refs)
        if code == 0 and target_sha:
            code = _git(ctx, dest, "update-ref", local, target_sha, quiet=True)
    elif target_sha:
        spec = f"+{target_sha}:{local}"
        args = [*fetch, f"--depth={depth}", "origin", spec]
        code = _git(ctx, dest, *args, quiet=True)
        if code == 0:
            log.write(f"[command]{shutil.which('git') or 'git'} {' '.join(args)}")
        else:
            # A server that refuses a bare SHA: fetch the branches, then point the ref at it.
            code = _git(ctx, dest, *fetch, "origin", "+refs/heads/*:refs/remotes/origin/*")
            if code == 0:
                code = _git(ctx, dest, "update-ref", local, target_sha, quiet=True)
    else:
        code = _git(ctx, dest, *fetch, f"--depth={depth}", "origin", f"+{ref or 'HEAD'}:{local}")
        if code != 0 and wanted and not wanted.startswith("refs/"):  # not a branch: a tag?
            ref = local = f"refs/tags/{wanted}"
            code = _git(ctx, dest, *fetch, f"--depth={depth}", "origin", f"+{ref}:{local}")
    log.endgroup()
    if code != 0:
        return fail(ctx, "The process '/usr/bin/git' failed with exit code 128")
    log.group("Determining the checkout info")
    log.endgroup()
    log.group("Checking out the ref")
    if local.startswith("refs/remotes/origin/") and local != "refs/remotes/origin/HEAD":
        branch = local.removeprefix("refs/remotes/origin/")
        code = _git(ctx, dest, "checkout", "--progress", "--force", "-B", branch, local)
    else:
        code = _git(ctx, dest, "checkout", "--progress", "--force", target_sha or local)
    log.endgroup()
    if code != 0:
        return fail(ctx, "The process '/usr/bin/git' failed with exit code 1")
    _git(ctx, dest, "log", "-1", "--format=%H")
    persist = inputs.get("persist-credentials", "true").lower() != "false"
    if header_key and token and not persist:
        _git(ctx, dest, "config", "--local", "--unset-all", header_key)

    def cleanup(job: JobContext) -> bool:
        _git(job, dest, "version")
        if header_key and (dest / ".git").is_dir():
            pattern = re.sub(r"([.:/])", r"\\\1", header_key)
            if _git(job, dest, "config", "--local", "--name-only", "--get-regexp", pattern) == 0:
                _git(job, dest, "config", "--local", "--unset-all", header_key)
        return True

    ctx.post_steps.append(PostStep(f"Post {call.display}", cleanup))
    return StepOutcome("success", "success")


# ---------------------------------------------------------------- actions/setup-python


def setup_python(call: ActionCall) -> StepOutcome:
    ctx, inputs = call.ctx, call.inputs
    interp = ctx.services.interpreter
    requested = inputs.get("python-version", "").strip()
    version_file = inputs.get("python-version-file", "").strip()
    if not requested and version_file:
        path = ctx.workspace / version_file
        if not path.is_file():
            return fail(ctx, f"The specified python version file at: {path} doesn't exist.")
        requested = path.read_text(encoding="utf-8").strip().splitlines()[0]
    if not requested:
        ctx.log.warning(
            "Neither 'python-version' nor 'python-version-file' inputs were supplied. "
            "Attempting to find '.python-version' file."
        )
    for candidate in (requested.splitlines() or [""])[:1]:
        if not python_env.version_matches(candidate, interp.version):
            return fail(
                ctx,
                f"The version '{candidate}' with architecture 'x64' was not found for Ubuntu "
                "24.04. The list of all available versions can be found here: "
                "https://raw.githubusercontent.com/actions/python-versions/main/versions-manifest.json",
            )
    cache = inputs.get("cache", "").strip()
    if cache:
        problem = _dependency_cache_problem(ctx, cache, inputs.get("cache-dependency-path", ""))
        if problem:
            return fail(ctx, problem)
    root = ctx.tool_cache / "Python" / interp.version / "x64"
    if not root.exists():
        python_env.create_venv(interp, root)
    ctx.log.group("Installed versions")
    ctx.log.write(f"Successfully set up CPython ({interp.version})")
    ctx.log.endgroup()
    if truthy_input(inputs.get("update-environment", "true")):
        ctx.env.update(
            {
                "pythonLocation": str(root),
                "PKG_CONFIG_PATH": str(root / "lib" / "pkgconfig"),
                "Python_ROOT_DIR": str(root),
                "Python2_ROOT_DIR": str(root),
                "Python3_ROOT_DIR": str(root),
                "LD_LIBRARY_PATH": str(root / "lib"),
            }
        )
        ctx.paths[:0] = [str(root / "bin")]
    ctx.post_steps.append(PostStep(f"Post {call.display}", lambda job: True, "success()"))
    outputs = {
        "python-version": interp.version,
        "python-path": str(root / "bin" / "python"),
        "cache-hit": "false",
    }
    return StepOutcome("success", "success", outputs)


# Inputs in each action.yml's order (the runner prints ``with:`` that way); None: no default.
_CACHE_FILES = {
    "pip": ["**/requirements.txt", "**/pyproject.toml"],
    "pipenv": ["**/Pipfile.lock"],
    "poetry": ["**/poetry.lock"],
}


def _dependency_cache_problem(ctx: JobContext, cache: str, paths: str) -> str | None:
    """setup-python's ``cache:`` needs a dependency file to key on (else the step fails)."""
    if cache not in _CACHE_FILES:
        return f"Caching for '{cache}' is not supported"
    given = [p.strip() for p in paths.splitlines() if p.strip()]
    patterns = given or _CACHE_FILES[cache]
    if hash_files(ctx.workspace, patterns):
        ctx.log.write(f"{cache} cache is not found")
        return None
    shown = ",".join(given) if given else " or ".join(patterns)
    return (
        f"No file in {ctx.workspace} matched to [{shown}], make sure you have checked out the "
        "target repository"
    )


CHECKOUT_DEFAULTS: dict[str, str | None] = {
    "repository": "${{ github.repository }}",
    "ref": None,
    "token": "${{ github.token }}",
    "ssh-key": None,
    "ssh-known-hosts": None,
    "ssh-strict": "true",
    "ssh-user": "git",
    "persist-credentials": "true",
    "path": None,
    "clean": "true",
    "filter": None,
    "sparse-checkout": None,
    "sparse-checkout-cone-mode": "true",
    "fetch-depth": "1",
    "fetch-tags": "false",
    "show-progress": "true",
    "lfs": "false",
    "submodules": "false",
    "set-safe-directory": "true",
    "github-server-url": None,
}
SETUP_PYTHON_DEFAULTS: dict[str, str | None] = {
    "python-version": None,
    "python-version-file": None,
    "cache": None,
    "architecture": None,
    "check-latest": "false",
    "token": "${{ github.server_url == 'https://github.com' && github.token || '' }}",
    "cache-dependency-path": None,
    "update-environment": "true",
    "allow-prereleases": "false",
    "freethreaded": "false",
}
