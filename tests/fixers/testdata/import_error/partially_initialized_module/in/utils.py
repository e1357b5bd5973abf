from app import x
