"""Opdater data (/opdater): the secretariat's workplace, for editors only (overblik/opdater.py).

A reader or an anonymous visitor gets "kræver login som redaktør" and nothing else; without login
configured the page says how to enable it. Every action is guarded again on the server in the slice.
"""

import streamlit as st

from overblik import auth, clock, data, filters, fmt, opdater, opdater_dst, schema, store, tilgaengelighed, ui

filters.ensure_shell()
if not auth.configured():
    st.title("Opdater data")
    st.info(auth.HOW_TO_ENABLE, icon=":material/lock:")
    st.stop()
MSG, WAS_EDITOR = "opd-message", "opd-was-editor"
if not auth.is_editor():
    st.error(auth.EDITOR_REQUIRED, icon=":material/lock:")
    if st.session_state.get(WAS_EDITOR):  # the login expired (or ended) in the middle of this session
        st.session_state.pop(MSG, None)  # the refused action's "kræver login", said better here
        st.warning(opdater.SESSION_ENDED, icon=":material/history:")
    if not auth.is_logged_in():
        st.button("Log ind", key="opd-login", on_click=st.login, type="primary")
    st.stop()
st.session_state[WAS_EDITOR] = True

ui.header("Opdater data", "Sekretariatets arbejdsplads: data, handlingsplan, møder og historik", share=None)
if tilgaengelighed.setup_missing():
    st.info(tilgaengelighed.setup_missing(), icon=":material/contact_support:")
FAILURES = (auth.NotEditor, opdater.Refused, store.Conflict, store.Busy, store.StoreError)


def say(kind: str, text: str) -> None:
    st.session_state[MSG] = (kind, text)


def failed(e: Exception) -> None:
    say("error", fmt.md(str(e)))


def editor_table(name: str, rows_of, save: str) -> opdater.Grid:
    """An editor's table (opdater.grid), with what is said above it: when newer data changed the table its save
    writes while it had unsaved edits (its save is then refused), a notice with a button that gives them up for
    the newest data; when it shows unsaved edits kept from earlier in the session (the editor left the page), a
    line that says so, with a button that throws them away. `save` is the label of its save button."""
    table = opdater.grid(st.session_state, name, current, rows_of)
    blocked = opdater.blocked(name, table.based_on, current)
    if blocked:
        st.warning(fmt.md(opdater.newer_data(table.based_on, current)), icon=":material/history:")
        st.button(
            "Hent de nyeste data",
            key=f"{name}-reload",
            on_click=opdater.editing_done,
            args=(st.session_state, name),
            icon=":material/refresh:",
        )
    if table.restored:  # blocked: "Hent de nyeste data" throws them away
        discard = None if blocked else "Kassér ændringerne"
        ui.kept_notice(name, opdater.draft_notice(save), discard, opdater.editing_done, (st.session_state, name))
    return table


def editor_form(name: str, defaults: dict, send: str, allowed: dict | None = None) -> opdater.Form:
    """An editor's form (opdater.form), with a line above its fields when they show what she filled in earlier in
    the session and left unsent (she left the page), and a button that empties them. `send` is its button's label.
    Draw each field with `key=` its key in `defaults` and `**keep(fields)`."""
    fields = opdater.form(st.session_state, name, defaults, allowed)
    if fields.restored:
        ui.kept_notice(
            name, opdater.form_notice(send), opdater.DISCARD_FORM, opdater.form_done, (st.session_state, name)
        )
    return fields


def keep(fields: opdater.Form) -> dict:
    """A form field's on_change in this session (opdater.keep)."""
    return opdater.keep(st.session_state, fields)


def save_button(label: str, key: str, icon: str = ":material/save:") -> bool:
    """A save button under an editor's table; True in the run its click starts. The click is remembered by its
    callback and taken here, below the table, which has then given this run's edits (a button's own value
    was lost when the run started over, as it does through dashboard.py after AppTest's switch_page)."""
    st.button(
        label,
        type="primary",
        key=key,
        icon=icon,
        on_click=st.session_state.update,
        args=({f"{key}-asked": True},),
    )
    return bool(st.session_state.pop(f"{key}-asked", False))


with st.container(key="opd-message-box"):  # always there, so the tabs below keep their place
    if MSG in st.session_state:
        kind, text = st.session_state.pop(MSG)
        getattr(st, kind)(text)

current = data.snapshot_id()  # this run's snapshot
# the tab she worked in opens again when she comes back to the page (a widget's own state goes when she leaves;
# her kept edits and forms would otherwise sit behind the first tab)
tab_data, tab_dst, tab_plan, tab_meetings, tab_history = st.tabs(
    ["Data fra Excel", opdater_dst.TAB, "Handlingsplan", "Møder", "Historik og tilbagerulning"],
    key="opd-tab",
    on_change=opdater.keep_tab,
    args=(st.session_state, "opd-tab"),
    default=opdater.kept_tab(st.session_state, "opd-tab"),
)

# --- Data from Excel: download, upload and check, changes, publish -----------------------------
with tab_data:
    st.header("1. Hent de aktuelle data")
    name, build = opdater.workbook()
    st.markdown(
        "Hent datasættet som Excel, ret i arkene og gem. Arket **Om** forklarer hver kolonne og de tilladte "
        "værdier; arket **Kilder** angiver pr. tabel, om tallene er reelle (`real`) eller eksempeldata."
    )
    st.download_button(
        "Hent som Excel",
        data=build,
        file_name=name,
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/download:",
        key="opd-workbook",
    )

    st.header("2. Upload og kontrollér")
    n_upload = st.session_state.setdefault("opd-upload-n", 0)
    up = st.file_uploader(
        f"Excel-projektmappe (.xlsx), en CSV-fil eller en zip-fil med én CSV-fil pr. tabel (højst "
        f"{opdater.UPLOAD_LIMIT_MB} MB)",
        # no file types and a generous size here: the browser's own refusal is English and left the previous
        # file's result (and its Udgiv) on screen; the check below refuses in Danish and replaces it
        key=f"opd-upload-{n_upload}",
        max_upload_size=opdater.UPLOAD_HARD_LIMIT_MB,
    )
    empty_names = opdater.empty_choices()
    allow_empty = st.multiselect(
        "Tabeller, der skal være tomme (valgfrit)",
        list(empty_names),
        format_func=empty_names.get,
        key="opd-allow-empty",
        placeholder="Ingen",
        select_all=False,
        help="Et tomt ark afvises normalt, så ingen tabel tømmes ved en fejl. Vælg de tabeller, hvis tomme ark "
        "i filen skal udgives som tomme tabeller.",
    )
    checked = None
    if up is not None:
        check_id = (up.file_id, tuple(sorted(allow_empty)))
        if st.session_state.get("opd-checked-id") != check_id:
            with st.status(f"Kontrollerer {up.name} ...", expanded=False) as status:
                try:
                    result = opdater.check_upload(up.name, up.getvalue(), progress=st.text, allow_empty=allow_empty)
                except auth.NotEditor as e:
                    st.error(str(e))
                    st.stop()
                status.update(label=f"Kontrol af {up.name} færdig", state="error" if result.errors else "complete")
            st.session_state["opd-checked"], st.session_state["opd-checked-id"] = result, check_id
            st.session_state.pop("opd-headlines", None)
            st.session_state["opd-check-n"] = st.session_state.get("opd-check-n", 0) + 1  # a new, unticked consent
        checked = st.session_state["opd-checked"]

    if checked is not None:
        if checked.errors:
            st.error(opdater.refused(checked), icon=":material/error:")
        else:
            st.success(
                f"{fmt.md(checked.file_name)} er gyldig"
                + (
                    f" ({fmt.count(checked.warnings, 'advarsel', 'advarsler')}; de blokerer ikke)."
                    if checked.warnings
                    else "."
                )
                + " Se ændringerne nedenfor, og udgiv.",
                icon=":material/check_circle:",
            )
        if checked.problem_count:
            if checked.problem_count > opdater.SUMMARY_FROM:
                st.markdown("**Problemerne efter regel og kolonne**")
                # whole cells; Danish numbers (199.901); Excel rows as Excel writes them, '–' for none
                ui.text_table(opdater.on_screen(opdater.problems_summary(checked)))
                st.markdown("**Problemerne række for række**")
            # the first ones only, and the Excel file built on click: a file with 380.000 problems made every
            # run of the page (each tab click) take a minute
            ui.text_table(
                opdater.on_screen(opdater.problems_table(checked, opdater.PROBLEMS_SHOWN))
            )  # a grid cut the hints at 1440 px
            if more := opdater.problems_more(checked):
                st.caption(more)
            st.download_button(
                "Hent problemerne som Excel",
                data=lambda: ui.xlsx_bytes(opdater.problems_table(checked, opdater.EXCEL_ROWS), "Problemer"),
                file_name="problemer.xlsx",
                mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                icon=":material/download:",
                key="opd-problems-xlsx",
            )

    if checked is not None and checked.publishable and checked.plan is not None:
        st.header("3. Det ændrer sig")
        stale = checked.plan.stale
        if stale:
            st.warning(fmt.md(stale.message()), icon=":material/history:")
            if stale.needs_consent:  # the safe path first: a workbook of the current data
                st.download_button(
                    "Hent en ny projektmappe og ret i den",
                    data=build,
                    file_name=name,
                    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    icon=":material/download:",
                    key="opd-workbook-fresh",
                )
        changes = opdater.table_changes(checked.plan)
        if len(changes):
            ui.text_table(changes)
        else:
            st.info("Filen er identisk med de aktuelle data: intet ændrer sig.")
        still = opdater.still_illustrative(checked.plan)
        if still:
            st.caption(
                "Forbliver fiktive eksempeldata (vises med mærkat): "
                + fmt.md(", ".join(still))
                + ". En tabel bliver reel, når dens linje i arket Kilder siger `real`."
            )
        if "opd-headlines" not in st.session_state:
            with st.spinner("Beregner nøgletallene på Overblik ..."):
                st.session_state["opd-headlines"] = opdater.headline_changes(checked.plan)
        st.markdown("**Nøgletal på Overblik** (hele regionen, alle år), før og efter udgivelse:")
        st.table(st.session_state["opd-headlines"].set_index("Blok"))

        st.header("4. Udgiv")
        REPLACE = f"opd-replace-{st.session_state.get('opd-check-n', 0)}"  # the stale file's consent, per check

        def forget_upload() -> None:
            """The checked file, its result and its Udgiv gone, and an empty uploader."""
            for k in ("opd-checked", "opd-checked-id", "opd-headlines", "opd-note"):
                st.session_state.pop(k, None)
            st.session_state["opd-upload-n"] += 1

        def publish_upload() -> None:
            checked = st.session_state["opd-checked"]
            try:
                sid = opdater.publish(
                    checked, st.session_state.get("opd-note", ""), bool(st.session_state.get(REPLACE))
                )
            except store.Conflict as e:  # its check and changes are of data no longer current
                say("error", fmt.md(f"{e} {opdater.check_again(checked.file_name)}"))
                forget_upload()
                return
            except FAILURES as e:
                failed(e)
                return
            say(
                "success",
                fmt.md(f"Udgivet som datasæt {opdater.dataset(sid)}. Dashboardet viser de nye data fra nu af."),
            )
            forget_upload()

        st.text_input(
            "Bemærkning til udgivelsen (skal udfyldes)",
            key="opd-note",
            placeholder="Fx: Før DASSOS 12. nov.",
            max_chars=500,
        )
        held = bool(stale and stale.needs_consent)
        if held:
            held = not st.checkbox(opdater.REPLACE_CONSENT, key=REPLACE)
            if held:
                st.caption(
                    "Udgiv er slået fra, indtil du har sat hak: filen sletter eller ændrer det, der er udgivet siden."
                )
        st.button(
            "Udgiv",
            type="primary",
            on_click=publish_upload,
            key="opd-publish",
            icon=":material/publish:",
            disabled=held,
        )

# --- Danmarks Statistik: spending and population from StatBank (overblik/opdater_dst.py) ---------------------
with tab_dst:
    opdater_dst.tab(current)

# --- The action plan ---------------------------------------------------------------------------
with tab_plan:
    st.header("Opdater initiativernes status")
    st.markdown(
        "Ret status, fremdrift og bemærkning. Hvert ændret initiativ får en ny statuslinje med datoen nedenfor; "
        "tidligere dages linjer bevares. En linje fra samme dato rettes (den gamle findes i det forrige "
        "datasæt). Gem udgiver et nyt datasæt."
    )
    # the date is kept with the table's edits when the editor leaves the page (lines dated today instead of the
    # meeting's day were published after she came back); it shows itself, so no line of its own
    date_field = opdater.form(st.session_state, "opd-plan-day", {"opd-plan-date": clock.today()})
    update_date = st.date_input("Dato for opdateringen", format="DD.MM.YYYY", key="opd-plan-date", **keep(date_field))
    plan = editor_table("opd-plan", lambda sid: opdater.initiatives_for_editing(sid=sid), "Gem og udgiv")
    edited = st.data_editor(
        plan.rows,
        key=plan.key,
        on_change=opdater.keep_draft,
        args=(st.session_state, plan),
        hide_index=True,
        width="stretch",
        disabled=["initiative_id", "principle_id", "title", "update_date"],
        column_config={
            "initiative_id": st.column_config.TextColumn("Id"),
            "principle_id": st.column_config.TextColumn("Princip"),
            "title": st.column_config.TextColumn("Titel", width="large"),
            "status": st.column_config.SelectboxColumn("Status", options=list(schema.STATUSES), required=True),
            "progress_pct": st.column_config.NumberColumn("Fremdrift, %", min_value=0, max_value=100, step=5),
            "note": st.column_config.TextColumn("Bemærkning", max_chars=schema.MAX_TEXT, width="large"),
            "update_date": st.column_config.DateColumn("Senest opdateret", format="DD.MM.YYYY"),
        },
    )
    if save_button("Gem og udgiv", "opd-plan-save"):
        try:
            sid = opdater.save_initiatives(edited, plan.original, update_date, plan.based_on)
        except FAILURES as e:
            failed(e)
        else:
            say(
                "success",
                fmt.md(f"Handlingsplanen er udgivet som datasæt {opdater.dataset(sid)}.")
                if sid
                else "Ingen ændringer at gemme.",
            )
            if sid:
                opdater.editing_done(st.session_state, "opd-plan")
                opdater.form_done(st.session_state, "opd-plan-day")  # the next batch is dated today unless chosen
        st.rerun()

    st.header("Nyt initiativ")

    @ui.fragment  # a change in a field reruns only the form
    def new_initiative(current: str) -> None:
        principles = opdater.principles()
        NEW = "opd-new-initiative"
        statuses = list(schema.STATUSES)
        with st.container(border=True, key=NEW):
            new_fields = editor_form(
                NEW,
                {
                    f"{NEW}-principle": next(iter(principles), None),
                    f"{NEW}-title": "",
                    f"{NEW}-owner": "",
                    f"{NEW}-description": "",
                    f"{NEW}-start": clock.today(),
                    f"{NEW}-deadline": clock.today(),
                    f"{NEW}-status": "ikke startet",
                },
                "Tilføj og udgiv",
                allowed={f"{NEW}-principle": principles, f"{NEW}-status": statuses},
            )
            kept = keep(new_fields)
            pid = st.selectbox("Princip", list(principles), format_func=principles.get, key=f"{NEW}-principle", **kept)
            title = st.text_input("Titel", max_chars=200, key=f"{NEW}-title", **kept)
            owner = st.text_input("Ansvarlig", max_chars=200, key=f"{NEW}-owner", **kept)
            description = st.text_area("Beskrivelse", max_chars=schema.MAX_TEXT, key=f"{NEW}-description", **kept)
            c1, c2, c3 = st.columns(3)
            start = c1.date_input("Startdato", format="DD.MM.YYYY", key=f"{NEW}-start", **kept)
            deadline = c2.date_input("Frist", format="DD.MM.YYYY", key=f"{NEW}-deadline", **kept)
            status = c3.selectbox("Status", statuses, key=f"{NEW}-status", **kept)
            if save_button("Tilføj og udgiv", f"{NEW}-add", ":material/add:"):
                try:
                    new_id, sid = opdater.add_initiative(
                        pid, title, owner, start, deadline, description, status, clock.today(), current
                    )
                except FAILURES as e:
                    failed(e)  # what she typed stays, to be put right
                else:
                    say(
                        "success",
                        fmt.md(f"Initiativ {new_id} er tilføjet og udgivet som datasæt {opdater.dataset(sid)}."),
                    )
                    opdater.form_done(st.session_state, NEW)
                st.rerun()

    new_initiative(current)

# --- Meetings ----------------------------------------------------------------------------------
with tab_meetings:
    st.header("Møder")
    st.markdown(
        'KKR- og DASSOS-møder. "Ændret siden sidste møde" på Overblik og Handlingsplan regnes fra dem. '
        "Tilføj et møde i den tomme linje nederst: dato, forum og titel (Tab går til næste felt). "
        "Ret en dato eller titel ved at dobbeltklikke på den, og gem."
    )
    meetings_table = editor_table("opd-meetings", opdater.meetings_for_editing, "Gem møder og udgiv")
    meetings_base = meetings_table.based_on
    meetings = st.data_editor(
        meetings_table.rows,
        key=meetings_table.key,
        on_change=opdater.keep_draft,
        args=(st.session_state, meetings_table),
        hide_index=True,
        num_rows="dynamic",
        width="stretch",
        height="content",  # every meeting in view, and a new row where it is added
        placeholder="",
        # not `required`: the editor silently kept an incomplete new row to itself ("Ingen ændringer at
        # gemme"); save_meetings names what the row lacks instead
        column_config={
            "meeting_date": st.column_config.DateColumn("Mødedato", format="DD.MM.YYYY"),
            "body": st.column_config.SelectboxColumn("Forum", options=list(schema.BODIES)),
            "title": st.column_config.TextColumn("Titel", max_chars=200),
        },
    )
    pending = opdater.meeting_changes(meetings, meetings_base)
    if pending.saved or pending.removed:  # in words before the save: 10122026 read as 12 Oct shows here
        st.caption(fmt.md(pending.confirmation().replace("Gemt:", "Gemmes:").replace("Slettet:", "Slettes:")))
    PAST = "opd-meetings-past"  # the refused past date's question, asked under the table
    if save_button("Gem møder og udgiv", "opd-meetings-save"):
        try:
            sid = opdater.save_meetings(meetings, meetings_base, past_ok=st.session_state.pop(f"{PAST}-ok", False))
        except opdater.PastMeeting as e:
            st.session_state[PAST] = str(e)
        except FAILURES as e:
            st.session_state.pop(PAST, None)
            failed(e)
        else:
            st.session_state.pop(PAST, None)
            done = f"{pending.confirmation()} Møderne er udgivet som datasæt {opdater.dataset(sid)}." if sid else ""
            say("success", fmt.md(done) if sid else "Ingen ændringer at gemme.")
            if sid:
                opdater.editing_done(st.session_state, "opd-meetings")
        st.rerun()
    if PAST in st.session_state and not pending.past:  # the date was corrected
        st.session_state.pop(PAST)
    if PAST in st.session_state:
        st.warning(fmt.md(st.session_state[PAST]), icon=":material/event:")
        st.button(
            "Ja, datoen er rigtig",
            key="opd-meetings-past-yes",
            on_click=st.session_state.update,
            args=({f"{PAST}-ok": True, "opd-meetings-save-asked": True},),
        )

# --- History and rollback ----------------------------------------------------------------------
with tab_history:
    st.header("Datasæt")
    ui.text_table(opdater.history())  # a grid left "Ændrede tabeller" off the right edge at 1440 px
    ev = opdater.events()
    if len(ev):
        st.markdown("**Udgivelser og tilbagerulninger fra denne side**")
        ui.text_table(ev)

    st.header("Rul tilbage")
    choices = opdater.rollback_choices()
    if not choices:
        st.caption("Der er ingen tidligere datasæt at rulle tilbage til.")
    else:

        def do_rollback() -> None:
            choice = st.session_state.get("opd-rollback-choice")
            if choice not in choices:
                say("warning", "Vælg det datasæt, der skal være aktuelt igen. Intet er ændret.")
                return
            if not st.session_state.get("opd-rollback-sure"):
                say("warning", "Sæt hak i bekræftelsen først. Intet er ændret.")
                return
            try:
                opdater.rollback(choices[choice], st.session_state.get("opd-rollback-note", ""))
            except FAILURES as e:
                failed(e)
                return
            say("success", fmt.md(f"Datasæt {opdater.dataset(choices[choice])} er aktuelt igen."))
            # the form is emptied, so a second click cannot roll back again with the same note and tick
            opdater.form_done(st.session_state, "opd-rollback")
            st.session_state["opd-rollback-sure"] = False  # set, not removed: a removed value came back

        # the choice and the note are kept when the editor leaves the page; the tick is not: it is given anew
        rollback_fields = editor_form(
            "opd-rollback",
            {"opd-rollback-choice": None, "opd-rollback-note": ""},
            "Rul tilbage",
            allowed={"opd-rollback-choice": choices},
        )
        st.selectbox(
            "Gør dette datasæt aktuelt igen",
            list(choices),
            index=None,
            placeholder="Vælg et datasæt",
            key="opd-rollback-choice",
            **keep(rollback_fields),
        )
        st.text_input(
            "Bemærkning til tilbagerulningen (skal udfyldes)",
            key="opd-rollback-note",
            max_chars=500,
            **keep(rollback_fields),
        )
        st.checkbox("Ja, jeg vil gøre det valgte datasæt aktuelt. Alle ser det med det samme.", key="opd-rollback-sure")
        st.button("Rul tilbage", on_click=do_rollback, key="opd-rollback", icon=":material/undo:")
