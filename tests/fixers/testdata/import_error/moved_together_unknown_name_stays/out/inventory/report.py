from inventory.models import Shelf
from inventory.items import DEFAULT_STOCK, Item

print(len(DEFAULT_STOCK), Item, Shelf)
