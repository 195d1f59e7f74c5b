"""A scalar reverse-mode automatic differentiation engine, standard library only.

Run `nnquiz grade autograd` to check your work; `nnquiz hint autograd` gives the next hint.
"""

from __future__ import annotations


class Value:
    """A scalar in a computation graph.

    Supports +, -, *, / with Values or numbers on either side, ** with a number exponent, unary -,
    and exp(), log(), tanh(), relu(), sigmoid(). `.data` is the float value, `.grad` starts at 0.
    `backward()` fills in d(self)/d(node) for every node of the graph: leaves (Values you created
    yourself) accumulate into .grad across calls; intermediate nodes are recomputed from zero.
    It must work on a chain of 10,000 nodes (no recursion).
    """

    def __init__(self, data):
        self.data = float(data)
        self.grad = 0.0
        raise NotImplementedError("write Value")

    def backward(self) -> None:
        raise NotImplementedError("write backward")
