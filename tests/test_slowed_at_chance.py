"""A learning rate too low to leave the chance level: every layer moves an order below the healthy
1e-3 of its norm per step and the loss, still at the squared error of always predicting the targets'
mean, keeps falling (fresh2 corpus: a regressor at SGD 1e-5 that only fitted the targets' +2 offset in
30 epochs read "non_convergence" with no cause). The control at lr 1e-2 is healthy. Real small
trainings under `traindx run`."""
from __future__ import annotations

from conftest import json_tail, traindx

REGRESSOR = '''
import sys, torch
torch.manual_seed(0)
torch.set_num_threads(1)
lr = float(sys.argv[1])
x = torch.randn(2000, 8)
y = (torch.sin(x[:, :1] * 2) + x[:, 1:2] * x[:, 2:3]) * 1.5 + 2.0 + 0.3 * torch.randn(2000, 1)
model = torch.nn.Sequential(torch.nn.Linear(8, 64), torch.nn.Tanh(), torch.nn.Linear(64, 64), torch.nn.Tanh(),
                            torch.nn.Linear(64, 1))
opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
for epoch in range(40):
    for b in torch.randperm(1600).split(32):
        loss = torch.nn.functional.mse_loss(model(x[b]), y[b])
        opt.zero_grad(); loss.backward(); opt.step()
    with torch.no_grad():
        val = torch.nn.functional.mse_loss(model(x[1600:]), y[1600:]).item()
    print(f"epoch {epoch} val_mse={val:.3f}")
'''


def _run(tmp_path, lr):
    script = tmp_path / "reg.py"
    script.write_text(REGRESSOR)
    proc = traindx("run", "--out", str(tmp_path / lr), "--format", "json", str(script), lr)
    assert proc.returncode in (0, 1), proc.stderr
    return json_tail(proc.stdout)


def test_a_loss_still_falling_at_chance_with_tiny_steps_is_a_too_low_lr(tmp_path):
    doc = _run(tmp_path, "1e-5")
    found = {f["problem"]: f for f in doc["findings"]}
    low = found["learning_rate_too_low"]
    # (a crawl towards the chance level from above counts as crawling too, since fresh10)
    assert "slowed" in low["evidence"]["criteria"], low["evidence"]["criteria"]
    assert low["evidence"]["update_ratio_median"] <= 1e-4
    assert "still falling steadily" in low["summary"]
    # the model learned only the mean: the run did not converge, because of the lr
    assert found["non_convergence"].get("caused_by") == "learning_rate_too_low"


def test_the_same_regressor_at_a_sane_lr_is_healthy(tmp_path):
    doc = _run(tmp_path, "1e-2")
    assert doc["verdict"] == "healthy", doc["findings"]
