from inventory.models import DEFAULT_STOCK, Item

print(len(DEFAULT_STOCK), Item)
