import json
from sklearn.base import clone


def add(a, b):
    return a + b
