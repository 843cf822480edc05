"""Cross-check of the Monte Carlo α against torchvision's own RandomResizedCrop sampler.

Run with Debian's python3-torchvision (0.14):  /usr/bin/python3 bench/reference/apparent_size_torchvision.py
Prints α = E[r_test/r_train] and E[r_train/r_test] for the sizes in docs/SCIENCE.md, K_train = K_test = 224,
crop_pct 0.875, scale (0.08, 1), ratio (3/4, 4/3). Compare with `fixres analyze ... --samples 200000 --json`.
"""
import math

import torch
from torchvision.transforms import RandomResizedCrop

K_TRAIN, K_TEST, CROP_PCT, N = 224, 224, 0.875, 200_000
torch.manual_seed(0)
for width, height in [(500, 500), (640, 480), (480, 640), (500, 375), (1000, 100)]:
    image = torch.empty(3, height, width)
    s_test = math.floor(K_TEST / CROP_PCT) / min(width, height)
    ratios = []
    for _ in range(N):
        _, _, h, w = RandomResizedCrop.get_params(image, scale=[0.08, 1.0], ratio=[3 / 4, 4 / 3])
        ratios.append(s_test * math.sqrt(h * w) / K_TRAIN)
    alpha = sum(ratios) / N
    inverse = sum(1 / r for r in ratios) / N
    print(f"{width}x{height}: alpha = E[r_test/r_train] = {alpha:.4f}   E[r_train/r_test] = {inverse:.4f}")
