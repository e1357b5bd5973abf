from src_pkg.utils import shout, slugify  # text tools

print(shout(slugify('x')))
