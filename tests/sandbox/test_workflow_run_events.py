"""`workflow_run` is sent when a run is requested, when it starts and when it completes, as on
GitHub; a listener hears only the `types:` it names."""

from __future__ import annotations

from tests.fixtures_sandbox import CI_WORKFLOW, SandboxHandle

pytest_plugins = ["tests.fixtures_sandbox"]

LISTENER = """\
name: Watch
on:
  workflow_run:
    workflows: [CI]
    types: [requested, in_progress]
jobs:
  note:
    runs-on: ubuntu-latest
    steps:
      - run: echo seen
"""


def test_requested_and_in_progress_start_listeners(sandbox_server: SandboxHandle) -> None:
    files = {".github/workflows/ci.yml": CI_WORKFLOW, ".github/workflows/watch.yml": LISTENER}
    sandbox_server.admin.create_repo("octo", "events", files)
    sandbox_server.admin.wait_idle()
    app = sandbox_server.app
    assert app is not None
    with app.state.lock:
        runs = sorted(app.state.runs.values(), key=lambda r: r.id)
    ci = [r for r in runs if r.name == "CI"]
    heard = [r.payload["action"] for r in runs if r.name == "Watch"]
    assert len(ci) == 1 and sorted(heard) == ["in_progress", "requested"]
    assert all(r.event == "workflow_run" for r in runs if r.name == "Watch")
