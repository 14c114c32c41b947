"""Bad input: one line naming the file and the problem, exit 2; or what could be read plus a note."""
import json
import math

import pytest
from typer.testing import CliRunner

from fixtures.logs import writers
from traindx.cli import app
from traindx.runs import load_runs

runner = CliRunner()


def one_line_error(args, *needles):
    res = runner.invoke(app, args)
    assert res.exit_code == 2, res.output
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("traindx: error: "), res.output
    for needle in needles:
        assert needle in lines[0]
    return lines[0]


def test_missing_file(tmp_path):
    one_line_error(["check", str(tmp_path / "nope.csv")], "nope.csv", "no such file")


def test_empty_file(tmp_path):
    (tmp_path / "metrics.csv").write_text("")
    one_line_error(["diagnose", str(tmp_path / "metrics.csv")], "metrics.csv", "empty file")


def test_header_only(tmp_path):
    (tmp_path / "log.csv").write_text("epoch,loss,val_loss\n")
    one_line_error(["diagnose", str(tmp_path / "log.csv")], "log.csv", "no data rows")


def test_no_recognisable_loss_column(tmp_path):
    (tmp_path / "log.csv").write_text("step,foo,bar\n1,0.5,0.1\n2,0.4,0.2\n")
    line = one_line_error(["diagnose", str(tmp_path / "log.csv")], "log.csv", "no loss column")
    assert "foo, bar" in line and "--map train_loss=" in line


def test_binary_file_given_as_csv(tmp_path):
    (tmp_path / "model.csv").write_bytes(b"\x80\x03ctorch\x00\x00\x01binary")
    one_line_error(["check", str(tmp_path / "model.csv")], "model.csv", "binary data")


def test_unknown_format(tmp_path):
    (tmp_path / "notes.md").write_text("# hello\n")
    one_line_error(["diagnose", str(tmp_path / "notes.md")], "notes.md", "not a log format")


def test_text_in_numeric_cells_is_skipped_with_a_note(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("epoch,loss,val_loss\n0,1.0,1.1\n1,oops,0.9\n2,0.6,0.8\n")
    [run] = load_runs(path)
    assert list(run.series("train_loss").values) == [1.0, 0.6]
    assert any("'loss': 1 non-numeric cell(s) skipped (first line 3: 'oops')" in n for n in run.notes)


def test_nan_and_inf_cells_are_values(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("epoch,loss,val_loss\n" + "".join(f"{i},{1 - i / 20},{1 - i / 30}\n" for i in range(10))
                    + "10,nan,inf\n")
    res = runner.invoke(app, ["check", str(path), "--format", "json"])
    doc = json.loads(res.output)
    found = {f["problem"]: f for f in doc["findings"]}
    assert res.exit_code == 1 and found["non_finite"]["severity"] == "error"
    # a Keras-style log counts epochs from 0: its row "10" is the 11th epoch
    assert found["non_finite"]["evidence"]["first_non_finite_train_loss_step"] == 11


def test_keras_na_cells_are_missing_not_nan(tmp_path):
    path = tmp_path / "training.log"
    path.write_text("epoch,loss,val_loss\n0,1.0,NA\n1,0.8,0.9\n")
    [run] = load_runs(path)
    assert run.source_format == "keras" and len(run.series("eval_loss")) == 1
    assert all(math.isfinite(v) for v in run.series("eval_loss").values)


def test_truncated_last_row(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("step,loss,val_loss\n1,1.0,1.0\n2,0.9,0.95\n3,0.")
    [run] = load_runs(path)
    assert len(run.series("train_loss")) == 2 and any("truncated last row" in n for n in run.notes)


def test_truncated_jsonl_line(tmp_path):
    path = writers.jsonl(tmp_path / "m.jsonl", "healthy")
    path.write_text(path.read_text() + '{"epoch": 20, "train": {"lo')
    [run] = load_runs(path)
    assert len(run.series("train_loss")) == writers.EPOCHS
    assert any("truncated last line" in n for n in run.notes)


def test_truncated_event_file(tmp_path):
    pytest.importorskip("tensorboard")
    [events] = writers.tensorboard(tmp_path / "tb", "overfit").glob("*tfevents*")
    data = events.read_bytes()
    events.write_bytes(data[: len(data) // 2 + 7])
    res = runner.invoke(app, ["diagnose", str(tmp_path / "tb"), "--format", "json"])
    assert res.exit_code == 0, res.output  # what could be read is diagnosed, with a note
    run = json.loads(res.output)["run"]
    assert run["format"] == "tensorboard" and 0 < run["steps"] < writers.EPOCHS - 1
    assert any("truncated (the last record is incomplete)" in n for n in run["notes"])


def test_empty_event_file(tmp_path):
    pytest.importorskip("tensorboard")
    (tmp_path / "tb").mkdir()
    (tmp_path / "tb" / "events.out.tfevents.1.host").write_bytes(b"")
    one_line_error(["diagnose", str(tmp_path / "tb")], "tb", "no scalars")


def test_invalid_huggingface_json(tmp_path):
    (tmp_path / "trainer_state.json").write_text('{"log_history": [')
    one_line_error(["diagnose", str(tmp_path / "trainer_state.json")], "trainer_state.json", "not valid JSON")


def test_bad_map_entries(tmp_path):
    path = writers.keras(tmp_path / "training.log", "healthy")
    one_line_error(["diagnose", str(path), "--map", "weird=loss"], "--map", "unknown name 'weird'")
    one_line_error(["diagnose", str(path), "--map", "train_loss"], "--map", "expected NAME=COLUMN")
    one_line_error(["diagnose", str(path), "--map", "train_loss=nothere"], "training.log",
                   "--map train_loss=nothere: no such column")


def test_unreadable_log_inside_a_folder_is_a_warning(tmp_path):
    writers.keras(tmp_path / "runs" / "good.csv", "healthy")
    (tmp_path / "runs" / "empty.csv").write_text("")
    res = runner.invoke(app, ["check", str(tmp_path / "runs")])
    assert res.exit_code == 0
    assert "traindx: warning: " in res.output and "empty.csv: empty file (skipped)" in res.output
    assert "1 run(s) checked, 0 failing, 0 with warnings, 1 healthy, 1 log(s) not readable" in res.output


def test_tensorboard_missing_gives_install_hint(tmp_path, monkeypatch):
    import sys
    (tmp_path / "tb").mkdir()
    (tmp_path / "tb" / "events.out.tfevents.1.host").write_bytes(b"\x00" * 16)
    for name in [m for m in sys.modules if m.split(".")[0] == "tensorboard"] + ["tensorboard"]:
        monkeypatch.setitem(sys.modules, name, None)  # as if not installed
    one_line_error(["diagnose", str(tmp_path / "tb")], "tb", "pip install 'traindx[tensorboard]'")
