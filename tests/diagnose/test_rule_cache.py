"""The validated rule catalog cached on disk: the same rules with or without it, never trusted stale.

`rules/__init__.py` keeps what validation produced in `$XDG_CACHE_HOME/smartmon/` under a key over the
rule files, the loader and the RE2 build. Stale, corrupt or unwritable caches must never change an
answer or raise; they are rebuilt or skipped.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from smartmon.diagnose import classify, rules
from smartmon.diagnose.rules import cache
from smartmon.diagnose.sources import discover

PACKAGE = Path(rules.__file__).parent
LOG = (
    Path(__file__).resolve().parents[1] / "data" / "logs" / "missing_env_vars-keyerror-api-key.txt"
)


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A copy of the packaged rule files, free to edit."""
    folder = tmp_path / "rules"
    folder.mkdir()
    for path in PACKAGE.glob("*.yaml"):
        shutil.copy(path, folder / path.name)
    return folder


@dataclass(frozen=True)
class _Built:
    store: Path  # a cache folder the packaged catalog was built into
    cold: list[rules.Rule]  # what that build returned
    uncached: list[rules.Rule]  # the catalog loaded without a cache


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> _Built:
    """The catalog built once per worker, into a cache and without one: each is a full parse and
    validation of the YAML, the slow part the tests below would otherwise repeat. The cache's key is
    over the files' names and contents, so the store serves any copy of the package."""
    store = tmp_path_factory.mktemp("built") / "cache"
    cold = rules.load_catalog(PACKAGE, store)
    return _Built(store, cold, rules.load_catalog(PACKAGE, None))


def _store(built: _Built, tmp_path: Path) -> Path:
    """A copy of the built cache folder, free to damage."""
    store = tmp_path / "cache"
    shutil.copytree(built.store, store)
    return store


def _no_yaml(*args: object) -> list[rules.Rule]:
    raise AssertionError("the YAML was parsed although the cache holds the catalog")


def test_cached_catalog_is_the_validated_catalog(built: _Built) -> None:
    assert (built.store / rules._CACHE_NAME).is_file()
    assert built.cold == built.uncached == rules.load_rules()
    assert [r.priority for r in built.cold] == list(range(len(built.cold), 0, -1))


def test_a_warm_cache_skips_parsing(
    package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, built: _Built
) -> None:
    store, cold = _store(built, tmp_path), built.cold
    monkeypatch.setattr(rules, "_parse_file", _no_yaml)
    warm = rules.load_catalog(package, store)
    assert warm == cold
    for a, b in zip(warm, cold, strict=True):
        assert dict(a.data) == dict(b.data)
        assert [(e.text, e.data and dict(e.data), e.winner) for e in a.examples_match] == [
            (e.text, e.data and dict(e.data), e.winner) for e in b.examples_match
        ]


def test_a_changed_rule_file_invalidates_the_cache(
    package: Path, tmp_path: Path, built: _Built
) -> None:
    store, before = _store(built, tmp_path), built.cold
    target = package / "30-python.yaml"
    text = target.read_text(encoding="utf-8")
    assert "severity: high" in text
    target.write_text(text.replace("severity: high", "severity: low", 1), encoding="utf-8")
    after = rules.load_catalog(package, store)
    assert after != before
    assert after == rules.load_catalog(package, None)


def test_a_new_smartmon_version_invalidates_the_cache(
    package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, built: _Built
) -> None:
    store = _store(built, tmp_path)
    key = json.loads((store / rules._CACHE_NAME).read_bytes().split(b"\n", 1)[0])["key"]
    monkeypatch.setattr(rules, "VERSION", "999.0.0")
    calls: list[str] = []
    parse = rules._parse_file

    def counting(label: str, content: bytes) -> list[rules.Rule]:
        calls.append(label)
        return parse(label, content)

    monkeypatch.setattr(rules, "_parse_file", counting)
    rules.load_catalog(package, store)
    assert calls  # rebuilt
    new_key = json.loads((store / rules._CACHE_NAME).read_bytes().split(b"\n", 1)[0])["key"]
    assert new_key != key


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"not json at all\n",
        b'{"key": "x"}\n[]',
        b"\x00\xff\xfe garbage",
        "truncate",
        "flip a byte in the body",
        "right hash, wrong shape",
    ],
)
def test_a_corrupt_cache_is_rebuilt(
    package: Path,
    tmp_path: Path,
    damage: bytes | str,
    monkeypatch: pytest.MonkeyPatch,
    built: _Built,
) -> None:
    store, good = _store(built, tmp_path), built.cold
    path = store / rules._CACHE_NAME
    data = path.read_bytes()
    if damage == "truncate":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "flip a byte in the body":
        pos = data.index(b"ModuleNotFoundError")
        path.write_bytes(data[:pos] + b"X" + data[pos + 1 :])
    elif damage == "right hash, wrong shape":
        header = json.loads(data.split(b"\n", 1)[0])
        cache.write(path, header["key"], [["only", "three", "fields"]])
    else:
        assert isinstance(damage, bytes)
        path.write_bytes(damage)
    assert rules.load_catalog(package, store) == good
    # ... and the rebuilt file serves the next run without parsing.
    monkeypatch.setattr(rules, "_parse_file", _no_yaml)
    assert rules.load_catalog(package, store) == good


def test_an_unwritable_cache_folder_still_loads(
    package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, built: _Built
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be")
    assert rules.load_catalog(package, blocker / "smartmon") == built.uncached

    def read_only(*args: object, **kwargs: object) -> None:
        raise PermissionError(30, "Read-only file system")

    import smartmon.atomic

    monkeypatch.setattr(smartmon.atomic, "write_bytes", read_only)
    store = tmp_path / "ro"
    assert rules.load_catalog(package, store) == built.uncached
    assert not (store / rules._CACHE_NAME).exists()


def test_an_unreadable_cache_file_is_skipped(package: Path, tmp_path: Path, built: _Built) -> None:
    store = tmp_path / "cache"
    (store / rules._CACHE_NAME).mkdir(parents=True)  # a folder where the file should be
    assert rules.load_catalog(package, store) == built.uncached


def test_cache_folder_follows_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "xdg" / "smartmon"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.cache_dir() == tmp_path / "home" / ".cache" / "smartmon"


def test_analysis_is_identical_with_and_without_the_cache(
    package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    [source] = discover(LOG)

    def analysed(store: Path | None) -> object:
        from smartmon.diagnose import scan

        catalog = rules.load_catalog(package, store)
        scan._catalog.cache_clear()
        monkeypatch.setattr(scan, "load_rules", lambda: catalog)
        try:
            summary, primary, secondary, notices, first = classify.analyze_job(source)
            return (
                summary,
                [f.to_dict() for f in primary],
                [f.to_dict() for f in secondary],
                [n.to_dict() for n in notices],
                first,
            )
        finally:
            scan._catalog.cache_clear()

    without = analysed(None)
    cold = analysed(tmp_path / "cache")
    warm = analysed(tmp_path / "cache")
    assert without == cold == warm


def test_a_warm_start_leaves_the_examples_unread(
    package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, built: _Built
) -> None:
    """Only the catalog's tests read examples: a warm start decodes the rules' own file alone."""
    store, cold = _store(built, tmp_path), built.cold
    assert (store / rules._EXAMPLES_NAME).is_file()
    reads: list[Path] = []
    real_read = cache.read
    monkeypatch.setattr(cache, "read", lambda path, key: reads.append(path) or real_read(path, key))
    warm = rules.load_catalog(package, store)
    assert reads == [store / rules._CACHE_NAME]
    assert warm[0].examples_match == cold[0].examples_match
    assert reads == [store / rules._CACHE_NAME, store / rules._EXAMPLES_NAME]


@pytest.mark.parametrize("damage", [b"not json\n", None])
def test_lost_examples_are_validated_again(
    package: Path, tmp_path: Path, damage: bytes | None, built: _Built
) -> None:
    store, cold = _store(built, tmp_path), built.cold
    examples = store / rules._EXAMPLES_NAME
    if damage is None:
        examples.unlink()
    else:
        examples.write_bytes(damage)
    warm = rules.load_catalog(package, store)
    assert [(r.id, r.examples_match, r.examples_no_match) for r in warm] == [
        (r.id, r.examples_match, r.examples_no_match) for r in cold
    ]
