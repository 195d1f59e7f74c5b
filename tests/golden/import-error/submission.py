LIMIT = int("ten")


def add(a, b):
    return a + b
