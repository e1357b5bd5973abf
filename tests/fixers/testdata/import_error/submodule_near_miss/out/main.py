from pkg import utils as utilz

print(utilz.X)
