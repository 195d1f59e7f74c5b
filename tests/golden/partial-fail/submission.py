def add(a, b):
    if a < 0:  # a bug for negative numbers only
        return a - b
    return a + b
