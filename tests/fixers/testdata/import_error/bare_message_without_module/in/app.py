from utils import slugify

print(slugify('A b'))
