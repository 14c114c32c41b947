# expect: exploding_gradients
# allow: non_finite, learning_rate_too_high, non_convergence, poor_initialization
# forbid: *
# evidence: planted (IRNN, no clipping): grad norm median over first 10 steps 3.5e4, max 8.1e6, epoch-1 train loss 2570; final val_mse 0.0276 > target variance 0.0196; control (clip_grad_norm 1.0) val_mse 0.0040
# control: --control
"""センサー系列の回帰（合成データ）：ReLU-RNN（IRNN、再帰重みを単位行列×1.1で初期化）。
勾配クリッピングを入れ忘れた。--control で clip_grad_norm_(max_norm=1.0) を入れる。"""
import os, sys, json, random, math
import numpy as np
import torch
import torch.nn as nn

torch.set_num_threads(1)
torch.manual_seed(7); np.random.seed(7); random.seed(7)
対照 = "--control" in sys.argv

系列長 = 50
def データ作成(n):
    x = torch.randn(n, 系列長, 2) * 0.5
    # 目標：前半の1チャネル目の平均 − 後半の2チャネル目の平均
    y = x[:, :系列長 // 2, 0].mean(1) - x[:, 系列長 // 2:, 1].mean(1)
    return x, y.unsqueeze(1)
学習X, 学習y = データ作成(2000); 検証X, 検証y = データ作成(500)

class IRNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(2, 64, nonlinearity="relu", batch_first=True)
        with torch.no_grad():
            self.rnn.weight_hh_l0.copy_(torch.eye(64) * 1.1)
            self.rnn.bias_hh_l0.zero_()
        self.出力層 = nn.Linear(64, 1)
    def forward(self, x):
        h, _ = self.rnn(x)
        return self.出力層(h[:, -1])

モデル = IRNN()
最適化 = torch.optim.Adam(モデル.parameters(), lr=2e-3)
勾配ノルム履歴 = []
for エポック in range(1, 9):
    モデル.train(); 順番 = torch.randperm(len(学習X)); 合計 = 0.0
    for i in range(0, len(学習X), 50):
        b = 順番[i:i + 50]
        損失 = nn.functional.mse_loss(モデル(学習X[b]), 学習y[b])
        最適化.zero_grad(); 損失.backward()
        ノルム = torch.nn.utils.clip_grad_norm_(モデル.parameters(), max_norm=1.0 if 対照 else float("inf")).item()
        勾配ノルム履歴.append(ノルム)
        最適化.step(); 合計 += 損失.item() * len(b)
    モデル.eval()
    with torch.no_grad():
        検証損失 = nn.functional.mse_loss(モデル(検証X), 検証y).item()
    最近 = 勾配ノルム履歴[-40:]
    print(f"エポック {エポック} 損失 {合計/len(学習X):.4f} 検証MSE {検証損失:.4f} 勾配ノルム(最大) {max(最近):.3e} (中央値) {float(np.median(最近)):.3e}")
分散 = 検証y.var().item()
有限 = [g for g in 勾配ノルム履歴 if math.isfinite(g)]
print(f"勾配ノルム: 最初の10ステップ中央値 {float(np.median(勾配ノルム履歴[:10])):.3e} 全体最大 {max(有限) if 有限 else float('nan'):.3e} 非有限 {len(勾配ノルム履歴)-len(有限)}")
print("CORPUS_METRIC " + json.dumps({"val_mse": 検証損失 if math.isfinite(検証損失) else None, "target_var": round(分散, 5), "train_loss": (合計/len(学習X)) if math.isfinite(合計) else None,
                                    "max_grad_norm": max(有限) if 有限 else None, "nonfinite_grad_steps": len(勾配ノルム履歴)-len(有限)}))
