"""Danish formatting."""

import datetime as dt

import numpy as np

from overblik import fmt
from overblik.schema import Problem


def test_numbers():
    assert fmt.number(1234.5, 1) == "1.234,5"
    assert fmt.number(1234567) == "1.234.567"
    assert fmt.number(-2.5, 1) == "−2,5"
    assert fmt.number(2.5, 1, signed=True) == "+2,5"
    assert fmt.number(0.0, 1, signed=True) == "0,0"
    assert fmt.number(None) == "–"
    assert fmt.number(float("nan")) == "–"


def test_money_and_percent():
    assert fmt.mio_kr(1_234_500) == "1.234,5 mio. kr."
    assert fmt.kr(2500) == "2.500 kr."
    assert fmt.pct(12.34) == "12,3 %"
    assert fmt.pct(-1.25, 1, signed=True) == "−1,2 %" or fmt.pct(-1.25, 1, signed=True) == "−1,3 %"


def test_dates():
    assert fmt.date(dt.date(2026, 11, 23)) == "23. nov. 2026"
    assert fmt.date("2026-05-03") == "3. maj 2026"
    assert fmt.pdate("2015-11") == "nov. 2015"
    assert fmt.pdate("2023") == "2023"
    assert fmt.pdate("2014-11-01") == "1. nov. 2014"
    assert fmt.pdate_start("2015-11") == dt.date(2015, 11, 1)
    assert fmt.pdate_start("2023") == dt.date(2023, 1, 1)
    assert fmt.pdate(None) == "–"


def test_count():
    assert fmt.count(1, "initiativ", "initiativer") == "1 initiativ"
    assert fmt.count(3, "initiativ", "initiativer") == "3 initiativer"


def _metric_script():
    from overblik import fmt, ui

    ui.metric("Fald", "1", delta=fmt.pct(-2.1, signed=True))
    ui.metric("Stigning", "1", delta=fmt.pct(2.1, signed=True))
    ui.metric("Fald er godt", "1", delta=fmt.pct(-2.1, signed=True), delta_color="inverse")


def test_metric_arrow_and_colour_follow_the_danish_minus():
    """fmt writes '−2,1 %' with a real minus sign, which st.metric alone would show as a green rise."""
    from streamlit.proto.Metric_pb2 import Metric
    from streamlit.testing.v1 import AppTest

    fall, rise, good_fall = AppTest.from_function(_metric_script).run().metric
    assert fall.proto.direction == Metric.MetricDirection.DOWN and fall.proto.color == Metric.MetricColor.RED
    assert rise.proto.direction == Metric.MetricDirection.UP and rise.proto.color == Metric.MetricColor.GREEN
    assert (
        good_fall.proto.direction == Metric.MetricDirection.DOWN and good_fall.proto.color == Metric.MetricColor.GREEN
    )


def test_md_escapes_data_text_inside_a_sentence():
    wj = fmt.WORD_JOINER  # keeps an address from becoming a link (GFM autolink literal)
    assert fmt.md("<b>x</b> **y** [z](http://a)") == r"\<b\>x\<\/b\> \*\*y\*\* \[z\]\(http{wj}\:\/\/a\)".replace(
        r"\/", "/"
    ).replace("{wj}", wj)
    assert fmt.md("www.evil.dk a@b.dk") == f"www{wj}\\.evil\\.dk a{wj}@b\\.dk"
    assert fmt.md(None) == "–"


def test_md_keeps_markdown_without_tags_as_text():
    """Line breaks (a '===' line makes a heading, four spaces a code block), entities and Material icons."""
    wj = fmt.WORD_JOINER
    assert fmt.md("Svar\n===\n    kode") == r"Svar \=\=\= kode"
    assert fmt.md("&lt;b&gt; A&amp;B") == r"\&lt;b\&gt; A\&amp;B"
    assert fmt.md(":material/warning:") == f"\\:{wj}material/warning\\:"


def test_years():
    assert fmt.years([2026, 2018, 2020]) == "2018-2026"
    assert fmt.years({2025}) == "2025"
    assert fmt.years(set()) == ""


def test_a_value_reads_the_same_on_the_page_and_the_command_line():
    """One Danish rendering of a problem's value: Opdater data's table and the command line's message."""
    cases = [
        (2840.5, "2.840,5"),
        (0.955, "0,955"),
        (np.int64(12345), "12.345"),
        (dt.date(2027, 1, 15), "15. jan. 2027"),
    ]
    for v, want in cases:
        assert fmt.value(v) == want
        assert Problem("offers", 3, "c", "regel", v).message().endswith(f"regel: {want}")
    assert Problem("offers", 3, "c", "regel", "x").message().endswith("regel: 'x'")  # text quoted, as typed
    assert Problem("offers", 3, "c", "regel", float("nan")).message().endswith("regel")
