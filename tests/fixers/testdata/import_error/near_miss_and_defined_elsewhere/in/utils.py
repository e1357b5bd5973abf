def slugfy(x):
    return x
