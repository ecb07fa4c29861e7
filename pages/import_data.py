# Import: upload legacy exports, check what was detected and how columns map, dry-run, import, undo.
import hashlib
import json

import pandas as pd
import streamlit as st

from core.i18n import format_datetime
from core.store.imports import list_batches
from importers import fields as F
from importers.pipeline import ImportError_, Options, undo
from importers.run import UnreadableFile, execute, prepare, problem_rows, problem_rows_csv, warm_helper, with_fixes
from pages import _ui
from pages._ui import tr

conn = _ui.page_setup()
st.title(tr("import.title"))
_ui.show_flash()
st.caption(tr("import.intro"))

KEY_EDITS = "import.mapping_edits"
KEY_FIXES = "import.row_fixes"  # {digest: {source: {row number: cells}}}: rows corrected on this page
KEY_PROBLEMS = "import.problems"  # the last check's rejected and flagged rows
EDITABLE_ROWS = 1000  # per table on screen; all of them are in the downloadable CSV
REASON = "⚠"


def target_label(target: str) -> str:
    key = f"field.{target}" if target in F.CARD_TARGETS and target != F.KIND else f"target.{target}"
    return tr(key)


def _by_file(problems: list[dict]) -> dict[str, list[dict]]:
    by_file: dict[str, list[dict]] = {}
    for row in problems:
        by_file.setdefault(row["file"], []).append(row)
    return by_file


def _fix_rows(problems: list[dict], fixes: dict, others: set[str]) -> None:
    """The rejected and flagged rows of the last check, editable in place; a corrected row is used as typed
    by the next check and by the import (its edits are taken at the start of each run: `_take_edits`). The rows
    of a table that holds no client records (`others`) are shown, not offered for correction: no cell would change
    that."""
    by_file = _by_file(problems)
    if set(by_file) <= others:  # nothing here a correction would import
        st.markdown(f"**{tr('import.fix_title_other')}**")
    else:
        st.markdown(f"**{tr('import.fix_title')}**")
        st.caption(tr("import.fix_help"))
    for source, rows in by_file.items():
        shown = rows[:EDITABLE_ROWS]
        frame = pd.DataFrame([r["cells"] for r in shown], columns=rows[0]["header"]).astype(str)
        frame.insert(0, REASON, [r["reason"] for r in shown])
        frame.index = [r["row"] for r in shown]
        st.caption(tr("import.fix_file", file=source, count=_ui.fmt_int(len(rows))))
        grid = {"width": "stretch", "height": min(35 * (len(frame) + 1) + 3, 500),
                "column_config": {REASON: st.column_config.TextColumn(tr("import.report.reason"), width="large")}}  # fmt: skip
        if source in others:
            st.dataframe(frame, **grid)
        else:
            st.data_editor(frame, key=_grid_key(source), disabled=[REASON], **grid)
        if len(rows) > EDITABLE_ROWS:
            st.caption(tr("import.fix_more", count=_ui.fmt_int(len(rows) - EDITABLE_ROWS)))
    corrected = sum(len(v) for v in fixes.values())
    if corrected:
        st.info(tr("import.fix_count", count=corrected))


def _lines(numbers: list[int], most: int = 20) -> str:
    """Line numbers to show: the first `most`, then how many more."""
    shown = ", ".join(_ui.fmt_int(n) for n in numbers[:most])
    return shown if len(numbers) <= most else f"{shown} … (+{_ui.fmt_int(len(numbers) - most)})"


def _holds_no_clients(item) -> bool:
    """A known program's table of no client records (`Mapping.table_kind` "other"): its rows are not imported."""
    return item.mapping is not None and item.mapping.table_kind == "other"


def _grid_key(source: str) -> str:
    return f"import.fix.{source}.{st.session_state.get('import.checks', 0)}"


def _take_edits(problems: list[dict], fixes: dict) -> None:
    """Corrections typed into the rows-to-fix grids, read from the grids' own state at the start of the run,
    before the buttons act (a cell edited and a button clicked at once arrive in one run; the grids are drawn
    after the buttons)."""
    for source, rows in _by_file(problems).items():
        state = st.session_state.get(_grid_key(source)) or {}
        header, shown = rows[0]["header"], rows[:EDITABLE_ROWS]
        for position, change in (state.get("edited_rows") or {}).items():
            row = shown[int(position)]
            before = [str(v) for v in row["cells"]]
            cells = list(before)
            for column, value in change.items():
                if column in header:
                    cells[header.index(column)] = "" if value is None else str(value)
            if cells != before:
                fixes.setdefault(source, {})[int(row["row"])] = cells


def _digest(uploads) -> str:
    """The uploaded files' content digest, computed once per upload: each rerun (any click on the page) would
    otherwise copy and hash every byte again (0.13 s for the 150 MB of a million-row file)."""
    known = st.session_state.setdefault("import.digests", {})
    ids = tuple(u.file_id for u in uploads)
    if ids not in known:
        known.clear()  # only the current uploads' digest is worth keeping
        known[ids] = hashlib.sha1(b"".join(hashlib.sha1(u.getvalue()).digest() for u in uploads)).hexdigest()
    return known[ids]


@st.cache_resource(show_spinner=False, max_entries=4)
def _prepare(_conn, digest: str, _uploads: list, lang: str, version: str):
    """The uploaded files read, detected and mapped, once per content (`digest`). Kept as one shared object that
    the page never changes (corrections and mapping edits make new ones): a million-row table is held once, not
    copied at every rerun as `cache_data` would, and its bytes are not hashed again."""
    return prepare(_conn, [(u.name, u.getvalue()) for u in _uploads], lang=lang)


uploads = st.file_uploader(tr("import.upload"), accept_multiple_files=True, key="import.files")
tab_new, tab_history = st.tabs([tr("import.tab_new"), tr("import.tab_history")])

with tab_new:
    if not uploads:
        st.info(tr("import.none"))
    else:
        digest = _digest(uploads)
        try:
            prepared = _prepare(conn, digest, uploads, _ui.lang(), _ui.data_version())
        except UnreadableFile as exc:
            st.error(tr(exc.code, **exc.params))
            st.stop()
        if "import.last" not in st.session_state:  # a large table to check or import: its helper loads meanwhile
            warm_helper(prepared)
        edits = st.session_state.setdefault(KEY_EDITS, {})
        for index, item in enumerate(prepared):
            table = item.table
            label = table.source
            if _holds_no_clients(item):
                label = f"{label} · {tr('import.not_clients.label')}"
            with st.expander(label, expanded=len(prepared) <= 3):
                facts = [tr(f"import.kind.{table.file_kind}")]
                if item.mapping and item.mapping.profile:
                    facts.append(tr("import.detected_program", program=F.PROFILES[item.mapping.profile]["label"]))
                if table.encoding:
                    facts.append(tr("import.detected_encoding", encoding=table.encoding))
                if table.delimiter:
                    facts.append(tr("import.detected_delimiter", delimiter=repr(table.delimiter)))
                if item.mapping and item.mapping.table_kind in ("invoices", "payments"):
                    facts.append(tr(f"import.table.{item.mapping.table_kind}"))
                if item.mapping:
                    facts.append(
                        tr("import.detected_header", row=table.header_row + 1, rows=_ui.fmt_int(len(table.rows)))
                    )
                else:
                    facts.append(tr("import.detected_invoices", count=_ui.fmt_int(len(item.invoices))))
                st.caption(" · ".join(facts))
                if item.problem:
                    st.error(item.problem)
                if table.skipped:
                    st.caption(tr("import.skipped_rows", rows=_lines([n for n, _r in table.skipped])))
                for kind in ("long", "short"):
                    lines = [n for n, k in table.ragged if k == kind]
                    if lines:
                        st.warning(tr(f"import.ragged.{kind}", rows=_lines(lines)))
                if len(prepared) > 1 and not item.problem and not (item.mapping and _holds_no_clients(item)):
                    st.radio(tr("import.on_duplicate_table"), ["", "update", "skip", "create"], horizontal=True,
                             format_func=lambda v: tr(f"import.dup.{v or 'as_all'}"),
                             key=f"import.dup_of.{digest}.{index}")  # fmt: skip
                if item.mapping is None:
                    continue
                if _holds_no_clients(item):
                    profile = F.PROFILES[item.mapping.profile]
                    st.warning(
                        tr("import.not_clients.page", reason=tr(profile["not_clients"], program=profile["label"]))
                    )
                frame = pd.DataFrame(
                    {
                        "source": [c.source for c in item.mapping.columns],
                        "samples": [" | ".join(c.samples[:3]) for c in item.mapping.columns],
                        "target": [c.target for c in item.mapping.columns],
                        "reason": [tr(f"import.reason.{c.reason}") for c in item.mapping.columns],
                    }
                )
                edited = st.data_editor(
                    frame,
                    key=f"import.map.{digest}.{index}",
                    hide_index=True,
                    width="stretch",
                    height=min(35 * (len(frame) + 1) + 3, 600),
                    disabled=["source", "samples", "reason"],
                    column_config={
                        "source": tr("import.col.source"),
                        "samples": tr("import.col.samples"),
                        "target": st.column_config.SelectboxColumn(
                            tr("import.col.target"), options=list(F.ALL_TARGETS), format_func=target_label,
                            required=True,
                        ),
                        "reason": tr("import.col.reason"),
                    },
                )  # fmt: skip
                changes = {
                    s: tg for s, tg, old in zip(edited["source"], edited["target"], frame["target"], strict=True)
                    if tg != old
                }  # fmt: skip
                edits[f"{digest}.{index}"] = changes

        c1, c2, c3 = st.columns(3)
        on_duplicate = c1.radio(
            tr("import.on_duplicate"), ["update", "skip", "create"], format_func=lambda v: tr(f"import.dup.{v}"),
            key="import.on_duplicate",
        )  # fmt: skip
        strict = c2.checkbox(tr("import.strict"), key="import.strict", help=tr("import.strict_help"))
        unmapped = c3.radio(
            tr("import.unmapped"), [F.CUSTOM, F.NOTES], format_func=lambda v: tr(f"target.{v}"), key="import.unmapped"
        )
        chosen_for = {item.table.source: st.session_state.get(f"import.dup_of.{digest}.{index}")
                      for index, item in enumerate(prepared)}  # fmt: skip
        options = Options(on_duplicate=on_duplicate, strict=strict, unmapped=unmapped, lang=_ui.lang(),
                          region=_ui.region(), on_duplicate_of={k: v for k, v in chosen_for.items() if v})  # fmt: skip

        fixes = st.session_state.setdefault(KEY_FIXES, {}).setdefault(digest, {})

        def _mapped():
            """The prepared tables with the mapping edits made above."""
            result = []
            for index, item in enumerate(prepared):
                change = edits.get(f"{digest}.{index}") or {}
                if item.mapping is not None and change:
                    item = type(item)(item.table, item.mapping.with_targets(change), item.invoices, item.problem)
                result.append(item)
            return result

        def _final():
            return with_fixes(_mapped(), fixes)

        if st.session_state.get(KEY_PROBLEMS) and "import.last" not in st.session_state:
            _take_edits(st.session_state[KEY_PROBLEMS], fixes)
        b1, b2 = st.columns(2)
        if b1.button(tr("import.check"), key="import.dry", width="stretch"):
            with st.spinner(tr("import.checking")):
                checked = execute(conn, _final(), options, dry_run=True)
                st.session_state["import.preview"] = checked.as_json()
                st.session_state[KEY_PROBLEMS] = problem_rows(checked, _ui.lang())
                st.session_state["import.checks"] = st.session_state.get("import.checks", 0) + 1  # fresh grids
                st.session_state.pop("import.last", None)
        if b2.button(tr("import.run"), type="primary", key="import.go", width="stretch"):
            # the check's results go now (the fixes typed into them are kept): the import reports afresh, and a
            # million rows' results need not be held twice while it runs
            st.session_state.pop("import.preview", None)
            st.session_state.pop(KEY_PROBLEMS, None)
            bar = st.progress(0.0, text=tr("import.running"))
            report = execute(
                conn, _final(), options,
                progress=lambda done, total: bar.progress(min(1.0, done / max(total, 1)), text=tr("import.running")),
            )  # fmt: skip
            bar.empty()
            _ui.bump()
            st.session_state["import.last"] = report.as_json()
            st.session_state["import.last_csv"] = problem_rows_csv(report, _ui.lang())
            st.session_state[KEY_FIXES].pop(digest, None)
            st.cache_data.clear()

        shown = st.session_state.get("import.last") or st.session_state.get("import.preview")
        if shown:
            done = "import.last" in st.session_state
            st.subheader(tr("import.result_done" if done else "import.result_preview"))
            cols = st.columns(6)
            for col, name in zip(
                cols, ("rows_read", "created", "updated", "skipped", "rejected", "flagged"), strict=True
            ):
                col.metric(tr(f"import.count.{name}"), _ui.fmt_int(shown[name]))
            st.caption(
                tr("import.sum_check", **{k: _ui.fmt_int(v) if isinstance(v, int) else v for k, v in shown.items()})
            )
            problems = st.session_state.get(KEY_PROBLEMS) if not done else None
            if problems:
                others = {i.table.source for i in _mapped() if _holds_no_clients(i)}
                _fix_rows(problems, fixes, others)
            elif shown["errors"]:
                st.dataframe(pd.DataFrame(shown["errors"]), hide_index=True, width="stretch")
            if done:
                st.success(tr("import.done", batch=shown["batch_id"]))
                st.download_button(
                    tr("import.download_problems"), data=st.session_state["import.last_csv"],
                    file_name=f"cartella-import-{shown['batch_id']}-to-fix.csv", mime="text/csv",
                    key="import.dl_csv", on_click="ignore",
                )  # fmt: skip
                st.download_button(
                    tr("import.download_report"), data=json.dumps(shown, ensure_ascii=False, indent=2, default=str),
                    file_name=f"cartella-import-{shown['batch_id']}.json", mime="application/json",
                    key="import.dl_json", on_click="ignore",
                )  # fmt: skip


def undo_batch(batch_id: int) -> None:
    try:
        with _ui.uow(conn) as uow:
            result = undo(uow, batch_id)
            uow.commit()
    except ImportError_ as exc:
        _ui.flash(tr(exc.code, **exc.params), "error")
    else:
        _ui.bump()
        st.cache_data.clear()
        said = []
        if any(result[k] for k in ("removed", "restored", "kept")) or not result["unpaid"]:
            said.append(tr("import.undo_done", removed=len(result["removed"]), restored=len(result["restored"]),
                           kept=len(result["kept"])))  # fmt: skip
        if result["unpaid"]:  # a batch of payments: its invoices' payment state
            said.append(tr("import.undo_unpaid", count=len(result["unpaid"])))
        _ui.flash(" ".join(said))
    st.rerun()


@st.dialog(tr("import.undo_title"))
def _confirm_undo(batch_id: int) -> None:
    st.write(tr("import.undo_confirm", batch=batch_id))
    c1, c2 = st.columns(2)
    if c1.button(tr("import.undo"), type="primary", key="import.undo_yes"):
        undo_batch(batch_id)
    if c2.button(tr("common.cancel"), key="import.undo_no"):
        st.rerun()


with tab_history:
    batches = list_batches(conn)
    if batches.empty:
        st.info(tr("import.no_history"))
    for batch in batches.itertuples():
        with st.container(border=True):
            files = ", ".join(json.loads(batch.files))
            st.markdown(
                f"**{tr('import.batch', batch=batch.batch_id)}** · {format_datetime(batch.started_at, _ui.lang())}"
            )
            st.caption(f"{files} · " + tr("import.sum_check", rows_read=batch.rows_read, created=batch.created,
                                          updated=batch.updated, skipped=batch.skipped, rejected=batch.rejected))  # fmt: skip
            if batch.status == "undone":
                st.caption(tr("import.undone_on", date=format_datetime(batch.undone_at, _ui.lang())))
            elif st.button(tr("import.undo"), key=f"import.undo.{batch.batch_id}"):
                _confirm_undo(int(batch.batch_id))
