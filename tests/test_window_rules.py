"""The window rules written twice: the compiled geometry (``cypool._geometry``, what
the kernels use) and the references' plain-Python arithmetic
(``cypool.reference._windows``, written from API.md).  They must agree on every
output size and "same" pad, and on which configurations are refused, including
the forms the torch sweeps cannot check ("same", (before, after) pairs, padding
beyond kernel_size // 2)."""

import random

import pytest

from cypool import _args
from cypool.reference import _windows


def _configurations(count, seed):
    rng = random.Random(seed)
    for _ in range(count):
        ndim = rng.randint(1, 3)
        in_size = tuple(rng.randint(1, 9) for _ in range(ndim))
        kernel = tuple(rng.randint(0, 5) for _ in range(ndim))
        stride = rng.choice([None, tuple(rng.randint(0, 4) for _ in range(ndim))])
        padding = rng.choice(
            [
                rng.randint(0, 4),
                "same",
                "valid",
                tuple(rng.randint(-1, 4) for _ in range(ndim)),
                tuple((rng.randint(0, 5), rng.randint(0, 5)) for _ in range(ndim)),
            ]
        )
        dilation = rng.choice([1, tuple(rng.randint(0, 3) for _ in range(ndim))])
        yield in_size, kernel, stride, padding, dilation, rng.random() < 0.5


def _outcome(resolve, *arguments):
    try:
        return resolve(*arguments)
    except ValueError:
        return "refused"


@pytest.mark.parametrize("seed", range(4))
def test_compiled_and_reference_window_rules_agree(seed):
    accepted = refused = 0
    for arguments in _configurations(1500, seed):
        compiled = _outcome(_args.window_geometry, *arguments)
        reference = _outcome(_windows.resolve, *arguments)
        if compiled == "refused" or reference == "refused":
            assert compiled == reference, arguments
            refused += 1
            continue
        accepted += 1
        assert (compiled.out_size, compiled.pad_before, compiled.pad_after) == (
            reference.out_size,
            reference.pad_before,
            reference.pad_after,
        ), arguments
    assert accepted > 300 and refused > 300  # both kinds of case were exercised


@pytest.mark.parametrize(
    "arguments, out_size, pads",
    [
        # SAME_UPPER: ceil(7 / 2) = 4 outputs, total pad (4 - 1) * 2 + 4 - 7 = 3, odd 1 last.
        (((7,), 4, 2, "same", 1, False), (4,), ((1,), (2,))),
        # ceil_mode adds a window only if it starts inside the input or left padding.
        (((5,), 2, 2, 0, 1, True), (3,), ((0,), (0,))),
        (((4,), 2, 2, 1, 1, True), (3,), ((1,), (1,))),
        # padding beyond k // 2 is accepted while every window samples the input.
        (((5,), 2, 1, 1, 1, False), (6,), ((1,), (1,))),
        # dilation 2 over 7 with k 3: extent 5, three outputs.
        (((7,), 3, 1, 0, 2, False), (3,), ((0,), (0,))),
    ],
)
def test_window_rules_on_worked_examples(arguments, out_size, pads):
    for resolve in (_args.window_geometry, _windows.resolve):
        windows = resolve(*arguments)
        assert tuple(windows.out_size) == out_size
        assert (tuple(windows.pad_before), tuple(windows.pad_after)) == pads


LIMIT = 2**61  # in + pads + dilation * (k - 1) + stride must stay below it (API.md: int64)
TOO_LARGE = "would overflow int64"


@pytest.mark.parametrize(
    "arguments, refusal",
    [
        # The long fuzz profile's case: the dilated extent 2**63 + 1 leaves int64.
        (((6, 2), 3, 3, "same", 2**62, True), TOO_LARGE),
        (((4,), 2, 2**62, 0, 1, False), TOO_LARGE),
        (((4,), 2, 2, 2**62, 1, False), TOO_LARGE),
        # One below and at the limit, through each term of the sum.
        (((4,), 1, LIMIT - 5, 0, 1, False), None),  # 4 + 0 + (LIMIT - 5) = LIMIT - 1
        (((4,), 1, LIMIT - 4, 0, 1, False), TOO_LARGE),
        (((4,), 2, 1, 0, LIMIT - 6, False), "larger than the padded input"),
        (((4,), 2, 1, 0, LIMIT - 5, False), TOO_LARGE),
        (((4,), 1, 1, ((0, LIMIT - 6),), 1, False), "only padding"),
        (((4,), 1, 1, ((0, LIMIT - 5),), 1, False), TOO_LARGE),
    ],
)
def test_both_window_rules_refuse_arithmetic_that_would_leave_int64(arguments, refusal):
    for resolve in (_args.window_geometry, _windows.resolve):
        if refusal is None:
            assert resolve(*arguments).out_size == (1,)
        else:
            with pytest.raises(ValueError, match=refusal):
                resolve(*arguments)
