from .utils import parse_config as parse_confg

__all__ = ["parse_confg"]
