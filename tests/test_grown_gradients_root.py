"""Which comes first, a too-high learning rate or exploding gradients? Both read "the steps are too
large". When the first update, made with the gradients as initialised, was of a healthy size and the
gradient norm then grew by orders (an IRNN or an LSTM LM trained without clipping, the way the
pytorch/examples word LM would run without its clip_grad_norm_), the gradients are the root and
clipping the first remedy; when the first update already threw the weights away, the lr is (corpus:
four RNN cases read "lr too high" first). And `clip_grad_norm_(params, inf)`, the idiom for
measuring the norm, is no clipping; a clip after a hand-made update belongs to the step it closes.
Real small trainings under `traindx run`."""
from __future__ import annotations

from conftest import json_tail, traindx

LSTM_LM = '''
import sys, torch
torch.manual_seed(0)
torch.set_num_threads(1)
lr, clip = float(sys.argv[1]), float(sys.argv[2])
V, T, H = 24, 35, 96
# a text with structure: words of a small grammar, as character ids
words = [torch.randint(1, V, (int(k),)) for k in torch.randint(2, 6, (60,))]
text = torch.cat([torch.cat([words[i], torch.zeros(1, dtype=torch.long)]) for i in torch.randint(0, 60, (3000,))])
data = text[: (len(text) // 20) * 20].view(20, -1)
emb, lstm, dec = torch.nn.Embedding(V, H), torch.nn.LSTM(H, H, 2, batch_first=True), torch.nn.Linear(H, V)
params = [*emb.parameters(), *lstm.parameters(), *dec.parameters()]
opt = torch.optim.SGD(params, lr=lr)
hidden = None
for epoch in range(2):
    for i in range(0, data.size(1) - T - 1, T):
        x, y = data[:, i:i + T], data[:, i + 1:i + T + 1]
        hidden = None if hidden is None else tuple(h.detach() for h in hidden)
        out, hidden = lstm(emb(x), hidden)
        loss = torch.nn.functional.cross_entropy(dec(out).reshape(-1, V), y.reshape(-1))
        opt.zero_grad()
        loss.backward()
        if clip > 0:
            torch.nn.utils.clip_grad_norm_(params, clip)
        opt.step()
print("final", loss.item())
'''

MANUAL = '''
import sys, torch
torch.manual_seed(0)
w = torch.randn(20, 5, requires_grad=True); b = torch.zeros(5, requires_grad=True)
x = torch.randn(256, 20); y = x[:, :5].argmax(1)
clip = float(sys.argv[1])
for step in range(60):
    loss = torch.nn.functional.cross_entropy(x @ w + b, y)
    loss.backward()
    torch.nn.utils.clip_grad_norm_([w, b], clip)
    with torch.no_grad():
        for p in (w, b):
            p -= 0.5 * p.grad
            p.grad.zero_()
'''


def _run(tmp_path, name, source, *args):
    script = tmp_path / f"{name}.py"
    script.write_text(source)
    proc = traindx("run", "--out", str(tmp_path / name), "--format", "json", str(script), *args)
    assert proc.returncode in (0, 1), proc.stderr
    return json_tail(proc.stdout)


def _problems(doc):
    return [f["problem"] for f in doc["findings"] if f["severity"] != "info"]


def test_gradients_that_grew_after_a_healthy_first_update_are_the_root(tmp_path):
    doc = _run(tmp_path, "lm", LSTM_LM, "10", "0")
    found = _problems(doc)
    assert found[0] == "exploding_gradients", found
    lr = next((f for f in doc["findings"] if f["problem"] == "learning_rate_too_high"), None)
    if lr is not None:  # the steps were too large, but because of the gradients
        assert lr["evidence"]["update_ratio_first"] < 0.05
        assert lr["caused_by"] == "exploding_gradients"
    assert "clip" in doc["plan"][0]["action"].lower(), doc["plan"][0]


def test_clipping_removes_the_explosion(tmp_path):
    """The control: the same LM clipped at 0.25 (as the original example) is healthy, and its
    language-model token frequencies are no class imbalance (its embedding is a first model of
    its own, called on its own: no nn.Module around the model)."""
    doc = _run(tmp_path, "lm_clip", LSTM_LM, "10", "0.25")
    assert doc["verdict"] == "healthy", doc["findings"]
    assert doc["profile"]["task"] == "language_modelling" and abs(doc["profile"]["clip_at"] - 0.25) < 1e-3


def test_a_first_update_that_throws_the_weights_away_keeps_the_lr_first(tmp_path):
    doc = _run(tmp_path, "lm_lr", LSTM_LM, "60", "0")
    found = _problems(doc)
    assert found[0] == "learning_rate_too_high", found
    lr = next(f for f in doc["findings"] if f["problem"] == "learning_rate_too_high")
    assert lr["evidence"]["update_ratio_first"] >= 0.05
    assert lr.get("caused_by") is None  # the lr is the root of the chain
    exploding = [f for f in doc["findings"] if f["problem"] == "exploding_gradients"]
    assert all(f.get("caused_by") == "learning_rate_too_high" for f in exploding)


def test_a_clip_at_infinity_measures_the_norm_and_clips_nothing(tmp_path):
    doc = _run(tmp_path, "inf", MANUAL, "inf")
    assert not doc["profile"].get("clipping") and "clip_at" not in doc["profile"]
    assert "grad_norm_preclip" not in doc["run"]["signals"]


def test_a_clip_after_a_hand_made_update_belongs_to_the_step_it_closes(tmp_path):
    _run(tmp_path, "manual", MANUAL, "0.1")
    from traindx.runs import load_runs
    run = load_runs(tmp_path / "manual")[0]
    pre, post = run.series("grad_norm_preclip"), run.series("grad_norm")
    assert list(pre.steps) == list(post.steps)
    # from the second step on (the loop is known to be manual by then), the norm after the clip
    assert all(abs(v - 0.1) < 1e-3 for v in post.values[1:]) and (pre.values[1:] > 0.5).all()
