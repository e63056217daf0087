"""WCAG AA contrast of the pages' colours, read from app.css itself.

Every text colour is checked against the background it is drawn on: at least 4.5:1 for
normal text, 3:1 for large text and for the lamps (graphical objects, WCAG 1.4.11). The
colours are the ones app.css declares (its ``--green``, ``--amber``… variables resolved),
so a colour changed there is checked here. Contrast ratio and relative luminance as WCAG
2.1 defines them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import passerelle.web

APP_CSS = Path(passerelle.web.__file__).parent / "static" / "app.css"
NORMAL, LARGE = 4.5, 3.0

# (text colour from the rule of, background from the rule of, least ratio)
PAIRS: tuple[tuple[str, str, float], ...] = (
    # the verdict banners: "CLEAR"/"REFER"/"HIT" is large, the sentence under it is not
    *((".verdict", f".verdict-{kind}", NORMAL) for kind in ("clear", "refer", "hit")),
    # the decision buttons and the tags
    *((f".{kind}", f".{kind}", NORMAL) for kind in ("go", "wait", "stop")),
    *((f".tag.{colour}", f".tag.{colour}", NORMAL) for colour in ("green", "amber", "red")),
    (":root", ".tag", NORMAL),
    # the lights: the state under each source, the lamps against the card
    (".light .state", ".light", NORMAL),
    (".light-red .state", ".light", NORMAL),
    *((f".light-{colour} .lamp", ".light", LARGE) for colour in ("green", "amber", "red", "blue")),
    # coloured text on the cards and on the page
    *((rule, ".card", NORMAL) for rule in (".error", ".red-text", ".green-text", ".hint")),
    *((rule, ".card", NORMAL) for rule in (".finding-hit", ".finding-refer", ".finding-info")),
    *((rule, ".card", NORMAL) for rule in (".action-note", ".note-cue", ".report-filed")),
    (".error", ":root", NORMAL),
    (".hint", ":root", NORMAL),
    (".hint", ".reason-chooser", NORMAL),
    (":root", ".todo", NORMAL),
    (":root", ".second-line .awaiting", NORMAL),
    (".reason-chooser li.active", ".reason-chooser li.active", NORMAL),
    (".primary", ".primary", NORMAL),
    (":root", ".secondary", NORMAL),
    (".count", ".count", NORMAL),
    # the top bar: its links, the page shown, the language and log-out buttons, the node
    (".topbar a", ".topbar", NORMAL),
    ('.topbar a[aria-current="page"]', '.topbar a[aria-current="page"]', NORMAL),
    ("button.link", ".topbar", NORMAL),
    ('.languages button[aria-current="true"]', ".topbar", NORMAL),
    (".topbar", ".node", NORMAL),
)


def declarations() -> dict[str, dict[str, str]]:
    """Each selector of app.css with its declarations (later rules win), variables resolved."""
    css = re.sub(r"/\*.*?\*/", "", APP_CSS.read_text(encoding="utf-8"), flags=re.S)
    rules: dict[str, dict[str, str]] = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        found = {
            name.strip(): value.strip()
            for name, _, value in (d.partition(":") for d in body.split(";") if ":" in d)
        }
        for selector in selectors.split(","):
            rules.setdefault(" ".join(selector.split()), {}).update(found)
    variables = {k: v for k, v in rules[":root"].items() if k.startswith("--")}
    for found in rules.values():
        for name, value in found.items():
            found[name] = re.sub(r"var\((--[\w-]+)\)", lambda m: variables[m.group(1)], value)
    return rules


def colour_of(rules: dict[str, dict[str, str]], selector: str, prop: str) -> str:
    value = rules[selector].get(prop) or rules[selector].get("background-color", "")
    colour = re.search(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b", value)
    assert colour, f"app.css gives {selector} no {prop} colour ({value!r})"
    return colour.group(0)


def luminance(colour: str) -> float:
    """Relative luminance (WCAG 2.1) of ``#rrggbb`` or ``#rgb``.

    >>> round(luminance("#ffffff"), 3), luminance("#000")
    (1.0, 0.0)
    """
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    channels = (int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4))
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    """WCAG contrast ratio of two colours, from 1 to 21.

    >>> round(contrast("#fff", "#b26a00"), 2)
    4.24
    """
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize(("text", "background", "least"), PAIRS)
def test_text_on_its_background_meets_wcag_aa(text: str, background: str, least: float) -> None:
    rules = declarations()
    fore = colour_of(rules, text, "background" if text.endswith(".lamp") else "color")
    back = colour_of(rules, background, "background")
    ratio = contrast(fore, back)
    assert ratio >= least, f"{text} {fore} on {background} {back}: {ratio:.2f}:1 < {least}:1"


def test_the_verdict_colours_keep_their_meaning() -> None:
    """Green stays green, amber amber, red red: the darker amber is still an amber."""
    rules = declarations()
    hues = {
        kind: colour_of(rules, f".verdict-{kind}", "background")
        for kind in ("clear", "refer", "hit")
    }
    rgb = {k: tuple(int(v.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4)) for k, v in hues.items()}
    red, green, blue = rgb["clear"]
    assert min(green - red, green - blue) > 0
    red, green, blue = rgb["refer"]
    assert red > green > blue  # orange-yellow: more red than green, little blue
    red, green, blue = rgb["hit"]
    assert min(red - green, red - blue) > 0
