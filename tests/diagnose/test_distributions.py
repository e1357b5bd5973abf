from __future__ import annotations

import importlib.metadata
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from smartmon.diagnose import distributions
from smartmon.diagnose.distributions import (
    distribution_for,
    distributions_for,
    imports_for,
    known_distribution,
    known_distributions,
    suggest,
)

TABLE = Path(distributions.__file__).parent / "data" / "import_names.tsv"


def _rows() -> list[tuple[str, str]]:
    rows = []
    for line in TABLE.read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            module, dist = line.split("\t")
            rows.append((module, dist))
    return rows


@pytest.mark.parametrize(
    ("module", "dist"),
    [
        ("yaml", "PyYAML"),
        ("dateutil", "python-dateutil"),
        ("dateutil.parser", "python-dateutil"),
        ("cv2", "opencv-python"),
        ("sklearn", "scikit-learn"),
        ("sklearn.model_selection", "scikit-learn"),
        ("PIL", "pillow"),
        ("bs4", "beautifulsoup4"),
        ("google.protobuf", "protobuf"),
        ("google.protobuf.json_format", "protobuf"),
        ("jwt", "PyJWT"),
        ("requests", "requests"),
        ("numpy", "numpy"),
        ("azure.storage.blob", "azure-storage-blob"),
        ("google.cloud.storage", "google-cloud-storage"),
    ],
)
def test_known_imports(module: str, dist: str) -> None:
    assert distribution_for(module) == dist


@pytest.mark.parametrize(
    "module", ["google", "google.cloud", "azure", "reqeusts", "acme_internal", "", "os", "json.x"]
)
def test_unknown_ambiguous_or_stdlib(module: str) -> None:
    assert distribution_for(module) is None
    assert distributions_for(module) == ()


def test_stdlib_never_maps() -> None:
    for name in sys.stdlib_module_names:
        assert distribution_for(name) is None, name


def test_table_shape() -> None:
    rows = _rows()
    assert len(rows) >= 300
    assert len(set(rows)) == len(rows), "duplicate rows"
    header = TABLE.read_text("utf-8").split("\n\n")[0]
    assert "Source:" in header and "Licence:" in header
    for module, dist in rows:
        assert module.split(".")[0] not in sys.stdlib_module_names, module
        assert all(part.isidentifier() for part in module.split(".")), module
        assert dist.isascii(), dist
        req = Requirement(dist)
        assert req.name == dist and not req.specifier and not req.url and not req.extras, dist
    assert "google" not in {m for m, _ in rows}
    assert "azure" not in {m for m, _ in rows}


def test_alternatives_keep_the_default_first() -> None:
    assert distributions_for("psycopg2") == ("psycopg2-binary", "psycopg2")
    assert distributions_for("cv2")[0] == "opencv-python"
    assert "opencv-python-headless" in distributions_for("cv2")


def test_table_agrees_with_installed_metadata() -> None:
    """Every table entry whose top-level module is installed here names a providing distribution."""
    installed = importlib.metadata.packages_distributions()
    checked = 0
    for module, dists in {m: distributions_for(m) for m, _ in _rows()}.items():
        top = module.split(".")[0]
        if top not in installed:
            continue
        providers = {canonicalize_name(d) for d in installed[top]}
        assert providers & {canonicalize_name(d) for d in dists}, (module, dists, providers)
        checked += 1
    assert checked >= 15  # yaml, requests, packaging, tomlkit, nacl, pytest, xdist, ...


def test_known_distributions_and_reverse_lookup() -> None:
    known = known_distributions()
    assert {"PyYAML", "requests", "protobuf", "scikit-learn"} <= known
    assert known_distribution("pyyaml") == "PyYAML"
    assert known_distribution("Scikit_Learn") == "scikit-learn"
    assert known_distribution("reqeusts") is None
    assert "yaml" in imports_for("pyyaml")
    assert imports_for("acme-internal") == ()


@pytest.mark.parametrize(
    "name",
    ["PyYAML", "Scikit_Learn", "zope.interface", "typing-extensions", "A__b-.c", "ruamel.yaml"],
)
def test_canonicalize_name_is_pep503(name: str) -> None:
    assert distributions.canonicalize_name(name) == canonicalize_name(name)


def test_analyze_path_does_not_import_packaging() -> None:
    # packaging.utils pulls in packaging.tags and packaging.version: 6-9 ms on every analyze.
    code = "import sys, smartmon.diagnose.distributions; print('packaging' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_suggest() -> None:
    assert suggest("reqeusts") == ["requests"]
    assert suggest("requets")[0] == "requests"
    assert suggest("acme_internal") == []
    assert suggest("acme_internl", extra=["acme_internal"]) == ["acme_internal"]
    assert len(suggest("pandass")) <= 3
    assert suggest("pandass")[0] == "pandas"
