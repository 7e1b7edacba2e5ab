"""The deck's presenter view and keys, driven in Chromium as a lecturer would: S opens it, the two
windows keep in step, B blacks the screen, C hides the captions, loop and move-on beats, auto-advance."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from manim import Circle, Dot, FadeIn, Square, Triangle
from manim.scene.section import DefaultSectionType

from relu_explainer_cli.render import Clip
from relu_explainer_cli.slides import LOOP, PLAYGROUND_SLIDE, SKIP, clip_slides, write_slides
from scenes.base import ExplainerScene
from tests.tone_scenes import render_beats

# Where the screenshots go, to look at: $RELU_EXPLAINER_SCREENSHOTS, else the test's temporary folder.
SHOTS_ENV = "RELU_EXPLAINER_SCREENSHOTS"


class PresenterBeats(ExplainerScene):
    """Four half-second beats: the second loops, the third moves on by itself (manim's section types)."""

    captions = ("a square", "a dot that loops", "a circle that moves on", "a triangle")
    kinds = (DefaultSectionType.NORMAL, LOOP, SKIP, DefaultSectionType.NORMAL)

    def construct(self) -> None:
        for caption, kind, shape in zip(self.captions, self.kinds, (Square, Dot, Circle, Triangle)):
            self.say(caption, section_type=kind)
            self.play(FadeIn(shape(color=self.theme.approx)), run_time=0.5)


CAPTIONS = list(PresenterBeats.captions)
TOTAL = len(CAPTIONS) + 2  # and the title slide, and the playground after the beats


@pytest.fixture(scope="module")
def deck(tmp_path_factory) -> Path:
    media = tmp_path_factory.mktemp("presenter_media")
    clip = render_beats(PresenterBeats, media)
    return write_slides([clip], media / "talk", title="Bends")



@pytest.fixture
def context(browser, tmp_path):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    context.shots = tmp_path
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    yield context
    context.close()
    assert all(url.startswith("file://") for url in requests), requests  # offline, both windows


AUDIENCE = """() => { const v = document.getElementById('video'), c = document.getElementById('caption');
  return {counter: document.getElementById('counter').textContent, caption: c.textContent,
          captionShown: getComputedStyle(c).visibility === 'visible',
          black: !document.getElementById('black').hidden, src: v.currentSrc, paused: v.paused,
          loop: v.loop}; }"""
PRESENTER = """() => { const t = (id) => document.getElementById(id).textContent;
  const shown = (id) => !document.getElementById(id).hidden;
  return {counter: t('p-counter'), notes: t('p-notes'), next: t('p-next-caption'), timer: t('p-timer'),
          src: document.getElementById('p-video').currentSrc,
          nextSrc: document.getElementById('p-next-video').currentSrc,
          black: shown('p-black'), captionsOff: shown('p-captions'), loop: shown('p-loop'),
          end: shown('p-end-card'), audienceHidden: !shown('audience')}; }"""


def counter_is(n: int) -> str:
    return f"() => document.getElementById('counter').textContent === '{n} / {TOTAL}'"


def presenter_at(n: int) -> str:
    return f"() => document.getElementById('p-counter').textContent === '{n} / {TOTAL}'"


def open_presenter(audience):
    with audience.expect_popup() as popup:
        audience.keyboard.press("s")
    presenter = popup.value
    presenter.wait_for_load_state()
    presenter.set_viewport_size({"width": 1280, "height": 760})
    return presenter


def screenshot(page, name: str) -> None:
    folder = Path(os.environ.get(SHOTS_ENV) or page.context.shots)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / name))


def test_the_section_types_become_a_looping_and_a_moving_on_beat(deck):
    made = clip_slides(Clip("PresenterBeats", Path("x.mp4"), None, 0.0,
                            next(deck.parent.parent.rglob("PresenterBeats.json"))))
    assert [(s.loop, s.advance) for s in made] == [(False, False), (True, False), (False, True), (False, False)]


def test_s_opens_the_presenter_view_and_the_two_windows_keep_in_step(context, deck):
    audience = context.new_page()
    audience.goto(deck.as_uri())
    audience.keyboard.press("ArrowRight")
    presenter = open_presenter(audience)
    assert "?presenter" in presenter.url
    presenter.wait_for_function(presenter_at(2))
    now = presenter.evaluate(PRESENTER)
    assert now["notes"] == CAPTIONS[0] and now["next"] == CAPTIONS[1] and now["audienceHidden"]
    assert now["src"] == audience.evaluate(AUDIENCE)["src"] and now["src"].endswith("_beat00.mp4")
    assert now["nextSrc"].endswith("_beat01.mp4")
    presenter.wait_for_function("() => { const v = document.getElementById('p-next-video');"
                                " return v.readyState >= 2 && v.currentTime > v.duration - 0.2; }")  # as it ends
    assert re.fullmatch(r"0:0\d", now["timer"])
    presenter.wait_for_function(f"() => document.getElementById('p-timer').textContent !== '{now['timer']}'",
                                timeout=3_000)  # the timer runs
    screenshot(presenter, "presenter_view.png")

    audience.keyboard.press("ArrowRight")  # the audience window leads: the presenter follows
    presenter.wait_for_function(presenter_at(3))
    assert presenter.evaluate(PRESENTER)["notes"] == CAPTIONS[1]

    presenter.keyboard.press("ArrowLeft")  # the presenter window leads: the audience follows
    audience.wait_for_function(counter_is(2))
    assert audience.evaluate(AUDIENCE)["caption"] == CAPTIONS[0]

    presenter.keyboard.press("End")
    audience.wait_for_function(counter_is(TOTAL))
    presenter.wait_for_function(presenter_at(TOTAL))
    last = presenter.evaluate(PRESENTER)
    assert last["notes"] == PLAYGROUND_SLIDE["notes"] and last["end"] and last["next"] == ""
    presenter.keyboard.press("ArrowLeft")
    presenter.wait_for_function(presenter_at(TOTAL - 1))
    last = presenter.evaluate(PRESENTER)
    assert last["notes"] == CAPTIONS[-1] and last["next"] == PLAYGROUND_SLIDE["notes"]
    screenshot(presenter, "presenter_last_beat.png")


def test_b_blacks_the_screen_and_c_hides_the_captions_in_both_windows(context, deck):
    audience = context.new_page()
    audience.goto(deck.as_uri() + "#2")
    presenter = open_presenter(audience)
    presenter.wait_for_function(presenter_at(2))
    before = audience.evaluate(AUDIENCE)
    assert not before["black"] and before["captionShown"] and before["caption"] == CAPTIONS[0]

    presenter.keyboard.press("b")
    audience.wait_for_function("() => !document.getElementById('black').hidden")
    assert audience.evaluate(AUDIENCE)["paused"] and presenter.evaluate(PRESENTER)["black"]
    screenshot(audience, "audience_black.png")
    screenshot(presenter, "presenter_black.png")
    audience.keyboard.press("b")
    presenter.wait_for_function("() => document.getElementById('p-black').hidden")
    assert not audience.evaluate(AUDIENCE)["black"]

    audience.keyboard.press("c")
    presenter.wait_for_function("() => !document.getElementById('p-captions').hidden")
    assert not audience.evaluate(AUDIENCE)["captionShown"]
    audience.keyboard.press("ArrowRight")  # captions stay off on the next beat
    audience.wait_for_function(counter_is(3))
    assert not audience.evaluate(AUDIENCE)["captionShown"]
    presenter.wait_for_function(presenter_at(3))
    assert presenter.evaluate(PRESENTER)["notes"] == CAPTIONS[1]  # the notes do not hide
    presenter.keyboard.press("c")
    audience.wait_for_function("() => getComputedStyle(document.getElementById('caption')).visibility"
                               " === 'visible'")


def test_a_looping_beat_loops_and_a_move_on_beat_moves_on(context, deck):
    audience = context.new_page()
    audience.goto(deck.as_uri() + "#3")  # the looping beat
    audience.wait_for_function("() => document.getElementById('video').readyState >= 2")
    state = audience.evaluate(AUDIENCE)
    assert state["loop"] and state["caption"] == CAPTIONS[1]
    duration = audience.evaluate("document.getElementById('video').duration")
    audience.wait_for_timeout(1000 * duration + 700)
    assert audience.evaluate(AUDIENCE)["counter"] == f"3 / {TOTAL}"  # still there, playing again
    assert not audience.evaluate("document.getElementById('video').ended")

    audience.keyboard.press("ArrowRight")  # the move-on beat: its clip ends, the next beat starts
    audience.wait_for_function(counter_is(4))
    assert not audience.evaluate(AUDIENCE)["loop"]
    audience.wait_for_function(counter_is(5), timeout=10_000)
    assert audience.evaluate(AUDIENCE)["caption"] == CAPTIONS[3]


def test_a_turns_on_auto_advance(context, deck):
    audience = context.new_page()
    audience.goto(deck.as_uri() + "#2")  # an ordinary beat: it waits for the lecturer
    audience.wait_for_function("() => document.getElementById('video').ended", timeout=10_000)
    assert audience.evaluate(AUDIENCE)["counter"] == f"2 / {TOTAL}"
    audience.keyboard.press("a")
    audience.keyboard.press("Home")
    audience.keyboard.press("ArrowRight")
    audience.wait_for_function(counter_is(3), timeout=10_000)
    assert not audience.evaluate(AUDIENCE)["loop"]  # auto-advance does not stop at a loop
    audience.wait_for_function(counter_is(4), timeout=10_000)


def test_the_presenter_view_follows_without_an_opener_and_without_broadcastchannel(browser, deck):
    """Each way the windows talk, alone: a presenter view opened by hand hears the channel; where there
    is no BroadcastChannel, the window that opened the presenter view talks to it directly."""
    by_hand = browser.new_context()
    audience, presenter = by_hand.new_page(), by_hand.new_page()
    audience.goto(deck.as_uri())
    presenter.goto(deck.as_uri() + "?presenter")
    presenter.wait_for_function(presenter_at(1))
    audience.keyboard.press("End")
    presenter.wait_for_function(presenter_at(TOTAL))
    by_hand.close()

    no_channel = browser.new_context()
    no_channel.add_init_script("delete window.BroadcastChannel")
    audience = no_channel.new_page()
    audience.goto(deck.as_uri())
    presenter = open_presenter(audience)
    audience.keyboard.press("End")
    presenter.wait_for_function(presenter_at(TOTAL))
    presenter.keyboard.press("Home")
    audience.wait_for_function(counter_is(1))
    no_channel.close()


def test_the_last_slide_is_the_playground_live_and_esc_gives_the_keys_back(context, deck):
    audience = context.new_page()
    audience.goto(deck.as_uri() + f"#{TOTAL}")
    audience.wait_for_function("() => !document.getElementById('page-slide').hidden")
    assert audience.evaluate("document.getElementById('beat').hidden")
    frame = audience.frame_locator("#frame")
    frame.locator("svg").first.wait_for()
    playground = next(f for f in audience.frames if f.url.endswith("/playground.html"))
    playground.wait_for_function("() => window.playground && window.playground.numbers().grid > 0")
    frame.locator("svg").first.click()
    audience.keyboard.press("ArrowLeft")  # the page has the keys: the deck stays on the playground
    assert audience.evaluate(AUDIENCE)["counter"] == f"{TOTAL} / {TOTAL}"
    audience.keyboard.press("Escape")
    audience.keyboard.press("ArrowLeft")  # now the deck has them
    audience.wait_for_function(counter_is(TOTAL - 1))
    screenshot(audience, "deck_after_playground.png")
