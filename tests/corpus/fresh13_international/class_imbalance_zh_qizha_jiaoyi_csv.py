# expect: class_imbalance
# allow: high_bias, non_convergence
# forbid: *
# evidence: planted (3% positives, plain CE): predicts 'normal' for 100% of val rows, minority recall 0.00, balanced_acc 0.50, val_acc 0.970 = majority share 0.970; control (class-weighted CE) balanced_acc 0.771, recall 0.63
# control: --control
# native-log: 欺诈日志.csv
# log-expect:
# log-allow: class_imbalance, non_convergence, high_bias
"""欺诈交易检测（合成数据，欺诈只占约 3%）。普通交叉熵，没有类别权重，模型几乎全部预测“正常”。
--control：交叉熵加上按类别频率计算的权重（其它都不变）。"""
import os, sys, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.metrics import balanced_accuracy_score, recall_score

torch.set_num_threads(1)
torch.manual_seed(5); np.random.seed(5); random.seed(5)
对照 = "--control" in sys.argv
日志目录 = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(日志目录, exist_ok=True)

特征, 标签 = make_classification(n_samples=3000, n_features=12, n_informative=4, n_redundant=2, weights=[0.97, 0.03],
                                 class_sep=1.0, flip_y=0.0, random_state=5)
训练X, 验证X, 训练y, 验证y = train_test_split(特征, 标签, test_size=0.3, random_state=5, stratify=标签)
s = StandardScaler().fit(训练X)
训练X = torch.tensor(s.transform(训练X), dtype=torch.float32); 验证X = torch.tensor(s.transform(验证X), dtype=torch.float32)
训练y = torch.tensor(训练y); 验证y_np = 验证y; 验证y = torch.tensor(验证y)
print(f"欺诈比例（训练集）: {训练y.float().mean().item():.3%}")

计数 = torch.bincount(训练y, minlength=2).float()
权重 = (计数.sum() / (2 * 计数)) if 对照 else None   # 对照组才用类别权重

模型 = nn.Sequential(nn.Linear(12, 32), nn.ReLU(), nn.Linear(32, 2))
优化器 = torch.optim.SGD(模型.parameters(), lr=0.02, momentum=0.9)
with open(os.path.join(日志目录, "欺诈日志.csv"), "w", encoding="utf-8") as f:
    f.write("轮次,训练损失,验证损失,验证准确率,平衡准确率,欺诈召回率\n")
    for 轮次 in range(1, 16):
        模型.train(); 顺序 = torch.randperm(len(训练X)); 总 = 0.0
        for i in range(0, len(训练X), 128):
            b = 顺序[i:i + 128]
            损失 = F.cross_entropy(模型(训练X[b]), 训练y[b], weight=权重)
            优化器.zero_grad(); 损失.backward(); 优化器.step(); 总 += 损失.item() * len(b)
        模型.eval()
        with torch.no_grad():
            输出 = 模型(验证X); 验证损失 = F.cross_entropy(输出, 验证y, weight=权重).item(); 预测 = 输出.argmax(1).numpy()
        准确率 = float((预测 == 验证y_np).mean()); 平衡 = balanced_accuracy_score(验证y_np, 预测); 召回 = recall_score(验证y_np, 预测, zero_division=0)
        训练损失 = 总 / len(训练X)
        print(f"轮次 {轮次:2d} 损失={训练损失:.4f} 验证损失={验证损失:.4f} 准确率={准确率:.3f} 平衡准确率={平衡:.3f} 欺诈召回率={召回:.3f}")
        f.write(f"{轮次},{训练损失:.5f},{验证损失:.5f},{准确率:.4f},{平衡:.4f},{召回:.4f}\n")
多数类比例 = float((预测 == 0).mean())
print(f"预测为“正常”的比例: {多数类比例:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(验证损失, 4), "val_acc": round(准确率, 4), "val_balanced_acc": round(平衡, 4), "val_minority_recall": round(召回, 4), "pred_majority_frac": round(多数类比例, 4), "majority_frac": round(float(1 - 验证y_np.mean()), 4), "train_loss": round(训练损失, 4)}))
