"""`smartmon sandbox serve`: a local GitHub (REST API, git hosting, workflow runner).

The first stdout line is exactly
``SMARTMON_SANDBOX api=http://HOST:PORT repo=OWNER/NAME token=TOKEN`` (flushed), so scripts can
start it and read where it is; an organisation scenario (``--scenario org``) adds ``org=NAME``. The admin token for /_sandbox/ goes to ``--admin-file`` (JSON) and
to stderr.
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import os
import signal
import sys
import tempfile
import threading
from pathlib import Path
from types import FrameType
from typing import Any

from smartmon.errors import InputError
from smartmon.sandbox import (
    AdminError,
    FaultSpecError,
    RunnerProtocol,
    SandboxServer,
    create_repo,
    parse_faults,
)

log = logging.getLogger(__name__)

DEFAULT_RUNNER = "smartmon.sandbox.runner:Runner"
_EMPTY_REPO = ("sandbox", "demo", {"README.md": b"# A sandbox repository\n"})


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    serve = sub.add_parser("serve", help="serve the emulator until SIGINT or SIGTERM")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=0, help="port (default 0: any free port)")
    serve.add_argument(
        "--scenario",
        action="append",
        default=[],
        metavar="NAME",
        help="create this scenario's repository and start its push runs (repeatable)",
    )
    serve.add_argument("--state", type=Path, help="keep repositories and runs in this folder")
    serve.add_argument("--faults", default="", metavar="SPEC", help="inject faults (see docs)")
    serve.add_argument(
        "--action-map",
        action="append",
        default=[],
        metavar="OWNER/REPO@REF=PATH",
        help="run this local folder for `uses: OWNER/REPO@REF` (repeatable)",
    )
    serve.add_argument("--admin-file", type=Path, help="write the admin token and URLs here")
    serve.add_argument(
        "--runner", default=DEFAULT_RUNNER, metavar="MODULE:FACTORY", help=argparse.SUPPRESS
    )
    serve.add_argument("--workers", type=int, default=1, help="runs executed at once (default 1)")


def _action_map(entries: list[str]) -> dict[str, Path]:
    mapping: dict[str, Path] = {}
    for entry in entries:
        action, sep, folder = entry.partition("=")
        if not sep or "@" not in action or not Path(folder).is_dir():
            raise InputError(
                f"--action-map {entry}: expected OWNER/REPO@REF=FOLDER with an existing folder"
            )
        mapping[action] = Path(folder).resolve()
    return mapping


def _runner(spec: str, action_map: dict[str, Path]) -> RunnerProtocol:
    module_name, _, attr = spec.partition(":")
    try:
        factory = getattr(importlib.import_module(module_name), attr or "Runner")
    except (ImportError, AttributeError) as exc:
        raise InputError(f"--runner {spec}: cannot load the workflow runner ({exc})") from exc
    runner: RunnerProtocol = factory(action_map=action_map)
    return runner


def _organisation(app: SandboxServer, name: str) -> tuple[str, list[str]]:
    """Create every repository of the organisation scenario `name`; (org, repositories)."""
    orgs: Any = importlib.import_module("smartmon.sandbox.scenarios.organisation")
    org: Any = orgs.load_organisation(name)
    created = []
    for entry in org.repositories:
        sc: Any = entry.scenario
        if sc.full_name not in app.state.repos:
            repo, _, _ = create_repo(
                app,
                sc.owner,
                sc.name,
                dict(sc.files),
                executable=set(sc.executable),
                secrets=dict(sc.secrets),
                variables=dict(sc.variables),
                default_branch=str(sc.default_branch),
            )
            with app.state.lock:
                repo.archived, repo.fork = bool(entry.archived), bool(entry.fork)
                repo.topics = list(entry.topics)
        created.append(str(sc.full_name))
    app.state.save()
    failing = [str(r.full_name) for r in org.failing()]
    return str(org.name), failing + [r for r in created if r not in failing]


def _scenario_repos(app: SandboxServer, names: list[str]) -> tuple[list[str], str | None]:
    created: list[str] = []
    org: str | None = None
    if names:
        # Scenarios are data owned by the runner's side of the sandbox.
        scenarios: Any = importlib.import_module("smartmon.sandbox.scenarios")
        known = scenarios.names()
        organisations: Any = importlib.import_module("smartmon.sandbox.scenarios.organisation")
        known_orgs: list[str] = organisations.organisation_names()
        for name in names:
            if name in known_orgs:
                org, repos = _organisation(app, name)
                created += repos
                continue
            if name not in known:
                choices = ", ".join(sorted([*known, *known_orgs]))
                raise InputError(f"--scenario {name}: unknown; choose from {choices}")
            sc: Any = scenarios.load(name)
            full = f"{sc.owner}/{sc.name}"
            if full not in app.state.repos:
                create_repo(
                    app,
                    sc.owner,
                    sc.name,
                    dict(sc.files),
                    executable=set(getattr(sc, "executable", set())),
                    secrets=dict(sc.secrets),
                    variables=dict(sc.variables),
                    default_branch=str(getattr(sc, "default_branch", "main")),
                )
            created.append(full)
        return created, org
    if app.state.repos:
        return [next(iter(app.state.repos))], None
    owner, name, files = _EMPTY_REPO
    create_repo(app, owner, name, dict(files))
    return [f"{owner}/{name}"], None


def _write_admin_file(path: Path, info: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".admin-")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(info, out)
    os.replace(tmp, path)


def run(args: argparse.Namespace) -> int:
    try:
        parse_faults(args.faults)
    except FaultSpecError as exc:
        raise InputError(f"--faults: {exc}") from exc
    runner = _runner(args.runner, _action_map(args.action_map))
    with tempfile.TemporaryDirectory(prefix="smartmon-sandbox-") as tmp:
        root = (args.state / "repos") if args.state else Path(tmp) / "repos"
        try:
            app = SandboxServer(
                runner,
                root=root,
                host=args.host,
                port=args.port,
                state_dir=args.state,
                faults=args.faults,
                workers=max(1, args.workers),
            )
        except OSError as exc:
            raise InputError(
                f"--host {args.host} --port {args.port}: cannot listen ({exc})"
            ) from exc
        stop = threading.Event()

        def on_signal(signum: int, frame: FrameType | None) -> None:
            stop.set()

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        app.start()
        try:
            repos, org = _scenario_repos(app, list(args.scenario))
            owner = repos[0].split("/", 1)[0]
            token = app.state.new_token("pat", login=owner)
            app.state.save()
            info = {"api_url": app.api_url, "admin_token": app.admin_token, "token": token.value}
            if args.admin_file:
                _write_admin_file(args.admin_file, info | {"repo": repos[0]})
            # An organisation scenario adds ` org=NAME` (issue 15); the rest stays the same.
            tail = f" org={org}" if org else ""
            sys.stdout.write(
                f"SMARTMON_SANDBOX api={app.api_url} repo={repos[0]} token={token.value}{tail}\n"
            )
            sys.stdout.flush()
            print(f"smartmon: sandbox admin token: {app.admin_token}", file=sys.stderr, flush=True)
            while not stop.wait(0.5):
                pass
        except AdminError as exc:
            raise InputError(str(exc)) from exc
        finally:
            app.close()
    return 0
