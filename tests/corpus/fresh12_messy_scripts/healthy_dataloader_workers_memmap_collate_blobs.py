# expect:
# allow:
# forbid: *
# evidence: overlapping blobs (cluster_std 7): val_acc 0.920 vs Bayes (nearest true centre) 0.923; train_loss 0.236 ~ val_loss 0.238 -- the flat loss is the Bayes floor, not a plateau problem
import os, sys, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import Dataset, DataLoader, RandomSampler
from sklearn.datasets import make_blobs

def collate(batch):
    xs, ys = zip(*batch)
    return {"x": torch.from_numpy(np.stack(xs)).float(), "y": torch.tensor(ys, dtype=torch.long)}

class MemmapDS(Dataset):
    def __init__(self, xpath, ypath, n, d):
        self.xpath, self.ypath, self.n, self.d = xpath, ypath, n, d
        self.X = None
    def __len__(self): return self.n
    def __getitem__(self, i):
        if self.X is None:   # open lazily in each worker
            self.X = np.memmap(self.xpath, dtype=np.float32, mode="r", shape=(self.n, self.d))
            self.Y = np.memmap(self.ypath, dtype=np.int64, mode="r", shape=(self.n,))
        return np.array(self.X[i]), int(self.Y[i])

def main():
    torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
    tmp = tempfile.mkdtemp()
    X, y, C = make_blobs(n_samples=3000, centers=5, n_features=16, cluster_std=7.0, random_state=3, return_centers=True)
    # Bayes-optimal rule for equal isotropic blobs = nearest true centre
    bayes_acc = float((((X[2400:, None, :] - C[None]) ** 2).sum(-1).argmin(1) == y[2400:]).mean())
    print("nearest-true-centre (Bayes) val acc:", bayes_acc)
    X = ((X - X.mean(0)) / X.std(0)).astype(np.float32)
    paths = {}
    for split, sl in (("train", slice(0, 2400)), ("val", slice(2400, 3000))):
        xp, yp = os.path.join(tmp, f"{split}_x.dat"), os.path.join(tmp, f"{split}_y.dat")
        mx = np.memmap(xp, dtype=np.float32, mode="w+", shape=X[sl].shape); mx[:] = X[sl]; mx.flush()
        my = np.memmap(yp, dtype=np.int64, mode="w+", shape=(len(y[sl]),)); my[:] = y[sl]; my.flush()
        paths[split] = (xp, yp, len(y[sl]))
    tr = MemmapDS(paths["train"][0], paths["train"][1], paths["train"][2], 16)
    va = MemmapDS(paths["val"][0], paths["val"][1], paths["val"][2], 16)
    g = torch.Generator().manual_seed(0)
    dl = DataLoader(tr, batch_size=64, sampler=RandomSampler(tr, generator=g), drop_last=True, num_workers=2,
                    collate_fn=collate, persistent_workers=True)
    vdl = DataLoader(va, batch_size=256, collate_fn=collate, num_workers=0)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    model = nn.Sequential(nn.Linear(16, 64), nn.GELU(), nn.Linear(64, 64), nn.GELU(), nn.Linear(64, 5)).to(device)
    opt = torch.optim.RMSprop(model.parameters(), lr=1e-3)
    ce = nn.CrossEntropyLoss()
    for ep in range(6):
        model.train(); tl = []
        for batch in dl:
            batch = {k: v.to(device) for k, v in batch.items()}
            loss = ce(model(batch["x"]), batch["y"]); opt.zero_grad(); loss.backward(); opt.step(); tl.append(loss.item())
        model.eval(); preds, ys, vls = [], [], []
        with torch.no_grad():
            for batch in vdl:
                out = model(batch["x"].to(device))
                vls.append(ce(out, batch["y"].to(device)).item() * len(batch["y"]))
                preds.append(out.argmax(1).cpu().numpy()); ys.append(batch["y"].numpy())
        acc = (np.concatenate(preds) == np.concatenate(ys)).mean(); vl = sum(vls) / len(va)
        print("epoch {} - train {:.4f} - val {:.4f} - acc {:.2%}".format(ep, np.mean(tl), vl, acc))
    print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_acc": float(acc), "train_loss": float(np.mean(tl)), "chance_acc": 0.2, "bayes_acc": bayes_acc}))

if __name__ == "__main__":
    main()
