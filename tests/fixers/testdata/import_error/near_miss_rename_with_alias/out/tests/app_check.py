from pkg.utils import parse_config as load

print(load("{}"))
