"""Every example in every `--help` and in the README runs (issue 12, item 2), and the README's tweaks
are what `relu-explainer list` prints.

Each `relu-explainer render/slides/handout/batch ...` example runs with `--dry-run`: the whole check of
a render (scenes, params against each scene's limits, output directory, LaTeX, voice) without rendering.
The files the examples name (`my_video.toml`, `lecture.toml`, `course.toml`, `my_scenes.py`) are
written from the TOML and Python the same help and README show, so those are checked too.
"""
from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from relu_explainer_cli.main import TWEAKS_HEADING, build_parser, main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def help_texts() -> dict[str, str]:
    """{'render': its --help text, ...} for the command and each subcommand."""
    parser = build_parser()
    texts = {"relu-explainer": parser.format_help()}
    for action in parser._subparsers._group_actions:  # argparse keeps the subparsers here
        for name, sub in action.choices.items():
            texts[name] = sub.format_help()
    return texts


def help_examples() -> list[str]:
    """The example command lines of every --help: indented lines starting `relu-explainer`, cut at
    the two spaces before their description."""
    found = []
    for text in help_texts().values():
        for line in text.splitlines():
            match = re.match(r"^\s+(relu-explainer\s.*?)(\s{2,}.*)?$", line)
            if match:
                found.append(match.group(1).strip())
    return found


def readme_examples() -> list[str]:
    """`relu-explainer ...` lines of the README's sh blocks (comments cut) and its inline code."""
    found = []
    for block in re.findall(r"```sh\n(.*?)```", README, flags=re.S):
        for line in block.splitlines():
            if line.startswith("relu-explainer"):
                found.append(line.split(" #")[0].strip())
    found += re.findall(r"`(relu-explainer [^`]+)`", README)
    return [example for example in found if "COMMAND" not in example]


def help_toml() -> str:
    """The config file shown in `render --help`: its indented TOML lines after 'config file (TOML)'."""
    text = help_texts()["render"].split("config file (TOML)")[1]
    return "\n".join(line.strip() for line in text.splitlines()[1:]
                     if re.match(r"^\s+(\[\w+\]|\w+ = .+)$", line)) + "\n"


def readme_block(language: str, containing: str) -> str:
    blocks = [b for b in re.findall(rf"```{language}\n(.*?)```", README, flags=re.S) if containing in b]
    assert blocks, f"no {language} block with {containing!r} in the README"
    return blocks[0]


EXAMPLES = sorted(set(help_examples() + readme_examples()))


def test_the_examples_are_found():
    assert len(help_examples()) >= 10 and len(readme_examples()) >= 8
    assert any("--steps" in e for e in EXAMPLES) and any("my_scenes:" in e for e in EXAMPLES)


@pytest.fixture
def example_dir(tmp_path, monkeypatch):
    """A folder holding the files the examples name, written from what the help and README show."""
    (tmp_path / "my_video.toml").write_text(help_toml())
    (tmp_path / "lecture.toml").write_text(readme_block("toml", "[ApproximateSquare]"))
    (tmp_path / "my.toml").write_text(readme_block("toml", "[ApproximateSquare]"))
    (tmp_path / "course.toml").write_text(readme_block("toml", "[grid]"))
    (tmp_path / "my_scenes.py").write_text(readme_block("python", "class SineFromReLUs"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _listing(folder: Path) -> list[str]:
    """The folder's entries, less the __pycache__ Python writes when it imports my_scenes.py (a bare
    Debian writes it; a machine with PYTHONDONTWRITEBYTECODE set does not)."""
    return sorted(p.name for p in folder.iterdir() if p.name != "__pycache__")


RENDERING = ("render", "slides", "handout", "batch", "preview")
"""The commands that render: their examples run as a dry run (a batch's --scheduler is not contacted)."""


@pytest.mark.parametrize("example", EXAMPLES)
def test_every_documented_example_runs(example, example_dir, capsys):
    argv = shlex.split(example)[1:]
    rendering = argv[0] in RENDERING
    if rendering and "--dry-run" not in argv:
        argv.append("--dry-run")
    before = _listing(example_dir)
    code = main(argv)
    captured = capsys.readouterr()
    assert code == 0, f"{example}\n{captured.err}"
    if rendering:
        assert "would render" in captured.out
        assert _listing(example_dir) == before  # a dry run creates nothing


def test_a_dry_run_refuses_what_the_render_would(example_dir, capsys):
    assert main(["render", "ApproximateSquare", "--steps", "8", "--dry-run"]) == 2
    assert "steps must be between 1 and 6" in capsys.readouterr().err


def test_a_dry_run_says_what_it_would_render(example_dir, capsys):
    assert main(["render", "ApproximateSquare", "--target", "abs(x)", "--quality", "low", "--voice", "none",
                 "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "would render ApproximateSquare with target='abs(x)'" in out
    assert "ApproximateSquare.mp4" in out and "480p15" in out and "voice none" in out


def test_the_readme_tweaks_are_what_list_prints(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    printed = out[out.index(TWEAKS_HEADING):].rstrip("\n")
    assert printed in README, "README's tweaks block differs from `relu-explainer list`: copy it over"
