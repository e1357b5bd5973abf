from inventory.models import (
    DEFAULT_STOCK,
    Item,
    Warehouse,
)

print(len(DEFAULT_STOCK), Item, Warehouse)
