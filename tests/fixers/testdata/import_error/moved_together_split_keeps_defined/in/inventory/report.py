from inventory.models import DEFAULT_STOCK, Item as StockItem, Warehouse  # stock

print(len(DEFAULT_STOCK), StockItem, Warehouse)
