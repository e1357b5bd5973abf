from inventory.models import Item
from inventory.items import DEFAULT_STOCK

print(len(DEFAULT_STOCK), Item)
