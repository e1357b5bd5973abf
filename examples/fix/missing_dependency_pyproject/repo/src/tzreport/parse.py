"""Read time-sheet rows whose timestamps come in any common format."""

import csv
from datetime import datetime
from pathlib import Path

from dateutil import parser as dateparser


def read_rows(path: Path) -> list[tuple[str, datetime, float]]:
    with path.open(newline="") as fh:
        return [
            (row["who"], dateparser.parse(row["when"]), float(row["hours"]))
            for row in csv.DictReader(fh)
        ]
