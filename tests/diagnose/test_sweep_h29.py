"""Verdicts the scientific-Python / ML / data sweep (helper h29) relies on.

Texts are the tools' real formats with names changed; the thread each comes from is named in the rule
(rules/40-node.yaml, 45-langs.yaml, 80-network.yaml), in diagnose/upstream.py or in the tuning case.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.diagnose.joblog import FAILED, top_finding

_HF_429 = (
    "requests.exceptions.HTTPError: 429 Client Error: Too Many Requests for url:"
    " https://huggingface.co/acme/model/resolve/main/weights.keras"
)


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # pytest's summary line carries the download error that ended the test: the network is the
        # cause (diagnose/upstream.py, same line), not the test.
        (
            [
                "##[group]Run pytest",
                "##[endgroup]",
                f"ERROR tests/test_model.py::test_default_model - {_HF_429}",
                "=================== 18 passed, 1 error in 41.27s ===================",
                FAILED,
            ],
            "network_error",
            {"host": "huggingface.co"},
        ),
        # ... and an assertion about a status code stays the test's failure.
        (
            [
                "##[group]Run pytest",
                "##[endgroup]",
                "FAILED tests/test_client.py::test_retry_after - assert 429 == 200",
                "=================== 1 failed, 18 passed in 1.27s ===================",
                FAILED,
            ],
            "test_failure",
            {"test": "tests/test_client.py::test_retry_after"},
        ),
        # huggingface_hub with nothing cached and the Hub out of reach.
        (
            [
                "##[group]Run pytest",
                "##[endgroup]",
                "FAILED tests/test_parser.py::test_parse - huggingface_hub.errors."
                "LocalEntryNotFoundError: An error happened while trying to locate the file on the Hub"
                " and we cannot find the requested files in the local cache. Please check your"
                " connection and try again or make sure your Internet connection is on.",
                "=================== 21 failed, 50 passed in 12.00s ===================",
                FAILED,
            ],
            "network_error",
            {},
        ),
        # micromamba with the URL on the line under curl's error.
        (
            [
                "##[group]Run micromamba create -f environment.yml",
                "##[endgroup]",
                "warning  libmamba Retrying in 2 seconds",
                "critical libmamba Download error (28) Timeout was reached",
                "    [https://conda.anaconda.org/conda-forge/linux-64/numpy-2.4.6-py311_0.conda]",
                "    Operation too slow. Less than 30 bytes/sec transferred the last 60 seconds",
                FAILED,
            ],
            "network_error",
            {"host": "conda.anaconda.org"},
        ),
        # Julia: a dependency recorded in Project.toml but never instantiated.
        (
            [
                "##[group]Run julia --project -e 'using Pkg; Pkg.test()'",
                "##[endgroup]",
                "ERROR: LoadError: ArgumentError: Package DataFrames"
                " [a93c6f00-e57d-5684-b7b6-d8193f3e46c0] is required but does not seem to be installed:",
                " - Run `Pkg.instantiate()` to install all recorded dependencies.",
                FAILED,
            ],
            "missing_dependency",
            {"module": "DataFrames"},
        ),
        # pixi install --locked, older wording, pasted from the web page.
        (
            [
                "##[group]Run pixi install --locked",
                "##[endgroup]",
                "  × lock-file not up-to-date with the project",
                FAILED,
            ],
            "dependency_conflict",
            {},
        ),
    ],
)
def test_sweep_h29(tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]) -> None:
    kind, data = top_finding(tmp_path, lines)
    assert kind == want
    for key, value in facts.items():
        assert data.get(key) == value
