from .helpers import slugify


def title(x):
    return slugify(x)
