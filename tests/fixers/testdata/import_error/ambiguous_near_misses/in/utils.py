"""Helpers."""

import json


def parse_config(text):
    return json.loads(text)


DEFAULTS = {}


def parse_configs(texts):
    return [parse_config(t) for t in texts]
