"""The floor app: a page of a given mix of Streamlit elements and nothing else (no data, no computation).
`python -m bench --parts load` runs it under the same load as each dashboard page, with that page's mix
of messages per run (bench/floor.py), to show what Streamlit itself costs for that many elements: the
best ratio a page of that design could reach.

Query string: `m=markdown:44,heading:20,add_block:29,plotly_chart:10,...` (kinds as bench/load.kind names
them, without "new_element:"). Each kind is drawn with a typical payload of the dashboard's (a small
plotly figure serialised once, as viewcache does; a 20-row table; texts of a caption's length).
"""

import json

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pyarrow as pa
import streamlit as st

TEXT = "Nettodriftsudgifter pr. indbygger i faste priser, hele regionen 2016-2027 (kilde: Danmarks Statistik)."


@st.cache_resource
def figure() -> go.Figure:
    """A bar chart of about the dashboard's size (5-9 kB of JSON), serialised once and shared."""
    fig = go.Figure(go.Bar(x=[f"Kommune {i}" for i in range(19)], y=[1000.5 + i for i in range(19)], name="Udgift"))
    fig.update_layout(height=320, separators=",.", title_text="Udgifter", yaxis_tickformat=",d")
    spec = pio.to_json(fig, validate=False)
    object.__setattr__(fig, "to_dict", lambda: json.loads(spec))
    return fig


@st.cache_resource
def table() -> pa.Table:
    return pa.Table.from_pandas(
        pd.DataFrame({"Kommune": [f"Kommune {i}" for i in range(20)], "År": range(2008, 2028), "Kr.": [1.5] * 20})
    )


def draw(kind: str, i: int) -> None:
    k = f"{kind}-{i}"
    if kind == "heading":
        st.subheader(f"Afsnit {i}", anchor=False)
    elif kind == "add_block":
        st.container()
    elif kind == "plotly_chart":
        st.plotly_chart(figure(), key=k, config={"displayModeBar": False}, width="stretch")
    elif kind == "dataframe":
        st.dataframe(table(), hide_index=True)
    elif kind == "download_button":
        st.download_button("Hent CSV", lambda: b"a;b", f"{k}.csv", "text/csv", key=k)
    elif kind == "metric":
        st.metric("Nettodriftsudgifter", "1.234,5 mio. kr.", delta="2,1 %", help=TEXT, border=True)
    elif kind == "radio":
        st.radio("Visning", ["I alt", "Pr. indbygger"], key=k, horizontal=True)
    elif kind == "multiselect":
        st.multiselect("Kommuner", [f"Kommune {j}" for j in range(19)], key=k, placeholder="Hele regionen")
    elif kind == "selectbox":
        st.selectbox("Møde", ["12. nov. 2026", "3. sep. 2026"], key=k)
    elif kind == "slider":
        st.slider("Periode", 2016, 2027, (2016, 2027), key=k)
    elif kind == "button_group":
        st.segmented_control("Status", ["Alle", "Åbne"], key=k, default="Alle")
    elif kind == "button":
        st.button("Vis hele regionen", key=k)
    elif kind == "html":
        st.html(f"<p>{TEXT}</p>")
    elif kind == "text":
        st.text(TEXT)
    elif kind == "progress":
        st.progress(0.4)
    elif kind == "alert":
        st.info(TEXT)
    elif kind == "page_link":
        st.page_link("https://www.kl.dk", label="Gå til siden")
    elif kind == "ref_hash":  # an element the browser already has: one of 10 kB or more
        st.markdown(TEXT * 110)
    elif kind == "page_config_changed":
        st.set_page_config(page_title=f"Side {i}")
    elif kind == "logo" and i == 0:
        st.logo("https://www.kl.dk/logo.svg")
    else:  # markdown, caption, badge and any other kind: a text element
        st.markdown(TEXT)


for part in st.query_params.get("m", "").split(","):
    if ":" in part:
        kind, n = part.split(":", 1)
        for i in range(min(int(n), 500)):
            draw(kind, i)
