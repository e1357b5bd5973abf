from utils import (
    shout,
    slugify,
)
