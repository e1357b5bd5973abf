"""Close the tracking issue of a workflow that passes again on the default branch (issue 16).

The action opens one issue per workflow failing on the default branch; the monitor, watching the
same workflows, closes it with a comment at the first passing run it sees. Each passing run is
checked once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from smartmon.github import GitHubClient
from smartmon.heal import close_tracking
from smartmon.monitor.watch import Watch, run_key


def close_passing(
    client: GitHubClient,
    watches: Iterable[Watch],
    *,
    default_branch: str,
    seen: set[tuple[int, int]],
    say: Callable[[str, int], None],
) -> None:
    for watch in watches:
        run = watch.run
        if run is None or run.get("conclusion") != "success" or watch.branch != default_branch:
            continue
        if run_key(run) in seen:
            continue
        seen.add(run_key(run))
        html = str(run.get("html_url") or "")
        server_url = html.partition(f"/{client.repo}/")[0] or "https://github.com"
        closed = close_tracking(client, run, server_url=server_url, repo=client.repo)
        if closed.action == "closed":
            say(
                f"{watch.name}: passing again; closed tracking issue #{closed.number}", logging.INFO
            )
        elif closed.note:
            say(f"{watch.name}: {closed.note}", logging.WARNING)
