"""A small command-line tool."""

import click


@click.command()
def main() -> None:
    click.echo("cli-tool 1.4.0")
