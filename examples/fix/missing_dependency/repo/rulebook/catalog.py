"""Load the rule catalog from rules/*.yaml."""

from pathlib import Path

import jsonschema
import yaml

SCHEMA = {
    "type": "object",
    "required": ["id", "pattern"],
    "properties": {"id": {"type": "string"}, "pattern": {"type": "string"}},
}


def load(folder: Path) -> list[dict]:
    rules = []
    for path in sorted(folder.glob("*.yaml")):
        for rule in yaml.safe_load(path.read_text()):
            jsonschema.validate(rule, SCHEMA)
            rules.append(rule)
    return rules
