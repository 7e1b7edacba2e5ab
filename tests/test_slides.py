"""The offline slides: one slide per beat, captions from the subtitles, a page that plays with no network."""
from __future__ import annotations

import doctest
import json
from pathlib import Path
from urllib.parse import unquote

import pytest
from manim import Circle, Create, Dot, FadeIn, Square, tempconfig

from relu_explainer_cli import slides
from relu_explainer_cli.slides import Cue, caption_for, clip_slides, page_html, write_slides
from relu_explainer_cli.render import Clip
from scenes.base import ExplainerScene
from tests.tone_scenes import render_beats

CAPTIONS = ["a square", "a still beat", "a dot", "a circle"]


class ThreeBeats(ExplainerScene):
    """Three one-second beats, and between them a beat with no animation (it lasts its reading time)."""

    def construct(self) -> None:
        self.say(CAPTIONS[0])
        self.play(Create(Square(color=self.theme.approx)), run_time=1.0)
        self.say(CAPTIONS[1])
        self.add(Dot())
        self.say(CAPTIONS[2])
        # 0.75 s at 10 fps is 8 frames: the clip runs longer than the subtitle
        self.play(FadeIn(Dot(color=self.theme.kink)), run_time=0.75)
        self.wait(0.25)
        self.say(CAPTIONS[3])
        self.play(Create(Circle(color=self.theme.target)), run_time=1.0)


@pytest.fixture(scope="module")
def clip(tmp_path_factory) -> Clip:
    """ThreeBeats rendered at 256x144, 10 fps, with one clip per section."""
    return render_beats(ThreeBeats, tmp_path_factory.mktemp("slides_media"))


def test_module_doctests_pass():
    assert doctest.testmod(slides).failed == 0


def test_each_animated_beat_becomes_a_slide_with_its_subtitle(clip):
    made = clip_slides(clip)
    assert [s.caption for s in made] == CAPTIONS
    assert all(s.video.is_file() and s.video.parent == clip.sections.parent for s in made)


def test_a_clip_without_sections_is_one_slide_of_its_whole_video(clip):
    whole = Clip(clip.scene, clip.video, clip.srt, clip.duration, None)
    [slide] = clip_slides(whole)
    assert slide.video == clip.video
    assert slide.caption.splitlines() == CAPTIONS


@pytest.mark.parametrize("start, end, expected", [
    (0.0, 1.0, "one"), (1.0, 2.1, "two"),  # a clip a frame longer than its subtitle
    (0.95, 2.0, "two"), (3.0, 4.0, ""),
])
def test_caption_is_the_subtitle_overlapping_the_section_most(start, end, expected):
    cues = [Cue(0.0, 1.0, "one"), Cue(1.0, 2.0, "two")]
    assert caption_for(start, end, cues) == expected


def test_presentation_references_only_its_own_copied_clips(clip, tmp_path):
    index = write_slides([clip], tmp_path / "talk", title="Bends")
    assert index == tmp_path / "talk" / "index.html"
    assert index.parent.stat().st_mode & 0o755 == 0o755  # shareable, not private like a temp dir
    page = index.read_text()
    assert "http:" not in page and "https:" not in page and 'src="//' not in page
    data = json.loads(page.split('id="slides-data">')[1].split("</script>")[0])
    assert [s["caption"] for s in data["slides"]] == CAPTIONS
    for slide in data["slides"]:
        copied = index.parent / unquote(slide["video"])
        assert not Path(slide["video"]).is_absolute() and copied.is_file()
        assert copied.parent.parent == index.parent and copied.parent.stat().st_mode & 0o755 == 0o755


def clip_dirs(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("clips-"))


def test_writing_again_replaces_the_presentation_and_leaves_nothing_behind(clip, tmp_path):
    write_slides([clip], tmp_path, title="First")
    index = write_slides([clip, clip], tmp_path, title="Second")
    assert "<title>Second</title>" in index.read_text()
    [clips] = clip_dirs(tmp_path)
    assert len(list((tmp_path / clips).iterdir())) == 2 * len(CAPTIONS)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["index.html", "playground.html", clips])


def test_a_failed_write_keeps_the_previous_presentation(clip, tmp_path):
    index = write_slides([clip], tmp_path, title="Good")
    before, clips_before = index.read_text(), clip_dirs(tmp_path)
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps([{"video": "gone.mp4", "duration": "1.0"}]))
    with pytest.raises(FileNotFoundError, match="clip of Gone is missing"):
        write_slides([clip, Clip("Gone", tmp_path / "gone.mp4", None, 1.0, broken)], tmp_path, title="Bad")
    assert index.read_text() == before and clip_dirs(tmp_path) == clips_before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["index.html", "playground.html", "broken.json", *clips_before])


def test_a_failure_while_copying_keeps_the_previous_presentation(clip, tmp_path, monkeypatch):
    index = write_slides([clip], tmp_path, title="Good")
    before, clips_before = index.read_text(), clip_dirs(tmp_path)

    def disk_full(source, target):
        target.write_bytes(b"half a clip")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(slides, "_copy_clip", disk_full)
    with pytest.raises(OSError, match="No space left"):
        write_slides([clip], tmp_path, title="Bad")
    assert index.read_text() == before and clip_dirs(tmp_path) == clips_before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["index.html", "playground.html", *clips_before])


def test_slides_share_a_folder_with_the_rendered_scenes(clip, tmp_path):
    rendered = tmp_path / "rendered.mp4"
    rendered.write_bytes(b"a scene")
    write_slides([clip], tmp_path)
    write_slides([clip], tmp_path)
    assert rendered.read_bytes() == b"a scene" and len(clip_dirs(tmp_path)) == 1


def test_an_index_html_that_is_not_ours_is_never_replaced(clip, tmp_path):
    (tmp_path / "index.html").write_text("<p>my homepage</p>")
    with pytest.raises(FileExistsError, match="not a relu-explainer presentation"):
        slides.check_slides_dir(tmp_path)  # what the command asks before it renders
    with pytest.raises(FileExistsError, match="not a relu-explainer presentation"):
        write_slides([clip], tmp_path)
    assert (tmp_path / "index.html").read_text() == "<p>my homepage</p>"
    assert clip_dirs(tmp_path) == []


@pytest.mark.parametrize("name, background", [("dark", "#16181D"), ("light", "#FFFFFF")])
def test_page_takes_the_colours_of_the_theme_the_clips_were_rendered_in(clip, tmp_path, name, background):
    page = write_slides([clip], tmp_path / "talk", theme_name=name).read_text()
    assert f"--bg: {background};" in page


def test_title_and_captions_cannot_break_out_of_the_page():
    nasty = "</script><script>alert(1)</script> & <b>"
    page = page_html([slides.Slide("S", Path("a.mp4"), nasty)], ["clips/a.mp4"], nasty)
    assert "<script>alert(1)" not in page
    assert page.count("</script>") == 2  # the data block and the code



VIDEO_STATE = """() => { const v = document.getElementById('video');
  return {src: v.currentSrc, paused: v.paused, ended: v.ended, time: v.currentTime,
          ready: v.readyState, error: v.error && v.error.code, width: v.videoWidth,
          counter: document.getElementById('counter').textContent,
          caption: document.getElementById('caption').textContent,
          title: !document.getElementById('title-slide').hidden}; }"""
PLAYING = """() => { const v = document.getElementById('video');
  return v.readyState >= 2 && v.currentTime > 0.2 && !v.error; }"""


def test_slides_play_offline_in_chromium(browser, clip, tmp_path):
    index = write_slides([clip], tmp_path / "talk")
    total = len(CAPTIONS) + 2  # the title slide, the beats, the playground
    page = browser.new_page(viewport={"width": 960, "height": 600})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(index.as_uri())
    state = lambda: page.evaluate(VIDEO_STATE)  # noqa: E731

    assert state()["title"] and state()["counter"] == f"1 / {total}"
    page.keyboard.press("ArrowRight")
    page.wait_for_function(PLAYING, timeout=10_000)
    first = state()
    assert first["counter"] == f"2 / {total}" and first["caption"] == CAPTIONS[0]
    assert first["src"].endswith("ThreeBeats_0000_beat00.mp4") and first["width"] == 256
    assert not first["paused"] or first["ended"]
    page.screenshot(path=str(tmp_path / "first_beat.png"))

    page.keyboard.press("Space")
    page.wait_for_function(PLAYING, timeout=10_000)
    second = state()
    assert second["counter"] == f"3 / {total}" and second["caption"] == CAPTIONS[1]
    assert second["src"] != first["src"]

    page.wait_for_function("() => document.getElementById('video').ended", timeout=10_000)
    page.click("#video")
    page.wait_for_function("() => { const v = document.getElementById('video'); "
                           "return !v.ended && !v.paused && v.currentTime < 0.8; }", timeout=10_000)

    page.keyboard.press("End")
    assert state()["counter"] == f"{total} / {total}" and page.evaluate("!document.getElementById('page-slide').hidden")
    page.keyboard.press("ArrowRight")
    assert state()["counter"] == f"{total} / {total}"
    page.keyboard.press("ArrowLeft")
    assert state()["caption"] == CAPTIONS[-1]
    page.keyboard.press("Home")
    assert state()["title"] and state()["counter"] == f"1 / {total}"
    page.close()

    assert requests, "the page made no requests at all"
    assert all(url.startswith("file://") for url in requests), requests


# --- each beat's voice, and a folder that holds the deck only ----------------------------------------

@pytest.fixture(scope="module")
def toned_clip(tmp_path_factory) -> Clip:
    """BeatTones (a tone at the start of each of its three beats) with one clip per section, and its
    whole video given its sound as the worker does."""
    from tests.tone_scenes import BeatTones
    return render_beats(BeatTones, tmp_path_factory.mktemp("toned_media"), with_sound=True)


def video_seconds(path: Path) -> float:
    from relu_explainer_cli.soundtrack import picture_seconds
    return picture_seconds(path)


def deck_clips(index: Path) -> list[Path]:
    page = index.read_text(encoding="utf-8")
    data = json.loads(page.split('id="slides-data">')[1].split("</script>")[0])
    return [index.parent / unquote(slide["video"]) for slide in data["slides"]]


def test_manims_section_clips_carry_no_sound(tmp_path):
    """Why the worker gives each beat's clip its sound (Manim 0.22): when this fails, Manim may do it."""
    import av

    from tests.tone_scenes import BeatTones
    with tempconfig({"frame_rate": 10, "pixel_width": 256, "pixel_height": 144, "disable_caching": True,
                     "progress_bar": "none", "verbosity": "WARNING", "save_sections": True,
                     "media_dir": str(tmp_path)}):
        scene = BeatTones()
        scene.render()
        index = Path(scene.renderer.file_writer.sections_output_dir) / "BeatTones.json"
    for section in json.loads(index.read_text()):
        with av.open(str(index.parent / section["video"])) as container:
            assert not container.streams.audio


def test_each_beat_plays_its_own_stretch_of_the_scenes_voice(toned_clip, tmp_path):
    import av

    from relu_explainer_cli.soundtrack import RATE, read_audio
    from tests.tone_scenes import onsets
    made = clip_slides(toned_clip)
    assert [s.caption for s in made] == list(BeatTones_captions())
    assert made[-1].end == pytest.approx(toned_clip.duration, abs=1e-6)  # the beats add up to the scene
    clips = deck_clips(write_slides([toned_clip], tmp_path / "talk"))
    assert len(clips) == 3
    for beat, slide in zip(clips, made):
        with av.open(str(beat)) as container:
            stream = container.streams.audio[0]
            assert stream.codec_context.name == "aac"
            declared = float(stream.duration * stream.time_base)
        assert declared == pytest.approx(video_seconds(beat), abs=1 / RATE)  # sound as long as the picture
        assert video_seconds(beat) == pytest.approx(slide.end - slide.start, abs=1e-6)
        heard = onsets(read_audio(beat), RATE)
        assert len(heard) == 1 and heard[0] <= 0.040  # its own tone, at its start, and no other


def BeatTones_captions():
    from tests.tone_scenes import BeatTones
    return BeatTones.captions


def test_the_page_plays_the_beats_with_their_sound(clip, tmp_path):
    page = write_slides([clip], tmp_path).read_text()
    video_tag = page.split('<video id="video"')[1].split(">")[0]
    assert "muted" not in video_tag


def test_the_slides_command_writes_the_deck_only_and_keeps_its_renders_in_the_user_cache(tmp_path):
    from relu_explainer_cli.main import main
    from relu_explainer_cli.paths import cache_root
    deck = tmp_path / "deck"
    assert main(["slides", "tests.tone_scenes:BeatTones", "--quality", "low", "--out", str(deck),
                 "--no-cache", "-j", "1"]) == 0
    [clips] = clip_dirs(deck)
    assert sorted(p.name for p in deck.iterdir()) == sorted(["index.html", "playground.html", clips])
    files = sorted((deck / clips).iterdir())
    assert [p.suffix for p in files] == [".mp4"] * 3 and files == sorted(deck_clips(deck / "index.html"))
    assert all(p.stat().st_nlink == 1 for p in [deck / "index.html", *files])  # cp -r copies each once
    assert not slides.render_dir(deck).exists() and slides.render_dir(deck).parent.parent == cache_root()


# --- the deck as one zip ------------------------------------------------------------------------------

def test_the_zip_holds_the_deck_in_one_folder_and_plays_once_unpacked(browser, clip, tmp_path):
    import zipfile
    path = slides.write_zip([clip], tmp_path / "talk.zip", title="Bends")
    assert path == tmp_path / "talk.zip" and sorted(p.name for p in tmp_path.iterdir()) == ["talk.zip"]
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        assert all(name.startswith("talk/") for name in names) and "talk/index.html" in names
        assert sum(name.endswith(".mp4") for name in names) == len(CAPTIONS)
        assert archive.getinfo(next(n for n in names if n.endswith(".mp4"))).compress_type == zipfile.ZIP_STORED
        archive.extractall(tmp_path / "unpacked")
    index = tmp_path / "unpacked" / "talk" / "index.html"
    assert [p.read_bytes() for p in deck_clips(index)] == [s.video.read_bytes() for s in clip_slides(clip)]
    page = browser.new_page()
    page.goto(index.as_uri() + "#2")
    page.wait_for_function(PLAYING, timeout=10_000)
    assert page.evaluate(VIDEO_STATE)["caption"] == CAPTIONS[0]
    page.close()


def test_a_failed_zip_keeps_the_previous_one(clip, tmp_path, monkeypatch):
    import zipfile
    path = slides.write_zip([clip], tmp_path / "talk.zip", title="Good")
    before = path.read_bytes()
    real_write = zipfile.ZipFile.write

    def disk_full(self, *args, **kwargs):
        real_write(self, *args, **kwargs)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(zipfile.ZipFile, "write", disk_full)
    with pytest.raises(OSError, match="No space left"):
        slides.write_zip([clip], path, title="Bad")
    assert path.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["talk.zip"]


def test_a_zip_we_did_not_write_is_never_replaced(clip, tmp_path):
    import zipfile
    theirs = tmp_path / "talk.zip"
    with zipfile.ZipFile(theirs, "w") as archive:
        archive.writestr("notes.txt", "mine")
    before = theirs.read_bytes()
    with pytest.raises(FileExistsError, match="not written by relu-explainer"):
        slides.write_zip([clip], theirs)
    assert theirs.read_bytes() == before


def test_the_slides_command_writes_one_zip_with_to_zip_or_zip(tmp_path, capsys):
    import zipfile

    from relu_explainer_cli.main import main
    for flags in (["--to", "zip"], ["--zip"]):
        deck = tmp_path / flags[-1].lstrip("-")
        assert main(["slides", "tests.tone_scenes:BeatTones", "--quality", "low", "--out", str(deck),
                     "--no-cache", "-j", "1", "--voice", "none", *flags]) == 0
        assert capsys.readouterr().out.strip() == str(deck / "slides.zip")
        assert sorted(p.name for p in deck.iterdir()) == ["slides.zip"]
        with zipfile.ZipFile(deck / "slides.zip") as archive:
            assert sum(name.endswith(".mp4") for name in archive.namelist()) == 3
