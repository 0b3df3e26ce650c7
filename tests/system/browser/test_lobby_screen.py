"""The lobby screen in Chromium (issue 16): on the portrait 1080 x 1920 kiosk every screen uses
at least 75% of the width with no text under 22px, the 0-10 scale sits on one row from 768px
wide up (two on a phone), the clinic's name heads every screen, the body picture's areas tick
their boxes, the focus ring meets WCAG 2.2 focus appearance, the focused skip link covers
nothing, and an en_US clinic asks month, day, year. Screenshots: test-artifacts/lobby/."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from clinic.intake.labels import DANGER_ORDER as RED_FLAGS  # as the kiosk asks them
from tests.system.browser.kiosk_pages import base_case, check_page, fill_dob, next_button, tap

pytestmark = pytest.mark.browser

LOBBY = {"width": 1080, "height": 1920}
CLINIC = "Riverside Spine Clinic"

# What a screen shows: the width its content uses, its smallest visible text, the rows of the
# 0-10 scale, the clinic's name, and whether anything runs off the side.
MEASURE = """() => {
  const main = document.querySelector('main'); const style = getComputedStyle(main);
  const content = main.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  let smallest = [Infinity, ''];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const e = node.parentElement;
    if (!node.data.trim() || !e.checkVisibility()) { continue; }
    if (e.closest('.visually-hidden, .skip-link, dialog:not([open])')) { continue; }
    const size = parseFloat(getComputedStyle(e).fontSize);
    if (size < smallest[0]) { smallest = [size, node.data.trim().slice(0, 40)]; }
  }
  const tops = [...document.querySelectorAll('.choices-scale .option')]
    .map(o => Math.round(o.getBoundingClientRect().top));
  const clinic = document.querySelector('.clinic-name');
  return {ratio: content / innerWidth, content, smallest, scaleRows: new Set(tops).size,
          clinic: clinic && clinic.checkVisibility() ? clinic.textContent.trim() : null,
          overflow: document.scrollingElement.scrollWidth > innerWidth};
}"""

# The focus ring around the focused control (or, for a hidden radio or checkbox, its label).
RING = """() => {
  const e = document.activeElement;
  const shown = e.labels && e.labels.length && getComputedStyle(e).opacity === '0'
    ? e.labels[0] : e;
  const s = getComputedStyle(shown);
  let back = shown.parentElement; let color = 'rgba(0, 0, 0, 0)';
  while (back && (color === 'rgba(0, 0, 0, 0)' || color === 'transparent')) {
    color = getComputedStyle(back).backgroundColor; back = back.parentElement;
  }
  return {style: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor,
          offset: parseFloat(s.outlineOffset), around: color, id: e.id};
}"""


def luminance(css_color: str) -> float:
    """Relative luminance (WCAG) of an rgb()/rgba() colour."""
    numbers = css_color[css_color.index("(") + 1:css_color.index(")")].split(",")
    channels = [int(float(n)) / 255 for n in numbers[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def go(page: Page, click: Callable[[], None]) -> None:
    """Click something that loads a page (the same address again, for a page with errors)."""
    with page.expect_navigation():
        click()


def every_screen(page: Page, base: str, on_screen: Callable[[str], None]) -> None:
    """A whole self-care journey, calling `on_screen(label)` on each screen once loaded."""
    case = base_case()
    page.goto(base + "/")
    on_screen("01-welcome")
    go(page, page.locator("button[name='language'][value='en']").click)
    on_screen("02-about")
    go(page, lambda: next_button(page))
    on_screen("02-about-errors")
    page.locator("#first_name").fill(case["first_name"])
    page.locator("#last_name").fill(case["last_name"])
    fill_dob(page, *case["dob"])
    go(page, lambda: next_button(page))
    on_screen("03-danger")
    for code in RED_FLAGS:
        tap(page, f"flag_{code}", "no")
    go(page, lambda: next_button(page))
    on_screen("04-where")
    tap(page, "pain_areas", "lower_back")
    go(page, lambda: next_button(page))
    on_screen("05-feel")
    tap(page, "pain_kinds", "spasm")
    tap(page, "both_legs", "no")
    go(page, lambda: next_button(page))
    on_screen("06-pain")
    for name in ("duration", "severity", "onset", "leaning_or_compensating"):
        tap(page, name, case[name])
    go(page, lambda: next_button(page))
    on_screen("06-peg")
    for name, value in zip(("peg_pain", "peg_enjoyment", "peg_activity"), case["peg"],
                           strict=True):
        tap(page, name, value)
    go(page, lambda: next_button(page))
    on_screen("07-health")
    tap(page, "conditions", "none")
    go(page, lambda: next_button(page))
    on_screen("08-tried")
    tap(page, "tried", "none")
    go(page, lambda: next_button(page))
    on_screen("09-handout")
    tap(page, "large_print", "no")
    go(page, lambda: next_button(page))
    on_screen("10-review")
    go(page, page.locator("form[action='/review'] button[type='submit']").click)
    on_screen("11-done")


def to_step(page: Page, base: str, step: str) -> None:
    """Answer the steps before `step` (a self-care journey) and stop there."""
    labels: list[str] = []

    def stop(label: str) -> None:
        labels.append(label)
        if label.endswith(step):
            raise _Arrived

    try:
        every_screen(page, base, stop)
    except _Arrived:
        return
    raise AssertionError((step, labels))


class _Arrived(Exception):
    pass


@pytest.fixture
def lobby_server(make_app: Any, serve: Any) -> str:
    return str(serve(make_app(CLINIC_NAME=CLINIC)))


def test_every_screen_fills_the_lobby_screen_with_large_text(
    browser: Browser, lobby_server: str, artifacts: Path
) -> None:
    shots = artifacts / "lobby"
    shots.mkdir(exist_ok=True)
    context = browser.new_context(viewport=LOBBY)
    page = context.new_page()
    seen: dict[str, Any] = {}

    def on_screen(label: str) -> None:
        figures = page.evaluate(MEASURE)
        seen[label] = figures
        page.screenshot(path=str(shots / f"1080x1920-{label}.png"), full_page=True)
        check_page(page, None, f"lobby-{label}")  # axe, at this size too

    every_screen(page, lobby_server, on_screen)
    context.close()
    (shots / "figures.txt").write_text("\n".join(f"{k}: {v}" for k, v in seen.items()) + "\n")
    assert len(seen) == 13
    for label, figures in seen.items():
        assert figures["ratio"] >= 0.75, (label, figures)
        assert figures["smallest"][0] >= 22, (label, figures["smallest"])
        assert figures["clinic"] == CLINIC, (label, figures)
        assert not figures["overflow"], label
    assert seen["06-pain"]["scaleRows"] == 1, seen["06-pain"]
    # The PEG's three 0-10 scales, each on one row too.
    assert seen["06-peg"]["scaleRows"] == 3, seen["06-peg"]


@pytest.mark.parametrize(
    ("width", "height", "rows"),
    [(1080, 1920, 1), (1024, 768, 1), (768, 1024, 1), (640, 900, 1), (390, 844, 2),
     (320, 640, 2)],
)
def test_the_pain_scale_is_one_row_from_tablets_up_and_two_on_a_phone(
    browser: Browser, lobby_server: str, artifacts: Path, width: int, height: int, rows: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    to_step(page, lobby_server, "pain")
    figures = page.evaluate(MEASURE)
    assert figures["scaleRows"] == rows, figures
    assert not figures["overflow"], figures
    assert figures["clinic"] == CLINIC
    # Every number is still a large target.
    sizes = page.locator(".choices-scale .choice-label").evaluate_all(
        "ls => ls.map(l => [l.getBoundingClientRect().width, l.getBoundingClientRect().height])")
    assert min(min(w, h) for w, h in sizes) >= 44, sizes
    scale = page.locator(".choices-scale")
    scale.screenshot(path=str(artifacts / "lobby" / f"scale-{width}x{height}.png"))
    context.close()


@pytest.mark.parametrize("viewport", [LOBBY, {"width": 390, "height": 844}])
def test_touching_an_area_of_the_body_ticks_its_box(
    browser: Browser, lobby_server: str, viewport: dict[str, int]
) -> None:
    context = browser.new_context(viewport=viewport, has_touch=True)
    page = context.new_page()
    to_step(page, lobby_server, "where")
    for code in ("neck", "upper_back", "mid_back", "lower_back"):
        box = page.locator(f"input[name='pain_areas'][value='{code}']")
        area = page.locator(f".region-{code} .region-shape").bounding_box()
        assert area is not None and area["width"] > 8 and area["height"] > 8, (code, area)
        middle = (area["x"] + area["width"] / 2, area["y"] + area["height"] / 2)
        page.mouse.click(*middle)
        expect(box).to_be_checked()
        page.touchscreen.tap(*middle)
        expect(box).not_to_be_checked()
        page.mouse.click(*middle)
        expect(box).to_be_checked()
    # The rest of the body ticks nothing; the front view has no areas at all.
    figure = page.locator(".body-back .body-figure").bounding_box()
    assert figure is not None
    page.mouse.click(figure["x"] + figure["width"] / 2, figure["y"] + figure["height"] * 0.85)
    assert page.locator("input[name='pain_areas']:checked").count() == 4
    assert page.locator(".body-view:not(.body-back) .region").count() == 0
    expect(page.locator(".body-caption")).to_have_text(["Front", "Back"])
    check_page(page, None, "where-all-ticked")
    context.close()


def test_the_focus_ring_meets_wcag_22_focus_appearance(
    browser: Browser, lobby_server: str, artifacts: Path
) -> None:
    context = browser.new_context(viewport=LOBBY)
    page = context.new_page()
    to_step(page, lobby_server, "danger")
    rings = []
    for _ in range(8):  # the skip link, answer rows (Yes and No), buttons
        page.keyboard.press("Tab")
        rings.append(page.evaluate(RING))
    page.screenshot(path=str(artifacts / "lobby" / "focus-ring.png"))
    to_step(page, lobby_server, "about")
    page.locator("#first_name").focus()
    page.keyboard.press("Tab")
    rings.append(page.evaluate(RING))  # a text box, reached by keyboard
    context.close()
    assert any(r["id"].startswith("flag_") for r in rings), rings
    for ring in rings:
        assert ring["style"] == "solid" and ring["width"] >= 2, ring
        # The ring's pixels change from the page's colour to the ring's: at least 3:1.
        assert contrast(ring["color"], ring["around"]) >= 3, ring
        # Not the old pale yellow.
        assert luminance(ring["color"]) < 0.2, ring


def test_the_focused_skip_link_covers_nothing(browser: Browser, lobby_server: str) -> None:
    for viewport in (LOBBY, {"width": 390, "height": 844}):
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        to_step(page, lobby_server, "about")
        page.keyboard.press("Tab")
        skip = page.locator(".skip-link")
        expect(skip).to_be_focused()
        expect(skip).to_be_visible()
        link = skip.bounding_box()
        assert link is not None
        for selector in (".progress-text", ".clinic-name", "h1"):
            other = page.locator(selector).bounding_box()
            assert other is not None
            apart = (link["x"] + link["width"] <= other["x"]
                     or other["x"] + other["width"] <= link["x"]
                     or link["y"] + link["height"] <= other["y"]
                     or other["y"] + other["height"] <= link["y"])
            assert apart, (viewport, selector, link, other)
        expect(page.locator(".progress-text")).to_have_text("Step 2 of 10")
        context.close()


def test_an_en_us_kiosk_asks_month_day_year(browser: Browser, lobby_server: str) -> None:
    context = browser.new_context(viewport=LOBBY)
    page = context.new_page()
    to_step(page, lobby_server, "about")
    parts = page.locator(".date-parts input, .date-parts select").evaluate_all(
        "es => es.map(e => [e.id, e.getBoundingClientRect().x])")
    assert [name for name, _ in parts] == ["dob_month", "dob_day", "dob_year"]
    assert [x for _, x in parts] == sorted(x for _, x in parts)  # left to right, as read
    expect(page.locator("#dob-hint")).to_have_text("For example: March 27 1980")
    # A 6 May birthday: the month chosen by name, so it cannot be read another way.
    page.locator("#first_name").fill("Maria")
    page.locator("#last_name").fill("Lopez")
    page.locator("#dob_month").select_option("5")
    page.locator("#dob_day").fill("6")
    page.locator("#dob_year").fill("1990")
    go(page, lambda: next_button(page))
    page.goto(lobby_server + "/step/about")
    expect(page.locator("#dob_month")).to_have_value("5")
    context.close()
