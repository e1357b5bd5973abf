"""Storage locations (items live in inventory.items since 1.4)."""

from dataclasses import dataclass


@dataclass
class Warehouse:
    name: str
