"""``cypool.torch``: drop-in ``torch.nn.functional`` pooling on cypool's kernels.

Every comparison is bit for bit (``torch.equal`` on values, indices and
gradients) against torch's own CPU operators, in both memory formats, plus the
custom-operator machinery: gradcheck, opcheck, torch.compile, torch.export,
model conversion and the documented fallbacks.
"""

import doctest
import subprocess
import sys

import numpy as np
import pytest

torch = pytest.importorskip("torch")
F = torch.nn.functional
ct = pytest.importorskip("cypool.torch")

import cypool  # noqa: E402
from cypool.torch import _ops  # noqa: E402

FORMATS = {2: torch.channels_last, 3: torch.channels_last_3d}


def _stored(x, channels_last):
    """``x`` stored channels-last (a permuted view in 1-D, torch has no format there)."""
    if not channels_last:
        return x
    if x.dim() - 2 in FORMATS:
        return x.contiguous(memory_format=FORMATS[x.dim() - 2])
    return x.transpose(1, 2).contiguous().transpose(1, 2)


def _input(rng, shape, dtype, channels_last, ties=True):
    """Random input; small integers make ties (first-max rule) frequent."""
    values = rng.integers(-4, 5, size=shape) if ties else rng.standard_normal(shape)
    x = torch.from_numpy(np.asarray(values)).to(dtype)
    return _stored(x, channels_last)


def _window_case(rng, spatial_dims, dilated):
    kernel = [int(k) for k in rng.integers(1, 4, spatial_dims)]
    stride = [int(s) for s in rng.integers(1, 4, spatial_dims)]
    dilation = [int(d) for d in rng.integers(1, 3, spatial_dims)] if dilated else [1] * spatial_dims
    padding = [int(rng.integers(0, k // 2 + 1)) for k in kernel]
    spatial = [
        int(rng.integers(d * (k - 1) + 1, d * (k - 1) + 9)) for k, d in zip(kernel, dilation)
    ]
    return kernel, stride, padding, dilation, bool(rng.integers(0, 2)), spatial


def _same_format(a, b):
    """Same torch memory format (1-D has none: torch's 1-d strides there are incidental)."""
    formats = [torch.contiguous_format, FORMATS[a.dim() - 2]]
    return all(
        a.is_contiguous(memory_format=f) == b.is_contiguous(memory_format=f) for f in formats
    )


def _format_of(t):
    if t.dim() - 2 in FORMATS and not t.is_contiguous():
        return FORMATS[t.dim() - 2]
    return torch.contiguous_format


def _grads(output, inputs, seed):
    grad = torch.from_numpy(np.random.default_rng(seed).standard_normal(tuple(output.shape)))
    return torch.autograd.grad(output, inputs, grad.to(output.dtype))


def _compare(ours, theirs):
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype
    assert torch.equal(ours, theirs)
    assert _same_format(ours, theirs) if ours.dim() - 2 in FORMATS else True


SWEEP = [
    (spatial_dims, channels_last, seed)
    for spatial_dims in (1, 2, 3)
    for channels_last in (False, True)
    for seed in range(12)
]


@pytest.mark.parametrize("spatial_dims, channels_last, seed", SWEEP)
def test_max_pool_values_indices_and_gradients(spatial_dims, channels_last, seed):
    rng = np.random.default_rng([spatial_dims, seed])
    kernel, stride, padding, dilation, ceil_mode, spatial = _window_case(rng, spatial_dims, True)
    dtype = (torch.float32, torch.float64, torch.float16)[seed % 3]
    x = _input(rng, (2, 5, *spatial), dtype, channels_last).requires_grad_(dtype != torch.float16)
    name = "max_pool%dd" % spatial_dims
    ours = getattr(ct, name)(x, kernel, stride, padding, dilation, ceil_mode, True)
    theirs = getattr(F, name)(x, kernel, stride, padding, dilation, ceil_mode, True)
    _compare(ours[0], theirs[0])
    _compare(ours[1], theirs[1])
    if x.requires_grad:
        _compare(_grads(ours[0], x, seed)[0], _grads(theirs[0], x, seed)[0])
    with torch.no_grad():  # the values-only operator
        _compare(getattr(ct, name)(x, kernel, stride, padding, dilation, ceil_mode), theirs[0])


@pytest.mark.parametrize("spatial_dims, channels_last, seed", SWEEP)
def test_avg_pool_values_and_gradients(spatial_dims, channels_last, seed):
    rng = np.random.default_rng([10 + spatial_dims, seed])
    kernel, stride, padding, _, ceil_mode, spatial = _window_case(rng, spatial_dims, False)
    dtype = (torch.float32, torch.float64, torch.float16)[seed % 3]
    x = _input(rng, (3, 4, *spatial), dtype, channels_last, ties=False)
    x.requires_grad_(dtype != torch.float16)
    arguments = [kernel, stride, padding, ceil_mode, bool(seed % 2)]
    if spatial_dims > 1:
        arguments.append(None if seed % 4 < 2 else int(rng.integers(1, 7)))
    name = "avg_pool%dd" % spatial_dims
    ours = getattr(ct, name)(x, *arguments)
    if dtype == torch.float16 and spatial_dims == 3:
        # torch has no float16 avg_pool3d on the CPU; cypool sums in float32 and rounds once.
        theirs = getattr(F, name)(x.float(), *arguments).half()
    else:
        theirs = getattr(F, name)(x, *arguments)
    _compare(ours, theirs)
    if x.requires_grad:
        _compare(_grads(ours, x, seed)[0], _grads(theirs, x, seed)[0])


@pytest.mark.parametrize("spatial_dims, channels_last, seed", SWEEP)
def test_adaptive_pooling(spatial_dims, channels_last, seed):
    rng = np.random.default_rng([20 + spatial_dims, seed])
    spatial = [int(s) for s in rng.integers(1, 12, spatial_dims)]
    output_size = [int(s) for s in rng.integers(1, 9, spatial_dims)]
    if seed % 4 == 0 and spatial_dims > 1:
        output_size[0] = None
    x = _input(
        rng, (2, 6, *spatial), torch.float64 if seed % 2 else torch.float32, channels_last
    ).requires_grad_()
    values, indices = getattr(ct, "adaptive_max_pool%dd" % spatial_dims)(x, output_size, True)
    expected, expected_indices = getattr(F, "adaptive_max_pool%dd" % spatial_dims)(
        x, output_size, True
    )
    _compare(values, expected)
    _compare(indices, expected_indices)
    _compare(_grads(values, x, seed)[0], _grads(expected, x, seed)[0])
    ours = getattr(ct, "adaptive_avg_pool%dd" % spatial_dims)(x, output_size)
    # torch's channels-last adaptive average (and its backward) rounds differently from
    # its channels-first one in some channels (see cypool.torch); cypool.torch gives the
    # channels-first bits, stored in torch's channels-last format.
    theirs = getattr(F, "adaptive_avg_pool%dd" % spatial_dims)(x, output_size)
    x_cf = x.detach().contiguous().requires_grad_()
    channels_first = getattr(F, "adaptive_avg_pool%dd" % spatial_dims)(x_cf, output_size)
    _compare(ours, theirs.contiguous(memory_format=_format_of(theirs)).copy_(channels_first))
    grad, grad_cl = _grads(ours, x, seed)[0], _grads(theirs, x, seed)[0]
    assert torch.equal(grad, _grads(channels_first, x_cf, seed)[0])  # the same in backward
    assert _same_format(grad, grad_cl) if spatial_dims > 1 else True


@pytest.mark.parametrize("spatial_dims, channels_last, seed", SWEEP)
def test_lp_pool_follows_torch_without_abs(spatial_dims, channels_last, seed):
    rng = np.random.default_rng([30 + spatial_dims, seed])
    kernel, stride, _, _, ceil_mode, spatial = _window_case(rng, spatial_dims, False)
    norm_type = (1.0, 2.0, 3.0, 1.5, float("inf"), 2.0)[seed % 6]
    # Negative entries: torch's rule (no |x|) gives NaN for odd/fractional p; must match.
    x = _input(rng, (2, 3, *spatial), torch.float64, channels_last, ties=False)
    x = (x.abs() if seed % 2 else x).requires_grad_()
    name = "lp_pool%dd" % spatial_dims
    if spatial_dims == 1:  # torch's lp_pool1d multiplies by kernel_size: ints only
        kernel, stride = kernel[0], stride[0]
    ours = getattr(ct, name)(x, norm_type, kernel, stride, ceil_mode)
    theirs = getattr(F, name)(x, norm_type, kernel, stride, ceil_mode)
    torch.testing.assert_close(ours, theirs, rtol=0, atol=0, equal_nan=True)
    if seed % 2:
        torch.testing.assert_close(
            _grads(ours, x, seed)[0], _grads(theirs, x, seed)[0], rtol=0, atol=0, equal_nan=True
        )


@pytest.mark.parametrize("spatial_dims, channels_last, seed", SWEEP[::2])
def test_max_unpool_and_its_output_size_window(spatial_dims, channels_last, seed):
    rng = np.random.default_rng([40 + spatial_dims, seed])
    kernel, stride, padding, _, _, spatial = _window_case(rng, spatial_dims, False)
    x = _input(rng, (2, 3, *spatial), torch.float32, channels_last)
    pooled, indices = getattr(F, "max_pool%dd" % spatial_dims)(
        x, kernel, stride, padding, return_indices=True
    )
    pooled.requires_grad_()
    default = [
        (n - 1) * s + k - 2 * p for n, s, k, p in zip(pooled.shape[2:], stride, kernel, padding)
    ]
    output_size = [d + int(rng.integers(0, s)) for d, s in zip(default, stride)]
    if min(output_size) < 1 or any(o < n for o, n in zip(output_size, spatial)):
        output_size = spatial
    name = "max_unpool%dd" % spatial_dims
    ours = getattr(ct, name)(pooled, indices, kernel, stride, padding, output_size)
    theirs = getattr(F, name)(pooled, indices, kernel, stride, padding, output_size)
    _compare(ours, theirs)
    _compare(_grads(ours, pooled, seed)[0], _grads(theirs, pooled, seed)[0])
    too_big = [d + s for d, s in zip(default, stride)]
    with pytest.raises(ValueError, match="output_size"):
        getattr(ct, name)(pooled, indices, kernel, stride, padding, too_big)


def test_integer_max_pooling_runs_on_cypool_and_matches():
    x = torch.randint(-50, 50, (2, 3, 9, 9), dtype=torch.int32)
    ours = ct.max_pool2d(x, 3, 2, 1, return_indices=True)
    theirs = F.max_pool2d(x, 3, 2, 1, return_indices=True)
    _compare(ours[0], theirs[0])
    _compare(ours[1], theirs[1])


def test_gradcheck_in_float64():
    x = torch.randn(1, 2, 6, 7, dtype=torch.float64, requires_grad=True)
    checks = [
        lambda t: ct.avg_pool2d(t, 3, 2, 1, ceil_mode=True, count_include_pad=False),
        lambda t: ct.max_pool2d(t, 2, 1),
        lambda t: ct.adaptive_avg_pool2d(t, (4, 3)),
        lambda t: ct.adaptive_max_pool2d(t, 3),
        lambda t: ct.lp_pool2d(t.abs() + 0.5, 2, 2),
    ]
    for function in checks:
        assert torch.autograd.gradcheck(function, (x,))
    pooled, indices = F.max_pool2d(x.detach(), 2, return_indices=True)
    pooled.requires_grad_()
    assert torch.autograd.gradcheck(
        lambda t: ct.max_unpool2d(t, indices, 2, output_size=x.shape), (pooled,)
    )


def test_gradgradcheck_in_float64():
    x = torch.randn(1, 2, 6, 7, dtype=torch.float64, requires_grad=True)
    for function in (
        lambda t: ct.avg_pool2d(t, 3, 2, 1, count_include_pad=False),
        lambda t: ct.max_pool2d(t, 2, 1),
        lambda t: ct.adaptive_avg_pool2d(t, 4),
        lambda t: ct.adaptive_max_pool2d(t, (2, 3)),
    ):
        assert torch.autograd.gradgradcheck(function, (x,))


def test_double_backward_matches_torch():
    x = torch.randn(2, 3, 8, 8, dtype=torch.float64, requires_grad=True)
    for ours, theirs in ((ct.max_pool2d, F.max_pool2d), (ct.avg_pool2d, F.avg_pool2d)):
        results = []
        for pool in (ours, theirs):
            (grad,) = torch.autograd.grad(pool(x, 3, 2, 1).square().sum(), x, create_graph=True)
            results.append(torch.autograd.grad(grad.square().sum(), x)[0])
        assert torch.equal(*results)


def _opcheck_cases():
    def x():
        return torch.randn(2, 3, 8, 7, dtype=torch.float64, requires_grad=True)

    def x_cl():
        return x().detach().contiguous(memory_format=torch.channels_last).requires_grad_()

    def x3():
        return (
            torch.randn(1, 2, 5, 6, 4, dtype=torch.float64)
            .contiguous(memory_format=torch.channels_last_3d)
            .requires_grad_()
        )

    pooled, indices = F.max_pool2d(x().detach(), 2, return_indices=True)

    def grad():
        return torch.randn(2, 3, 4, 3, dtype=torch.float64, requires_grad=True)

    return [
        (_ops.max_pool, (x_cl().detach(), [3, 3], [2, 2], [1, 1], [1, 1], True)),
        (_ops.max_pool_with_indices, (x(), [2, 2], [2, 1], [1, 0], [1, 2], False)),
        (_ops.max_pool_with_indices, (x3(), [2, 2, 2], [2, 2, 2], [0, 0, 0], [1, 1, 1], False)),
        (_ops.avg_pool, (x_cl(), [3, 2], [1, 2], [1, 1], True, False, None)),
        (_ops.avg_pool, (x3(), [2, 2, 2], [1, 1, 1], [1, 0, 1], False, True, 3)),
        (_ops.adaptive_avg_pool, (x_cl(), [3, 5])),
        (_ops.adaptive_max_pool, (x3(), [2, 3, 2])),
        (_ops.max_unpool, (pooled.requires_grad_(), indices, [8, 7])),
        (_ops.scatter_to_indices, (grad(), indices, [2, 3, 8, 7], False, 2)),
        (
            _ops.avg_pool_backward,
            (grad(), [2, 3, 8, 7], False, [2, 2], [2, 2], [0, 0], False, True, None),
        ),
        (_ops.adaptive_avg_pool_backward, (grad(), [2, 3, 8, 7], False, 2)),
        (_ops.max_unpool_backward, (x(), indices, 2)),
    ]


@pytest.mark.slow  # torch.library.opcheck runs each operator through all of torch's checks
@pytest.mark.parametrize("case", range(12))
def test_opcheck(case):
    operator, arguments = _opcheck_cases()[case]
    torch.library.opcheck(operator, arguments)


class _SmallNet(torch.nn.Module):
    def __init__(self, pooling):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 8, 3, padding=1)
        self.pooling = pooling

    def forward(self, x):
        p = self.pooling
        y = p.max_pool2d(torch.relu(self.conv(x)), 3, 2, 1)
        y = p.avg_pool2d(y, 2, ceil_mode=True) + p.lp_pool2d(y.abs(), 2, 2, ceil_mode=True)
        return p.adaptive_avg_pool2d(y, 2).flatten(1) + p.adaptive_max_pool2d(y, 2).flatten(1)


@pytest.mark.slow  # torch.compile; inductor compiles C++
@pytest.mark.parametrize("backend", ["aot_eager", "inductor"])
@pytest.mark.filterwarnings("ignore:`torch.jit.script_method` is deprecated:DeprecationWarning")
def test_torch_compile_fullgraph_traces_the_operators(backend):
    torch.manual_seed(0)
    net = _SmallNet(ct)
    reference = _SmallNet(F)
    reference.load_state_dict(net.state_dict())
    x = torch.randn(2, 3, 17, 16)
    compiled = torch.compile(net, fullgraph=True, backend=backend)
    out = compiled(x)
    expected = reference(x)
    torch.testing.assert_close(out, expected)
    out.sum().backward()
    expected.sum().backward()
    torch.testing.assert_close(net.conv.weight.grad, reference.conv.weight.grad)


def test_torch_export_records_cypool_operators():
    net = _SmallNet(ct).eval()
    program = torch.export.export(net, (torch.randn(1, 3, 16, 16),))
    graph = str(program.graph)
    assert "cypool.max_pool" in graph and "cypool.adaptive_avg_pool" in graph
    x = torch.randn(1, 3, 16, 16)
    assert torch.equal(program.module()(x), net(x))


def _resnet_shaped(num_classes=10):
    def block(cin, cout, stride):
        return torch.nn.Sequential(
            torch.nn.Conv2d(cin, cout, 3, stride, 1, bias=False),
            torch.nn.BatchNorm2d(cout),
            torch.nn.ReLU(),
            torch.nn.Conv2d(cout, cout, 3, 1, 1, bias=False),
            torch.nn.BatchNorm2d(cout),
            torch.nn.ReLU(),
        )

    return torch.nn.Sequential(
        torch.nn.Conv2d(3, 16, 7, 2, 3, bias=False),
        torch.nn.BatchNorm2d(16),
        torch.nn.ReLU(),
        torch.nn.MaxPool2d(3, 2, 1),
        block(16, 16, 1),
        block(16, 32, 2),
        block(32, 64, 2),
        torch.nn.AdaptiveAvgPool2d((1, 1)),
        torch.nn.Flatten(),
        torch.nn.Linear(64, num_classes),
    )


@pytest.mark.parametrize("memory_format", [torch.contiguous_format, torch.channels_last])
def test_converted_resnet_gives_the_same_logits_and_gradients(memory_format):
    torch.manual_seed(1)
    model = _resnet_shaped().to(memory_format=memory_format)
    converted = ct.convert(model)
    assert type(converted[3]) is ct.nn.MaxPool2d and type(model[3]) is torch.nn.MaxPool2d
    assert type(converted[7]) is ct.nn.AdaptiveAvgPool2d
    x = torch.randn(4, 3, 64, 64).contiguous(memory_format=memory_format)
    logits, expected = converted(x), model(x)
    assert torch.equal(logits, expected)
    logits.square().sum().backward()
    expected.square().sum().backward()
    for (name, p), q in zip(converted.named_parameters(), model.parameters()):
        assert torch.equal(p.grad, q.grad), name


def test_convert_keeps_hooks_state_and_user_subclasses():
    class CustomPool(torch.nn.MaxPool2d):
        pass

    model = torch.nn.Sequential(torch.nn.MaxPool2d(2), CustomPool(2), torch.nn.AvgPool2d(2))
    seen = []
    model[0].register_forward_hook(lambda module, inputs, output: seen.append(output.shape))
    converted = ct.convert(model, inplace=True)
    assert converted is model
    assert type(model[0]) is ct.nn.MaxPool2d and isinstance(model[0], torch.nn.MaxPool2d)
    assert type(model[1]) is CustomPool and type(model[2]) is ct.nn.AvgPool2d
    model(torch.randn(1, 1, 16, 16))
    assert seen == [torch.Size([1, 1, 8, 8])]
    assert (
        model.state_dict().keys()
        == torch.nn.Sequential(torch.nn.MaxPool2d(2), CustomPool(2), torch.nn.AvgPool2d(2))
        .state_dict()
        .keys()
    )
    with pytest.raises(TypeError, match="model"):
        ct.convert("not a model")


@pytest.mark.parametrize("name", sorted(ct.nn.__all__))
def test_modules_match_torch_modules(name):
    torch_class = getattr(torch.nn, name)
    spatial_dims = int(name[-2])
    arguments = {
        "MaxPool": (3, 2, 1),
        "AvgPool": (3, 2, 1),
        "LPPool": (2, 3, 2),
        "AdaptiveMaxPool": (3,),
        "AdaptiveAvgPool": (3,),
        "MaxUnpool": (2,),
    }
    args = arguments[name[:-2]]
    ours, theirs = getattr(ct.nn, name)(*args), torch_class(*args)
    assert repr(ours) == repr(theirs)
    x = torch.rand(2, 3, *[8] * spatial_dims)
    if name.startswith("MaxUnpool"):
        pooled, indices = getattr(F, "max_pool%dd" % spatial_dims)(x, 2, return_indices=True)
        assert torch.equal(ours(pooled, indices), theirs(pooled, indices))
    else:
        assert torch.equal(ours(x), theirs(x))


def test_unsupported_tensors_take_torchs_own_operator():
    meta = torch.empty(2, 3, 8, 8, device="meta")
    assert ct.max_pool2d(meta, 2).device.type == "meta"  # stands in for CUDA/MPS
    assert ct.avg_pool2d(meta, 2).shape == (2, 3, 4, 4)
    bf16 = torch.randn(1, 2, 6, 6).to(torch.bfloat16)
    assert torch.equal(ct.avg_pool2d(bf16, 2), F.avg_pool2d(bf16, 2))
    integers = torch.randint(-9, 9, (1, 2, 5, 5))
    assert torch.equal(ct.avg_pool2d(integers, 2), F.avg_pool2d(integers, 2))  # truncates
    with pytest.raises(RuntimeError, match="not implemented"):
        ct.adaptive_avg_pool2d(integers.to(torch.uint8), 2)
    with pytest.raises(RuntimeError, match="pad should be"):
        ct.max_pool2d(torch.randn(1, 1, 8, 8), 2, padding=2)


def test_non_contiguous_and_unbatched_inputs():
    x = torch.randn(2, 4, 10, 12)[:, ::2, 1:, ::3]
    assert torch.equal(ct.max_pool2d(x, 2), F.max_pool2d(x, 2))
    assert torch.equal(ct.avg_pool2d(x[0], 2, 1), F.avg_pool2d(x[0], 2, 1))


def test_threads_follow_torch_unless_cypool_is_set():
    previous = torch.get_num_threads()
    try:
        torch.set_num_threads(1)
        assert _ops._threads() == 1
        with cypool.num_threads(2):
            assert _ops._threads() == 2
        torch.set_num_threads(2)
        cypool.set_num_threads(1)
        assert _ops._threads() == 1
    finally:
        cypool.set_num_threads(None)
        torch.set_num_threads(previous)


def test_importing_cypool_does_not_import_torch():
    code = "import sys, cypool; sys.exit(1 if 'torch' in sys.modules else 0)"
    assert subprocess.run([sys.executable, "-c", code], cwd="/").returncode == 0


def test_channels_last_reading_follows_torchs_rule():
    from torch._prims_common import suggest_memory_format

    for shape in [
        (2, 3, 4, 5),
        (1, 3, 1, 1),
        (2, 1, 4, 1),
        (1, 1, 1, 1),
        (2, 3, 1, 4),
        (2, 3, 4, 5, 6),
        (1, 2, 1, 1, 3),
    ]:
        formats = (torch.contiguous_format, FORMATS[len(shape) - 2])
        for memory_format in formats:
            x = torch.empty(shape).contiguous(memory_format=memory_format)
            for view in (x, x[..., ::2], x.transpose(-1, -2), x[:1]):
                expected = suggest_memory_format(view) == formats[1]
                assert _ops.runs_channels_last(view, len(shape) - 2) == expected, view.stride()


def _documented():
    objects = [ct, ct.nn, _ops] + [getattr(ct, name) for name in ct.__all__ if name != "nn"]
    return objects + [getattr(ct.nn, name) for name in ct.nn.__all__]


@pytest.mark.parametrize("item", _documented(), ids=lambda item: getattr(item, "__name__", ""))
def test_docstring_examples_run(item):
    if item is _ops:  # private module: documented, no example
        assert "custom operators" in item.__doc__
        return
    assert "Examples\n" in item.__doc__
    tests = doctest.DocTestFinder(recurse=False).find(item, item.__name__, globs={})
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert tests and tests[0].examples
    for test in tests:
        runner.run(test)
    assert runner.failures == 0


def test_inference_under_tracing_records_the_operator():
    from torch.fx.experimental.proxy_tensor import make_fx

    x = torch.randn(1, 2, 8, 8)
    with torch.no_grad():
        graph = make_fx(lambda t: ct.max_pool2d(t, 2) + ct.avg_pool2d(t, 2))(x).graph
        eager = ct.max_pool2d(x, 2) + ct.avg_pool2d(x, 2)  # the plain-function path
    assert "cypool.max_pool" in str(graph) and "cypool.avg_pool" in str(graph)
    assert torch.equal(eager, F.max_pool2d(x, 2) + F.avg_pool2d(x, 2))


@pytest.mark.slow  # a fresh interpreter imports torch and pools a ResNet-sized batch
def test_readme_command_runs_verbatim():
    import os
    import shlex

    readme = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "README.md")
    with open(readme) as handle:
        lines = [line for line in handle if line.startswith('python -c "import torch, cypool')]
    assert len(lines) == 1
    command = shlex.split(lines[0])
    assert command[:2] == ["python", "-c"]
    result = subprocess.run(
        [sys.executable, "-c", command[2]], cwd="/", capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "True (8, 64, 112, 112)"


@pytest.mark.slow  # times every operator and two models against torch
def test_torch_benchmark_runs_quick(tmp_path):
    from cypool.benchmark import torch_ops

    output = tmp_path / "torch_bench.md"
    ops, models = torch_ops.main(
        ["--quick", "--threads", "1", "--repeat", "1", "--output", str(output)]
    )
    assert len(ops) == len(torch_ops.OPS) * 4 and len(models) == 2
    assert all(row["torch"] > 0 and row["cypool"] > 0 for row in ops + models)
    assert "speed-up" in output.read_text() and "training step" in output.read_text()
