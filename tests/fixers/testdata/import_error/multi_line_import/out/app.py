from utils import (
    shout,
)
from helpers import slugify
