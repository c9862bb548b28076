"""Seeded generator of pooling configurations shared by the test modules."""

import random
from dataclasses import dataclass, field

import numpy as np

from cypool import _args

FLOAT_DTYPES = (np.float32, np.float64)
INTEGER_DTYPES = (np.int8, np.uint8, np.int16, np.uint16, np.int32, np.uint32, np.int64, np.uint64)


@dataclass
class Case:
    ndim: int
    shape: tuple  # full input shape in the case's layout
    layout: str
    window: dict  # kernel_size, stride, padding, dilation, ceil_mode
    count_include_pad: bool
    divisor_override: object
    dtype: type
    seed: int
    notes: list = field(default_factory=list)
    values: str = "normal"  # floats: "normal", "ties" (few levels), "specials" (NaN, inf, -0.0)

    def input(self):
        rng = np.random.default_rng(self.seed)
        if np.dtype(self.dtype).kind == "f":
            if self.values == "ties":
                return rng.integers(-2, 3, self.shape).astype(self.dtype)
            x = rng.standard_normal(self.shape).astype(self.dtype)
            if self.values == "specials":
                flat = x.reshape(-1)
                for value in (np.nan, np.inf, -np.inf, 0.0, -0.0):
                    flat[rng.integers(0, flat.size, max(1, flat.size // 40))] = value
            return x
        info = np.iinfo(self.dtype)
        return rng.integers(info.min, info.max, size=self.shape, dtype=self.dtype, endpoint=True)

    def grad(self, shape, dtype=None):
        rng = np.random.default_rng(self.seed + 1)
        dtype = np.dtype(dtype or self.dtype)
        if dtype.kind == "f":
            return rng.standard_normal(shape).astype(dtype)
        return rng.integers(0, 100, size=shape).astype(dtype)

    @property
    def avg_window(self):
        return dict(
            self.window,
            count_include_pad=self.count_include_pad,
            divisor_override=self.divisor_override,
        )

    @property
    def torch_compatible(self):
        """True when torch.nn.functional accepts this window unchanged (symmetric
        padding <= kernel_size // 2, no "same"/pairs)."""
        w = self.window
        pad = w["padding"]
        if isinstance(pad, str):
            return pad == "valid"
        if isinstance(pad, tuple) and any(isinstance(p, tuple) for p in pad):
            return False
        pads = pad if isinstance(pad, tuple) else (pad,) * self.ndim
        ks = (
            w["kernel_size"]
            if isinstance(w["kernel_size"], tuple)
            else (w["kernel_size"],) * self.ndim
        )
        return all(p <= k // 2 for p, k in zip(pads, ks))

    @property
    def id(self):
        return "%dd-%s-%s-%s-%s" % (
            self.ndim,
            self.layout,
            np.dtype(self.dtype).name,
            "x".join(map(str, self.shape)),
            self.window,
        )


def _per_dim(rng, ndim, low, high):
    if rng.random() < 0.4:
        return rng.randint(low, high)
    return tuple(rng.randint(low, high) for _ in range(ndim))


def _padding(rng, ndim):
    form = rng.random()
    if form < 0.3:
        return rng.randint(0, 2)
    if form < 0.5:
        return tuple(rng.randint(0, 2) for _ in range(ndim))
    if form < 0.7:
        return tuple((rng.randint(0, 2), rng.randint(0, 3)) for _ in range(ndim))
    if form < 0.85:
        return "same"
    return "valid"


def generate(
    count, seed=0, ndims=(1, 2, 3), dtypes=FLOAT_DTYPES, torch_only=False, max_size=(12, 9, 6)
):
    """``count`` valid configurations, deterministic for a given ``seed``."""
    rng = random.Random(seed)
    cases = []
    while len(cases) < count:
        ndim = rng.choice(ndims)
        spatial = tuple(rng.randint(1, max_size[ndim - 1]) for _ in range(ndim))
        window = dict(
            kernel_size=_per_dim(rng, ndim, 1, 4),
            stride=rng.choice([None, _per_dim(rng, ndim, 1, 3)]),
            padding=_padding(rng, ndim),
            dilation=rng.choice([1, 1, _per_dim(rng, ndim, 1, 3)]),
            ceil_mode=rng.random() < 0.5,
        )
        layout = rng.choice([_args.CHANNELS_FIRST, _args.CHANNELS_LAST])
        batched = rng.random() < 0.7
        batch, channels = rng.randint(1, 3), rng.randint(1, 3)
        shape = (channels,) + spatial if layout == _args.CHANNELS_FIRST else spatial + (channels,)
        if batched:
            shape = (batch,) + shape
        case = Case(
            ndim,
            shape,
            layout,
            window,
            rng.random() < 0.5,
            rng.choice([None, None, None, rng.randint(1, 7)]),
            rng.choice(dtypes),
            rng.randrange(2**31),
        )
        try:
            _args.window_geometry(spatial, **window)
        except ValueError:
            continue
        if torch_only and not case.torch_compatible:
            continue
        cases.append(case)
    return cases


# Channels-last windows of the common NHWC inference path: inside and outside the
# old literal ladders (k 1-7, 13, 15), strides 1-3, dilation, every padding form,
# ceil_mode; 1-D (NLC), 2-D (NHWC) and 3-D (NDHWC).
CHANNELS_LAST_WINDOWS = [  # (spatial dims, window)
    (1, dict(kernel_size=1, stride=1)),
    (1, dict(kernel_size=2, stride=2)),
    (1, dict(kernel_size=3, stride=2, padding=1, ceil_mode=True)),
    (1, dict(kernel_size=4, stride=3, padding=((1, 2),))),
    (1, dict(kernel_size=5, stride=1, padding=2)),
    (1, dict(kernel_size=6, stride=2, dilation=2, ceil_mode=True)),
    (1, dict(kernel_size=7, stride=1, padding="same")),
    (1, dict(kernel_size=13, stride=1, padding=6)),
    (1, dict(kernel_size=15, stride=1, padding=7)),
    (1, dict(kernel_size=15, stride=3, padding=2, ceil_mode=True)),
    (2, dict(kernel_size=2, stride=2)),
    (2, dict(kernel_size=3, stride=2, padding=1)),
    (2, dict(kernel_size=3, stride=1, padding=1)),
    (2, dict(kernel_size=5, stride=1, padding=2)),
    (2, dict(kernel_size=(7, 3), stride=(1, 2), padding=(3, 1))),
    (2, dict(kernel_size=(13, 2), stride=1, padding=(6, 0), ceil_mode=True)),
    (2, dict(kernel_size=(15, 1), stride=(2, 1), padding=(7, 0))),
    (2, dict(kernel_size=3, stride=3, dilation=2, padding="same", ceil_mode=True)),
    (
        2,
        dict(
            kernel_size=4, stride=(2, 3), dilation=(1, 2), padding=((1, 2), (0, 1)), ceil_mode=True
        ),
    ),
    (2, dict(kernel_size=(6, 2), stride=(3, 1), dilation=(2, 1), padding="valid")),
    (2, dict(kernel_size=2, stride=2, ceil_mode=True)),
    (3, dict(kernel_size=(3, 2, 3), stride=(1, 2, 2), padding=(1, 0, 1))),
]
CHANNELS_LAST_DTYPES = (np.float32, np.float64, np.float16, np.uint8, np.int32)


def channels_last(channel_counts=(8, 64), seed=0):
    """Channels-last cases with many channels (the vector path over channels), one per
    window of ``CHANNELS_LAST_WINDOWS`` and channel count, the dtypes taking turns
    (each meets both channel counts).  Spatial sizes stay a few taps beyond the
    dilated window, so the loop reference stays quick with 64 channels."""
    rng = random.Random(seed)
    cases = []
    for w, (ndim, window) in enumerate(CHANNELS_LAST_WINDOWS):
        for c, channels in enumerate(channel_counts):
            full = dict(dict(stride=None, padding=0, dilation=1, ceil_mode=False), **window)
            kernel = _as_tuple(full["kernel_size"], ndim)
            dilation = _as_tuple(full["dilation"], ndim)
            slack = 3 if channels > 16 else 6
            spatial = tuple(
                d * (k - 1) + 1 + rng.randint(0, slack) for k, d in zip(kernel, dilation)
            )
            batched = (w + c) % 3 != 2
            shape = ((rng.randint(1, 2),) if batched else ()) + spatial + (channels,)
            dtype = CHANNELS_LAST_DTYPES[(w + c) % len(CHANNELS_LAST_DTYPES)]
            case = Case(
                ndim,
                shape,
                _args.CHANNELS_LAST,
                full,
                rng.random() < 0.5,
                rng.choice([None, None, None, rng.randint(1, 7)]),
                dtype,
                rng.randrange(2**31),
                values=("normal", "ties", "specials")[(w + 2 * c) % 3],
            )
            _args.window_geometry(spatial, **full)  # every listed window must be valid
            cases.append(case)
    return cases


def _as_tuple(value, ndim):
    return value if isinstance(value, tuple) else (value,) * ndim
