"""The app's palette keeps its promises, and the story panel tells the log story-first.

Colours: tie classes and edges at contrast >= 3:1 on white; no power's colour reused for a tie
class; the internal and external threat lines distinguishable under simulated deuteranopia and
protanopia (Delta E >= 20 or a different dash); every log kind with its own word tag. The
browser test checks the same on the colours the page really draws.
"""

from __future__ import annotations

import pytest

from omnibalance.app import palette, story
from omnibalance.app.palette import (
    CLASS_STYLE,
    LOG_STYLE,
    POWER_COLOURS,
    THREAT_STYLE,
    contrast,
    delta_e,
    distinguishable,
    simulate,
)


def test_contrast_and_simulation_arithmetic():
    assert contrast("#000000") == pytest.approx(21.0)
    assert contrast("#ffffff") == pytest.approx(1.0)
    assert simulate("#808080") == "#808080"  # greys are unchanged by a dichromat's view
    # Red and green collapse for a deuteranope: the check can fail.
    assert delta_e(simulate("#ff0000"), simulate("#00a000")) < delta_e("#ff0000", "#00a000") / 2
    assert not distinguishable(("#cc3311", ""), ("#33aa00", ""), min_delta_e=60)
    assert distinguishable(("#cc3311", ""), ("#33aa00", "4 2"), min_delta_e=60)


def test_old_palette_fails_the_checks_the_new_one_passes():
    """The purple and blue threat lines of the old app, both solid, merged under
    deuteranopia; the grey and light-blue edges were too faint."""
    old_internal, old_external = ("#7d3c98", ""), ("#1f5fa8", "")
    assert not distinguishable(old_internal, old_external, "deuteranopia")
    assert contrast("#bbbbbb") < 3 and contrast("#6fa8dc") < 3
    new = [(THREAT_STYLE[k]["colour"], THREAT_STYLE[k]["dash"]) for k in ("internal", "external")]
    for kind in ("deuteranopia", "protanopia"):
        assert distinguishable(*new, kind)
        assert delta_e(simulate(new[0][0], kind), simulate(new[1][0], kind)) >= 20


@pytest.mark.parametrize("cls", list(CLASS_STYLE))
def test_tie_classes_are_visible_and_not_a_powers_colour(cls):
    st = CLASS_STYLE[cls]
    assert contrast(st["colour"]) >= 3
    assert st["colour"].lower() not in {c.lower() for c in POWER_COLOURS.values()}
    assert len({s["dash"] for s in CLASS_STYLE.values()}) == len(CLASS_STYLE)


def test_threat_lines_and_text_contrast():
    for st in THREAT_STYLE.values():
        assert contrast(st["colour"]) >= 3
    assert contrast(palette.TEXT) >= 4.5 and contrast(palette.MUTED) >= 4.5
    for colour, _ in LOG_STYLE.values():
        assert contrast(colour) >= 3


def test_log_kinds_have_word_tags():
    tags = {k: tag for k, (_, tag) in LOG_STYLE.items()}
    for a, b in (("deal", "refusal"), ("deal", "tie"), ("refusal", "tie"),
                 ("tie", "leader_change"), ("observed", "deal")):
        assert tags[a] != tags[b]


# --- the story ----------------------------------------------------------------------------

class Ev:
    def __init__(self, step, kind, regime, power, text, note=""):
        self.step, self.kind, self.regime, self.power, self.text, self.note = \
            step, kind, regime, power, text, note
        self.date = f"{2007 + step // 4} Q{step % 4 + 1}"


def _deal(step, power="RUS", amount="0.04", what="market access", kind="investment and loans"):
    name = {"RUS": "Russia", "US": "United States"}[power]
    return Ev(step, "deal", "NIC", power, f"Nicaragua offers {what} to {name} for {kind}: "
              f"accepted (Nicaragua concedes {amount} M more)")


def test_repeated_deals_fold_into_one_line_and_key_moments_stay():
    events = [_deal(0), Ev(0, "tie", "NIC", "RUS", "Nicaragua-Russia: no tie becomes a "
                           "partnership", "partnership")]
    events += [_deal(s) for s in range(1, 13)]
    events += [Ev(6, "observed", "NIC", None, "observed: Nicaragua recognises X")]
    events += [Ev(13, "election", "NIC", None, "Nicaragua: Ortega re-elected", "note")]
    events += [_deal(14)]
    lines = story.collapsed(events)
    folded = [x for x in lines if x.kind == "deals"]
    assert len(folded) == 1 and folded[0].count == 12
    assert folded[0].text.startswith("12 deals, 2007 Q2 to 2010 Q1, Nicaragua with Russia")
    assert "0.04 of a year's military budget" in folded[0].text
    assert [x.kind for x in lines] == ["deal", "tie", "deals", "observed", "election", "deal"]
    keys = story.key_moments(events)
    assert [k.kind for k in keys] == ["first offer", "tie", "observed", "election"]
    assert all(" M " not in x.text and " M)" not in x.text for x in lines + keys)


def test_transfer_signs_say_who_pays():
    assert story.transfer("... accepted (Nicaragua concedes 0.04 M more)") == 0.04
    assert story.transfer("... accepted (Russia discounts the terms by 0.30 M)") == -0.30
    assert story.transfer("Nicaragua-Russia: no tie becomes a partnership") is None
    assert story.budget_words(1.5) == "1.5 years' military budget"
