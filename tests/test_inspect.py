"""`traindx inspect`: each loading path, the refusal of unsafe pickles, weight findings on broken
checkpoints, and probe batches through the recorder."""
from __future__ import annotations

import json
import pickle
import textwrap

import numpy as np
import pytest
import torch
from typer.testing import CliRunner

from traindx.cli import app
from traindx.diagnose import diagnose
from traindx.errors import InputError
from traindx.runs.checkpoint import load_checkpoint
from traindx.runs.model import Run
from traindx.runs.probe import run_probes
from traindx.runs.weights import weight_stats

torch.set_num_threads(1)
runner = CliRunner()

FACTORY = textwrap.dedent("""
    import torch

    def make():
        return torch.nn.Sequential(torch.nn.Linear(8, 32), torch.nn.ReLU(), torch.nn.Linear(32, 32),
                                   torch.nn.ReLU(), torch.nn.Linear(32, 3))
""")


def make(seed: int = 0) -> torch.nn.Module:
    torch.manual_seed(seed)
    return torch.nn.Sequential(torch.nn.Linear(8, 32), torch.nn.ReLU(), torch.nn.Linear(32, 32),
                               torch.nn.ReLU(), torch.nn.Linear(32, 3))


def inspect(*args: str) -> tuple[int, dict | None, str]:
    """exit code, the JSON document (when there is one), stderr."""
    res = runner.invoke(app, ["inspect", *map(str, args), "--format", "json"])
    doc = json.loads(res.stdout) if res.stdout.strip().startswith("{") else None
    return res.exit_code, doc, res.stderr


def bad(doc: dict) -> dict[str, list[dict]]:
    """problem -> its warning/error findings."""
    out: dict[str, list[dict]] = {}
    for f in doc["findings"]:
        if f["severity"] in ("warning", "error"):
            out.setdefault(f["problem"], []).append(f)
    return out


class Marker:
    """A malicious pickle: unpickling it creates a file (open(path, "w"))."""

    def __init__(self, path):
        self.path = str(path)

    def __reduce__(self):
        return (open, (self.path, "w"))


@pytest.fixture
def factory(tmp_path):
    path = tmp_path / "mymodel.py"
    path.write_text(FACTORY)
    return f"{path}:make"


# ------------------------------------------------------------------ loading paths
def test_state_dict_of_a_fresh_model_is_healthy(tmp_path):
    path = tmp_path / "sd.pt"
    torch.save(make().state_dict(), path)
    code, doc, _ = inspect(path)
    assert code == 0
    assert doc["verdict"] == "healthy" and not bad(doc)
    assert doc["checkpoint"]["kind"] == "state_dict"
    w = doc["weights"]["0.weight"]
    assert w["role"] == "matrix" and w["fan_in"] == 8 and w["dead_rows"] == 0
    # PyTorch's default init (kaiming_uniform, a=sqrt(5)): std = 1/sqrt(3 fan_in) = 0.41 x He
    assert w["he_ratio"] == pytest.approx(1 / 6 ** 0.5, rel=0.25)
    assert doc["weights"]["0.bias"]["role"] == "bias"


def test_full_model_is_refused_then_loaded_with_unsafe_load(tmp_path):
    path = tmp_path / "full.pt"
    torch.save(make(), path)
    code, doc, err = inspect(path)
    assert code == 2 and doc is None
    assert "--unsafe-load" in err and str(path) in err and len(err.strip().splitlines()) == 1
    code, doc, err = inspect(path, "--unsafe-load")
    assert code == 0 and "runs any code" in err
    assert doc["checkpoint"]["kind"] == "full model" and not bad(doc)


@pytest.mark.parametrize("fmt", ["torch", "pickle"])
def test_malicious_pickle_is_not_executed_without_the_flag(tmp_path, fmt):
    marker = tmp_path / "PWNED"
    path = tmp_path / "evil.pt"
    payload = {"state_dict": make().state_dict(), "extra": Marker(marker)}
    if fmt == "torch":
        torch.save(payload, path)
    else:
        with open(path, "wb") as f:
            pickle.dump(payload, f)
    code, _, err = inspect(path)
    assert code == 2 and "--unsafe-load" in err
    with pytest.raises(InputError):
        load_checkpoint(path)
    assert not marker.exists()  # refused before any of the file's code ran
    if fmt == "torch":  # the payload is real: the explicit flag does run it
        code, _, _ = inspect(path, "--unsafe-load")
        assert code == 0 and marker.exists()


def test_lightning_checkpoint_strips_the_model_prefix(tmp_path, factory):
    path = tmp_path / "epoch=2.ckpt"
    sd = {f"model.{k}": v for k, v in make().state_dict().items()}
    torch.save({"epoch": 2, "global_step": 40, "pytorch-lightning_version": "2.2.0", "state_dict": sd,
                "optimizer_states": [], "lr_schedulers": []}, path)
    ck = load_checkpoint(path)
    assert ck.kind == "lightning checkpoint" and ck.info["global_step"] == 40
    assert "0.weight" in ck.state and not any(k.startswith("model.") for k in ck.state)
    code, doc, _ = inspect(path, "--model", factory, "--input-shape", "8")  # loads strictly
    assert code == 0 and doc["checkpoint"]["kind"] == "lightning checkpoint"


@pytest.mark.parametrize("key", ["model_state_dict", "model", "state_dict"])
def test_plain_training_checkpoint(tmp_path, key):
    model = make()
    opt = torch.optim.Adam(model.parameters())
    path = tmp_path / "ckpt.pth"
    torch.save({"epoch": 3, key: model.state_dict(), "optimizer_state_dict": opt.state_dict()}, path)
    ck = load_checkpoint(path)
    assert ck.kind == "training checkpoint" and ck.info["key"] == key and ck.info["epoch"] == 3
    assert set(ck.state) == set(model.state_dict())


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_torchscript_loads_and_probes_without_a_factory(tmp_path):
    path = tmp_path / "scripted.pt"
    torch.jit.save(torch.jit.script(make()), path)
    code, doc, _ = inspect(path)
    assert code == 0 and doc["checkpoint"]["kind"] == "torchscript" and not bad(doc)
    code, doc, _ = inspect(path, "--input-shape", "8", "--batches", "2", "--batch-size", "8")
    assert code == 0 and "params" in doc["run"]["signals"]


def test_bad_inputs_are_one_line_errors(tmp_path, factory):
    text = tmp_path / "notes.txt"
    text.write_text("not a checkpoint")
    sd = tmp_path / "sd.pt"
    torch.save(make().state_dict(), sd)
    for args, words in [((tmp_path / "missing.pt",), "no such file"),
                        ((text,), "not a PyTorch checkpoint"),
                        ((sd, "--input-shape", "8"), "--model"),
                        ((sd, "--model", factory), "--input-shape"),
                        ((sd, "--input-shape", "a,b"), "--input-shape")]:
        code, doc, err = inspect(*args)
        assert code == 2 and doc is None and words in err and len(err.strip().splitlines()) == 1, (args, err)
    torch.save({"0.weight": torch.zeros(2, 2)}, sd)
    code, _, err = inspect(sd, "--model", factory, "--input-shape", "8")
    assert code == 2 and "does not fit the model" in err


# ------------------------------------------------------------------ broken checkpoints
def test_broken_model_dead_relu_layer_and_zero_init_layer(tmp_path):
    model = make()
    with torch.no_grad():
        model[0].bias.fill_(-50.0)  # no unit of the first layer can fire: a dead ReLU layer
        model[2].weight.zero_()  # a zero-initialised hidden layer
    path = tmp_path / "broken.pt"
    torch.save({"model_state_dict": model.state_dict()}, path)
    code, doc, _ = inspect(path)
    assert code == 0 and doc["verdict"] == "problems"
    found = bad(doc)
    (dead,) = found["dead_units"]
    assert dead["severity"] == "error" and dead["layers"] == ["0.weight"]
    assert dead["evidence"]["per_layer"]["0.weight"]["bias_never_fires"] == 32
    (init,) = found["poor_initialization"]
    assert init["severity"] == "error" and init["layers"] == ["2.weight"]
    assert init["evidence"]["constant_tensors"]["2.weight"]["all_zero"]
    assert any("dead_units" in (p["problem"], *p.get("also_for", [])) for p in doc["plan"])
    assert code == 0
    code, _, _ = inspect(path, "--fail-on", "error")
    assert code == 1


def test_zero_rows_symmetry_scale_and_nan(tmp_path):
    model = make()
    with torch.no_grad():
        model[0].weight[:4] = 0.0  # 4 of 32 units with no incoming weights
        model[2].weight[:] = model[2].weight[0]  # every unit a copy of the first: symmetric
        model[4].weight.mul_(1e-3)  # three orders of magnitude below He/Xavier
    sd = model.state_dict()
    found = {f.problem: f for f in diagnose(Run("x", "checkpoint", weights=weight_stats(sd))).findings}
    assert found["dead_units"].evidence["per_layer"]["0.weight"]["zero_rows"] == 4
    init = [f for f in diagnose(Run("x", "checkpoint", weights=weight_stats(sd))).findings
            if f.problem == "poor_initialization"]
    assert {tuple(f.layers) for f in init} == {("2.weight",), ("4.weight",)}
    assert any(f.evidence.get("all_rows_identical") == ["2.weight"] for f in init)
    assert any(f.evidence.get("off_scale", {}).get("4.weight", {}).get("orders", 0) > 2.5 for f in init)
    sd["2.bias"][3] = float("nan")
    nf = [f for f in diagnose(Run("x", "checkpoint", weights=weight_stats(sd))).findings
          if f.problem == "non_finite"]
    assert nf and nf[0].layers == ["2.bias"] and nf[0].evidence["non_finite_tensors"]["2.bias"]["non_finite"] == 1


def test_runs_without_weights_get_no_weight_findings():
    diag = diagnose(Run("x", "traindx"))
    assert not [f for f in diag.findings if f.evidence.get("source") == "checkpoint weights"]
    assert not [s for s in diag.skipped if s.detector.startswith("weights_")]


# ------------------------------------------------------------------ probes
def test_probe_mode_with_a_factory_and_random_inputs(tmp_path, factory):
    path = tmp_path / "sd.pt"
    torch.save(make().state_dict(), path)
    out = tmp_path / "probe_run"
    code, doc, _ = inspect(path, "--model", factory, "--input-shape", "8", "--batches", "3",
                           "--batch-size", "16", "--out", out)
    assert code == 0 and not bad(doc)
    assert {"params", "activations", "train_loss"} <= set(doc["run"]["signals"])
    assert "lr" not in doc["run"]["signals"] and doc["run"]["steps"] == 3
    assert (out / "events.jsonl").exists() or any(out.glob("events*.jsonl"))


def test_probe_with_data_file_finds_the_dead_layer(tmp_path, factory):
    model = make()
    with torch.no_grad():
        model[0].bias.fill_(-50.0)
    path = tmp_path / "dead.pt"
    torch.save(model.state_dict(), path)
    rng = np.random.default_rng(0)
    data = tmp_path / "probe.npz"
    np.savez(data, x=rng.normal(size=(40, 8)).astype(np.float32), y=rng.integers(0, 3, 40))
    code, doc, _ = inspect(path, "--model", factory, "--data", data, "--batches", "2")
    assert code == 0
    dead = bad(doc)["dead_units"]
    layers = {layer for f in dead for layer in f["layers"]}
    assert "0.weight" in layers  # from the weights; the probe's own detector may name the ReLU too


def test_probes_leave_the_weights_unchanged(tmp_path):
    model = make()
    torch.nn.init.constant_(model[4].bias, float("nan"))  # a NaN gradient must not leak into weights
    model.add_module("bn", torch.nn.BatchNorm1d(3))
    before = {k: v.clone() for k, v in model.state_dict().items()}
    run_probes(model, tmp_path / "run", shape=(8,), batches=2, batch_size=8)
    after = model.state_dict()
    assert all(torch.equal(before[k], after[k]) or (before[k].isnan() == after[k].isnan()).all()
               for k in before)


@pytest.mark.parametrize("suffix", [".csv", ".pt"])
def test_probe_data_from_csv_and_pt(tmp_path, factory, suffix):
    path = tmp_path / "sd.pt"
    torch.save(make().state_dict(), path)
    x, y = torch.randn(20, 8), torch.randint(0, 3, (20,))
    data = tmp_path / f"probe{suffix}"
    if suffix == ".csv":
        rows = [",".join([f"f{i}" for i in range(8)] + ["label"])]
        rows += [",".join(f"{v:.4f}" for v in r) + f",{int(t)}" for r, t in zip(x.tolist(), y)]
        data.write_text("\n".join(rows) + "\n")
    else:
        torch.save((x, y), data)
    code, doc, _ = inspect(path, "--model", factory, "--data", data, "--batches", "1")
    assert code == 0 and "train_acc" in doc["run"]["signals"]  # the labels were used


def test_text_and_markdown_show_the_weights_table(tmp_path):
    path = tmp_path / "sd.pt"
    model = make()
    with torch.no_grad():
        model[2].weight.zero_()
    torch.save(model.state_dict(), path)
    text = runner.invoke(app, ["inspect", str(path)], env={"NO_COLOR": "1"})
    assert text.exit_code == 0 and "std/He" in text.stdout and "2.weight" in text.stdout
    assert "poor_initialization" in text.stdout
    md = runner.invoke(app, ["inspect", str(path), "--format", "markdown"])
    assert md.exit_code == 0 and "| `2.weight` | 32x32 |" in md.stdout


def test_conv_filters_and_embeddings():
    torch.manual_seed(0)
    conv = torch.nn.Conv2d(3, 8, 3)
    with torch.no_grad():
        conv.weight[5] = 0.0
    emb = torch.nn.Embedding(10, 4)
    stats = weight_stats({"conv.weight": conv.weight, "conv.bias": conv.bias, "emb.weight": emb.weight})
    assert stats["conv.weight"]["fan_in"] == 27 and stats["conv.weight"]["dead_row_index"] == [5]
    assert stats["emb.weight"]["role"] == "embedding"  # N(0, 1) embeddings are not judged by He/Xavier


def test_lightning_module_with_more_than_the_model(tmp_path, factory):
    path = tmp_path / "last.ckpt"
    sd = {f"model.{k}": v for k, v in make().state_dict().items()}
    sd["loss_fn.weight"] = torch.ones(3)  # a weighted loss saved next to the model
    torch.save({"pytorch-lightning_version": "2.2.0", "state_dict": sd}, path)
    code, doc, err = inspect(path, "--model", factory, "--input-shape", "8", "--batches", "1")
    assert code == 0, err


def test_weights_defaults():
    # Pinned on purpose: change a default here deliberately, with a reason.
    from traindx.diagnose.thresholds import DEFAULTS
    assert DEFAULTS["weights_init"] == {"scale_orders": 1.0, "scale_error_orders": 2.0, "duplicate_frac": 0.05}
    assert DEFAULTS["weights_dead_units"] == {"dead_frac": 0.05, "error_frac": 0.5, "bias_z": 5.0}
