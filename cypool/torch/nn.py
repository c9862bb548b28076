"""Drop-in ``torch.nn`` pooling modules computed by cypool's kernels.

Each class subclasses its ``torch.nn`` namesake (same constructor arguments,
``extra_repr`` and empty ``state_dict``; ``isinstance`` checks still hold) and
only replaces ``forward`` with the ``cypool.torch`` function.  ``TWINS`` maps
each torch class to its twin; ``cypool.torch.convert`` uses it.

Examples
--------
>>> import torch, cypool.torch as ct
>>> pool = ct.nn.MaxPool2d(3, stride=2, padding=1)
>>> pool(torch.randn(1, 64, 112, 112)).shape
torch.Size([1, 64, 56, 56])
"""

import torch

import cypool.torch as _functional


def _max_pool(d):
    pool = getattr(_functional, "max_pool%dd" % d)

    def forward(self, input):
        return pool(
            input,
            self.kernel_size,
            self.stride,
            self.padding,
            self.dilation,
            ceil_mode=self.ceil_mode,
            return_indices=self.return_indices,
        )

    return forward


def _avg_pool(d):
    pool = getattr(_functional, "avg_pool%dd" % d)

    def forward(self, input):
        extra = {} if d == 1 else {"divisor_override": self.divisor_override}
        return pool(
            input,
            self.kernel_size,
            self.stride,
            self.padding,
            self.ceil_mode,
            self.count_include_pad,
            **extra,
        )

    return forward


def _lp_pool(d):
    pool = getattr(_functional, "lp_pool%dd" % d)

    def forward(self, input):
        return pool(input, float(self.norm_type), self.kernel_size, self.stride, self.ceil_mode)

    return forward


def _adaptive_max_pool(d):
    pool = getattr(_functional, "adaptive_max_pool%dd" % d)

    def forward(self, input):
        return pool(input, self.output_size, self.return_indices)

    return forward


def _adaptive_avg_pool(d):
    pool = getattr(_functional, "adaptive_avg_pool%dd" % d)

    def forward(self, input):
        return pool(input, self.output_size)

    return forward


def _max_unpool(d):
    unpool = getattr(_functional, "max_unpool%dd" % d)

    def forward(self, input, indices, output_size=None):
        return unpool(input, indices, self.kernel_size, self.stride, self.padding, output_size)

    return forward


def _twin(torch_class, forward):
    name = torch_class.__name__
    doc = (
        "``torch.nn.%s`` computed by cypool's kernels (same arguments; see "
        "``cypool.torch``).\n\nExamples\n--------\n>>> import cypool.torch as ct\n"
        ">>> issubclass(ct.nn.%s, __import__('torch').nn.%s)\nTrue\n" % (name, name, name)
    )
    return type(
        name,
        (torch_class,),
        {"forward": forward, "__module__": __name__, "__qualname__": name, "__doc__": doc},
    )


MaxPool1d = _twin(torch.nn.MaxPool1d, _max_pool(1))
MaxPool2d = _twin(torch.nn.MaxPool2d, _max_pool(2))
MaxPool3d = _twin(torch.nn.MaxPool3d, _max_pool(3))
AvgPool1d = _twin(torch.nn.AvgPool1d, _avg_pool(1))
AvgPool2d = _twin(torch.nn.AvgPool2d, _avg_pool(2))
AvgPool3d = _twin(torch.nn.AvgPool3d, _avg_pool(3))
LPPool1d = _twin(torch.nn.LPPool1d, _lp_pool(1))
LPPool2d = _twin(torch.nn.LPPool2d, _lp_pool(2))
LPPool3d = _twin(torch.nn.LPPool3d, _lp_pool(3))
AdaptiveMaxPool1d = _twin(torch.nn.AdaptiveMaxPool1d, _adaptive_max_pool(1))
AdaptiveMaxPool2d = _twin(torch.nn.AdaptiveMaxPool2d, _adaptive_max_pool(2))
AdaptiveMaxPool3d = _twin(torch.nn.AdaptiveMaxPool3d, _adaptive_max_pool(3))
AdaptiveAvgPool1d = _twin(torch.nn.AdaptiveAvgPool1d, _adaptive_avg_pool(1))
AdaptiveAvgPool2d = _twin(torch.nn.AdaptiveAvgPool2d, _adaptive_avg_pool(2))
AdaptiveAvgPool3d = _twin(torch.nn.AdaptiveAvgPool3d, _adaptive_avg_pool(3))
MaxUnpool1d = _twin(torch.nn.MaxUnpool1d, _max_unpool(1))
MaxUnpool2d = _twin(torch.nn.MaxUnpool2d, _max_unpool(2))
MaxUnpool3d = _twin(torch.nn.MaxUnpool3d, _max_unpool(3))

TWINS = {
    cls.__bases__[0]: cls
    for cls in (
        MaxPool1d,
        MaxPool2d,
        MaxPool3d,
        AvgPool1d,
        AvgPool2d,
        AvgPool3d,
        LPPool1d,
        LPPool2d,
        LPPool3d,
        AdaptiveMaxPool1d,
        AdaptiveMaxPool2d,
        AdaptiveMaxPool3d,
        AdaptiveAvgPool1d,
        AdaptiveAvgPool2d,
        AdaptiveAvgPool3d,
        MaxUnpool1d,
        MaxUnpool2d,
        MaxUnpool3d,
    )
}

__all__ = sorted(cls.__name__ for cls in TWINS.values())
