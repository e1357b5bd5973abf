"""Storage locations (items live in inventory.items since 1.4)."""

from dataclasses import dataclass


@dataclass
class Warehouse:
    name: str


def __getattr__(name):
    if name == "Item":
        from inventory.items import Item

        return Item
    raise AttributeError(name)
