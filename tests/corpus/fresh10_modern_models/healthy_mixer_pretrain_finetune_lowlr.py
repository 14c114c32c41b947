# expect:
# allow:
# forbid: *
# evidence: pre-train 6 epochs on digits 0-4 (val_acc 0.99), fine-tune on 150 labelled 5-9 images, 20 epochs, AdamW backbone 5e-4 / head 1e-2 cosine; held-out 5-9 val_acc 0.91, val_loss 0.26, train_acc 0.99 (chance 0.20)
"""Two-stage research recipe with an MLP-Mixer on 8x8 digits: pre-train on digits 0-4, then fine-tune the whole
network on digits 5-9 (new head) at a small backbone learning rate (AdamW 5e-4 backbone, 1e-2 new head, cosine), as one
fine-tunes a pre-trained model. Reports held-out accuracy on the 5-9 task."""
import argparse, json, math
from dataclasses import dataclass
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1)


@dataclass
class Stage:
    lr_backbone: float
    lr_head: float
    epochs: int
    batch: int = 32


PRETRAIN = Stage(lr_backbone=3e-3, lr_head=3e-3, epochs=6)
FINETUNE = Stage(lr_backbone=5e-4, lr_head=1e-2, epochs=20, batch=16)


class MixerLayer(nn.Module):
    def __init__(self, n_tok, d):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.tok = nn.Sequential(nn.Linear(n_tok, 32), nn.GELU(), nn.Linear(32, n_tok))
        self.ch = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))

    def forward(self, x):
        x = x + self.tok(self.ln1(x).transpose(1, 2)).transpose(1, 2)
        return x + self.ch(self.ln2(x))


class Backbone(nn.Module):
    def __init__(self, d=32, depth=3):
        super().__init__()
        self.stem = nn.Linear(4, d)
        self.layers = nn.Sequential(*[MixerLayer(16, d) for _ in range(depth)])
        self.ln = nn.LayerNorm(d)

    def forward(self, img):
        B = img.shape[0]
        x = img.reshape(B, 4, 2, 4, 2).permute(0, 1, 3, 2, 4).reshape(B, 16, 4)
        return self.ln(self.layers(self.stem(x))).mean(1)


def fit(backbone, head, Xtr, ytr, Xva, yva, st, tag):
    opt = torch.optim.AdamW([{"params": backbone.parameters(), "lr": st.lr_backbone}, {"params": head.parameters(), "lr": st.lr_head}], weight_decay=0.01)
    steps = st.epochs * math.ceil(len(ytr) / st.batch)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, steps)
    for ep in range(st.epochs):
        backbone.train(); head.train(); perm = torch.randperm(len(ytr))
        for i in range(0, len(perm), st.batch):
            idx = perm[i:i + st.batch]
            loss = F.cross_entropy(head(backbone(Xtr[idx])), ytr[idx])
            opt.zero_grad(); loss.backward(); opt.step(); sched.step()
        backbone.eval(); head.eval()
        with torch.no_grad():
            out = head(backbone(Xva)); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
            tout = head(backbone(Xtr)); tl = F.cross_entropy(tout, ytr).item(); ta = (tout.argmax(1) == ytr).float().mean().item()
        print(f"[{tag}] epoch {ep+1} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.3f}")
    return vl, va, tl, ta


def main():
    ap = argparse.ArgumentParser(); ap.add_argument("--control", action="store_true"); a = ap.parse_args()
    torch.manual_seed(0)
    d = load_digits()
    X = torch.tensor(d.images / 8.0 - 1.0, dtype=torch.float32); y = torch.tensor(d.target)
    itr, iva = train_test_split(np.arange(len(y)), test_size=0.3, random_state=3, stratify=d.target)
    itr, iva = torch.tensor(itr), torch.tensor(iva)
    lo_tr, lo_va = itr[y[itr] < 5], iva[y[iva] < 5]
    hi_tr, hi_va = itr[y[itr] >= 5], iva[y[iva] >= 5]
    backbone = Backbone()
    fit(backbone, nn.Linear(32, 5), X[lo_tr], y[lo_tr], X[lo_va], y[lo_va], PRETRAIN, "pretrain 0-4")
    hi_tr = hi_tr[:150]  # small labelled budget for the downstream task
    vl, va, tl, ta = fit(backbone, nn.Linear(32, 5), X[hi_tr], y[hi_tr] - 5, X[hi_va], y[hi_va] - 5, FINETUNE, "finetune 5-9")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "train_acc": round(ta, 4), "chance_acc": 0.2}))


if __name__ == "__main__":
    main()
