from pathlib import Path

from rulebook.catalog import load

RULES = Path(__file__).parent.parent / "rules"


def test_rules_load():
    ids = [rule["id"] for rule in load(RULES)]
    assert ids == ["no-print", "no-breakpoint"]
