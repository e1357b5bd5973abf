from .utils import parse_confg

__all__ = ["parse_confg"]
