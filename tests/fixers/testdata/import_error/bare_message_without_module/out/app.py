from helpers import slugify

print(slugify('A b'))
