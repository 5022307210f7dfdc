"""The capacity, notice and meeting rules on small hand-made snapshots (tests/tiny.py), each answer
worked out by hand here, not taken from the code under test.

The snapshot: two municipalities (Aarhus 751, Randers 730), four target groups, one offer each, 2026:

    group  places  occupancy  occupied (exact, whole)  waiting (Aarhus+Randers)  exact gap  whole gap
    B1        5      100 %        5.0   5                  1 + 1 = 2                2.0        +2  mangler
    V1       10       96 %        9.6   9                  1 + 0 = 1                0.6         0  i balance
    V2       10       95 %        9.5   9                  2 + 1 = 3                2.5        +2  mangler
    V3       20       80 %       16.0  16                  1 + 0 = 1               -3.0        -3  3 ledige

Difficulty (Aarhus, Randers): B1 (0, 0), V1 (1, 1), V2 (2, 1), V3 (3, 2). "Mangler egnede tilbud" when at
least half of the reporting municipalities say 2 or 3: V2 (1 of 2) and V3 (2 of 2).

A second year (`two_years`), 2027, with the same offers and missing reports: nobody reported B1, only
Aarhus reported V3 (Randers did not):

    group  reports      waiting (A+R)  difficulty (A, R)  private (A, R)  single (A, R)  whole gap 2027
    B1     none         -              -                  -               -              unknown
    V1     both         3 + 0 = 3      2, 2               2, 0            0, 1           9 + 3 - 10 = +2 mangler
    V2     both         2 + 1 = 3      2, 1               1, 0            0, 1           9 + 3 - 10 = +2 mangler
    V3     Aarhus only  1              3                  1               0              16 + 1 - 20 = -3 ledige
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import pytest
import tiny

from overblik import db, handlingsplan, kapacitet, udmeldinger
from overblik import overblik as overview

CODES = [751, 730]
DAY = dt.date(2026, 11, 29)
GROUPS = {  # id: (area, places, occupancy %, waiting Aarhus, waiting Randers, difficulty Aarhus, Randers)
    "B1": ("Børn og unge", 5, 100.0, 1, 1, 0, 0),
    "V1": ("Voksne", 10, 96.0, 1, 0, 1, 1),
    "V2": ("Voksne", 10, 95.0, 2, 1, 2, 1),
    "V3": ("Voksne", 20, 80.0, 1, 0, 3, 2),
}


def tables() -> dict[str, pd.DataFrame]:
    t = tiny.tables()
    ids = list(GROUPS)
    t["target_groups"] = pd.DataFrame(
        {
            "target_group_id": ids,
            "area": [GROUPS[g][0] for g in ids],
            "short_name": [f"{g} Gruppe" for g in ids],
            "name": [f"Målgruppe {g}" for g in ids],
        }
    )
    t["offers"] = pd.DataFrame(
        {
            "offer_id": [f"T-{g}" for g in ids],
            "name": [f"Tilbud {g}" for g in ids],
            "operator_code": [751] * len(ids),
            "municipality_code": [751] * len(ids),
            "legal_basis": ["SEL §108"] * len(ids),
            "target_group_id": ids,
            "kind": ["rammeaftale"] * len(ids),
        }
    )
    t["offer_years"] = pd.DataFrame(
        {
            "offer_id": [f"T-{g}" for g in ids],
            "year": [2026] * len(ids),
            "places": [GROUPS[g][1] for g in ids],
            "occupancy_pct": [GROUPS[g][2] for g in ids],
            "budgeted_occupancy_pct": [95.0] * len(ids),
            "rate_dkk_per_day": [3000.0] * len(ids),
            "surplus_deficit_1000_dkk": [0.0] * len(ids),
        }
    )
    rows = []
    for g, (_, _, _, w_aa, w_ra, d_aa, d_ra) in GROUPS.items():
        rows.append((751, 2026, g, d_aa, w_aa, 1, 0))
        rows.append((730, 2026, g, d_ra, w_ra, 0, 1))
    t["demand"] = pd.DataFrame(
        rows,
        columns=[
            "municipality_code",
            "year",
            "target_group_id",
            "difficulty",
            "citizens_waiting",
            "placed_private",
            "single_arrangements",
        ],
    )
    t["central_notices"] = pd.DataFrame(
        {
            "notice_id": ["CU-A", "CU-B", "CU-C"],
            "target_group": ["Afventer styrelsen", "Afgjort", "Ukendt udfald"],
            "issued": ["2019-11", "2014-11-01", "2022-09"],
            "report_submitted": ["2020-09", "2016-03", "2023-06"],
            "status": ["Fornyet behandling - afventer styrelsens beslutning", "Afsluttet", "Afrapporteret"],
            "decision_date": ["2024-05", "2017-03-21", "2023-06"],
            "renewed_treatment": ["2024-05", None, None],
            "outcome": ["Endelig beslutning ikke truffet", "Fornødent udbud", "Udfald ikke fundet i offentlige kilder"],
            "midtjylland_response": [None, None, None],
            "is_open": [1, 0, 0],
            "source_url": ["https://www.sbst.dk/a", "https://www.sbst.dk/b", "https://www.sbst.dk/c"],
        }
    )
    t["meetings"] = pd.DataFrame(
        {
            "meeting_date": ["2026-11-12", "2026-11-20", "2026-11-29", "2026-12-03"],
            "body": ["DASSOS", "KKR", "DASSOS", "KKR"],
            "title": ["DASSOS nov.", "KKR nov.", "DASSOS i dag", "KKR dec."],
        }
    )
    t["initiative_updates"] = pd.DataFrame(
        {
            "initiative_id": ["I1", "I1"],
            "update_date": ["2026-11-10", "2026-11-25"],
            "status": ["på sporet", "risiko"],
            "progress_pct": [30.0, 40.0],
            "note": ["Godt i gang", "Forsinket af høring"],
        }
    )
    return t


def _published(tmp_path, monkeypatch, sid: str, tables_: dict[str, pd.DataFrame]):
    """The tables as the current snapshot of a data folder of their own, for one test."""
    monkeypatch.setenv("OVERBLIK_DATA_DIR", str(tmp_path))
    tiny.write(tmp_path, sid=sid, tables_=tables_)
    db.clear()
    yield tmp_path
    db.clear()


@pytest.fixture
def snap(tmp_path, monkeypatch):
    yield from _published(tmp_path, monkeypatch, "rules", tables())


def _gap(municipalities=CODES, area="alle") -> pd.DataFrame:
    return kapacitet.gap_by_target_group(year_from=2026, year_to=2026, municipalities=municipalities, area=area)


def test_whole_places_and_the_one_place_rounding_case(snap):
    df = _gap().set_index("target_group_id")
    assert df["occupied"].to_dict() == {"B1": 5, "V1": 9, "V2": 9, "V3": 16}
    assert df["demanded"].to_dict() == {"B1": 7, "V1": 10, "V2": 12, "V3": 17}
    assert df["gap"].to_dict() == {"B1": 2, "V1": 0, "V2": 2, "V3": -3}
    # an exact gap of 0.6 place is not "mangler"
    assert df.loc["V1", "occupied_exact"] == pytest.approx(9.6)
    assert not df.loc["V1", "short"]
    assert list(df.index[df["short"]]) == ["B1", "V2"]
    s = kapacitet.summary(df.reset_index())
    # the parts add up to the total shown: 2 + 2 = 4
    assert s.shortage_places == 4
    metric = next(m for m in kapacitet.headline_metrics(s) if m.label.startswith("Manglende pladser"))
    assert metric.value == "4"
    message = kapacitet.key_message(s)
    assert "2 af 4 målgrupper mangler pladser (B1 og V2), i alt 4 pladser." in message


def test_free_places_and_high_difficulty_lack_suitable_offers(snap):
    df = _gap()
    by = df.set_index("target_group_id")
    assert by["hard_reports"].to_dict() == {"B1": 0, "V1": 0, "V2": 1, "V3": 2}
    assert by["lacks_suitable"].to_dict() == {"B1": False, "V1": False, "V2": True, "V3": True}
    verdicts = dict(zip(df["target_group_id"], kapacitet.verdicts(df)))
    assert verdicts == {
        "B1": "Mangler pladser",
        "V1": "Sammenhæng mellem udbud og efterspørgsel",
        "V2": "Mangler pladser og egnede tilbud",
        "V3": "Ledige pladser, men mangler egnede tilbud",  # 3 free places, yet no suitable offer
    }
    s = kapacitet.summary(df)
    assert s.lacks_suitable == ("V2", "V3") and s.free_but_lacking == ("V3",)
    message = kapacitet.key_message(s)
    # what the municipalities report leads the message
    assert message.startswith("**Kommunernes indberetning 2026: 2 af 4 målgrupper mangler egnede tilbud** (V2 og V3).")
    assert "V3 har ikke mangel på pladser, men kommunerne finder ikke egnede tilbud" in message
    # placed privately: Aarhus 1 per group (4), single arrangements: Randers 1 per group (4); waiting 2+1+3+1
    assert "4 borgere er i private tilbud, 4 enkeltmandsforanstaltninger, og 7 venter på et tilbud." in message
    first = kapacitet.headline_metrics(s)[0]
    assert (first.label, first.value, first.delta) == ("Mangler egnede tilbud, 2026", "2 af 4", None)


def test_the_whole_region_equals_all_municipalities_chosen(snap):
    assert kapacitet.covers_region((), CODES)
    assert kapacitet.covers_region((730, 751), CODES)
    assert not kapacitet.covers_region((751,), CODES)
    region, both = _gap(CODES), _gap([730, 751])
    pd.testing.assert_frame_equal(region, both)
    # one municipality: fewer citizens waiting (Aarhus: 1 + 1 + 2 + 1 = 5), the same offers (all in Aarhus)
    aarhus = _gap([751])
    assert int(aarhus["waiting"].sum()) == 5 and int(aarhus["places"].sum()) == 45


def test_no_demand_before_2026_means_no_capacity_year(snap):
    df = kapacitet.gap_by_target_group(year_from=2024, year_to=2025, municipalities=CODES, area="alle")
    assert df.empty
    s = kapacitet.summary(df)
    assert s.year is None and s.previous_year is None


def test_unknown_outcome_is_counted_apart(snap):
    s = udmeldinger.summary(DAY)
    assert (s.n_open, s.n_closed, s.n_unknown, s.n_total) == (1, 1, 1, 3)
    # the latest decision is the decided one, not the later notice whose outcome is unknown
    assert s.latest["notice_id"] == "CU-B"
    assert list(udmeldinger.notices("ukendt")["notice_id"]) == ["CU-C"]
    assert list(udmeldinger.notices("åbne")["notice_id"]) == ["CU-A"]
    assert list(udmeldinger.notices("afsluttede")["notice_id"]) == ["CU-B"]
    assert list(udmeldinger.notice_table(udmeldinger.notices("alle"))["Stade"]) == [
        "Afsluttet",
        "Åben: afventer styrelsen",
        "Udfald ukendt",
    ]
    n = overview.notices(DAY)
    assert (n.n_open, n.n_closed, n.n_unknown) == (1, 1, 1)
    assert overview.notice_sentence(n) == "1 af 3 centrale udmeldinger er åben (styrelsens vurdering afventer)"


def test_changed_since_the_last_meeting_before_today_of_either_body(snap):
    choices = handlingsplan.meeting_choices(DAY)
    # on or before today, newest first; the meeting today is not yet "held before today"
    assert list(choices) == ["29. nov. 2026 (DASSOS)", "20. nov. 2026 (KKR)", "12. nov. 2026 (DASSOS)"]
    assert handlingsplan.default_meeting_index(choices, DAY) == 1
    p = overview.plan(DAY)
    assert (p.since["body"], p.picked) == ("KKR", False)
    assert p.n_changed == 1  # I1: på sporet (10 Nov) -> risiko (25 Nov), after the KKR meeting on 20 Nov
    assert overview.plan_sentence(p) == "1 initiativ har skiftet status siden sidste møde, 20. nov. 2026 (KKR)"
    picked = overview.plan(DAY, "29. nov. 2026 (DASSOS)")
    assert picked.picked and picked.n_changed == 0
    assert overview.plan_sentence(picked).endswith("siden det valgte møde, 29. nov. 2026 (DASSOS)")


# 2027: (municipality, group) -> (difficulty, waiting, private, single); B1 not reported, V3 by Aarhus only
REPORTS_2027 = {
    (751, "V1"): (2, 3, 2, 0),
    (730, "V1"): (2, 0, 0, 1),
    (751, "V2"): (2, 2, 1, 0),
    (730, "V2"): (1, 1, 0, 1),
    (751, "V3"): (3, 1, 1, 0),
}


def two_years() -> dict[str, pd.DataFrame]:
    t = tables()
    t["offer_years"] = pd.concat([t["offer_years"], t["offer_years"].assign(year=2027)], ignore_index=True)
    new = pd.DataFrame(
        [(m, 2027, g, *v) for (m, g), v in REPORTS_2027.items()],
        columns=list(t["demand"].columns),
    )
    t["demand"] = pd.concat([t["demand"], new], ignore_index=True)
    return t


@pytest.fixture
def missing(tmp_path, monkeypatch):
    yield from _published(tmp_path, monkeypatch, "missing", two_years())


def test_a_group_without_reports_is_not_reported_never_zero(missing):
    df = kapacitet.gap_by_target_group(year_from=2026, year_to=2027, municipalities=CODES, area="alle")
    b1 = df[(df["target_group_id"] == "B1") & (df["year"] == 2027)].iloc[0]
    # no report: the reported numbers are missing, not 0, and so are the gap and both rules
    for col in ("waiting", "placed_private", "single_arrangements", "hard_reports", "demanded", "gap"):
        assert pd.isna(b1[col]), col
    assert pd.isna(b1["short"]) and pd.isna(b1["lacks_suitable"])
    assert (b1["reports"], b1["municipalities"], b1["reported"]) == (0, 2, False)
    # the offers are still counted: 5 places at 100 %
    assert (b1["places"], b1["occupied"]) == (5, 5)
    y27 = df[df["year"] == 2027].set_index("target_group_id")
    assert dict(zip(y27.index, kapacitet.verdicts(y27))) == {
        "B1": "Ikke indberettet",
        "V1": "Mangler pladser og egnede tilbud",
        "V2": "Mangler pladser og egnede tilbud",
        "V3": "Ledige pladser, men mangler egnede tilbud",  # Aarhus alone: difficulty 3
    }
    assert y27.loc[["V1", "V2", "V3"], "gap"].tolist() == [2, 2, -3]


def test_counts_leave_out_the_group_without_reports_and_changes_compare_like_with_like(missing):
    df = kapacitet.gap_by_target_group(year_from=2026, year_to=2027, municipalities=CODES, area="alle")
    s = kapacitet.summary(df)
    assert (s.year, s.previous_year, s.groups, s.reported) == (2027, 2026, 4, 3)
    assert s.not_reported == ("B1",) and s.partial == (("V3", 1),)
    # lacking suitable offers: V1 (2 of 2), V2 (1 of 2), V3 (1 of 1) of the 3 groups with reports
    assert s.lacks_suitable == ("V1", "V2", "V3")
    # short of places: V1 and V2, 2 + 2 = 4 places; B1's gap is unknown, so it is in neither count
    assert s.short == ("V1", "V2") and s.shortage_places == 4
    # reported numbers: the three groups' sums (private 2 + 0 + 1 + 0 + 1, single 1 + 1, waiting 3 + 3 + 1)
    assert (s.placed_private, s.single_arrangements, s.waiting) == (4, 2, 7)
    m = {x.label: x for x in kapacitet.headline_metrics(s)}
    # lacking, like with like over the groups reported both years (V1, V2, V3): 3 now, 2 in 2026 (V2, V3)
    lacking = m["Mangler egnede tilbud, 2027"]
    assert (lacking.value, lacking.delta) == ("3 af 3", "B1 ikke indberettet · +1 fra 2026 (samme 3 målgrupper)")
    # places missing over the groups the same municipalities reported both years (V1, V2; not V3):
    # 2027 V1 2 + V2 2 = 4, 2026 V2 2 (V1's gap 0 was no shortage) = 2; at least 4: V3 has 1 report of 2
    places = m["Manglende pladser, 2027"]
    assert (places.value, places.delta) == ("mindst 4", "B1 ikke indberettet · +2 fra 2026 (samme 2 målgrupper)")
    # citizens over the municipalities that reported a group both years: private V1 Aarhus 1 -> 2, the rest
    # unchanged (V3 Aarhus 1 -> 1; Randers' V3 and both B1 reports of 2026 have no 2027 report to compare)
    private = m["I private tilbud, 2027"]
    assert (private.value, private.delta, private.delta_color) == (
        "4",
        "B1 ikke indberettet · +1 fra 2026 (samme indberetninger)",
        "red",
    )
    single = m["Enkeltmandsforanstaltninger"]
    assert (single.value, single.delta) == ("2", "B1 ikke indberettet · uændret fra 2026 (samme indberetninger)")
    message = kapacitet.key_message(s)
    assert message.startswith(
        "**Kommunernes indberetning 2027: 3 af 3 målgrupper med indberetning mangler egnede tilbud** (V1, V2 og V3)."
    )
    assert "Der er ingen indberetning for B1." in message
    assert "For V3 har 1 af 2 kommuner indberettet." in message
    # V3's places (20) are Aarhus's offer, counted in full, against Aarhus's waiting citizen alone: Randers'
    # are missing, so the places missing are at least 4 and said to be so
    assert "Vanskeligheder og borgere tæller kun de kommuner, der har indberettet." in message
    assert "2 af 3 målgrupper med indberetning mangler pladser (V1 og V2), i alt mindst 4 pladser." in message
    assert (
        "Pladserne i tilbud i begge kommuner er regnet mod de ventende borgere i de kommuner, der har "
        "indberettet, så der kan mangle flere pladser."
    ) in message
    assert "Tallene tæller kun" not in message
    # the charts' takeaways say the same lower bound as the headline and the key message
    assert "i alt mindst 4 pladser" in kapacitet.gap_takeaway(df)
    assert kapacitet.gap_trend_takeaway(df).startswith("Målgrupperne mangler i alt mindst 4 pladser i 2027")
    assert "4 borgere er i private tilbud, 2 enkeltmandsforanstaltninger, og 7 venter på et tilbud" in message
    assert "For B1 kan pladstallet ikke opgøres" in message
    # both reported by the same municipalities both years: V2's shortage did not grow (2 -> 2); V1 was in
    # balance in 2026 (gap 0, not short) and is short now (2): a new shortage, not a growing one
    assert (
        "Manglen på pladser er ikke vokset for V2 siden 2026. "
        "Ny mangel på pladser for V1, som ikke manglede pladser i 2026."
    ) in message
    assert "vokset siden" not in message
    c = overview.capacity_block({"year_from": 2026, "year_to": 2027, "municipalities": CODES, "area": "alle"})
    assert overview.capacity_sentence(c) == (
        "kommunerne oplever mangel på egnede tilbud til 3 af de 3 målgrupper med indberetning, og 2 mangler "
        "pladser (2027; B1 ikke indberettet; ikke alle kommuner har indberettet)"
    )


def test_one_municipality_without_any_report_has_no_numbers(missing):
    # Randers (730) alone reported V1 and V2 in 2027, nothing for B1 and V3
    s = kapacitet.summary(
        kapacitet.gap_by_target_group(year_from=2026, year_to=2027, municipalities=[730], area="alle")
    )
    assert s.not_reported == ("B1", "V3") and s.reported == 2
    only_b1 = kapacitet.gap_by_target_group(year_from=2026, year_to=2027, municipalities=[730], area="Børn og unge")
    s = kapacitet.summary(only_b1)
    assert s.reported == 0 and s.lacks_suitable == () and s.short == ()
    assert (s.placed_private, s.single_arrangements, s.waiting, s.shortage_places) == (None, None, None, None)
    for m in kapacitet.headline_metrics(s):
        assert (m.value, m.delta) == ("–", "ikke indberettet"), m.label
    message = kapacitet.key_message(s)
    assert "der er ingen indberetning for målgruppen" in message and "0 borgere" not in message
    c = overview.capacity_block({"year_from": 2026, "year_to": 2027, "municipalities": [730], "area": "Børn og unge"})
    assert overview.capacity_sentence(c) == "kommunerne har ikke indberettet for målgruppen (2027)"


def test_the_same_partial_count_for_every_group_is_decided_once(missing):
    # 2027: V3 reported by Aarhus alone (1 of 2), V1 and V2 by both: the counts differ
    s = kapacitet.summary(
        kapacitet.gap_by_target_group(year_from=2026, year_to=2027, municipalities=CODES, area="alle")
    )
    assert s.partial == (("V3", 1),) and s.partial_count is None
    assert kapacitet.partial_sentence(s).startswith("For V3 har 1 af 2 kommuner indberettet.")
    assert s.reports_note == "ikke alle kommuner har indberettet"
    # had Aarhus alone reported V1, V2 and V3: 1 of 2 for every reported group, said as one number on both pages
    same = dataclasses.replace(s, partial=(("V1", 1), ("V2", 1), ("V3", 1)))
    assert same.partial_count == 1
    assert kapacitet.partial_sentence(same).startswith("1 af 2 kommuner har indberettet;")
    assert same.reports_note == "1 af 2 kommuner har indberettet"
    # everybody reported: nothing to say
    full = dataclasses.replace(s, partial=())
    assert full.partial_count is None and kapacitet.partial_sentence(full) == "" and full.reports_note == ""


def test_a_lower_bound_of_no_places_missing_reads_0_not_mindst_0(missing):
    # 2027: V3 reported by Aarhus alone, so V1 + V2 = 2 + 2 = 4 places missing are a lower bound: 'mindst 4'
    s = kapacitet.summary(
        kapacitet.gap_by_target_group(year_from=2026, year_to=2027, municipalities=CODES, area="alle")
    )
    assert (s.shortage_places, s.short, s.lower_bound) == (4, ("V1", "V2"), True)
    places = kapacitet.headline_metrics(s)[1]
    assert places.value == "mindst 4" and places.note == "B1 ikke indberettet"
    # had no group been short (V3 had free places; say V1 and V2 too): a lower bound of 0 is the bare 0, with who
    # reported beside it, and the key messages say it holds as far as the reports show
    none = dataclasses.replace(s, short=(), short_compared=(), growing=(), new_short=(), shortage_places=0)
    places = kapacitet.headline_metrics(none)[1]
    assert places.value == "0"
    assert places.note == "B1 ikke indberettet · ikke alle kommuner har indberettet"
    assert (
        "Pladstallet: ingen af de 3 målgrupper med indberetning mangler pladser, så vidt indberetningerne viser."
    ) in kapacitet.key_message(none)
    assert "mindst 0" not in kapacitet.key_message(none)
    c = overview.Capacity(summary=none, latest=pd.DataFrame(), short_metric=None, places_metric=places)
    assert overview.capacity_sentence(c) == (
        "kommunerne oplever mangel på egnede tilbud til 3 af de 3 målgrupper med indberetning, og ingen mangler "
        "pladser, så vidt indberetningerne viser (2027; B1 ikke indberettet; ikke alle kommuner har indberettet)"
    )
    # every chosen municipality reported: 0 is the whole answer, said without a remark
    full = dataclasses.replace(none, partial=())
    assert kapacitet.headline_metrics(full)[1].note == "B1 ikke indberettet"
    assert "mangler pladser." in kapacitet.key_message(full) and "så vidt" not in kapacitet.key_message(full)


def _use(folder, monkeypatch, tables_: dict[str, pd.DataFrame]) -> None:
    """The tables as the current snapshot of their own data folder, for the rest of one test."""
    monkeypatch.setenv("OVERBLIK_DATA_DIR", str(folder))
    tiny.write(folder, sid="rules", tables_=tables_)
    db.clear()


def test_free_places_that_turn_into_a_shortage_are_a_new_shortage_not_growth(tmp_path, monkeypatch):
    # two_years, but Randers reports V3 in 2027 too (waiting 6): the same municipalities both years.
    # V3: 2026 16 + (1 + 0) - 20 = -3 (3 ledige); 2027 16 + (1 + 6) - 20 = +3 (mangler 3).
    # V1: 2026 9 + 1 - 10 = 0 (i balance); 2027 9 + 3 - 10 = +2. V2: 2 both years (short both years).
    t = two_years()
    randers_v3 = pd.DataFrame([(730, 2027, "V3", 2, 6, 0, 0)], columns=list(t["demand"].columns))
    t["demand"] = pd.concat([t["demand"], randers_v3], ignore_index=True)
    _use(tmp_path / "new-short", monkeypatch, t)
    s = kapacitet.summary(
        kapacitet.gap_by_target_group(year_from=2026, year_to=2027, municipalities=CODES, area="alle")
    )
    assert s.short == ("V1", "V2", "V3") and s.short_compared == ("V1", "V2", "V3")
    assert s.new_short == ("V1", "V3") and s.growing == ()
    assert kapacitet.key_message(s).endswith(
        "Manglen på pladser er ikke vokset for V2 siden 2026. "
        "Ny mangel på pladser for V1 og V3, som ikke manglede pladser i 2026."
    )
    # V2 grows (Aarhus waits 2 more: 2 -> 4): said as growth, V1 and V3 still as new
    more = t["demand"].copy()
    more.loc[
        (more["year"] == 2027) & (more["municipality_code"] == 751) & (more["target_group_id"] == "V2"),
        "citizens_waiting",
    ] = 4
    t["demand"] = more
    _use(tmp_path / "more", monkeypatch, t)
    s = kapacitet.summary(
        kapacitet.gap_by_target_group(year_from=2026, year_to=2027, municipalities=CODES, area="alle")
    )
    assert s.growing == ("V2",) and s.new_short == ("V1", "V3")
    assert kapacitet.key_message(s).endswith(
        "Manglen på pladser er vokset siden 2026 for V2. "
        "Ny mangel på pladser for V1 og V3, som ikke manglede pladser i 2026."
    )
