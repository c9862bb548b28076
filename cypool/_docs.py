"""Docstrings shared by the 1-D, 2-D and 3-D versions of each public function.

Each operation has one template (``{nd}``, ``{cf}``, ``{cl}``, ``{sp}``, ``{example}``
filled per dimension), so the three functions cannot drift apart.
"""

SHAPES = {1: ("(N, C, L)", "(N, L, C)", "L"), 2: ("(N, C, H, W)", "(N, H, W, C)", "H, W"),
          3: ("(N, C, D, H, W)", "(N, D, H, W, C)", "D, H, W")}
EXAMPLE_INPUT = {1: "np.arange(8.).reshape(1, 1, 8)", 2: "np.arange(16.).reshape(1, 1, 4, 4)",
                 3: "np.arange(64.).reshape(1, 1, 4, 4, 4)"}


def documented(templates, operation, ndim):
    """Decorator: attach ``templates[operation]`` filled for ``ndim`` spatial dims."""
    cf, cl, sp = SHAPES[ndim]

    def attach(function):
        function.__doc__ = templates[operation].format(nd=ndim, cf=cf, cl=cl, sp=sp,
                                                       example=EXAMPLE_INPUT[ndim])
        return function
    return attach
