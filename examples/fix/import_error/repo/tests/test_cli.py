from click.testing import CliRunner

from invoicer.cli import main


def test_totals():
    result = CliRunner().invoke(main, ["2:1000", "1:550"])
    assert result.output == "net=2550 vat=510 gross=3060\n"
