"""Assertions for hidden suites, bound at import so a submission cannot patch them.

Suites import these at module level, which happens at collection, before the `user`
fixture imports the submission. Every value is first turned into a plain float64 (or
label) ndarray: an object whose `==` always says True, or an ndarray subclass, gains
nothing. Messages give expected vs actual.
"""

from __future__ import annotations

from typing import Any

import numpy as _np

_array = _np.array
_asarray = _np.asarray
_isfinite = _np.isfinite
_abs = _np.abs
_argmax = _np.argmax
_unravel = _np.unravel_index
_ndarray = _np.ndarray
_float64 = _np.float64
_isnan = _np.isnan
_nonzero = _np.nonzero
_isclose = _np.isclose


def _fmt(value: Any) -> str:
    """A numpy scalar as its plain Python repr (3.0, not np.float64(3.0))."""
    return repr(value.item()) if hasattr(value, "item") else repr(value)


def _at(idx: tuple[int, ...]) -> str:
    return f" at index {idx}" if idx else ""


class CheckFailure(AssertionError):
    """A hidden-suite comparison failed."""


def require(ok: Any, message: str) -> None:
    """Fail the test with `message` alone (no assertion-rewriting detail) unless `ok`."""
    if not ok:
        raise CheckFailure(message)


def to_numpy(value: Any, dtype: Any = None, what: str = "result") -> _np.ndarray:
    """A plain ndarray copy of `value` (tensors detached), of `dtype` when given."""
    if hasattr(value, "detach") and hasattr(value, "cpu"):
        value = value.detach().cpu().numpy()
    try:
        arr = _array(value, dtype=dtype, copy=True, subok=False)
    except (TypeError, ValueError) as exc:
        raise CheckFailure(
            f"{what}: expected an array of {dtype or 'values'}, got {type(value).__name__} ({exc})"
        ) from None
    if type(arr) is not _ndarray:
        arr = arr.view(_ndarray)
    return arr


def _shape_check(actual: _np.ndarray, expected: _np.ndarray, what: str) -> None:
    if actual.shape != expected.shape:
        raise CheckFailure(f"{what}: expected shape {expected.shape}, got {actual.shape}")


def assert_close(
    actual: Any, expected: Any, *, atol: float = 1e-8, rtol: float = 0.0, what: str = "result"
) -> None:
    """Same shape, finite, and |actual - expected| <= atol + rtol * |expected| everywhere."""
    exp = to_numpy(expected, _float64, what)
    act = to_numpy(actual, _float64, what)
    _shape_check(act, exp, what)
    if act.size == 0:
        return
    bad_nan = _isnan(act) & ~_isnan(exp)
    if bad_nan.any():
        idx = tuple(int(i) for i in _unravel(int(_argmax(bad_nan)), act.shape))
        raise CheckFailure(f"{what}: got NaN{_at(idx)}, expected {_fmt(exp[idx])}")
    ok = _isclose(act, exp, rtol=rtol, atol=atol, equal_nan=True)
    if not ok.all():
        diff = _abs(act - exp)
        diff = _array(diff, copy=True)
        diff[ok] = 0
        diff[~_isfinite(diff)] = _np.inf
        idx = tuple(int(i) for i in _unravel(int(_argmax(diff)), act.shape))
        count = int((~ok).sum())
        where = (
            f"{count} of {act.size} values differ beyond atol={atol:g}, rtol={rtol:g}; worst{_at(idx)}: "
            if act.size > 1
            else ""
        )
        raise CheckFailure(
            f"{what}: {where}expected {_fmt(exp[idx])}, got {_fmt(act[idx])}"
            + ("" if act.size > 1 else f" (tolerance atol={atol:g}, rtol={rtol:g})")
        )


def assert_scalar_close(
    actual: Any, expected: float, *, atol: float = 1e-8, rtol: float = 0.0, what: str = "result"
) -> None:
    """A single number within tolerance (a 0-d array or 1-element tensor is accepted)."""
    arr = to_numpy(actual, _float64, what)
    if arr.size != 1:
        raise CheckFailure(f"{what}: expected a single number, got shape {arr.shape}")
    assert_close(arr.reshape(()), expected, atol=atol, rtol=rtol, what=what)


def assert_equal(actual: Any, expected: Any, *, what: str = "result") -> None:
    """Exactly equal element by element (labels, indices, integer arrays)."""
    exp = to_numpy(expected, None, what)
    act = to_numpy(actual, None, what)
    _shape_check(act, exp, what)
    if act.dtype.kind != exp.dtype.kind and not (
        act.dtype.kind in "iub" and exp.dtype.kind in "iub"
    ):
        raise CheckFailure(f"{what}: expected values of dtype {exp.dtype}, got {act.dtype}")
    same = _array([a == e for a, e in zip(act.ravel().tolist(), exp.ravel().tolist())], dtype=bool)
    if same.size and not same.all():
        first = int(_nonzero(~same)[0][0])
        idx = tuple(int(i) for i in _unravel(first, act.shape))
        raise CheckFailure(
            f"{what}: {int((~same).sum())} of {act.size} values differ; first{_at(idx)}: "
            f"expected {_fmt(exp[idx])}, got {_fmt(act[idx])}"
        )


def assert_at_least(actual: float, bar: float, *, what: str) -> None:
    """A figure that must reach a bar (accuracy and the like); NaN never passes."""
    value = float(actual)
    if not (value >= bar):
        raise CheckFailure(f"{what}: needed at least {bar:.4f}, got {value:.4f}")


def assert_at_most(actual: float, bar: float, *, what: str) -> None:
    """A figure that must stay under a bar (an error, a loss); NaN never passes."""
    value = float(actual)
    if not (value <= bar):
        raise CheckFailure(f"{what}: needed at most {bar:.4f}, got {value:.4f}")


def assert_raises_value_error(func: Any, *args: Any, what: str, **kwargs: Any) -> None:
    """func(*args) raises ValueError (with a message)."""
    try:
        func(*args, **kwargs)
    except ValueError as exc:
        if not str(exc).strip():
            raise CheckFailure(f"{what}: ValueError raised without a message") from None
        return
    except Exception as exc:
        raise CheckFailure(
            f"{what}: expected ValueError, got {type(exc).__name__}: {exc}"
        ) from None
    raise CheckFailure(f"{what}: expected ValueError, nothing was raised")
