"""Helpers."""

import json


def parse_config(text):
    return json.loads(text)


DEFAULTS = {}
