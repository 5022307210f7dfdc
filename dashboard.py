"""Rammeaftale-overblik: entry point. Page config, navigation, shared filters, header and footer.

Run with `make run` (or `python -m overblik.serve run dashboard.py`: `streamlit run` with TCP_NODELAY on the
server's connections, see overblik/serve.py).
"""

import logging
from pathlib import Path

import streamlit as st

from overblik import auth, data, filters, store, ui

# Page files are named exactly like their URL paths. Streamlit still treats a pages/ folder in its
# legacy way until st.navigation has run once in the process; with matching names a deep link opened
# first on a fresh server finds its page there too (instead of showing "Page not found"), and
# filters.current() then reruns it through this script.
PAGES = [
    st.Page("pages/overblik.py", title="Overblik", icon=":material/dashboard:", url_path="", default=True),
    st.Page("pages/udgifter.py", title="Udgifter", icon=":material/payments:", url_path="udgifter"),
    st.Page("pages/kapacitet.py", title="Kapacitet", icon=":material/home_work:", url_path="kapacitet"),
    st.Page(
        "pages/centrale-udmeldinger.py",
        title="Centrale udmeldinger",
        icon=":material/campaign:",
        url_path="centrale-udmeldinger",
    ),
    st.Page("pages/handlingsplan.py", title="Handlingsplan", icon=":material/checklist:", url_path="handlingsplan"),
    st.Page(
        "pages/siden-sidste-moede.py",
        title="Siden sidste møde",
        icon=":material/history:",
        url_path="siden-sidste-moede",
    ),
    st.Page("pages/om-data.py", title="Om data", icon=":material/info:", url_path="om-data"),
    # The accessibility statement: linked from the footer of every page (ui.footer), not in the menu.
    st.Page(
        "pages/tilgaengelighed.py",
        title="Tilgængelighed",
        icon=":material/accessibility:",
        url_path="tilgaengelighed",
        visibility="hidden",
    ),
    # Editors only: hidden from everyone else, and the page itself says "kræver login som redaktør".
    st.Page(
        "pages/opdater.py",
        title="Opdater data",
        icon=":material/edit_note:",
        url_path="opdater",
        visibility="visible" if auth.is_editor() else "hidden",
    ),
]

# The icon before the navigation: the navigation's page icon would otherwise be the favicon for a moment, and a
# ":material/...:" favicon makes every browser fetch it from Google's font servers, which the deployment's
# Content-Security-Policy (and the readers' privacy) forbids. A local picture is sent as a data: URL.
st.set_page_config(
    page_icon=str(Path(__file__).resolve().parent / "assets" / "favicon.svg"),
    layout="wide",
    initial_sidebar_state="auto",  # collapsed below 768 px (phones, 200 % zoom): it would cover the page
)
page = st.navigation(PAGES, position="sidebar")
st.set_page_config(page_title=f"{page.title} · Rammeaftale-overblik")  # each page its own title
ui.style()  # the shared stylesheet and lang="da"
st.logo("assets/logo.svg", size="large")
auth.sidebar()  # login / logout when login is configured; stops here when readers must log in

# One snapshot per run: read CURRENT once and pin it, so every query, caption and marker of this run
# comes from the same snapshot even if someone publishes meanwhile.
try:
    run = data.begin_run()
except store.SnapshotDamaged as e:
    st.error(f"{e} Der er intet tidligere gyldigt datasæt at vise. Udgiv data igen, eller rul tilbage.")
    st.stop()
except store.StoreError:
    logging.getLogger("overblik").exception("Ingen data at vise")  # the details (paths) stay on the server
    st.error("Der er ingen data at vise. Udgiv data (python -m overblik publish), eller rul tilbage.")
    st.stop()
if run.damaged:
    st.warning(run.warning(), icon=":material/warning:")

filters.sidebar()

try:
    page.run()
except Exception:
    # The details go to the server log; the reader gets a Danish message, no traceback and no paths
    # (client.showErrorDetails is "none" in production; with "full", as in the tests, the error is shown).
    logging.getLogger("overblik").exception("Siden %s fejlede", page.title)
    if st.get_option("client.showErrorDetails") in ("full", "stacktrace", True):
        raise
    st.error(
        "Siden kunne ikke vises på grund af en fejl. Fejlen er registreret på serveren. "
        "Prøv igen om lidt, eller vælg en anden side.",
        icon=":material/error:",
    )
ui.footer()
