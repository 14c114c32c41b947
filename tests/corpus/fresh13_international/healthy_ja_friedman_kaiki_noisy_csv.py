# expect:
# allow:
# forbid: *
# evidence: healthy noisy regression: val_mse 1.154 vs target variance 26.3 and noise variance 1.0 (R2 0.956), train MSE 0.981 at the noise floor
# native-log: 学習ログ.csv
# log-expect:
# log-allow:
"""回帰：make_friedman1（ノイズ標準偏差 1.0）。MLP + Adam + 指数減衰。目的変数にノイズがあるので
検証 MSE はノイズ分散 (1.0) 付近で下げ止まる — これは正常。ログは日本語の列名で CSV に保存。"""
import os, sys, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import make_friedman1
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1)
torch.manual_seed(24); np.random.seed(24); random.seed(24)
保存先 = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(保存先, exist_ok=True)

X, y = make_friedman1(n_samples=2000, n_features=8, noise=1.0, random_state=24)
X_学, X_検, y_学, y_検 = X[:1500], X[1500:], y[:1500], y[1500:]
sx = StandardScaler().fit(X_学); 平均, 標準偏差 = y_学.mean(), y_学.std()
X_学 = torch.tensor(sx.transform(X_学), dtype=torch.float32); X_検 = torch.tensor(sx.transform(X_検), dtype=torch.float32)
y_学 = torch.tensor(y_学, dtype=torch.float32).unsqueeze(1); y_検 = torch.tensor(y_検, dtype=torch.float32).unsqueeze(1)

モデル = nn.Sequential(nn.Linear(8, 64), nn.SiLU(), nn.Linear(64, 64), nn.SiLU(), nn.Linear(64, 1))
最適化 = torch.optim.Adam(モデル.parameters(), lr=3e-3)
減衰 = torch.optim.lr_scheduler.ExponentialLR(最適化, gamma=0.92)
予測 = lambda x: モデル(x) * 標準偏差 + 平均   # 元の単位に戻す
with open(os.path.join(保存先, "学習ログ.csv"), "w", encoding="utf-8") as ログ:
    ログ.write("エポック,学習損失,検証損失,学習率\n")
    for エポック in range(1, 31):
        モデル.train(); 順番 = torch.randperm(len(X_学)); 合計 = 0.0
        for i in range(0, len(X_学), 32):
            b = 順番[i:i + 32]
            損失 = nn.functional.mse_loss(予測(X_学[b]), y_学[b])
            最適化.zero_grad(); 損失.backward(); 最適化.step(); 合計 += 損失.item() * len(b)
        学習率 = 減衰.get_last_lr()[0]; 減衰.step()
        モデル.eval()
        with torch.no_grad():
            検証損失 = nn.functional.mse_loss(予測(X_検), y_検).item()
        print(f"エポック {エポック:2d} 損失 {合計/len(X_学):.3f} 検証MSE {検証損失:.3f} 学習率 {学習率:.2e}")
        ログ.write(f"{エポック},{合計/len(X_学):.5f},{検証損失:.5f},{学習率:.6f}\n")
分散 = y_検.var().item()
print(f"目的変数の分散 {分散:.3f} / ノイズ分散 1.000 / 検証MSE {検証損失:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_mse": round(検証損失, 4), "target_var": round(分散, 4), "noise_var": 1.0, "val_r2": round(1 - 検証損失 / 分散, 4), "train_loss": round(合計/len(X_学), 4)}))
