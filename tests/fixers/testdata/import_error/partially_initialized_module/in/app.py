from utils import y
x = 1
