"""A local emulator of GitHub's REST API with real git hosting and a workflow runner.

Server side: ``server`` (HTTP pipeline: versions, auth, faults, rate limits, ETags) with routes in
``routes_actions``, ``routes_checks``, ``routes_git``, ``routes_pulls`` and ``routes_repo``;
``githttp`` (git smart HTTP); ``runqueue`` and ``events`` (what starts runs, GitHub's token
rules); ``state`` (the model); ``admin`` (/_sandbox/ routes for tests); ``faults``; ``process``
(start ``smartmon sandbox serve`` as a child). The runner side meets the server only through
``runtypes``.
"""
