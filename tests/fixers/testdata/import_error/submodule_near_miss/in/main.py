from pkg import utilz

print(utilz.X)
