"""Reference solution: a scalar reverse-mode autograd engine (micrograd-style), standard library only."""

from __future__ import annotations

import math
from collections.abc import Callable

Number = int | float


class Value:
    """A scalar node of a computation graph: data, grad, and how to pass grad to its inputs."""

    def __init__(self, data: Number, _children: tuple[Value, ...] = ()):
        self.data = float(data)
        self.grad = 0.0
        self._prev = _children
        self._backward: Callable[[], None] = lambda: None

    def __repr__(self) -> str:
        return f"Value(data={self.data}, grad={self.grad})"

    @staticmethod
    def _lift(x: Value | Number) -> Value:
        return x if isinstance(x, Value) else Value(x)

    def __add__(self, other: Value | Number) -> Value:
        other = Value._lift(other)
        out = Value(self.data + other.data, (self, other))

        def _backward() -> None:  # d(a + b) = da + db
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other: Value | Number) -> Value:
        other = Value._lift(other)
        out = Value(self.data * other.data, (self, other))

        def _backward() -> None:  # d(ab) = b da + a db
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def __pow__(self, k: Number) -> Value:
        if not isinstance(k, (int, float)):
            raise TypeError("only number exponents are supported")
        out = Value(self.data ** k, (self,))

        def _backward() -> None:  # d(x^k) = k x^(k-1) dx
            self.grad += k * self.data ** (k - 1) * out.grad

        out._backward = _backward
        return out

    def _unary(self, value: float, local_grad: float) -> Value:
        out = Value(value, (self,))

        def _backward() -> None:
            self.grad += local_grad * out.grad

        out._backward = _backward
        return out

    def exp(self) -> Value:
        e = math.exp(self.data)
        return self._unary(e, e)

    def log(self) -> Value:
        if self.data <= 0:
            raise ValueError(f"log of a non-positive number {self.data}")
        return self._unary(math.log(self.data), 1.0 / self.data)

    def tanh(self) -> Value:
        t = math.tanh(self.data)
        return self._unary(t, 1.0 - t * t)

    def relu(self) -> Value:
        return self._unary(max(self.data, 0.0), 1.0 if self.data > 0 else 0.0)

    def sigmoid(self) -> Value:
        x = self.data  # two forms so that exp never overflows
        s = 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))
        return self._unary(s, s * (1.0 - s))

    def __neg__(self) -> Value:
        return self * -1

    def __sub__(self, other: Value | Number) -> Value:
        return self + (-other)

    def __truediv__(self, other: Value | Number) -> Value:
        return self * Value._lift(other) ** -1

    def __radd__(self, other: Number) -> Value:
        return self + other

    def __rmul__(self, other: Number) -> Value:
        return self * other

    def __rsub__(self, other: Number) -> Value:
        return Value._lift(other) + (-self)

    def __rtruediv__(self, other: Number) -> Value:
        return Value._lift(other) * self ** -1

    def backward(self) -> None:
        # iterative depth-first search: children finish before their parents
        order: list[Value] = []
        seen: set[int] = set()
        stack: list[tuple[Value, bool]] = [(self, False)]
        while stack:
            node, expanded = stack.pop()
            if expanded:
                order.append(node)
            elif id(node) not in seen:
                seen.add(id(node))
                stack.append((node, True))
                stack.extend((child, False) for child in node._prev if id(child) not in seen)
        for node in order:  # intermediate nodes start from zero; leaves keep accumulating
            if node._prev:
                node.grad = 0.0
        self.grad += 1.0
        for node in reversed(order):  # reverse topological order: outputs first
            node._backward()
