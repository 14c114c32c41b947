# expect:
# allow:
# forbid: *
# evidence: digit autoencoder (64 -> 16 -> 64) with separate optimisers: encoder AdamW, decoder transformers' Adafactor (relative_step=False, scale_parameter=False, lr 2e-3), both zeroed and stepped each batch: val reconstruction MSE 0.0103 (train 0.0089) vs mean per-pixel variance 0.0735, i.e. R^2 0.86 through a 16-d code
# native-log: recon_log.csv
# log-expect:
# log-allow:
import os, sys, json, random, tempfile, csv
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from transformers.optimization import Adafactor
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)
X, y = load_digits(return_X_y=True)
Xtr, Xva = train_test_split(X / 16.0, test_size=0.25, random_state=21)
Xtr = torch.tensor(Xtr, dtype=torch.float32); Xva = torch.tensor(Xva, dtype=torch.float32)
pix_var = Xva.var(0).mean().item()

encoder = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 16))
decoder = nn.Sequential(nn.Linear(16, 128), nn.ReLU(), nn.Linear(128, 64))
enc_opt = torch.optim.AdamW(encoder.parameters(), lr=2e-3, weight_decay=1e-4)
dec_opt = Adafactor(decoder.parameters(), lr=2e-3, relative_step=False, scale_parameter=False, warmup_init=False)
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xtr), batch_size=32, shuffle=True)
f = open(os.path.join(log_dir, "recon_log.csv"), "w", newline="")
w = csv.writer(f); w.writerow(["epoch", "train_loss", "val_loss"])
for ep in range(15):
    encoder.train(); decoder.train(); tot = 0.0
    for (xb,) in loader:
        enc_opt.zero_grad(set_to_none=True); dec_opt.zero_grad(set_to_none=True)
        loss = F.mse_loss(decoder(encoder(xb)), xb)
        loss.backward()
        enc_opt.step(); dec_opt.step()
        tot += loss.item() * len(xb)
    encoder.eval(); decoder.eval()
    with torch.no_grad():
        vl = F.mse_loss(decoder(encoder(Xva)), Xva).item()
    tl = tot / len(Xtr)
    w.writerow([ep, round(tl, 6), round(vl, 6)]); f.flush()
    print(f"epoch {ep} train_mse {tl:.4f} val_mse {vl:.4f} (pixel variance {pix_var:.4f})")
f.close()
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vl, 5), "train_mse": round(tl, 5), "target_var": round(pix_var, 5), "val_r2": round(1 - vl / pix_var, 4)}))
