"""Verdicts the random-sample sweep (helper h155: blockchain and web3 projects, Hardhat, Foundry,
Truffle, Solana, Substrate, Cosmos) relies on beyond the rules' own examples, in both forms a log
arrives in: pasted (bare lines, no trailer) and downloaded (timestamped, step headers, the trailer).

Texts are the tools' real formats with names changed; the rules cite the threads.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.diagnose.joblog import assert_finding, assert_step_finding, top_finding

_INFURA = (
    "thread 'fork::can_fork_block' panicked at 'called `Result::unwrap()` on an `Err` value: "
    'JsonRpcClientError(JsonRpcError(JsonRpcError { code: -32005, message: "daily request count '
    "exceeded, request rate limited\", data: None }))', tests/it/fork.rs:41:62"
)


def _cargo_test(test: str, *output: str) -> list[str]:
    """libtest's report of one failed test: its row, then its captured output under its header."""
    return [
        "running 3 tests",
        f"test {test} ... FAILED",
        "test cmd::can_init ... ok",
        "",
        "failures:",
        "",
        f"---- {test} stdout ----",
        *output,
        "",
        "failures:",
        f"    {test}",
        "",
        "test result: FAILED. 2 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out",
    ]


_CASES = [
    # A fork test throttled by its RPC provider: the request in the test's own output is the cause.
    (_cargo_test("fork::can_fork_block", _INFURA), "network_error", {}),
    # The same report with an assertion in the output: the test itself failed.
    (
        _cargo_test(
            "fork::can_fork_block",
            "thread 'fork::can_fork_block' panicked at 'assertion failed: `(left == right)`', "
            "tests/it/fork.rs:41:5",
        ),
        "test_failure",
        {"test": "fork::can_fork_block"},
    ),
    # forge before 1.0: the fork's public RPC is gone.
    (
        [
            "Running 2 tests for test/Fork.t.sol:ForkTest",
            "[PASS] testBalance() (gas: 6071)",
            "[FAIL. Reason: Could not instantiate forked environment with fork url: "
            "https://rpc.example-chain.io/eth] testRpcs() (gas: 10344)",
            "Test result: FAILED. 1 passed; 1 failed; finished in 1.33s",
        ],
        "network_error",
        {"host": "rpc.example-chain.io"},
    ),
    # Hardhat's solc download, printed twice.
    (
        [
            "Downloading compiler 0.8.24",
            "Error HH502: Couldn't download compiler version list. Please check your internet "
            "connection and try again.",
            "",
            "HardhatError: HH502: Couldn't download compiler version list. Please check your "
            "internet connection and try again.",
        ],
        "network_error",
        {},
    ),
]


@pytest.mark.parametrize(("lines", "want", "facts"), _CASES)
def test_pasted_verdicts(
    tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]
) -> None:
    assert_finding(tmp_path, lines, want, facts)


@pytest.mark.parametrize(("lines", "want", "facts"), _CASES)
def test_downloaded_verdicts(
    tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]
) -> None:
    assert_step_finding(tmp_path, lines, want, facts)


def test_a_second_failed_test_keeps_the_test_failure(tmp_path: Path) -> None:
    """A throttled request explains only its own test: with another test failing on a panic of its
    own, the job's failure is the tests'."""
    lines = [
        *_cargo_test("fork::a", _INFURA)[:-4],
        "---- unit::b stdout ----",
        "thread 'unit::b' panicked at 'explicit panic', src/lib.rs:3:5",
        "",
        "failures:",
        "    fork::a",
        "    unit::b",
        "",
        "test result: FAILED. 1 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out",
    ]
    lines.insert(2, "test unit::b ... FAILED")
    assert_finding(tmp_path, lines, "test_failure", {})


def test_future_fork_block_is_not_the_network(tmp_path: Path) -> None:
    """A block number past the chain's head is the test's pin, not an RPC that failed."""
    lines = [
        "Ran 1 test for test/Fork.t.sol:ForkTest",
        "[FAIL: vm.createSelectFork: could not instantiate forked environment with provider "
        "rpc.example-chain.io; failed to get block number: 23002633; latest block number: "
        "23006171] setUp() (gas: 0)",
        "Suite result: FAILED. 0 passed; 1 failed; 0 skipped; finished in 935.80ms",
    ]
    assert top_finding(tmp_path, lines)[0] != "network_error"
