# expect:
# allow:
# forbid: *
# evidence: healthy look-alike: label smoothing 0.15 keeps train loss at 0.899 / val loss 0.913 (smoothing floor); unsmoothed val CE 0.444, val_acc 0.962; chance 0.10
"""手書き数字 (load_digits) の小さな CNN。ラベルスムージング 0.15 + コサイン学習率。
損失は 0 まで下がらない（スムージングの下限）が、検証精度は高い。"""
import os, sys, json, random, math
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1)
torch.manual_seed(6); np.random.seed(6); random.seed(6)

画像, ラベル = load_digits(return_X_y=True)
画像 = (画像.reshape(-1, 1, 8, 8) / 16.0 - 0.3) / 0.4
学習X, 検証X, 学習y, 検証y = train_test_split(画像, ラベル, test_size=0.25, random_state=6, stratify=ラベル)
学習X = torch.tensor(学習X, dtype=torch.float32); 検証X = torch.tensor(検証X, dtype=torch.float32)
学習y = torch.tensor(学習y); 検証y = torch.tensor(検証y)

モデル = nn.Sequential(
    nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
    nn.Flatten(), nn.Linear(32, 10))
エポック数 = 12
最適化 = torch.optim.Adam(モデル.parameters(), lr=3e-3)
スケジューラ = torch.optim.lr_scheduler.CosineAnnealingLR(最適化, T_max=エポック数)
損失関数 = nn.CrossEntropyLoss(label_smoothing=0.15)

for エポック in range(1, エポック数 + 1):
    モデル.train(); 順番 = torch.randperm(len(学習X)); 合計 = 0.0
    for i in range(0, len(学習X), 64):
        b = 順番[i:i + 64]
        損失 = 損失関数(モデル(学習X[b]), 学習y[b])
        最適化.zero_grad(); 損失.backward(); 最適化.step(); 合計 += 損失.item() * len(b)
    学習率 = スケジューラ.get_last_lr()[0]; スケジューラ.step()
    モデル.eval()
    with torch.no_grad():
        出力 = モデル(検証X); 検証損失 = 損失関数(出力, 検証y).item(); 検証精度 = (出力.argmax(1) == 検証y).float().mean().item()
        検証CE = F.cross_entropy(出力, 検証y).item()
    学習損失 = 合計 / len(学習X)
    print(f"エポック {エポック}/{エポック数} 損失 {学習損失:.3f} 検証損失 {検証損失:.3f} 検証精度 {検証精度:.3f} 学習率 {学習率:.2e}")
print("学習終了")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(検証損失, 4), "val_ce_unsmoothed": round(検証CE, 4), "val_acc": round(検証精度, 4), "train_loss": round(学習損失, 4), "chance_acc": 0.1}))
