from lib.helpers import slugify
