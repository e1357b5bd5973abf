from src_pkg.utils import shout
from src_pkg.text.helpers import slugify  # text tools

print(shout(slugify('x')))
