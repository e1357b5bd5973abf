from pkg.utils import parse_confg as load

print(load("{}"))
