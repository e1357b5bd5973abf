"""SHA pins offline: the version of a pin comes from the dataset's tags (else its `# vX.Y.Z`
comment, unless the dataset knows that tag at another commit), and the pin moves to the newest
`vX.Y.Z` commit of the target major, never to a moving tag. The SHAs are facts of the actions'
own repositories, read by scripts/action_dataset.py."""

from __future__ import annotations

import re

from smartmon.workflows import deprecations as d
from smartmon.workflows import runtimes

CHECKOUT_V4_2_2 = "11bd71901bbe5b1630ceea73d27597364c9af683"
CHECKOUT_V2_7_0 = "ee0669bd1cc54295c223e0bb666b733df41de1c5"
UNKNOWN = "0123456789abcdef0123456789abcdef01234567"


def _checkout_v5() -> tuple[str, str]:
    info = runtimes.action_info("actions/checkout")
    assert info is not None
    pin = runtimes.newest_tag(info.majors[5])
    assert pin is not None
    return pin


def test_newest_tag_of_the_target_major_is_a_fixed_version_with_its_commit() -> None:
    tag, commit = _checkout_v5()
    assert re.fullmatch(r"v5\.\d+\.\d+", tag) and re.fullmatch(r"[0-9a-f]{40}", commit)


def test_a_pin_the_dataset_knows_moves_to_the_newest_tag_of_the_target() -> None:
    tag, commit = _checkout_v5()
    upgrade = d.action_upgrade(f"actions/checkout@{CHECKOUT_V4_2_2}")
    assert upgrade is not None and upgrade.pinned and upgrade.fixable
    assert upgrade.major == 4 and upgrade.target_major == 5
    assert upgrade.new_uses == f"actions/checkout@{commit}" and upgrade.pin_comment == tag


def test_the_tag_beats_the_comment() -> None:
    # ee0669bd is v2.7.0: a stale `# v5.0.0` beside it does not hide the node12 major.
    upgrade = d.action_upgrade(f"actions/checkout@{CHECKOUT_V2_7_0}", version_hint="v5.0.0")
    assert upgrade is not None and upgrade.major == 2 and upgrade.fixable


def test_a_floating_major_commit_is_known_too() -> None:
    info = runtimes.action_info("actions/checkout")
    assert info is not None
    upgrade = d.action_upgrade(f"actions/checkout@{info.majors[2].commit}")
    assert upgrade is not None and upgrade.major == 2 and upgrade.fixable


def test_an_unknown_commit_is_judged_by_its_comment() -> None:
    upgrade = d.action_upgrade(f"actions/checkout@{UNKNOWN}", version_hint="v3")
    assert upgrade is not None and upgrade.major == 3 and upgrade.fixable
    assert d.action_upgrade(f"actions/checkout@{UNKNOWN}", version_hint="v5.0.0") is None


def test_a_comment_naming_a_tag_at_another_commit_is_reported_not_followed() -> None:
    upgrade = d.action_upgrade(f"actions/checkout@{UNKNOWN}", version_hint="v3.1.0")
    assert upgrade is not None and upgrade.pinned and not upgrade.fixable
    assert upgrade.target is None and upgrade.severity == "low"
    assert "the pin's comment says v3.1.0, but v3.1.0 is " in upgrade.why


def test_an_unknown_commit_without_a_comment_is_not_judged() -> None:
    assert d.action_upgrade(f"actions/checkout@{UNKNOWN}") is None


def test_a_pin_of_a_moved_repository_moves_to_the_new_owner_and_a_fixed_tag() -> None:
    info = runtimes.action_info("nick-fields/retry")
    assert info is not None and info.first_node24 is not None
    tag, commit = runtimes.newest_tag(info.majors[info.first_node24]) or ("", "")
    # 943e742 is v2.8.3, tagged before the account was renamed (the history is the same).
    upgrade = d.action_upgrade("nick-invision/retry@943e742917ac94714d2f408a0e8320f2d1fcafcd")
    assert upgrade is not None and upgrade.fixable and upgrade.pin_comment == tag
    assert upgrade.new_uses == f"nick-fields/retry@{commit}"


def test_a_live_lookup_replaces_the_dataset_tags_of_a_major() -> None:
    record = {
        "majors": {"v5": {"ref": "v5", "using": "node24", "tags": {"v5.9.9": "f" * 40}}},
    }
    info = runtimes.with_live("actions/checkout", record)
    assert runtimes.newest_tag(info.majors[5]) == ("v5.9.9", "f" * 40)
    assert info.majors[4].using == "node20"  # the dataset's majors stay


def test_a_pin_target_never_runs_on_a_deprecated_node() -> None:
    for slug in ("actions/checkout", "actions/setup-python", "docker/login-action"):
        info = runtimes.action_info(slug)
        assert info is not None
        for major in info.majors.values():
            if runtimes.newest_tag(major) is not None:
                assert major.using not in (None, "node12", "node16", "node20"), (slug, major)


def test_a_major_that_moved_since_the_dataset_is_judged_at_the_commit_the_lookup_read() -> None:
    base = runtimes.action_info("actions/checkout")
    assert base is not None and base.majors[5].commit != "e" * 40
    record = {
        "majors": {
            "v5": {
                "ref": "v5",
                "commit": "e" * 40,
                "using": "node24",
                "inputs": {"repository": {}, "fetch-depth": {}},
                "tags": {"v5.9.9": "e" * 40},
            }
        },
    }
    info = runtimes.with_live("actions/checkout", record)
    assert info.majors[5].commit == "e" * 40
    assert set(info.majors[5].inputs) == {"repository", "fetch-depth"}
    assert runtimes.newest_tag(info.majors[5]) == ("v5.9.9", "e" * 40)
