import sys

from pkg.utils import DEFAULTS, parse_config as parse_confg  # config


def main():
    return parse_confg(sys.argv[1]) or DEFAULTS
