"""The Overblik page (AppTest): every headline number against independent SQL over the snapshot's Parquet
files, for three filter settings (the whole region with the default period; one municipality and a short
period; the adult area), the links that keep the filters, the illustrative markers, and the speed.

The SQL restates the rules on purpose (fixed prices via the price index, the area split of special
education, the places-weighted rate change against the period's rule, gap = floor(occupied) + waiting -
places over the rammeaftale offers by location, "lacks suitable offers" = at least half of the reporting
municipalities report difficulty 2-3, notice counts with 'udfald ukendt' apart, status as the latest update
per initiative, changes since the last meeting before today) instead of calling the app's queries, macros
or modules.
"""

from urllib.parse import parse_qs

import pytest
from apptest_helpers import open_numbers
from apptest_helpers import shown as shown_table
from handlingsplan_helpers import status_changes

from overblik import clock
from overblik import overblik as overview

PAGE = "pages/overblik.py"
TODAY = clock.today()

# The three filter settings: (URL query, year_from or None = first year, year_to or None = last year,
# municipality names or None = whole region, area)
SETTINGS = {
    "region": ({}, None, None, None, "alle"),
    "skive": ({"kommune": "Skive", "aar": ["2022", "2024"]}, 2022, 2024, ["Skive"], "alle"),
    "voksne": ({"omraade": "Voksne"}, None, None, None, "Voksne"),
}

FILTER_AREA = """CASE WHEN f.area = 'Specialundervisning'
                      THEN CASE WHEN f.function_code IN ('3.22.17', '3.30.46') THEN 'Voksne' ELSE 'Børn og unge' END
                      ELSE f.area END"""
FIRST_DAY = "CAST(CASE length({d}) WHEN 4 THEN {d} || '-01-01' WHEN 7 THEN {d} || '-01' ELSE {d} END AS DATE)"
MONTHS = ["jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec."]
STATUS_LABELS = {
    "på sporet": "✓ På sporet",
    "risiko": "! Risiko",
    "forsinket": "✕ Forsinket",
    "afsluttet": "● Afsluttet",
    "ikke startet": "○ Ikke startet",
}


def number(text: str) -> float:
    """'7.531,8 mio. kr.' / '−0,3 %' / '+1 fra 2025' -> float."""
    t = text.split(" fra ")[0].replace("mio. kr.", "").replace("%", "").strip()
    return float(t.replace(".", "").replace(",", ".").replace("−", "-").replace("+", ""))


def partial_date(s: str) -> str:
    """'2024-05' -> 'maj 2024', '2025-12-01' -> '1. dec. 2025', '2015' -> '2015' (Danish, as written)."""
    if len(s) == 4:
        return s
    y, m = int(s[:4]), int(s[5:7])
    return f"{MONTHS[m - 1]} {y}" if len(s) == 7 else f"{int(s[8:10])}. {MONTHS[m - 1]} {y}"


def metrics(at) -> dict[str, tuple[str, str]]:
    return {m.label: (m.value, m.delta) for m in at.metric}


def scope(sql, key: str) -> dict:
    """The setting's years, municipality codes and area, from the snapshot."""
    _, y_from, y_to, names, area = SETTINGS[key]
    years = sql(
        "SELECT min(year) AS a, max(year) AS b FROM (SELECT year FROM {spending} UNION ALL "
        "SELECT year FROM {offer_years} UNION ALL SELECT year FROM {demand})"
    )
    munis = sql("SELECT municipality_code AS c, name FROM {municipalities}")
    codes = [int(c) for c, n in zip(munis.c, munis.name) if names is None or n in names]
    return {
        "a": y_from or int(years.a[0]),
        "b": y_to or int(years.b[0]),
        "codes": codes,
        "area": area,
        "whole": names is None,
    }


@pytest.fixture(scope="module")
def pages(data_dir):
    """One AppTest run per setting, shared by the tests of this module."""
    from conftest import ROOT
    from streamlit.testing.v1 import AppTest

    out = {}
    for key, (query, *_) in SETTINGS.items():
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
        for k, v in query.items():
            at.query_params[k] = v
        at.run()
        at.switch_page(PAGE).run()
        assert not at.exception, (key, at.exception)
        out[key] = open_numbers(at)  # the blocks' numbers (popover tables) are drawn once opened
    return out


# ---------------------------------------------------------------------------------------------
# 1. Udgifter


def spending_fixed(sql, s: dict):
    """Accounts per year and account-function area, mio. kr. in the price index's latest year's prices."""
    return sql(
        f"""
        WITH idx AS (
            SELECT year, "index" / (SELECT "index" FROM {{price_index}}
                                    WHERE year = (SELECT max(year) FROM {{price_index}})) AS rel
            FROM {{price_index}})
        SELECT s.year, f.area, sum(s.net_1000_dkk / idx.rel) / 1000 AS mio
        FROM {{spending}} s
        JOIN {{account_functions}} f ON f.function_code = s.function_code
        JOIN idx ON idx.year = s.year
        WHERE s.kind = 'regnskab' AND s.year BETWEEN $a - 1 AND $b
          AND s.municipality_code IN (SELECT unnest($codes))
          AND ($area = 'alle' OR {FILTER_AREA} = $area)
        GROUP BY ALL""",
        {"a": s["a"], "b": s["b"], "codes": s["codes"], "area": s["area"]},
    )


def rate_change(sql, s: dict):
    """The latest year (<= the period's end) with rates of the rammeaftale offers the filters choose (by
    operator; by target-group area), and, when its period has a numeric rule, every offer's change from the
    level of the year before the period in fixed prices (rate / price index), the places-weighted average
    and the offers over the rule (2019-20 and 2021-22 are one takstaftale 2019-2022)."""
    where = """o.kind = 'rammeaftale' AND ($whole OR o.operator_code IN (SELECT unnest($codes)))
               AND ($area = 'alle' OR t.area = $area)"""
    p = {"whole": s["whole"], "codes": s["codes"], "area": s["area"]}
    year = int(
        sql(
            f"""SELECT max(a.year) AS y FROM {{offer_years}} a JOIN {{offers}} o ON o.offer_id = a.offer_id
            LEFT JOIN {{target_groups}} t ON t.target_group_id = o.target_group_id WHERE a.year <= $b AND {where}""",
            {"b": s["b"], **p},
        ).y[0]
    )
    g = sql(
        "SELECT period, start_year, rate_max_yearly_change_pct AS mx FROM {agreements} "
        "WHERE $y BETWEEN start_year AND end_year",
        {"y": year},
    )
    period, mx = g.period[0], g.mx[0]
    if mx != mx:
        return year, period, None, None, None
    base = (2019 if int(g.start_year[0]) in (2019, 2021) else int(g.start_year[0])) - 1
    d = sql(
        f"""
        SELECT a.places, ((a.rate_dkk_per_day / pa."index") / (b.rate_dkk_per_day / pb."index") - 1) * 100 AS ch
        FROM {{offer_years}} a
        JOIN {{offer_years}} b ON b.offer_id = a.offer_id AND b.year = $base
        JOIN {{offers}} o ON o.offer_id = a.offer_id
        LEFT JOIN {{target_groups}} t ON t.target_group_id = o.target_group_id
        JOIN {{price_index}} pa ON pa.year = a.year
        JOIN {{price_index}} pb ON pb.year = $base
        WHERE a.year = $y AND {where}""",
        {"y": year, "base": base, **p},
    )
    avg = float((d.places * d.ch).sum() / d.places.sum())
    return year, period, base, avg, int((d.ch > mx + 1e-9).sum())


@pytest.mark.parametrize("key", list(SETTINGS))
def test_spending_headline_matches_sql(pages, sql, key):
    at, s = pages[key], scope(sql, key)
    df = spending_fixed(sql, s)
    year = int(df.loc[df.year <= s["b"], "year"].max())
    now, before = df[df.year == year].mio.sum(), df[df.year == year - 1].mio.sum()
    value, delta = metrics(at)[f"Nettodriftsudgifter {year}"]
    assert value.endswith(" mio. kr.")
    assert number(value) == pytest.approx(now, abs=0.051)
    if delta.startswith("uændret"):  # a change that rounds to 0,0 %
        assert abs((now / before - 1) * 100) < 0.05
    else:
        assert number(delta) == pytest.approx((now / before - 1) * 100, abs=0.051)
    assert delta.endswith(f"fra {year - 1}")

    # the trend's numbers (the popover table): every accounts year of the period, per area
    table = next(shown_table(d) for d in at.dataframe if "I alt, mio. kr." in d.value.columns).set_index("År")
    period = df[df.year.between(s["a"], s["b"])]
    assert sorted(table.index) == sorted(period.year.unique())
    for r in period.itertuples():
        assert table.loc[r.year, f"{r.area}, mio. kr."] == pytest.approx(r.mio, abs=0.051), (r.year, r.area)
    if s["area"] == "Voksne":  # no children's spending under the adult filter
        assert "Børn og unge, mio. kr." not in table.columns


@pytest.mark.parametrize("key", list(SETTINGS))
def test_rate_headline_matches_sql(pages, sql, key):
    """The same verdict and wording as on Udgifter: the average against the year before the period and the
    number of offers over the rule."""
    at, s = pages[key], scope(sql, key)
    year, period, base, avg, over = rate_change(sql, s)
    if base is None:  # the period has no numeric rule
        value, delta = metrics(at)[f"Takstændring {year}"]
        assert value == "–" and delta == f"Ingen talregel i kilderne ({period})"
        return
    value, delta = metrics(at)[f"Takstændring {base}-{year}"]
    assert number(value) == pytest.approx(avg, abs=0.051)
    if avg > 0:
        assert delta == f"✕ Over reglen, {over} tilbud"
    else:
        assert delta == (f"⚠ {over} tilbud over reglen" if over else "✓ Ingen tilbud over reglen")


def test_the_short_period_reaches_a_period_without_a_rate_agreement(pages):
    """Skive 2022-2024: the latest rate year is 2024, in 2023-24, whose draft left the rate agreement »under afklaring« (seed 004): no numeric rule."""
    _value, delta = metrics(pages["skive"])["Takstændring 2024"]
    assert delta == "Ingen talregel i kilderne (2023-24)"


def test_places_under_the_agreement_against_ca_10000(pages, sql):
    at = pages["region"]
    y = int(sql("SELECT max(year) AS y FROM {offer_years}").y[0])
    n = int(
        sql(
            "SELECT sum(y.places) AS p FROM {offer_years} y JOIN {offers} o ON o.offer_id = y.offer_id "
            "WHERE o.kind = 'rammeaftale' AND y.year = $y",
            {"y": y},
        ).p[0]
    )
    captions = " ".join(c.value for c in at.caption)
    assert f"Pladser under rammeaftalen {y}: {n:,}".replace(",", ".") in captions
    assert "ca. 10.000" in captions and "faste" in captions


# ---------------------------------------------------------------------------------------------
# 2. Kapacitet


def gaps(sql, s: dict, year: int):
    return sql(
        """
        WITH groups AS (SELECT target_group_id FROM {target_groups} WHERE $area = 'alle' OR area = $area),
        supply AS (
            SELECT o.target_group_id, sum(y.places) AS places, sum(y.places * y.occupancy_pct / 100) AS occupied
            FROM {offers} o JOIN {offer_years} y ON y.offer_id = o.offer_id
            WHERE o.kind = 'rammeaftale' AND y.year = $y AND o.municipality_code IN (SELECT unnest($codes))
            GROUP BY 1),
        need AS (
            SELECT target_group_id, sum(citizens_waiting) AS waiting,
                   2 * count(*) FILTER (WHERE difficulty >= 2) >= count(*) AS lacks
            FROM {demand}
            WHERE year = $y AND municipality_code IN (SELECT unnest($codes)) GROUP BY 1)
        SELECT g.target_group_id,
               floor(coalesce(s.occupied, 0) + 1e-9) + coalesce(n.waiting, 0) - coalesce(s.places, 0) AS gap,
               s.occupied / s.places * 100 AS occupancy, n.lacks
        FROM groups g LEFT JOIN supply s USING (target_group_id) LEFT JOIN need n USING (target_group_id)
        ORDER BY 1""",
        {"y": year, "codes": s["codes"], "area": s["area"]},
    )


def capacity_years(sql, s: dict) -> list[int]:
    df = sql(
        """SELECT year FROM {offer_years} WHERE year BETWEEN $a AND $b
                INTERSECT SELECT year FROM {demand} WHERE year BETWEEN $a AND $b ORDER BY year""",
        {"a": s["a"], "b": s["b"]},
    )
    return [int(y) for y in df.year]


@pytest.mark.parametrize("key", list(SETTINGS))
def test_capacity_headline_matches_sql(pages, sql, key):
    at, s = pages[key], scope(sql, key)
    years = capacity_years(sql, s)
    m = metrics(at)
    if not years:  # demand per target group exists from 2026 only
        assert m["Målgrupper, der mangler egnede tilbud"][0] == "–"
        assert any("kommunernes indberetning pr. målgruppe findes fra 2026" in i.value for i in at.info)
        return
    assert years == [2026], "no constructed history before the 2026 survey"
    year = years[-1]
    now = gaps(sql, s, year)
    groups = len(now)
    assert groups == (3 if s["area"] == "Voksne" else 6)
    short, lacking = int((now.gap >= 1).sum()), int(now.lacks.sum())
    value, delta = m["Målgrupper, der mangler egnede tilbud"]
    assert value == f"{lacking} af {groups}"
    assert not delta, "no earlier report to compare with: no 'uændret fra 2025'"
    value, delta = m[f"Manglende pladser, {year}"]
    assert number(value) == now.loc[now.gap >= 1, "gap"].sum()
    assert delta == f"i {short} af {groups} målgrupper"
    # the chart's numbers: the gap and the occupancy of every target group in the latest year
    table = next(shown_table(d) for d in at.dataframe if "Mangel (+) / ledige (−) pladser" in d.value.columns)
    assert list(table["År"].unique()) == [year]
    got = dict(zip([n.split()[0] for n in table["Målgruppe"]], table["Mangel (+) / ledige (−) pladser"]))
    occ = dict(zip([n.split()[0] for n in table["Målgruppe"]], table["Belægning (%)"]))
    assert sorted(got) == list(now.target_group_id)
    for r in now.itertuples():
        assert got[r.target_group_id] == r.gap, r.target_group_id
        assert occ[r.target_group_id] == pytest.approx(r.occupancy, abs=0.051), r.target_group_id


# ---------------------------------------------------------------------------------------------
# 3. Centrale udmeldinger (national: the same under every filter)


@pytest.mark.parametrize("key", list(SETTINGS))
def test_notice_headline_matches_sql(pages, sql, key):
    at = pages[key]
    counts = sql(
        "SELECT sum(is_open) AS o, count(*) AS n, "
        "count(*) FILTER (WHERE is_open = 0 AND outcome ILIKE 'udfald ikke fundet%') AS u FROM {central_notices}"
    )
    n_open, n, unknown = int(counts.o[0]), int(counts.n[0]), int(counts.u[0])
    assert unknown == 1, "CU-2022-1: outcome not found in public sources"
    m = metrics(at)
    value, delta = m["Åbne centrale udmeldinger"]
    assert value == f"{n_open} af {n}"
    assert delta == f"{n - n_open - unknown} afsluttede · {unknown} udfald ukendt"
    # the next event after today among the open notices, else the open notice whose latest event is newest
    events = sql(f"""
        SELECT notice_id, d, {FIRST_DAY.format(d="d")} AS day
        FROM (SELECT notice_id, unnest([issued, report_submitted, decision_date, renewed_treatment]) AS d
              FROM {{central_notices}} WHERE is_open = 1)
        WHERE d IS NOT NULL""")
    future = events[events.day > TODAY.isoformat()]
    if len(future):
        r = future.sort_values(["day", "notice_id"]).iloc[0]
        label = "Næste hændelse"
    else:
        r = events.sort_values(["day", "notice_id"], ascending=[False, True]).iloc[0]
        label = "Afventer beslutning siden"
    value, delta = m[label]
    assert value == partial_date(r.d)
    assert delta == r.notice_id
    # the latest decision and the open notices by name
    latest = sql(f"""SELECT notice_id, target_group, decision_date FROM {{central_notices}}
                     WHERE is_open = 0 AND decision_date IS NOT NULL
                       AND NOT outcome ILIKE 'udfald ikke fundet%'
                     ORDER BY {FIRST_DAY.format(d="decision_date")} DESC, notice_id LIMIT 1""").iloc[0]
    text = " ".join(c.value for c in at.caption).replace("\\", "")
    assert (
        f"Seneste beslutning** {partial_date(latest.decision_date)}: {latest.notice_id} "
        f"{' '.join(latest.target_group.split()[:2])}" in text
    )
    for i, g in sql("SELECT notice_id, target_group FROM {central_notices} WHERE is_open = 1").values:
        assert f"{i} {' '.join(g.split()[:2])}" in text


def test_the_small_timeline_names_every_notice(pages, sql):
    # plotly's automatic ticks named every other row of eight; the legend in one row leaves room for all
    import json

    ids = set(sql("SELECT notice_id FROM {central_notices}")["notice_id"])
    spec = next(
        s
        for s in (json.loads(c.proto.spec) for c in pages["region"].get("plotly_chart"))
        if set(s["layout"]["yaxis"].get("categoryarray", [])) == ids
    )
    assert set(spec["layout"]["yaxis"]["tickvals"]) == ids and spec["layout"]["yaxis"]["tickmode"] == "array"
    assert spec["layout"]["legend"]["orientation"] == "h"


def test_the_small_timeline_has_room_after_today_and_labels_today(pages, sql):
    """An open notice runs to today, where its end marker (10 px) sits: the axis ends well after today (it
    ended with the year, a month later, and the marker was cut at the edge), and the dashed line is labelled
    'I dag' with the date, as on the detail pages."""
    import json

    import pandas as pd

    ids = set(sql("SELECT notice_id FROM {central_notices}")["notice_id"])
    n_open = int(sql("SELECT count(*) AS n FROM {central_notices} WHERE is_open = 1").n[0])
    assert n_open >= 1  # CU-2019-2: its end marker is on today's line
    spec = next(
        s
        for s in (json.loads(c.proto.spec) for c in pages["region"].get("plotly_chart"))
        if set(s["layout"]["yaxis"].get("categoryarray", [])) == ids
    )
    lo, hi = (pd.Timestamp(x) for x in spec["layout"]["xaxis"]["range"])
    today = pd.Timestamp(TODAY)
    assert today < hi and (hi - today) >= 0.05 * (hi - lo), (lo, hi)  # ~5 % of the width: 15 px at 300 px
    labels = [a["text"] for a in spec["layout"]["annotations"]]
    assert "I dag 29. nov. 2026" in labels
    line = [x for x in spec["layout"]["shapes"] if x["type"] == "line"]
    assert [pd.Timestamp(x["x0"]) for x in line] == [today]


# ---------------------------------------------------------------------------------------------
# 4. Handlingsplan (one plan for the region: the same under every filter)

STATUS_AT = """
    SELECT i.initiative_id, i.principle_id, i.title, i.deadline,
           coalesce((SELECT arg_max(u.status, u.update_date) FROM {initiative_updates} u
                     WHERE u.initiative_id = i.initiative_id AND u.update_date <= $d), 'ikke startet') AS status
    FROM {initiatives} i"""


@pytest.mark.parametrize("key", list(SETTINGS))
def test_plan_headline_matches_sql(pages, sql, sql_at, key):
    at = pages[key]
    now = sql(STATUS_AT, {"d": TODAY})
    table = next(shown_table(d) for d in at.dataframe if "Initiativer" in d.value.columns)
    counts = dict(zip(table["Status"], table["Initiativer"]))
    for status, label in STATUS_LABELS.items():
        assert counts[label] == int((now.status == status).sum()), status
    m = metrics(at)
    value, delta = m["Risiko eller forsinket"]
    assert value == f"{int(now.status.isin(['risiko', 'forsinket']).sum())} af {len(now)}"
    overdue = int(((now.deadline.astype(str) < TODAY.isoformat()) & (now.status != "afsluttet")).sum())
    assert delta == f"{overdue} med overskredet frist"

    # changes since the last meeting held before today, of either body
    meeting = sql(
        "SELECT meeting_date, body FROM {meetings} WHERE meeting_date < $t ORDER BY meeting_date DESC, body LIMIT 1",
        {"t": TODAY},
    ).iloc[0]
    assert (
        at.selectbox(key="siden").value
        == f"{meeting.meeting_date.day}. {MONTHS[meeting.meeting_date.month - 1]} {meeting.meeting_date.year} ({meeting.body})"
    )
    # the status the meeting saw: in the snapshot current on its date
    then = sql_at(meeting.meeting_date)(STATUS_AT, {"d": meeting.meeting_date}).set_index("initiative_id").status
    then = then.reindex(now.initiative_id).fillna("ikke startet")
    changed = now[now.status.to_numpy() != then[now.initiative_id].to_numpy()].sort_values(
        ["principle_id", "initiative_id"]
    )
    value, delta = m["Ændret siden sidste møde"]
    assert int(value) == len(changed) > 0
    d = meeting.meeting_date
    assert delta == f"siden {d.day}. {MONTHS[d.month - 1]} {d.year} ({meeting.body})"
    text = " ".join(c.value for c in at.caption).replace("\\", "")
    shown = changed.head(overview.CHANGES_SHOWN)
    for r in shown.itertuples():
        assert f"{r.initiative_id} " in text
        assert f"{STATUS_LABELS[then[r.initiative_id]]} → {STATUS_LABELS[r.status]}" in text
    if len(changed) > overview.CHANGES_SHOWN:
        assert f"og {len(changed) - overview.CHANGES_SHOWN} initiativ" in text
    # the key message says how many of them were only registered late (Handlingsplan's 'Kun sent registreret')
    late = sum(x for _, _, x in status_changes(sql, sql_at, meeting.meeting_date, TODAY).values())
    message = next(md.value for md in at.markdown if md.value.startswith("**Udgifterne"))
    said = f"initiativer har skiftet status siden sidste møde, {d.day}. {MONTHS[d.month - 1]} {d.year} ({meeting.body})"
    assert said + (f", heraf {late} kun sent registreret" if late else ".") in message.replace("\\", "")


# ---------------------------------------------------------------------------------------------
# The page as a whole


@pytest.mark.parametrize("key", list(SETTINGS))
def test_key_message_states_the_headlines(pages, key):
    at = pages[key]
    m = metrics(at)
    message = next(md.value for md in at.markdown if md.value.startswith("**Udgifterne"))
    spend = next(k for k in m if k.startswith("Nettodriftsudgifter "))
    change = m[spend][1].split(" fra ")[0].lstrip("+−")
    if change == "uændret":
        assert f"uændrede i {spend.split()[-1]} (faste priser)" in message
    else:
        assert f"{change} i {spend.split()[-1]} (faste priser)" in message
    lacking = m["Målgrupper, der mangler egnede tilbud"][0]
    if lacking != "–":
        assert f"kommunerne oplever mangel på egnede tilbud til {lacking} målgrupper" in message
    assert f"{m['Åbne centrale udmeldinger'][0]} centrale udmeldinger er åben" in message
    assert f"{m['Ændret siden sidste møde'][0]} initiativer har skiftet status siden sidste møde, " in message


@pytest.mark.parametrize("key", list(SETTINGS))
def test_links_keep_the_filters(pages, sql, key, app_test):
    """Each block links to its page; following it keeps the shared filters. The links carry no query of
    their own: Streamlit carries the bound filter keys over on a page change, and a link repeating them
    would double every key in the URL (?aar=2022&aar=2024&aar=2022&aar=2024; see the browser test)."""
    at, s = pages[key], scope(sql, key)
    query, *_ = SETTINGS[key]
    links = {link.proto.page: link.proto.query_string for link in at.get("page_link")}
    assert links.pop("tilgaengelighed") == ""  # the footer's link to the accessibility statement
    # the Udgifter block's link opens Udgifter on the figure the block shows: fixed prices, in total (Udgifter
    # opens in current prices); its own choices only, never a shared filter
    assert parse_qs(links.pop("udgifter")) == {"priser": ["Faste"], "visning": ["I alt"]}
    assert links == {
        "kapacitet": "",
        "centrale-udmeldinger": "",
        "handlingsplan": "",
        "siden-sidste-moede": "",  # issue 15: the 'Siden mødet' section links to its page
    }
    for page in [*links, "udgifter"]:
        target = app_test(page=PAGE, query=query)
        target.switch_page(f"pages/{page}.py")
        if page == "udgifter":  # the link's own query, as the browser follows it
            target.query_params.update({"priser": "Faste", "visning": "I alt"})
        target.run()
        assert not target.exception, (page, target.exception)
        assert target.select_slider(key="aar").value == (s["a"], s["b"]), page
        assert sorted(target.multiselect(key="kommune").value) == ([] if s["whole"] else sorted(s["codes"])), page
        assert target.radio(key="omraade").value == ("voksne" if s["area"] == "Voksne" else "alle"), page
        assert not any("ugyldige filterværdier" in c.value for c in target.sidebar.caption), page
        if page == "udgifter":
            # the same number as the block: independent SQL in the price index's latest year's prices
            assert target.radio(key="priser").value == "Faste"
            assert target.radio(key="visning").value == "I alt"
            label = next(k for k in metrics(at) if k.startswith("Nettodriftsudgifter "))
            year = int(label.split()[-1])
            fixed = spending_fixed(sql, s)
            want = fixed.loc[fixed.year == year, "mio"].sum()
            assert number(metrics(at)[label][0]) == pytest.approx(want, abs=0.051)
            shown = [number(m.value) for m in target.metric if m.label.endswith(f"{year}, mio. kr.")]
            assert shown and shown[0] == pytest.approx(want, abs=0.051), [m.label for m in target.metric]


def _block_texts(at) -> list[str]:
    """The markdown and captions under each of the four small charts, one string per block."""
    charts_row = _keyed(at, "ov-charts").children[1]  # the small charts (after their screen-reader heading): 4 columns

    def texts(node):
        out = []
        for child in getattr(node, "children", {}).values():
            if child.type in ("markdown", "caption", "subheader"):
                out.append(child.value)
            out += texts(child)
        return out

    return [" ".join(texts(col)) for col in charts_row.children.values()]


def test_illustrative_marker_on_the_illustrative_blocks_only(pages):
    blocks = _block_texts(pages["region"])
    assert len(blocks) == 4
    udgifter, kapacitet, udmeldinger, handlingsplan = blocks
    assert "Fra udmelding til beslutning" in udmeldinger
    for text in (udgifter, kapacitet, handlingsplan):
        assert "Fiktive eksempeldata" in text
    assert "Fiktive eksempeldata" not in udmeldinger, "the central notices are real data"
    assert "Data pr. 1. nov. 2026" in udmeldinger


def test_headline_help_texts_say_how_they_are_computed(pages):
    helps = {m.label: m.proto.help for m in pages["region"].metric}
    assert "faste priser" in helps[next(k for k in helps if k.startswith("Nettodriftsudgifter"))].lower()
    assert "vægtet med antal pladser" in helps[next(k for k in helps if k.startswith("Takstændring"))]
    assert "betydelige eller store vanskeligheder" in helps["Målgrupper, der mangler egnede tilbud"]
    assert "det seneste møde før i dag i DASSOS eller KKR" in helps["Ændret siden sidste møde"]


# ---------------------------------------------------------------------------------------------
# The cost curve verdict: the first thing read


def test_cost_curve_verdict_comes_first(pages, sql):
    at = pages["voksne"]
    assert at.metric[0].label == "Knækker udgiftskurven?"
    assert at.metric[0].value == "For tidligt at sige"  # today 2026-11-29: no accounts of 2027-28 yet
    first = next(m.value for m in at.markdown if "Fiktive eksempeldata" not in m.value)  # after the header marker
    assert first.startswith("**Første regnskab for aftaleperioden: 2027, offentliggøres i 2028. Vedtaget budget 2027")
    # independent: kr. per 18-64-year-old in fixed prices (latest index year), the adults' filter area;
    # a straight line through the accounts years before 2027; the 2027 budget over the 2026 population
    acc = sql(
        f"""
        WITH idx AS (SELECT year, "index" / (SELECT "index" FROM {{price_index}} ORDER BY year DESC LIMIT 1) AS rel
                     FROM {{price_index}}),
             pop AS (SELECT year, sum(persons) AS p FROM {{population}} WHERE age_group = '18-64' GROUP BY year)
        SELECT s.year, s.kind, sum(s.net_1000_dkk / idx.rel) * 1000 AS kr
        FROM {{spending}} s JOIN {{account_functions}} f USING (function_code) JOIN idx USING (year)
        WHERE {FILTER_AREA} = 'Voksne' GROUP BY ALL"""
    )
    pop = sql("SELECT year, sum(persons) AS p FROM {population} WHERE age_group = '18-64' GROUP BY year")
    pop = pop.set_index("year")["p"]
    a = acc[(acc.kind == "regnskab") & (acc.year < 2027)].sort_values("year")
    y = a.kr.to_numpy() / pop.loc[a.year].to_numpy()
    slope, icpt = __import__("numpy").polyfit(a.year.to_numpy(float), y, 1)
    budget = acc[(acc.kind == "budget") & (acc.year == 2027)].kr.iloc[0] / pop.loc[2026]
    dev = (budget / (icpt + slope * 2027) - 1) * 100
    from overblik import fmt

    assert f"{fmt.pct(abs(dev))} {'under' if dev < 0 else 'over'} trenden før aftalen" in first
    assert "Budget 2027" in at.metric[0].proto.help or "budget" in at.metric[0].proto.help


def test_the_places_line_says_it_is_every_area(pages):
    # the agreement's "ca. 10.000 pladser" is every area: said when the area filter is set
    text = " ".join(c.value for c in pages["voksne"].caption)
    assert "i hele regionen, alle områder (aftaleteksterne" in text
    assert "i hele regionen (aftaleteksterne" in " ".join(c.value for c in pages["region"].caption)


# ---------------------------------------------------------------------------------------------
# A social director's drill-down: one municipality (or two) and one area


VIBORG = {"kommune": "Viborg", "aar": ["2022", "2026"], "omraade": "Voksne"}


def _keyed(at, key: str):
    """The page's container with `key` (its proto's id ends with it), wherever the header's elements put it."""
    return next(c for c in at.main.children.values() if str(getattr(c.proto, "id", "")).endswith(f"-{key}"))


def _headline_captions(at) -> dict[str, str]:
    """The captions under each block's headline numbers, by block (the headline row's four columns)."""
    row = _keyed(at, "ov-headline").children[0]  # one horizontal block of four columns

    def texts(node):
        out = []
        for child in getattr(node, "children", {}).values():
            if child.type == "caption":
                out.append(child.value)
            out += texts(child)
        return out

    names = ("Udgifter", "Kapacitet", "Centrale udmeldinger", "Handlingsplan")
    return {name: " ".join(texts(col)) for name, col in zip(names, row.children.values())}


@pytest.mark.parametrize("key", list(SETTINGS))
def test_blocks_the_filters_do_not_change_say_so_when_a_filter_is_chosen(pages, key):
    """The notices ('1 af 8', the children's too) and the action plan are the whole region's: said in the
    block itself, not only in its help, when a municipality or an area is chosen (not for the whole region)."""
    caps = _headline_captions(pages[key])
    scoped = key != "region"  # skive: a municipality; voksne: an area
    notices = "Hele regionen: udmeldingerne gælder alle kommuner og både børn og voksne."
    plan = "Hele regionen: handlingsplanen er fælles for alle kommuner og områder."
    assert (notices in caps["Centrale udmeldinger"]) is scoped, caps["Centrale udmeldinger"]
    assert (plan in caps["Handlingsplan"]) is scoped, caps["Handlingsplan"]
    assert "Hele regionen" not in caps["Udgifter"] + caps["Kapacitet"]


def _lacking(sql, names: list[str], area: str, year: int = 2026) -> tuple[int, int, int, int]:
    """(groups lacking suitable offers, groups, groups short of places, places missing) for the
    municipalities `names`: independent SQL (gaps above)."""
    munis = sql("SELECT municipality_code AS c, name FROM {municipalities}")
    codes = [int(c) for c, n in zip(munis.c, munis.name) if n in names]
    now = gaps(sql, {"codes": codes, "area": area}, year)
    short = now[now.gap >= 1]
    return int(now.lacks.sum()), len(now), len(short), int(short.gap.sum())


def test_one_municipality_is_named_and_its_place_count_called_a_rough_signal(app_test, sql):
    """Viborg, adults: 'Viborg oplever mangel ...' (not 'kommunerne'), and the place count (Viborg's own
    waiting citizens against the offers located in Viborg: for V3 there is none, so its 'gap' is simply
    Viborg's waiting list) is called a rough signal, as Kapacitet calls it below region level."""
    at = app_test(page=PAGE, query=VIBORG)
    assert not at.exception
    lacking, groups, short, places = _lacking(sql, ["Viborg"], "Voksne")
    v3 = sql(
        """SELECT (SELECT count(*) FROM {offers} o JOIN {municipalities} m USING (municipality_code)
                   WHERE m.name = 'Viborg' AND o.target_group_id = 'V3' AND o.kind = 'rammeaftale') AS offers,
                  (SELECT sum(citizens_waiting) FROM {demand} d JOIN {municipalities} m USING (municipality_code)
                   WHERE m.name = 'Viborg' AND d.target_group_id = 'V3' AND d.year = 2026) AS waiting"""
    )
    assert int(v3.offers[0]) == 0 and int(v3.waiting[0]) > 0  # the case the qualifier is for
    m = metrics(at)
    assert m["Målgrupper, der mangler egnede tilbud"][0] == f"{lacking} af {groups}"
    assert number(m["Manglende pladser, 2026"][0]) == places
    message = next(md.value for md in at.markdown if md.value.startswith("**Udgifterne"))
    assert f"Viborg oplever mangel på egnede tilbud til {lacking} af {groups} målgrupper" in message
    assert "kommunerne oplever" not in message
    assert f"og {short} mangler pladser (2026; pladstallet er kun et groft signal under regionsniveau)" in message
    caption = _headline_captions(at)["Kapacitet"]
    assert "**Kun et groft signal under regionsniveau:** tilbuddene betjener hele regionen" in caption


def test_two_municipalities_are_named_together(app_test, sql):
    at = app_test(page=PAGE, query={**VIBORG, "kommune": ["Viborg", "Skive"]})
    assert not at.exception
    lacking, groups, _, _ = _lacking(sql, ["Viborg", "Skive"], "Voksne")
    message = next(md.value for md in at.markdown if md.value.startswith("**Udgifterne"))
    assert f"Viborg og Skive oplever mangel på egnede tilbud til {lacking} af {groups} målgrupper" in message
    assert "groft signal" in message


@pytest.mark.parametrize("key", ["region", "voksne"])
def test_the_whole_region_is_the_municipalities_without_a_qualifier(pages, key):
    at = pages[key]
    message = next(md.value for md in at.markdown if md.value.startswith("**Udgifterne"))
    assert "kommunerne oplever" in message
    assert "groft signal" not in message + _headline_captions(at)["Kapacitet"]
