"""The official FixRes test Resize against torchvision's, measured on α (docs/SCIENCE.md §6).

The official code (facebookresearch/FixRes, imnet_finetune/transforms.py) resizes with its own
`Resize(int((256 / 224) * K_test))`, whose `target_size` sets the image *height* to that size and
the width to int(size · w / h): for a landscape image that is torchvision's shorter-side resize,
for a portrait image the width ends up below the size, and CenterCrop(K_test) pads the missing
columns with zeros. FixRes Lab resizes the shorter side, as torchvision does.

Run with Debian's python3-torchvision:  /usr/bin/python3 bench/reference/official_resize_alpha.py
For each image size: α = E[r_test/r_train] under both test transforms (train crops drawn by
torchvision's own RandomResizedCrop.get_params), K_test* = K_train / α(K_test = K_train), and the
fraction of the official test crop that is zero padding.
"""
import math

import torch
from torchvision.transforms import RandomResizedCrop

K, CROP_PCT, N = 224, 0.875, 100_000
SIZE = int((256 / 224) * K)  # the official int(256/224 · K) = floor(K / 0.875) for every K ≤ 1024
torch.manual_seed(0)
print(f"K_train = K_test = {K}, resize to {SIZE}, scale (0.08, 1), ratio (3/4, 4/3), {N} crops per size")
print("image (w×h) | α torchvision (short side) | α official (height) | K_test* torchvision | K_test* official | padded columns")
for width, height in [(640, 480), (500, 375), (500, 500), (480, 640), (375, 500), (360, 640), (300, 600)]:
    image = torch.empty(3, height, width)
    q = 0.0
    for _ in range(N):
        _, _, h, w = RandomResizedCrop.get_params(image, scale=[0.08, 1.0], ratio=[3 / 4, 4 / 3])
        q += math.sqrt(h * w)
    q /= N
    alpha_short = SIZE / min(width, height) * q / K
    alpha_height = SIZE / height * q / K
    resized_width = int(SIZE * width / height)
    padded = max(0, K - resized_width) / K
    print(
        f"{width}x{height} | {alpha_short:.4f} | {alpha_height:.4f} | {K / alpha_short:.1f} | {K / alpha_height:.1f} | {padded:.1%}"
    )
