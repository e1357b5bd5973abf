"""Stock items."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Item:
    sku: str
    quantity: int


DEFAULT_STOCK = [Item("apple", 12), Item("pear", 3)]
