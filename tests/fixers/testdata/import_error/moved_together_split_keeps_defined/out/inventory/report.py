from inventory.models import Warehouse
from inventory.items import DEFAULT_STOCK, Item as StockItem  # stock

print(len(DEFAULT_STOCK), StockItem, Warehouse)
