from utils import parse_confg
