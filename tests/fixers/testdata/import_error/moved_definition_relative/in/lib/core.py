from .utils import slugify


def title(x):
    return slugify(x)
