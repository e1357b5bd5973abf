from lib.utils import slugify
