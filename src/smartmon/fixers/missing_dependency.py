"""Add a missing distribution to the manifest that the failing step installs from.

The module or package name comes from a log, so it is untrusted: only a distribution from the curated
table (`smartmon.diagnose.distributions`) or one the repository already names elsewhere may be added, and only
as a bare PEP 508 name. Everything else is reported with "did you mean" suggestions.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable

from packaging.utils import canonicalize_name

from smartmon.diagnose import distributions
from smartmon.fixers._manifests import (
    add_to_manifest,
    default_manifests,
    lock_file_for,
    manifest_names,
    repo_named_distributions,
    workflow_manifests,
)
from smartmon.fixers.registry import FixContext
from smartmon.fixers.workspace import Workspace, WorkspaceError
from smartmon.model import Finding, Fix, IssueType

HANDLES = IssueType.MISSING_DEPENDENCY

log = logging.getLogger(__name__)

_MODULE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
_PEP508_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")
# Removed from the standard library (PEP 632); setuptools ships the replacement `distutils`.
_REMOVED_STDLIB = {"distutils": "setuptools"}
# Look-alike letters seen in typosquats (Cyrillic and Greek), folded only to suggest a real name.
_CONFUSABLES = str.maketrans(
    "аеорсухіјѕԁɡոᴠѵνοαρτκмтнвАВЕКМНОРСТУХІЈЅ",
    "aeopcyxijsdgnvvvoaptkmthbABEKMHOPCTYXIJS",
)
# pip/uv could not find a requirement on the index: the manifest is wrong, not incomplete.
_INDEX_RULES = frozenset(
    {"pip-no-such-package", "pip-no-matching-distribution", "uv-package-not-found"}
)
_PRUNE = frozenset(
    {".venv", "venv", "env", "node_modules", "build", "dist", ".tox", ".nox", "__pycache__"}
)


def plan(finding: Finding, ws: Workspace, ctx: FixContext) -> Fix | None:
    """Plan one added requirement line, or explain why nothing safe can be added."""
    module = finding.data.get("module", "").strip()
    package = finding.data.get("package", "").strip()
    if finding.rule in _INDEX_RULES and package:
        return _not_on_index(package)
    if not _python(finding) or (not module and not package):
        return None  # Node, Ruby, Go, native libraries...: not a Python manifest's business
    raw = module or package
    shown = _shown(raw)
    if not raw.isascii():
        folded = raw.translate(_CONFUSABLES)
        hint = ""
        if folded.isascii():
            real = distributions.distribution_for(folded) or distributions.known_distribution(
                folded
            )
            hint = f"; did you mean: {real}" if real else _did_you_mean(folded, ws)
        return _refuse("", f"{shown} contains non-ASCII look-alike characters; nothing added{hint}")
    if not (_MODULE if module else _PEP508_NAME).fullmatch(raw):
        kind = "module" if module else "PEP 508 distribution"
        return _refuse("", f"{shown} is not a valid {kind} name; nothing added")

    named = repo_named_distributions(ws, prune=_PRUNE)
    dist, why = _choose(module, package, named)
    if dist is None:
        own = _repo_modules(ws)
        if module and module.split(".", 1)[0] in own:
            top = module.split(".", 1)[0]
            return _refuse(
                "",
                f"'{top}' is a module of this repository, not a distribution; install the project "
                "(pip install -e .) or put its directory on PYTHONPATH",
            )
        if "standard library" in why or "namespace" in why or "was found" in why:
            return _refuse("", why)
        return _refuse("", why + _did_you_mean(raw, ws, named.values()))
    if not _PEP508_NAME.fullmatch(dist) or not dist.isascii():
        return _refuse("", f"{_shown(dist)} is not a valid distribution name")

    manifests = workflow_manifests(ws, ctx.workflow, finding.job) if ctx.workflow else []
    if not manifests:
        manifests = default_manifests(ws)
    if not manifests:
        return _refuse(
            "",
            f"no manifest to add {dist} to (requirements.txt, pyproject.toml [project], setup.cfg)",
        )
    target = manifests[0]
    try:
        listed = manifest_names(ws, target)
    except (WorkspaceError, ValueError) as exc:
        return _refuse(target.path, f"{target.path}: cannot parse: {exc}")
    lock = lock_file_for(ws, target)
    if lock is not None and canonicalize_name(dist) not in {canonicalize_name(n) for n in listed}:
        tool = lock.rsplit("/", 1)[-1].split(".")[0]
        return _refuse(
            target.path,
            f"{target.path} is locked by {lock}; run `{tool} add {dist}` so the lock file is "
            "regenerated with it (editing the manifest alone would fail the locked install)",
        )
    if canonicalize_name(dist) in {canonicalize_name(n) for n in listed}:
        return Fix(
            type=HANDLES,
            file=target.path,
            description=f"{dist} is already listed in {target.path}",
            reason=f"{dist} is already listed in {target.path}; the install step may not use it",
        )
    try:
        edit = add_to_manifest(ws, target, dist)
    except (WorkspaceError, ValueError) as exc:
        return _refuse(target.path, str(exc))
    return Fix(
        type=HANDLES,
        file=target.path,
        description=f"add {dist} to {target.describe()} ({why})",
        edits=(edit,),
    )


def _python(finding: Finding) -> bool:
    return finding.rule.startswith("python-") or "No module named" in finding.text


def _not_on_index(package: str) -> Fix:
    """pip/uv could not find a requirement the manifest already names: adding it cannot help."""
    if not _PEP508_NAME.fullmatch(package) or not package.isascii():
        return _refuse("", f"{_shown(package)} is not a valid PEP 508 distribution name")
    known = distributions.known_distribution(package)
    if known is not None:
        why = f"{known} exists; its version pin or the Python version matches no release"
    else:
        found = distributions.suggest(package)
        hint = f"; did you mean: {', '.join(found)}" if found else ""
        why = f"'{package}' is not on the package index under that name{hint}"
    return _refuse("", f"{why}; correct the requirement in the manifest")


def _choose(module: str, package: str, named: dict[str, str]) -> tuple[str | None, str]:
    """(distribution, why) from the table or the repository's own manifests; (None, reason)."""
    if module:
        top = module.split(".", 1)[0]
        if top in _REMOVED_STDLIB:
            dist = _REMOVED_STDLIB[top]
            return named.get(canonicalize_name(dist), dist), f"{top} left the standard library"
        if top in sys.stdlib_module_names:
            return None, f"'{module}' belongs to the standard library; no distribution provides it"
        inside = distributions.listed_under(module)
        if inside and not distributions.distributions_for(module, exact=True):
            examples = ", ".join(inside[:3])
            return None, (
                f"'{module}' is a namespace shared by several distributions ({examples}, ...); "
                "the log does not say which one is missing"
            )
        candidates = distributions.distributions_for(module, exact=True)
        if not candidates and "." in module:
            # Python imported the parent before failing on the child, so the parent exists: the
            # code expects another version of it, or a repository package lacks a module.
            parent = module.rsplit(".", 1)[0]
            return None, (
                f"'{parent}' was found but has no module '{module}'; the code needs a different "
                f"version of {parent} (adding a requirement cannot fix this)"
            )
        for cand in candidates:
            if canonicalize_name(cand) in named:
                return named[canonicalize_name(cand)], f"{module} is provided by {cand}"
        if candidates:
            return candidates[0], f"{module} is provided by {candidates[0]}"
        guess = canonicalize_name(module)
        if guess in named:
            return named[guess], f"this repository already names {named[guess]}"
        return None, f"'{module}' is not a known distribution"
    key = canonicalize_name(package)
    if key in named:
        return named[key], f"this repository already names {named[key]}"
    known = distributions.known_distribution(package)
    if known is not None:
        return known, f"{known} is a vetted distribution"
    return None, f"'{package}' is not a known distribution"


def _did_you_mean(name: str, ws: Workspace, extra: Iterable[str] = ()) -> str:
    found = distributions.suggest(name, [*extra, *_repo_modules(ws)])
    return f"; did you mean: {', '.join(found)}" if found else ""


def _repo_modules(ws: Workspace) -> set[str]:
    out: set[str] = set()
    for path in ws.glob("**/*.py", prune=_PRUNE):
        parts = path.split("/")
        if parts[0] in {"src", "lib"} and len(parts) > 1:
            parts = parts[1:]
        name = parts[0].removesuffix(".py")
        if name.isidentifier():
            out.add(name)
    return out


def _shown(name: str) -> str:
    """A log-supplied name made safe to print: printable ASCII only, short, quoted."""
    clean = "".join(ch if 32 < ord(ch) < 127 and ch not in "'\"`:" else "?" for ch in name)
    return repr(clean[:60])


def _refuse(file: str, reason: str) -> Fix:
    log.info("missing dependency not fixed: %s", reason)
    return Fix(
        type=HANDLES,
        file=file,
        description="add a missing dependency",
        reason=reason,
    )
