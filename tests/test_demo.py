"""`traindx demo`: no arguments, no files; finds each built-in problem and verifies remedies."""
import time

from typer.testing import CliRunner

from traindx.cli import app


def test_demo_runs(tmp_path):
    started = time.monotonic()
    r = CliRunner().invoke(app, ["demo", "--out", str(tmp_path / "demo")])
    assert r.exit_code == 0, r.output
    out = r.stdout
    for name in ("healthy", "overfitting", "vanishing", "exploding", "stuck"):
        assert f"✔ {name}" in out, out  # each config shows the problem it was built to show
    assert "vanishing_gradients: ★ best remedy → model.activation=relu" in out and "finding gone" in out
    assert "overfitting: ★ best remedy →" in out
    assert (tmp_path / "demo" / "vanishing" / "events.jsonl").exists()
    assert time.monotonic() - started < 60
