"""The sandbox's `actions/create-github-app-token`: the installation token kept as the key."""

from __future__ import annotations

from pathlib import Path

from tests.sandbox.runner_support import body, make_repo, make_runner, request

WORKFLOW = """
on: push
jobs:
  t:
    runs-on: ubuntu-latest
    steps:
      - id: app
        uses: actions/create-github-app-token@1b10c78c7865c340bc4f6099eb2f838309f1e8c3 # v3.1.1
        with:
          client-id: Iv23sandbox
          private-key: ${{ secrets.KEY }}
          owner: acme
      - env:
          TOKEN: ${{ steps.app.outputs.token }}
        run: echo "token ${TOKEN} slug ${{ steps.app.outputs.app-slug }}"
"""


def test_hands_back_the_installation_token_masked(tmp_path: Path) -> None:
    bare, _, sha = make_repo(tmp_path, {".github/workflows/ci.yml": WORKFLOW})
    key = "ghs_" + "a" * 36
    result = make_runner(tmp_path).run(request(bare, sha, secrets={"KEY": key}))
    assert result.conclusion == "success"
    lines = body(result.jobs[0].log)
    assert "token *** slug smartmon-sandbox" in lines
    assert key not in result.jobs[0].log


def test_a_key_that_is_no_installation_token_fails(tmp_path: Path) -> None:
    bare, _, sha = make_repo(tmp_path, {".github/workflows/ci.yml": WORKFLOW})
    pem = "-----BEGIN RSA PRIVATE KEY-----"
    result = make_runner(tmp_path).run(request(bare, sha, secrets={"KEY": pem}))
    assert result.conclusion == "failure"
    assert "'private-key' must hold an installation token" in result.jobs[0].log
