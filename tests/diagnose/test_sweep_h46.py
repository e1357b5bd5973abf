"""Verdicts the scientific-Python/ML third sweep relies on: pytest's collection errors name their
module as the failed test, micromamba's indented solver failure, the Hub's gated repos, PyTorch's CPU
allocator out of memory, Julia's resolver and BiocManager's R pin.

Texts are the tools' real formats with names changed; the thread each comes from is named in the rule
or in the tuning case that uses it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmon.diagnose import analyze_paths
from smartmon.diagnose.named_failures import named_failure
from tests.diagnose.joblog import FAILED, assert_finding, run_step, write_job


@pytest.mark.parametrize(
    ("lines", "want"),
    [
        (
            [
                "=========================== short test summary info ============================",
                "ERROR tests/test_transformers.py - TypeError: OneHotEncoder.__init__() got an"
                " unexpected keyword argument 'sparse'",
            ],
            "tests/test_transformers.py",
        ),
        # -q without a reason, a Windows path, and the ERRORS section's header.
        (["ERROR tests/test_models.py"], "tests/test_models.py"),
        (["ERROR tests\\test_cli.py - ImportError: DLL load failed"], "tests\\test_cli.py"),
        (
            ["_________________ ERROR collecting tests/unit/test_io.py _________________"],
            "tests/unit/test_io.py",
        ),
        # Julia's Test: the testset over a failed @test or an error inside one (Windows paths too).
        (
            ["parse_header: Test Failed at /home/runner/work/Vcf.jl/Vcf.jl/test/runtests.jl:42"],
            "parse_header",
        ),
        (
            ["Collect Results: Error During Test at D:\\a\\Kit.jl\\Kit.jl\\test\\runtests.jl:9"],
            "Collect Results",
        ),
        (["Test Failed at /home/runner/work/Vcf.jl/Vcf.jl/test/runtests.jl:42"], None),
        # A node id keeps its test; pytest's own tallies name none.
        (["ERROR tests/test_db.py::test_connect - OSError: boom"], None),
        (["collected 42 items / 1 error", "1 error in 0.12s"], None),
    ],
)
def test_pytest_collection_error_names_the_module(lines: list[str], want: str | None) -> None:
    assert named_failure(lines) == want


def test_collection_error_is_the_failed_test(tmp_path: Path) -> None:
    lines = run_step(
        "pytest .",
        "collected 1404 items / 1 error",
        "==================================== ERRORS ====================================",
        "__________________ ERROR collecting tests/test_transformers.py __________________",
        "E   TypeError: OneHotEncoder.__init__() got an unexpected keyword argument 'sparse'",
        "=========================== short test summary info ============================",
        "ERROR tests/test_transformers.py - TypeError: OneHotEncoder.__init__() got an unexpected"
        " keyword argument 'sparse'",
        "!!!!!!!!!!!!!!!!!!!! Interrupted: 1 error during collection !!!!!!!!!!!!!!!!!!!!",
        "##[error]Process completed with exit code 2.",
    )
    finding = analyze_paths([write_job(tmp_path, lines)]).findings[0]
    assert finding.type.value == "test_failure"
    assert finding.data.get("test") == "tests/test_transformers.py"


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # setup-micromamba / provision-with-micromamba indent micromamba's own lines.
        (
            [
                "  error    libmamba Could not solve for environment specs",
                "      Encountered problems while solving:",
                "        - nothing provides __cuda needed by pytorch-1.13.0-cuda112py310he33e0d6_200",
                "",
                "      The environment can't be solved, aborting the operation",
                "Error: The process '/home/runner/micromamba-bin/micromamba' failed with exit code 1",
            ],
            "dependency_conflict",
            {},
        ),
        (
            [
                "FAILED tests/test_sft.py::TestSFT::test_train_vlm - OSError: You are trying to"
                " access a gated repo.",
                "Make sure to have access to it at https://huggingface.co/acme/gated-model.",
                "1 failed, 40 passed in 12.00s",
                FAILED,
            ],
            "auth_error",
            {},
        ),
        (
            [
                "RuntimeError: [enforce fail at alloc_cpu.cpp:83] . DefaultCPUAllocator: can't"
                " allocate memory: you tried to allocate 1073741824 bytes. Error code 12 (Cannot"
                " allocate memory)",
                FAILED,
            ],
            "runner_failure",
            {},
        ),
        (
            [
                "ERROR: LoadError: Unsatisfiable requirements detected for package SciMLOperators"
                " [c0aeaf25]:",
                " SciMLOperators [c0aeaf25] log:",
                FAILED,
            ],
            "dependency_conflict",
            {"package": "SciMLOperators"},
        ),
        (
            [
                "Error: Bioconductor version '3.22' requires R version '4.5'; use `version = '3.23'`",
                "  with R version 4.6; see https://bioconductor.org/install",
                "Execution halted",
                FAILED,
            ],
            "dependency_conflict",
            {},
        ),
    ],
)
def test_verdict(tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]) -> None:
    assert_finding(tmp_path, lines, want, facts)


@pytest.mark.parametrize(
    ("lines", "want", "facts"),
    [
        # Every torchvision mirror failed; the bare URLError lines are not a token's 403.
        (
            [
                "Downloading http://yann.lecun.com/exdb/mnist/train-images-idx3-ubyte.gz",
                "Failed to download (trying next):",
                "HTTP Error 403: Forbidden",
                "",
                "RuntimeError: Error downloading train-images-idx3-ubyte.gz",
                FAILED,
            ],
            "network_error",
            {},
        ),
        (
            [
                "FAILED tests/test_data.py::test_load - ConnectionError: Couldn't reach 'acme/tenk'"
                " on the Hub (ConnectionError)",
                "1 failed, 9 passed in 31.20s",
                FAILED,
            ],
            "network_error",
            {},
        ),
        (
            [
                "ConnectionError: Couldn't reach https://huggingface.co/datasets/acme/corpus/resolve/"
                "main/dataset_infos.json (ConnectionError(ProtocolError('Connection aborted.')))",
                FAILED,
            ],
            "network_error",
            {"host": "huggingface.co"},
        ),
        (
            [
                "E   ImportError: /lib/x86_64-linux-gnu/libstdc++.so.6: version `GLIBCXX_3.4.30' not"
                " found (required by /usr/share/miniconda/envs/test/lib/python3.10/site-packages/"
                "scipy/sparse/_sparsetools.cpython-310-x86_64-linux-gnu.so)",
                "ERROR tests/test_graph.py",
                "##[error]Process completed with exit code 2.",
            ],
            "import_error",
            {"name": "GLIBCXX_3.4.30"},
        ),
        (
            [
                "[NbConvertApp] Converting notebook docs/index.ipynb to html",
                "jupyter_client.kernelspec.NoSuchKernel: No such kernel named acme-env",
                FAILED,
            ],
            "missing_dependency",
            {},
        ),
    ],
)
def test_ml_data_family_verdicts(
    tmp_path: Path, lines: list[str], want: str, facts: dict[str, str]
) -> None:
    assert_finding(tmp_path, lines, want, facts)


def test_mirror_that_failed_before_one_that_worked_is_no_failure(tmp_path: Path) -> None:
    lines = run_step(
        "python train.py --epochs 1",
        "Downloading http://yann.lecun.com/exdb/mnist/train-images-idx3-ubyte.gz",
        "Failed to download (trying next):",
        "HTTP Error 403: Forbidden",
        "",
        "Downloading https://ossci-datasets.s3.amazonaws.com/mnist/train-images-idx3-ubyte.gz",
        "100.0%",
        "Extracting ./data/MNIST/raw/train-images-idx3-ubyte.gz to ./data/MNIST/raw",
        "Epoch 1: loss 0.31 accuracy 0.91",
    )
    assert analyze_paths([write_job(tmp_path, lines)]).findings == ()
