"""Emulations of ``actions/upload-artifact``, ``download-artifact`` (v4 semantics) and ``cache``.

Artifacts live in a per-run folder, the cache in a per-repository folder keyed by ``key``.
"""

from __future__ import annotations

import glob
import hashlib
import json
import shutil
from pathlib import Path

from smartmon.sandbox.runner.builtin_actions import ActionCall, fail, truthy_input
from smartmon.sandbox.runner.job_context import JobContext, PostStep, StepOutcome


def _expand(ctx: JobContext, text: str) -> Path:
    if text.startswith("~"):
        return ctx.home / text[1:].lstrip("/")
    path = Path(text)
    return path if path.is_absolute() else ctx.workspace / path


def _matches(ctx: JobContext, spec: str) -> list[Path]:
    """Files matched by a multi-line path spec with globs and ``!`` excludes."""
    include: list[Path] = []
    exclude: set[Path] = set()
    for line in (ln.strip() for ln in spec.splitlines()):
        if not line or line.startswith("#"):
            continue
        target = exclude if line.startswith("!") else None
        pattern = str(_expand(ctx, line.lstrip("!")))
        found: list[Path] = []
        for hit in map(Path, glob.glob(pattern, recursive=True)):
            found.extend(
                p for p in hit.rglob("*") if p.is_file()
            ) if hit.is_dir() else found.append(hit)
        if target is None:
            include.extend(found)
        else:
            exclude.update(found)
    return sorted({p for p in include if p not in exclude})


def _common_root(paths: list[Path]) -> Path:
    parents = [p.parent for p in paths]
    root = parents[0]
    while not all(root == p or root in p.parents for p in parents):
        root = root.parent
    return root


def _artifact_dir(ctx: JobContext) -> Path:
    req = ctx.request
    return ctx.services.artifacts_root / req.repo_full_name / str(req.run_id)


def upload_artifact(call: ActionCall) -> StepOutcome:
    ctx, inputs = call.ctx, call.inputs
    name = inputs.get("name") or "artifact"
    files = _matches(ctx, inputs.get("path", ""))
    if not files:
        message = (
            f"No files were found with the provided path: {inputs.get('path', '')}. "
            "No artifacts will be uploaded."
        )
        mode = inputs.get("if-no-files-found", "warn")
        if mode == "error":
            return fail(ctx, message)
        if mode == "warn":
            ctx.log.warning(message)
        else:
            ctx.log.write(message)
        return StepOutcome("success", "success")
    target = _artifact_dir(ctx) / name
    if target.exists() and not truthy_input(inputs.get("overwrite")):
        return fail(
            ctx,
            "Failed to CreateArtifact: Received non-retryable error: Failed request: (409) "
            "Conflict: an artifact with this name already exists on the workflow run",
        )
    shutil.rmtree(target, ignore_errors=True)
    root = _common_root(files)
    size = 0
    for path in files:
        dest = target / path.relative_to(root)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, dest)
        size += path.stat().st_size
    artifact_id = len(list(target.parent.iterdir()))
    url = f"{ctx.request.server_url}/{ctx.request.repo_full_name}/actions/runs/{ctx.request.run_id}/artifacts/{artifact_id}"
    for line in (
        f"With the provided path, there will be {len(files)} file{'s' if len(files) != 1 else ''} uploaded",
        "Artifact name is valid!",
        "Root directory input is valid!",
        "Beginning upload of artifact content to blob storage",
        f"Uploaded bytes {size}",
        "Finished uploading artifact content to blob storage!",
        "SHA256 digest of uploaded artifact zip is "
        + hashlib.sha256(name.encode() + str(size).encode()).hexdigest(),
        "Finalizing artifact upload",
        f"Artifact {name}.zip successfully finalized. Artifact ID {artifact_id}",
        f"Artifact {name} has been successfully uploaded! Final size is {size} bytes. "
        f"Artifact ID is {artifact_id}",
        f"Artifact download URL: {url}",
    ):
        ctx.log.write(line)
    return StepOutcome("success", "success", {"artifact-id": str(artifact_id), "artifact-url": url})


def download_artifact(call: ActionCall) -> StepOutcome:
    ctx, inputs = call.ctx, call.inputs
    run_dir = _artifact_dir(ctx)
    name = inputs.get("name", "")
    dest = _expand(ctx, inputs.get("path") or ".")
    if name:
        source = run_dir / name
        if not source.is_dir():
            return fail(ctx, f"Unable to download artifact(s): Artifact not found for name: {name}")
        chosen = [source]
        ctx.log.write("Downloading single artifact")
    else:
        pattern = inputs.get("pattern") or "*"
        chosen = sorted(p for p in run_dir.glob(pattern) if p.is_dir()) if run_dir.is_dir() else []
        ctx.log.write(f"Found {len(chosen)} artifact(s)")
    merge = truthy_input(inputs.get("merge-multiple"))
    for source in chosen:
        target = dest if name or merge else dest / source.name
        shutil.copytree(source, target, dirs_exist_ok=True)
        ctx.log.write("Artifact download completed successfully.")
    ctx.log.write(f"Total of {len(chosen)} artifact(s) downloaded")
    ctx.log.write("Download artifact has finished successfully")
    return StepOutcome("success", "success", {"download-path": str(dest)})


def _cache_dir(ctx: JobContext) -> Path:
    return ctx.services.cache_root / ctx.request.repo_full_name


def _slot(ctx: JobContext, path: Path) -> str:
    for prefix, base in (("ws", ctx.workspace), ("home", ctx.home)):
        if path == base or base in path.parents:
            return f"{prefix}/{path.relative_to(base).as_posix()}"
    return f"abs{path.as_posix()}"


def _unslot(ctx: JobContext, slot: str) -> Path:
    prefix, _, rest = slot.partition("/")
    if prefix == "ws":
        return ctx.workspace / rest
    if prefix == "home":
        return ctx.home / rest
    return Path("/" + rest)


def cache(call: ActionCall) -> StepOutcome:
    ctx, inputs = call.ctx, call.inputs
    key = inputs.get("key", "")
    if not key:
        return fail(ctx, "Input required and not supplied: key")
    paths = [ln.strip() for ln in inputs.get("path", "").splitlines() if ln.strip()]
    if not paths:
        return fail(ctx, "Input required and not supplied: path")
    root = _cache_dir(ctx)
    entries = (
        sorted((p for p in root.glob("*/meta.json")), key=lambda p: p.stat().st_mtime, reverse=True)
        if root.is_dir()
        else []
    )
    metas = [(p.parent, json.loads(p.read_text(encoding="utf-8"))) for p in entries]
    hit = next((d for d, m in metas if m["key"] == key), None)
    matched_key = key if hit else ""
    if hit is None:
        for prefix in [
            ln.strip() for ln in inputs.get("restore-keys", "").splitlines() if ln.strip()
        ]:
            found = next(((d, m) for d, m in metas if m["key"].startswith(prefix)), None)
            if found:
                hit, matched_key = found[0], found[1]["key"]
                break
    if hit is None:
        if truthy_input(inputs.get("fail-on-cache-miss")):
            return fail(
                ctx,
                f"Failed to restore cache entry. Exiting as fail-on-cache-miss is set. Input key: {key}",
            )
        ctx.log.write(
            f"Cache not found for input keys: {', '.join([key, *inputs.get('restore-keys', '').split()])}"
        )
    else:
        for slot_dir in (hit / "data").iterdir() if (hit / "data").is_dir() else []:
            for item in slot_dir.rglob("*"):
                if item.is_file():
                    rel = item.relative_to(slot_dir)
                    dest = (
                        _unslot(ctx, json.loads((hit / "slots.json").read_text())[slot_dir.name])
                        / rel
                    )
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(item, dest)
        ctx.log.write("Cache restored successfully")
        ctx.log.write(f"Cache restored from key: {matched_key}")
    exact = matched_key == key

    def save(job: JobContext) -> bool:
        if exact:
            job.log.write(f"Cache hit occurred on the primary key {key}, not saving cache.")
            return True
        entry = root / hashlib.sha256(key.encode()).hexdigest()[:32]
        shutil.rmtree(entry, ignore_errors=True)
        slots: dict[str, str] = {}
        for index, text in enumerate(paths):
            for source in map(Path, glob.glob(str(_expand(job, text)), recursive=True)):
                name = f"s{index}-{len(slots)}"
                slots[name] = _slot(job, source)
                target = entry / "data" / name
                if source.is_dir():
                    shutil.copytree(source, target)
                else:
                    target.mkdir(parents=True)
                    shutil.copy2(source, target / source.name)
                    slots[name] = _slot(job, source.parent)
        if not slots:
            job.log.warning(
                "Path Validation Error: Path(s) specified in the action for caching do(es) not exist, hence no cache is being saved."
            )
            return True
        (entry / "slots.json").write_text(json.dumps(slots), encoding="utf-8")
        (entry / "meta.json").write_text(json.dumps({"key": key}), encoding="utf-8")
        job.log.write(f"Cache saved with key: {key}")
        return True

    ctx.post_steps.append(PostStep(f"Post {call.display}", save, "success()"))
    return StepOutcome(
        "success",
        "success",
        {"cache-hit": "true" if exact else "false", "cache-matched-key": matched_key},
    )


UPLOAD_DEFAULTS: dict[str, str | None] = {
    "name": "artifact",
    "path": None,
    "if-no-files-found": "warn",
    "retention-days": None,
    "compression-level": "6",
    "overwrite": "false",
    "include-hidden-files": "false",
}
DOWNLOAD_DEFAULTS: dict[str, str | None] = {
    "name": None,
    "pattern": None,
    "path": None,
    "github-token": None,
    "repository": "${{ github.repository }}",
    "run-id": "${{ github.run_id }}",
    "merge-multiple": "false",
}
CACHE_DEFAULTS: dict[str, str | None] = {
    "path": None,
    "key": None,
    "restore-keys": None,
    "upload-chunk-size": None,
    "enableCrossOsArchive": "false",
    "fail-on-cache-miss": "false",
    "lookup-only": "false",
    "save-always": "false",
}
