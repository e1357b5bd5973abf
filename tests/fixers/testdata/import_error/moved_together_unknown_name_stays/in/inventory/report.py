from inventory.models import DEFAULT_STOCK, Item, Shelf

print(len(DEFAULT_STOCK), Item, Shelf)
