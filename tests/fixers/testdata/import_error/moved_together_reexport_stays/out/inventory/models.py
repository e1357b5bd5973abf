"""Storage locations (items live in inventory.items since 1.4)."""

from dataclasses import dataclass

from inventory.items import Item


@dataclass
class Warehouse:
    name: str
