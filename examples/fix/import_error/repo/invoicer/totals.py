"""Money arithmetic for invoices (amounts in cents, so no rounding surprises)."""

from decimal import Decimal


def compute_totals(lines: list[tuple[int, Decimal]], vat_rate: Decimal) -> dict[str, int]:
    """Net, VAT and gross totals of (quantity, unit price in cents) lines."""
    net = sum(qty * price for qty, price in lines)
    vat = (net * vat_rate).quantize(Decimal(1))
    return {"net": int(net), "vat": int(vat), "gross": int(net + vat)}
