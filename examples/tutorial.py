"""Pooling, forward and backward, on a real picture, then a tiny NumPy CNN.

    MPLBACKEND=Agg python examples/tutorial.py --out docs/images

Every step is plain NumPy plus cypool; the pictures it saves are the ones the
README shows.  Read it top to bottom: each section says what pooling does and
why.  Needs matplotlib and scikit-learn (both ship their data: no download).
"""

import argparse
import os
import time

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits, load_sample_image

import cypool
from cypool.reference import vectorized


def picture(out):
    """1. Max and average pooling of a photo; 2. where max pooling sends gradients."""
    image = load_sample_image("china.jpg").mean(axis=2).astype(np.float32) / 255  # (427, 640)
    # max pooling keeps the brightest pixel of every 8x8 block, average pooling blurs it.
    # The NumPy-style functions pool the axes named; axes=(0, 1) is height and width.
    # Name them: the default (every axis) would also pool the channels of an
    # (H, W, 3) colour image (here it would raise: a window of 8 on 3 channels).
    max8 = cypool.max_pool(image, 8, axes=(0, 1))
    avg8 = cypool.avg_pool(image, 8, axes=(0, 1))
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.4))
    for ax, (title, data) in zip(
        axes,
        [
            ("input (427 x 640)", image),
            ("max_pool 8x8 (53 x 80)", max8),
            ("avg_pool 8x8 (53 x 80)", avg8),
        ],
    ):
        ax.imshow(data, cmap="gray")
        ax.set_title(title)
        ax.axis("off")
    fig.tight_layout()
    fig.savefig(os.path.join(out, "pooling_forward.png"), dpi=90)
    plt.close(fig)

    # Backward: the gradient of max pooling flows only to each window's argmax
    # (summed where overlapping windows pick the same pixel); the gradient of
    # average pooling is spread evenly over each window.  With an all-ones upstream
    # gradient the maps show where the "winners" sit and how windows overlap.
    crop = image[150:214, 250:314]  # 64 x 64
    window = dict(kernel_size=3, stride=2, padding=1)  # overlapping windows
    pooled, indices = cypool.max_pool2d(crop[np.newaxis], return_indices=True, **window)
    max_grad = cypool.max_pool2d_backward(np.ones_like(pooled), indices, (1, 64, 64))[0]
    avg_grad = cypool.avg_pool2d_backward(np.ones_like(pooled), (1, 64, 64), **window)[0]
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.8))
    axes[0].imshow(crop, cmap="gray")
    axes[0].set_title("64 x 64 crop")
    axes[1].imshow(max_grad, cmap="magma")
    axes[1].set_title("max backward: argmax routing")
    axes[2].imshow(avg_grad, cmap="magma")
    axes[2].set_title("avg backward: even spread")
    for ax in axes:
        ax.axis("off")
    fig.tight_layout()
    fig.savefig(os.path.join(out, "pooling_backward.png"), dpi=90)
    plt.close(fig)
    assert max_grad.sum() == pooled.size and np.count_nonzero(max_grad) <= pooled.size


def pyramid(out):
    """3. A uint8 image pyramid, and why its rounding is ties to even."""
    photo = load_sample_image("china.jpg")  # (427, 640, 3) uint8, channels last
    # Each level halves the one before it.  layout="channels_last" pools height and
    # width of an (H, W, C) image (the batch dim may be omitted) and keeps the colour
    # channels; dtype=np.uint8 returns each 2x2 mean rounded in the image's own type,
    # ties to even, so no float64 level is ever made.
    levels = [photo]
    for _ in range(3):
        levels.append(cypool.avg_pool2d(levels[-1], 2, layout="channels_last", dtype=np.uint8))
    # Against the exact float64 pyramid, and against rounding halves up (OpenCV's
    # INTER_AREA and Pillow's Image.reduce for 2x2): how far each level's mean drifts.
    exact, halves_up = photo.astype(np.float64), photo
    drift = {"ties to even (cypool)": [0.0], "halves up (OpenCV, Pillow)": [0.0]}
    for level in levels[1:]:
        exact = cypool.avg_pool2d(exact, 2, layout="channels_last")
        means = cypool.avg_pool2d(halves_up, 2, layout="channels_last")
        halves_up = np.floor(means + 0.5).astype(np.uint8)
        drift["ties to even (cypool)"].append(float((level - exact).mean()))
        drift["halves up (OpenCV, Pillow)"].append(float((halves_up - exact).mean()))

    # Every level at its true size, then the drift against the level number.
    widths = [level.shape[1] for level in levels]
    fig, axes = plt.subplots(
        1, 5, figsize=(12, 3.0), gridspec_kw=dict(width_ratios=widths + [widths[0] * 0.75])
    )
    for ax, level in zip(axes, levels):
        ax.imshow(level)
        ax.set_title("%d x %d" % level.shape[:2], fontsize=9)
        ax.axis("off")
    for label, values in drift.items():
        axes[4].plot(range(len(levels)), values, "o-", label=label)
    axes[4].axhline(0, color="grey", linewidth=0.5)
    axes[4].set_xticks(range(len(levels)))
    axes[4].set_xlabel("pyramid level", fontsize=9)
    axes[4].set_ylabel("mean - exact mean\n(grey levels)", fontsize=9)
    axes[4].legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    fig.savefig(os.path.join(out, "pyramid.png"), dpi=90)
    plt.close(fig)
    return drift


class TinyCNN:
    """conv 3x3 (8 filters, 'same') -> ReLU -> max_pool 2x2 -> dense -> softmax."""

    def __init__(self, rng):
        self.w = rng.standard_normal((8, 1, 3, 3)).astype(np.float32) * 0.3
        self.b = np.zeros(8, np.float32)
        self.v = rng.standard_normal((8 * 4 * 4, 10)).astype(np.float32) * 0.05
        self.c = np.zeros(10, np.float32)
        self.pool = cypool.layers.MaxPool2d(2)  # keeps its indices for backward

    def forward(self, x):  # x: (N, 1, 8, 8)
        padded = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
        self.patches = np.lib.stride_tricks.sliding_window_view(padded, (3, 3), axis=(2, 3))
        conv = np.einsum("nchwij,fcij->nfhw", self.patches, self.w) + self.b[:, None, None]
        self.relu = np.maximum(conv, 0)
        pooled = self.pool.forward(self.relu)
        self.flat = pooled.reshape(len(x), -1)
        return self.flat @ self.v + self.c

    def backward(self, grad_logits, lr):
        grad_flat = grad_logits @ self.v.T
        self.v -= lr * self.flat.T @ grad_logits
        self.c -= lr * grad_logits.sum(axis=0)
        grad_pooled = grad_flat.reshape(-1, 8, 4, 4)
        grad_relu = self.pool.backward(grad_pooled)
        grad_conv = grad_relu * (self.relu > 0)
        self.w -= lr * np.einsum("nfhw,nchwij->fcij", grad_conv, self.patches)
        self.b -= lr * grad_conv.sum(axis=(0, 2, 3))


def train_digits(epochs=30, seed=0):
    """4. A NumPy CNN with a cypool pooling layer on scikit-learn's 8x8 digits."""
    digits = load_digits()
    x = (digits.images / 16).astype(np.float32)[:, np.newaxis]
    y = digits.target
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(x))
    train, test = order[:1400], order[1400:]
    model = TinyCNN(rng)
    for epoch in range(epochs):
        for batch in np.array_split(rng.permutation(train), len(train) // 32):
            logits = model.forward(x[batch])
            probs = np.exp(logits - logits.max(axis=1, keepdims=True))
            probs /= probs.sum(axis=1, keepdims=True)
            probs[np.arange(len(batch)), y[batch]] -= 1  # d(cross-entropy)/d(logits)
            model.backward(probs / len(batch), lr=0.1)
    accuracy = float((model.forward(x[test]).argmax(axis=1) == y[test]).mean())
    return accuracy


def speed_chart(out):
    """5. How long each takes on a (16, 64, 112, 112) float32 batch, 1 thread."""
    x = np.random.default_rng(0).standard_normal((16, 64, 112, 112)).astype(np.float32)
    rows = []
    for name, fast, slow in [
        (
            "max k2s2",
            lambda: cypool.max_pool2d(x, 2, num_threads=1),
            lambda: vectorized.max_pool2d(x, 2),
        ),
        (
            "max k3s2p1",
            lambda: cypool.max_pool2d(x, 3, 2, 1, num_threads=1),
            lambda: vectorized.max_pool2d(x, 3, 2, 1),
        ),
        (
            "avg k2s2",
            lambda: cypool.avg_pool2d(x, 2, num_threads=1),
            lambda: vectorized.avg_pool2d(x, 2),
        ),
    ]:
        rows.append((name, _best_ms(fast), _best_ms(slow)))
    fig, ax = plt.subplots(figsize=(7, 3.2))
    positions = np.arange(len(rows))
    ax.barh(positions - 0.2, [r[1] for r in rows], 0.4, label="cypool")
    ax.barh(positions + 0.2, [r[2] for r in rows], 0.4, label="NumPy (sliding_window_view)")
    ax.set_yticks(positions)
    ax.set_yticklabels([r[0] for r in rows])
    ax.set_xscale("log")
    ax.set_xlabel("ms per call, (16, 64, 112, 112) float32, 1 thread (log scale)")
    ax.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(os.path.join(out, "speed.png"), dpi=90)
    plt.close(fig)
    return rows


def _best_ms(call, repeat=3):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return 1e3 * min(times)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="tutorial-output", help="folder for the PNG figures")
    parser.add_argument("--epochs", type=int, default=30)
    args = parser.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    picture(args.out)
    for label, values in pyramid(args.out).items():
        print(
            "uint8 pyramid, %s: levels 1-3 drift %s grey levels"
            % (label, " ".join("%+.3f" % v for v in values[1:]))
        )
    accuracy = train_digits(args.epochs)
    print("tiny CNN test accuracy on digits: %.3f" % accuracy)
    for name, fast, slow in speed_chart(args.out):
        print("%-11s cypool %7.2f ms   NumPy %8.2f ms   (%.0fx)" % (name, fast, slow, slow / fast))
    return accuracy


if __name__ == "__main__":
    main()
