"""Turn time-sheet lines into invoices."""
