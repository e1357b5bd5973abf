"""`python -m invoicer.cli QTY:PRICE ...`: print an invoice's totals."""

from decimal import Decimal

import click

from invoicer.totals import compute_total


@click.command()
@click.option("--vat", default="0.20", help="VAT rate")
@click.argument("lines", nargs=-1)
def main(vat: str, lines: tuple[str, ...]) -> None:
    parsed = [(int(q), Decimal(p)) for q, p in (line.split(":") for line in lines)]
    totals = compute_total(parsed, Decimal(vat))
    click.echo(" ".join(f"{k}={v}" for k, v in totals.items()))


if __name__ == "__main__":
    main()
