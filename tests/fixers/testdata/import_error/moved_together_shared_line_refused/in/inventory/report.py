from inventory.models import (Warehouse,
                              DEFAULT_STOCK, Item)

print(len(DEFAULT_STOCK), Item, Warehouse)
