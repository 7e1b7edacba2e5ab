"""The drag-the-kinks page, driven in Debian's Chromium: its numbers are relu_core's, it needs no network,
it works from the keyboard, and its link holds the whole setup."""
from __future__ import annotations

import doctest
import math
import re
from pathlib import Path

import numpy as np
import pytest

from relu_core import (ReluSum, ReluTerm, error_grid, format_number, interpolant, optimal_knots, parse_function,
                       square_approximation, uniform_knots)
from relu_explainer_cli import playground
from relu_explainer_cli.main import main
from relu_explainer_cli.playground import (MAX_UNITS, TARGETS, state_fragment, sum_from_fragment, sum_numbers,
                                           write_playground)
from scenes.style import THEMES

RTOL = 1e-9
SEED = 20261202


def test_module_doctests_pass():
    assert doctest.testmod(playground).failed == 0


# --- the page in a browser -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def page_file(tmp_path_factory) -> Path:
    return write_playground(tmp_path_factory.mktemp("playground") / "playground.html")



SNAPSHOT = """xs => { const p = window.playground, text = id => document.getElementById(id).textContent;
  return {state: p.state(), values: p.values(xs), numbers: p.numbers(), vertices: p.vertices(), formula: p.formula(),
          shown: {formula: text('formula'), max_error: text('max-error'), loss: text('loss')},
          kinks: p.kinks(), path: document.getElementById('sum-path').getAttribute('d'),
          corners: p.vertices().map(([x, y]) => p.toPixel(x, y))}; }"""
"""What the page shows, read in one call."""


def as_sum(state: dict) -> tuple[str, ReluSum]:
    terms = tuple(ReluTerm(t["a"], t["b"], t["c"]) for t in state["terms"])
    return state["target"], ReluSum(terms, state["slope"], state["intercept"])


class Session:
    """A fresh page in its own context, every request recorded and any that leaves file:// refused."""

    def __init__(self, browser, page_file: Path, fragment: str = "", size=(1280, 720)) -> None:
        self.context = browser.new_context(viewport={"width": size[0], "height": size[1]})
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.url = page_file.as_uri()
        self.page.goto(self.url + (f"#{fragment}" if fragment else ""))

    def _route(self, route) -> None:
        self.requests.append(route.request.url)
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            route.abort()

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)

    def go(self, fragment: str, xs=(), then: str = "") -> dict:
        """Put a setup in the address bar's fragment, as a pasted link does; once the page has taken it,
        run the statement `then` and return what the page shows (SNAPSHOT), its sum's values at xs too."""
        return self.js(f"""([f, xs]) => new Promise(done => {{
                     addEventListener('hashchange', () => {{ {then}; done(({SNAPSHOT})(xs)); }}, {{once: true}});
                     location.hash = f; }})""", [fragment, list(xs)])

    def state(self) -> tuple[str, ReluSum]:
        return as_sum(self.js("window.playground.state()"))

    def close(self) -> None:
        assert not self.errors, self.errors
        self.context.close()


@pytest.fixture
def session(browser, page_file):
    opened = []

    def open_(fragment: str = "", size=(1280, 720)) -> Session:
        opened.append(Session(browser, page_file, fragment, size))
        return opened[-1]

    yield open_
    for s in opened:
        s.close()


def random_state(rng: np.random.Generator) -> tuple[str, ReluSum]:
    """A target and a sum of 0..10 units: kinks mostly inside the range, some outside, some shared,
    now and then a flat (a = 0) or idle (c = 0) unit."""
    target = str(rng.choice(list(TARGETS)))
    lo, hi = TARGETS[target].x_range
    terms = []
    for _ in range(int(rng.integers(0, 11))):
        a = float(rng.choice([-1, 1]) * rng.choice([0.5, 1, 2, rng.uniform(0.1, 3)]))
        kink = float(rng.uniform(lo - 0.5, hi + 0.5)) if rng.random() > 0.2 else float(round(rng.uniform(lo, hi)))
        c = float(rng.uniform(-2, 2)) if rng.random() > 0.1 else 0.0
        if rng.random() < 0.05:
            a = 0.0
        terms.append(ReluTerm(a, -a * kink, c))
    return target, ReluSum(tuple(terms), float(rng.uniform(-1, 1)), float(rng.uniform(-2, 2)))


def close(got, want, scale: float = 1.0) -> bool:
    return bool(np.allclose(got, want, rtol=RTOL, atol=RTOL * scale))


def path_points(d: str) -> np.ndarray:
    return np.array([[float(x), float(y)] for x, y in re.findall(r"[ML]([-\d.e]+) ([-\d.e]+)", d)])


def test_the_page_computes_what_relu_core_computes_on_random_states(session):
    s = session()
    rng = np.random.default_rng(SEED)
    states = [random_state(rng) for _ in range(50)]
    states += [("x2", square_approximation(3)), ("abs", square_approximation(1)), ("sin", ReluSum()),
               ("exp", ReluSum((ReluTerm(0.0, 1.5, 2.0), ReluTerm(1.0, -1.0, 0.0)), slope=1.0))]
    worst = {"values": 0.0, "max_error": 0.0, "loss": 0.0}
    for target, h in states:
        lo, hi = TARGETS[target].x_range
        xs = np.concatenate([np.linspace(lo - 1, hi + 1, 97), h.breakpoints(), rng.uniform(lo, hi, 20)])
        shown = s.go(state_fragment(target, h), xs.tolist())
        assert as_sum(shown["state"]) == (target, h)
        scale = max(1.0, float(np.max(np.abs(h(xs)))))
        values, numbers, want = np.array(shown["values"]), shown["numbers"], sum_numbers(target, h)
        assert close(values, h(xs), scale), (target, h)
        assert numbers["grid"] == len(error_grid(lo, hi, knots=h.breakpoints(), samples=playground.SAMPLES))
        assert close(numbers["maxError"], want["max_error"]), (target, h, numbers, want)
        assert close(numbers["loss"], want["loss"]), (target, h, numbers, want)
        assert close(np.array(shown["vertices"]), h.vertices(lo, hi), scale)
        assert shown["formula"] == h.latex() == shown["shown"]["formula"].replace("−", "-")
        assert shown["shown"]["max_error"] == format_number(want["max_error"])
        assert shown["shown"]["loss"] == format_number(want["loss"])
        worst["values"] = max(worst["values"], float(np.max(np.abs(values - h(xs)) / scale)))
        for key, name in (("max_error", "maxError"), ("loss", "loss")):
            worst[key] = max(worst[key], abs(numbers[name] - want[key]) / max(abs(want[key]), 1e-300))
    print("largest relative difference, page against relu_core:", worst)


def test_the_sum_is_drawn_as_the_exact_polyline_through_its_kinks(session):
    s = session()
    for target, h in [("x2", square_approximation(2)), ("exp", interpolant(np.exp, optimal_knots(np.exp, 6, 0, 4))),
                      ("sin", ReluSum((ReluTerm(-2, 1, 0.3), ReluTerm(1, 0.5, -0.4))))]:
        shown = s.go(state_fragment(target, h))
        lo, hi = TARGETS[target].x_range
        drawn, corners = path_points(shown["path"]), np.array(shown["corners"])
        assert close(np.array(shown["vertices"]), h.vertices(lo, hi), 10.0)
        assert drawn.shape == corners.shape and np.allclose(drawn, corners, atol=1e-3), target


def test_the_page_formats_numbers_as_relu_core_does(session):
    s = session()
    rng = np.random.default_rng(SEED)
    ties = [1.125, -1.125, 2.675, 0.0625, 1.0625, 999.5, 9.995, 0.1235, 1.005, 12.25, 0.3125]
    others = [0.0, -0.0, 1 / 3, -2 / 3, 1e-5, 1.23456e-5, 0.000123456, 12345.678, 1e6, 2.5, 1 + 2e-9,
              3 - 5e-10, 7e-9, -123.456, 1e-300, 5e-324, 99.95, 0.99951, math.pi, 179.3, 100.5, 250.25,
              -999.7, 1234.5]
    values = ties + others + rng.uniform(-50, 50, 100).tolist() + (10.0 ** rng.uniform(-8, 8, 100)).tolist()
    got = s.js("vs => vs.map(v => window.playground.formatNumber(v))", values)
    assert got == [format_number(v) for v in values]


def test_the_page_makes_no_network_request(session, page_file):
    s = session()
    s.js("document.getElementById('curvature').click()")
    s.page.keyboard.press("Tab")
    s.page.keyboard.press("ArrowRight")
    assert s.requests == [s.url]
    assert not s.errors, s.errors  # a request the page's Content-Security-Policy refused shows up here
    text = page_file.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text)


def test_tab_reaches_a_kink_and_arrow_keys_move_and_bend_it_in_the_link(session):
    s = session()
    keyboard = s.page.keyboard
    keyboard.press("Tab")
    focused = s.js("""(() => { const e = document.activeElement;
                      return {kink: e.classList.contains('kink'), visible: e.matches(':focus-visible'),
                              stroke: getComputedStyle(e).stroke, label: e.getAttribute('aria-label')}; })()""")
    assert focused["kink"] and focused["visible"], focused
    assert focused["stroke"] == _rgb(THEMES["dark"].highlight), focused
    assert focused["label"].startswith("unit 1 of 4: g(x), kink at x = 0")
    before, url = s.state()[1], s.page.url
    keyboard.press("ArrowRight")
    after = s.state()[1]
    assert after.terms[0].kink == 0.05 and after.terms[1:] == before.terms[1:]
    assert s.page.url != url and sum_from_fragment(s.page.url.split("#", 1)[1])[1] == after
    keyboard.press("Shift+ArrowLeft")
    assert s.state()[1].terms[0].kink == -0.45
    keyboard.press("ArrowUp")
    assert s.state()[1].terms[0].c == pytest.approx(1.1, abs=1e-12)
    keyboard.press("Tab")
    assert s.js("document.activeElement.getAttribute('aria-label')").startswith("unit 2 of 4")
    keyboard.press("+")
    assert len(s.state()[1].terms) == 5 and s.js("document.activeElement.getAttribute('aria-label')").startswith(
        "unit 5 of 5")
    keyboard.press("-")
    keyboard.press("-")
    assert len(s.state()[1].terms) == 3


def _rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def test_dragging_a_kink_moves_it_and_its_square_handle_bends_it(session):
    s = session("target=x2&slope=0&intercept=0&terms=2,-2,1")
    box = s.page.locator("circle.kink").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    screen_x = s.js("""(() => { const svg = document.getElementById('plot'), p = svg.createSVGPoint();
                          [p.x, p.y] = window.playground.toPixel(2, 0);
                          return p.matrixTransform(svg.getScreenCTM()).x; })()""")
    s.page.mouse.move(x, y)
    s.page.mouse.down()
    s.page.mouse.move(screen_x, y, steps=3)
    s.page.mouse.up()
    kink = s.state()[1].terms[0].kink
    assert kink == pytest.approx(2.0, abs=0.02) and s.state()[1].terms[0].a == 2
    # the chosen unit's square handle, a sixth of the range (1) right of its kink: 2 up bends it by 2
    box = s.page.locator("rect.lever").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    up = s.js("""(() => { const svg = document.getElementById('plot'), m = svg.getScreenCTM(), p = window.playground;
                 return (p.toPixel(0, 0)[1] - p.toPixel(0, 2)[1]) * m.d; })()""")
    s.page.mouse.move(x, y)
    s.page.mouse.down()
    s.page.mouse.move(x, y - up, steps=3)
    s.page.mouse.up()
    term = s.state()[1].terms[0]
    assert term.c * abs(term.a) == pytest.approx(2.0 + 2.0 / (3.0 - kink), abs=0.03)


def test_the_curvature_and_even_buttons_place_relu_cores_knots(session):
    s = session()
    for target, info in TARGETS.items():
        f, (lo, hi) = parse_function(info.expression), info.x_range
        for kinks in (1, 4, MAX_UNITS):
            start = ReluSum(tuple(ReluTerm(1, -lo - (hi - lo) * (i + 1) / (kinks + 1), 0.5) for i in range(kinks)))
            for button, knots in (("curvature", optimal_knots(f, kinks + 1, lo, hi)),
                                  ("even", uniform_knots(lo, hi, kinks + 1))):
                shown = s.go(state_fragment(target, start), then=f"document.getElementById('{button}').click()")
                assert shown["kinks"] == knots[1:-1].tolist(), (target, kinks, button)
                assert as_sum(shown["state"]) == (target, interpolant(f, knots))


def test_the_seed_buttons_give_the_seeds_h_n(session):
    s = session("target=exp&slope=0&intercept=0&terms=")
    for n in (1, 2, 3):
        s.js("name => [...document.querySelectorAll('#seeds button')].find(b => b.textContent === name).click()",
             f"h{'₀₁₂₃'[n]}")
        assert s.state() == ("x2", square_approximation(n))
        assert s.js("window.playground.formula()") == square_approximation(n).latex()
    assert s.js("window.playground.numbers().maxError") == 0.25  # h_3 on [-3, 3]


def test_a_shared_link_opens_its_setup_and_a_broken_one_says_why(session):
    target, h = "sin", ReluSum((ReluTerm(1, 0.5, -0.25), ReluTerm(-2, 1, 0.75)), slope=0.5)
    s = session(state_fragment(target, h))
    assert s.state() == (target, h)
    assert s.js("document.getElementById('status').textContent") == ""
    broken = session("target=cos&slope=0&intercept=0&terms=1,0,1")
    assert broken.state() == ("x2", square_approximation(2))
    status = broken.js("document.getElementById('status').textContent")
    assert status.startswith("This link's setup could not be read (unknown target \"cos\"")
    broken.go("target=x2&slope=1e9&intercept=0&terms=")
    assert "slope must be at most" in broken.js("document.getElementById('status').textContent")


def test_screenshots_of_a_few_setups(session, tmp_path):
    """Not a check of pixels: pictures to look at (kept in the test's tmp_path)."""
    s = session(size=(1920, 1080))
    s.page.keyboard.press("Tab")
    s.page.screenshot(path=str(tmp_path / "h2_chosen_kink.png"))
    s.go(state_fragment("exp", interpolant(np.exp, optimal_knots(np.exp, 6, 0, 4))))
    s.page.screenshot(path=str(tmp_path / "exp_by_curvature.png"))
    assert (tmp_path / "exp_by_curvature.png").stat().st_size > 10_000


# --- writing the page, and the command ---------------------------------------------------------------

@pytest.mark.parametrize("name", ["dark", "light"])
def test_the_page_takes_the_themes_colours(tmp_path, name):
    text = write_playground(tmp_path / "p.html", theme=name).read_text(encoding="utf-8")
    colours = THEMES[name]
    for role in ("background", "text", "target", "approx", "error"):
        assert f"--{role}: {getattr(colours, role)}" in text


def test_the_command_writes_one_file_and_prints_its_path(tmp_path, capsys):
    out = tmp_path / "lecture" / "kinks.html"
    assert main(["playground", "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    assert sorted(p.name for p in out.parent.iterdir()) == ["kinks.html"]
    assert main(["playground", "--out", str(out.parent)]) == 0  # a folder gets playground.html
    assert (out.parent / "playground.html").is_file()


def test_a_file_that_is_not_a_playground_is_never_replaced(tmp_path, capsys):
    mine = tmp_path / "notes.html"
    mine.write_text("<p>my notes</p>")
    assert main(["playground", "--out", str(mine)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "not a relu-explainer playground page" in err
    assert mine.read_text() == "<p>my notes</p>"


def test_an_unwritable_place_is_one_line_and_leaves_nothing(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["playground", "--out", str(blocker / "p.html")]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("relu-explainer: cannot write") and "\n" not in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_a_failed_write_keeps_the_previous_page_whole(tmp_path, monkeypatch):
    page = write_playground(tmp_path / "p.html")
    before = page.read_bytes()
    monkeypatch.setattr(playground.os, "replace", lambda *a: (_ for _ in ()).throw(OSError(28, "No space")))
    with pytest.raises(OSError):
        write_playground(page)
    assert page.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["p.html"]
