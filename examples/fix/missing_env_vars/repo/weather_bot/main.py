"""Fetch a forecast from the weather API and print it."""

import argparse
import logging
import os

import requests

log = logging.getLogger("weather_bot")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--city", default=os.environ.get("CITY_DEFAULT", "Berlin"))
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)
    log.info("starting forecast run for %s", args.city)
    response = requests.get(
        "https://api.weather.example.com/v1/forecast",
        params={"city": args.city},
        headers={"Authorization": f"Bearer {os.environ['API_KEY']}"},
        timeout=30,
    )
    response.raise_for_status()
    print(response.json()["summary"])


if __name__ == "__main__":
    main()
