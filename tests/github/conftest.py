"""Fixtures for client tests: a fake GitHub (and a second origin for blobs), a fake clock."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from smartmon.github.client import GitHubClient
from tests.github.fake_github import REPO, TOKEN, FakeGitHub, Sleeps


@pytest.fixture
def fake() -> Iterator[FakeGitHub]:
    server = FakeGitHub()
    yield server
    server.close()


@pytest.fixture
def blob() -> Iterator[FakeGitHub]:
    """A second server: a different origin, like pipelines.actions.githubusercontent.com."""
    server = FakeGitHub()
    yield server
    server.close()


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def client(fake: FakeGitHub, sleeps: Sleeps) -> GitHubClient:
    return GitHubClient(
        TOKEN, repo=REPO, api_url=fake.url, clock=sleeps.clock, sleep=sleeps, timeout=5
    )
