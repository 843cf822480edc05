"""PyTorch on CUDA for `npm run bench:gpu`: torchvision's ResNet-50 trained (SGD, cross-entropy)
and evaluated on random batches at each K, one JSON line per K, or one {"skip": why} line when
CUDA is not available or the width is not torchvision's."""
import argparse
import json
import time

import torch
import torchvision


def rate(step, seconds):
    """Images per step-second after one warm-up step, timed with the GPU synchronised."""
    step()
    torch.cuda.synchronize()
    steps, start = 0, time.perf_counter()
    while steps < 2 or time.perf_counter() - start < seconds:
        step()
        steps += 1
    torch.cuda.synchronize()
    return steps / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--k", default="128,224,288")
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--width", type=float, default=1)
    args = parser.parse_args()
    if not torch.cuda.is_available():
        print(json.dumps({"skip": f"torch.cuda.is_available() is False (torch {torch.__version__})"}))
        return
    if args.width != 1:
        print(json.dumps({"skip": f"torchvision's resnet50 has width 1, not {args.width}"}))
        return
    device = torch.device("cuda")
    name = torch.cuda.get_device_name(device)
    model = torchvision.models.resnet50(num_classes=10).to(device)
    optimiser = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
    loss_fn = torch.nn.CrossEntropyLoss()
    for k in [int(v) for v in args.k.split(",")]:
        x = torch.randn(args.batch, 3, k, k, device=device)
        y = torch.arange(args.batch, device=device) % 10

        def train_step():
            model.train()
            optimiser.zero_grad(set_to_none=True)
            loss_fn(model(x), y).backward()
            optimiser.step()

        def eval_step():
            model.eval()
            with torch.no_grad():
                model(x)

        train = rate(train_step, args.seconds) * args.batch
        evaluation = rate(eval_step, args.seconds / 2) * args.batch
        print(json.dumps({
            "engine": "pytorch", "backend": "cuda", "device": name, "software": False, "k": k,
            "width": 1, "batch": args.batch, "train_img_s": train, "eval_img_s": evaluation,
        }), flush=True)


if __name__ == "__main__":
    main()
