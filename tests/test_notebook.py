"""Notebooks: `show()` renders through the command's own path, and the example notebook runs in a kernel."""
from __future__ import annotations

import doctest
import json
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

import relu_explainer
from relu_explainer import ExplainerError, render_argv, show
from relu_explainer_cli.main import main

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "examples" / "notebook.ipynb"
KERNEL = "relu-explainer-test"


def test_module_doctests_pass():
    assert doctest.testmod(relu_explainer).failed == 0


def _command_error(argv: list[str], capsys) -> tuple[int, str]:
    """The exit code and the error line of the command run with `argv`."""
    capsys.readouterr()
    code = main(argv)
    return code, next(line for line in capsys.readouterr().err.splitlines() if line.startswith("relu-explainer"))


@pytest.mark.parametrize("scene, params", [
    ("ApproximateSquare", {"target": "sin(x"}),              # a target that does not parse
    ("ApproximateSquare", {"steps": 99}),                    # out of the scene's limits
    ("NoSuchScene", {}),                                     # an unknown scene
    ("ApproximateSquare", {"quality": "ultra"}),             # argparse's own refusal
])
def test_bad_input_raises_the_message_the_command_prints(scene, params, tmp_path, capsys):
    options = {k: params.pop(k) for k in list(params) if k == "quality"}
    with pytest.raises(ExplainerError) as raised:
        show(scene, out=tmp_path / "media", **options, **params)
    argv = render_argv(scene, params, tmp_path / "p.toml", out=tmp_path / "media", **options)
    code, line = _command_error(argv, capsys)
    message = str(raised.value).splitlines()[0]
    assert line in (f"relu-explainer: {message}", message)  # argparse's line names its own prog
    assert raised.value.exit_code == code == 2
    assert not (tmp_path / "media").exists()  # refused before anything was made


def test_a_param_that_is_not_a_tweak_reaches_the_scene_through_a_config_table(tmp_path):
    config = tmp_path / "p.toml"
    argv = render_argv("ReluUnit", {"a_values": [2], "b_values": [-2], "x_range": (-2, 2)}, config)
    assert argv[-2:] == ["--config", str(config)]
    assert "--x-range" in argv and argv[argv.index("--x-range") + 1:][:2] == ["-2", "2"]
    assert config.read_text() == '["ReluUnit"]\na_values = [2]\nb_values = [-2]\n'
    with pytest.raises(ExplainerError, match="unknown key 'wobble' for scene ReluUnit"):
        show("ReluUnit", wobble=1, out=tmp_path)


def test_show_returns_the_rendered_video_embedded(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)  # tests.fake_scenes is found from the repository's root
    video = show("tests.fake_scenes:FakeScene", out=tmp_path, seconds=0.4)
    assert Path(video.filename) == tmp_path / "FakeScene.mp4" and video.embed
    assert '<source src="data:video/mp4;base64,' in video._repr_html_()


def _kernel_spec(root: Path) -> Path:
    """A kernel spec running this interpreter (the venv's ipykernel), so the notebook sees this install."""
    folder = root / "kernels" / KERNEL
    folder.mkdir(parents=True)
    (folder / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "relu-explainer test", "language": "python"}))
    return root


def test_example_notebook_runs_and_shows_a_video_and_the_error(tmp_path, monkeypatch):
    monkeypatch.setenv("JUPYTER_PATH", str(_kernel_spec(tmp_path / "jupyter")))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    work = tmp_path / "work"
    work.mkdir()
    NotebookClient(nb, kernel_name=KERNEL, timeout=180, resources={"metadata": {"path": str(work)}}).execute()
    outputs = [out for cell in nb.cells if cell.cell_type == "code" for out in cell.get("outputs", [])]
    assert not [out for out in outputs if out.output_type == "error"]
    videos = [out for out in outputs if out.output_type == "execute_result"
              and '<source src="data:video/mp4;base64,' in out.get("data", {}).get("text/html", "")]
    assert len(videos) == 1
    assert (work / "media" / "ReluUnit.mp4").is_file()  # rendered where the notebook runs
    printed = "".join(out.get("text", "") for out in outputs if out.output_type == "stream"
                      and out.name == "stdout")
    assert "--target: " in printed and "sin(x" in printed
