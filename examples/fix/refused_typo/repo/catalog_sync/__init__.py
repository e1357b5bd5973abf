"""Keep the product catalog in sync with the shop."""
