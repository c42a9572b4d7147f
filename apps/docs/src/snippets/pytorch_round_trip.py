"""The PyTorch side of "Masks to and from PyTorch" (docs/guide/pytorch.md), runnable:

    python3 pytorch_round_trip.py save pruned.safetensors        # torch: prune, save the state_dict
    python3 pytorch_round_trip.py apply pruned.safetensors mask.safetensors   # torch: apply a graphon-pai mask
    python3 pytorch_round_trip.py check pruned.safetensors mask.safetensors   # numpy only: the file formats

`check` reads both safetensors headers by hand (numpy, no torch) and verifies what custom_from_mask needs:
one mask per pruned weight, named like the weight, of the weight's shape, BOOL holding 0/1.
"""
import json
import struct
import sys


def save(path):
    import torch
    from safetensors.torch import save_file
    from torch import nn
    from torch.nn.utils import prune

    torch.manual_seed(0)
    # region save
    net = nn.Sequential(nn.Linear(784, 300), nn.ReLU(), nn.Linear(300, 10))
    prune.l1_unstructured(net[0], "weight", amount=0.9)  # any torch.nn.utils.prune method
    save_file(net.state_dict(), path)  # 0.weight_orig, 0.weight_mask (float 0/1), 0.bias, 2.weight, 2.bias
    # endregion save


def apply(state_dict_path, mask_path):
    import torch
    from safetensors.torch import load_file
    from torch import nn
    from torch.nn.utils import prune

    net = nn.Sequential(nn.Linear(784, 300), nn.ReLU(), nn.Linear(300, 10))
    state = load_file(state_dict_path)
    state = {k.replace("_orig", ""): v for k, v in state.items() if not k.endswith("_mask")}
    net.load_state_dict(state)
    # region apply
    masks = load_file(mask_path)  # one bool tensor per weight, named and shaped like it
    for name, module in net.named_modules():
        if f"{name}.weight" in masks:
            prune.custom_from_mask(module, "weight", masks[f"{name}.weight"])
    # endregion apply
    for name, module in net.named_modules():
        if f"{name}.weight" in masks:
            m = masks[f"{name}.weight"]
            assert torch.equal(module.weight, module.weight_orig * m), name
            assert int((module.weight != 0).sum()) <= int(m.sum()), name
    print("applied", len(masks), "masks")


def header(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        head = json.loads(f.read(n))
        data = f.read()
    return head, data


def check(state_dict_path, mask_path):
    import numpy as np

    state, _ = header(state_dict_path)
    mask, data = header(mask_path)
    weights = {k[: -len("_orig")] if k.endswith("_orig") else k: v["shape"] for k, v in state.items()
               if k != "__metadata__" and not k.endswith("_mask") and len(v["shape"]) >= 2}
    names = [k for k in mask if k != "__metadata__"]
    assert names == list(weights), (names, list(weights))
    for name in names:
        entry = mask[name]
        assert entry["dtype"] == "BOOL", entry
        assert entry["shape"] == weights[name], (name, entry["shape"], weights[name])
        begin, end = entry["data_offsets"]
        values = np.frombuffer(data[begin:end], dtype=np.uint8)
        assert values.size == int(np.prod(entry["shape"])) and set(np.unique(values)) <= {0, 1}, name
    print("format ok:", ", ".join(f"{n} {weights[n]}" for n in names))


if __name__ == "__main__":
    {"save": save, "apply": apply, "check": check}[sys.argv[1]](*sys.argv[2:])
