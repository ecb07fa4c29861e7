"""The whole import, as the CLI and the Import page use it: read -> detect -> map -> plan -> commit.

`prepare` reads the files and proposes a mapping for each table (nothing is written); `execute` plans every
row and, unless it is a dry run, commits the batch in one transaction.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import gc
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from core.i18n import t
from core.services import now
from core.store.uow import UnitOfWork
from importers import fatturapa
from importers import fields as F
from importers.columnar import ArrowRows
from importers.mapping import Mapping, signature, suggest_mapping
from importers.pipeline import Options, Planner, commit
from importers.plan import Outcome, Plan
from importers.read import Table, UnreadableFile, max_import_bytes, read_bytes, read_tables
from importers.rows import Message, values_row


@contextlib.contextmanager
def _no_cyclic_gc():
    """Pause Python's cyclic garbage collector while a file's rows are read and planned.

    An import builds hundreds of thousands of small, acyclic objects; the collector would walk all of them
    again and again (a 100k-row import spent a third of its time there). Reference counting still frees
    memory as usual; the collector resumes, and runs once, at the end.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass
class Prepared:
    table: Table
    mapping: Mapping | None  # None for e-invoice files
    invoices: list = field(default_factory=list)  # parsed FatturaPA documents
    problem: str = ""  # a file that could not be understood: said, and counted as one rejected row
    problem_key: tuple = ()  # its message key and parameters

    @property
    def signature(self) -> str:
        return signature(self.table.header)


@dataclass
class Report:
    counts: dict
    errors: list[dict]
    batch_id: int | None
    files: list[dict]
    plan: Plan

    def as_json(self) -> dict:
        return {**self.counts, "batch_id": self.batch_id, "files": self.files, "errors": self.errors}


def _prepare_table(conn, table: Table, *, profile: str | None, overrides: dict | None, unmapped: str,
                   lang: str) -> Prepared:  # fmt: skip
    if table.file_kind == "unreadable":  # a member of an archive that could not be read: said, never skipped
        return _problem(table, lang, table.sheets[0], {"file": table.source})
    if table.file_kind == "fatturapa":
        try:
            data = table.data
            if not data.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"<"):
                data = fatturapa.unwrap_p7m(data)
            invoices = fatturapa.parse(data, table.source)
            problems = fatturapa.validate_schema(data)
            if problems:
                note = t("import.xml.schema", lang, count=len(problems), first=problems[0][-160:])
                for invoice in invoices:
                    invoice.warnings.append(note)
            return Prepared(table, None, invoices)
        except fatturapa.FatturaPAError as exc:
            params = {"file": table.source, **exc.params}
            if exc.code == "import.xml.unsafe":  # an entity or a DTD: a hostile file stops the import, as a bomb
                raise UnreadableFile(exc.code, **params) from exc
            return _problem(table, lang, exc.code, params)
    with UnitOfWork(conn) as uow:
        saved = uow.imports.saved_mapping(signature(table.header))
    mapping = suggest_mapping(table.header, table.rows, saved=saved, unmapped=unmapped, profile=profile)
    if overrides:
        mapping = mapping.with_targets({k: v for k, v in overrides.items() if k in table.header})
    return Prepared(table, mapping)


def _problem(table: Table, lang: str, code: str, params: dict) -> Prepared:
    return Prepared(table, None, problem=t(code, lang, **params), problem_key=(code, params))


def prepare(conn, files: list[Path] | list[tuple[str, bytes]], *, profile: str | None = None,
            overrides: dict | None = None, unmapped: str = F.CUSTOM, lang: str = "en",
            max_bytes: int | None = None) -> list[Prepared]:  # fmt: skip
    """Read every file (paths, or (name, bytes) uploads) and propose mappings. Raises UnreadableFile, also when
    no file holds anything to import. `max_bytes`: the size limit (default: `read.max_import_bytes`)."""
    max_bytes = max_import_bytes() if max_bytes is None else max_bytes
    if profile and profile not in F.PROFILES:
        raise ValueError(f"unknown profile {profile!r}; known: {', '.join(sorted(F.PROFILES))}")
    prepared = []
    with _no_cyclic_gc():
        for item in files:
            prepared += _prepare_file(conn, item, profile=profile, overrides=overrides, unmapped=unmapped,
                                      lang=lang, max_bytes=max_bytes)  # fmt: skip
    if prepared and all(item.problem for item in prepared):  # nothing could be read at all: nothing to import
        code, params = prepared[0].problem_key
        raise UnreadableFile(code, **params)
    return prepared


def warm_helper(prepared: list[Prepared]) -> None:
    """Start the chunk helper ahead of planning when a prepared client table is large enough to use it (see
    `client_table.plan_client_table`), so that checking or importing it does not wait for the helper to load."""
    from importers import client_table, worker

    if any(item.mapping is not None and len(item.table.rows) >= client_table.HELPER_MIN_ROWS for item in prepared):
        worker.start_early()


def _prepare_file(conn, item, *, profile, overrides, unmapped, lang, max_bytes) -> list[Prepared]:
    if isinstance(item, tuple):
        tables = read_bytes(item[1], item[0], max_bytes=max_bytes)
    else:
        tables = read_tables(Path(item), max_bytes=max_bytes)
    return [
        _prepare_table(conn, table, profile=profile, overrides=overrides, unmapped=unmapped, lang=lang)
        for table in tables
    ]


def _einvoice_rows(planner: Planner, item: Prepared, lang: str) -> None:
    if item.problem:
        planner.plan.outcomes.append(
            Outcome(item.table.source, 1, "reject", [], [], messages=[Message("", "", item.problem)])
        )
        return
    for index, doc in enumerate(item.invoices, start=1):
        outcome = Outcome(item.table.source, index, "reject", [doc.number, str(doc.date)], ["number", "date"])
        planner.plan.outcomes.append(outcome)
        client = values_row(dict(doc.client), strict=planner.options.strict, lang=lang, region=planner.options.region)
        ref = None
        if not client.rejected:
            card = planner._card_from(client)
            ref = planner.index.find({**card.model_dump(), "display_name": card.display_name})
            if ref is not None and planner.options.on_duplicate == "update":
                card_outcome = Outcome(outcome.file, outcome.row, "reject", [], [])
                planner.place_card(card_outcome, client)
                ref = card_outcome.ref
        outcome.messages.extend(Message("", "", w) for w in getattr(doc, "warnings", []))
        invoice = {
            "number": doc.number, "issue_date": doc.date, "document_type": doc.document_type,
            "currency": doc.currency or "EUR", "net": doc.net, "vat": doc.vat, "total": doc.total,
            "paid_date": None, "source": item.table.source,
            "extra": json.dumps({"format": doc.format, "stamp_duty": str(doc.stamp_duty),
                                 "withholding": str(doc.withholding), "causale": doc.causale}, ensure_ascii=False),
        }  # fmt: skip
        # an invoice's number is its issuer's: two professionals' invoice 1 are two
        issuer = doc.supplier.get("vat_number") or doc.supplier.get("tax_code") or ""
        planner.add_invoice(outcome, client, ref, invoice, issuer=issuer)


def execute(conn, prepared: list[Prepared], options: Options, *, dry_run: bool = False,
            progress: Callable[[int, int], None] | None = None, save_mappings: bool = True) -> Report:  # fmt: skip
    """Plan every row of every table; commit them all in one transaction unless `dry_run`."""
    with _no_cyclic_gc():
        return _execute(conn, prepared, options, dry_run=dry_run, progress=progress, save_mappings=save_mappings)


def _execute(conn, prepared: list[Prepared], options: Options, *, dry_run: bool,
             progress: Callable[[int, int], None] | None, save_mappings: bool) -> Report:  # fmt: skip
    plan = Plan()
    with UnitOfWork(conn) as uow:
        try:
            batch_id = _plan_and_commit(uow, plan, prepared, options, dry_run=dry_run, progress=progress,
                                        save_mappings=save_mappings)  # fmt: skip
        finally:
            plan.new_cards.close()  # the cards a large table set aside on disk
    files = [
        {"file": p.table.source, "kind": p.table.file_kind, "encoding": p.table.encoding,
         "delimiter": p.table.delimiter, "header_row": p.table.header_row,
         "profile": p.mapping.profile if p.mapping else None,
         "table": p.mapping.table_kind if p.mapping else "einvoices",
         "rows": len(p.table.rows) if p.mapping else len(p.invoices),
         "long_rows": [n for n, k in p.table.ragged if k == "long"],
         "short_rows": [n for n, k in p.table.ragged if k == "short"]}
        for p in prepared
    ]  # fmt: skip
    return Report(plan.counts(), plan.errors(), batch_id, files, plan)


def _plan_and_commit(uow: UnitOfWork, plan: Plan, prepared: list[Prepared], options: Options, *, dry_run: bool,
                     progress: Callable[[int, int], None] | None, save_mappings: bool) -> int | None:  # fmt: skip
    """Plan every table into `plan`; write it and commit unless `dry_run`. Returns the batch id."""
    total = sum(len(p.table.rows) or max(1, len(p.invoices)) for p in prepared)
    done = 0
    planner = Planner(uow, options, plan)
    plan.files = sorted({p.table.source.split("#")[0] for p in prepared})
    payments_last = sorted(prepared, key=lambda p: p.mapping is not None and p.mapping.table_kind == "payments")
    for item in payments_last:  # a payment pays an invoice of any table of the import
        table = item.table
        planner.options = options.for_table(table.source)
        if item.mapping is None:
            _einvoice_rows(planner, item, options.lang)
        elif item.mapping.table_kind == "invoices":
            planner.add_invoice_table(table.source, table.header, table.rows, table.row_numbers, item.mapping)
        elif item.mapping.table_kind == "payments":
            planner.add_payment_table(table.source, table.header, table.rows, table.row_numbers, item.mapping)
        elif item.mapping.table_kind == "other":
            planner.add_other_table(table.source, table.header, table.rows, table.row_numbers, item.mapping)
        else:
            base = done

            def tick(n, base=base):
                if progress:
                    progress(base + n, total)

            planner.add_client_table(table.source, table.header, table.rows, table.row_numbers, item.mapping,
                                     progress=tick)  # fmt: skip
        done += len(table.rows) or max(1, len(item.invoices))
        if progress:
            progress(done, total)
    del planner  # its match index is not needed to write the plan: its memory goes back before the insert
    if dry_run:
        return None
    batch_id = commit(uow, plan, options)
    if save_mappings:
        for item in prepared:
            if item.mapping is not None and any(c.reason == "user" for c in item.mapping.columns):
                uow.imports.save_mapping(item.signature, item.mapping.targets(), now())
    uow.commit()
    return batch_id


def problem_rows(report: Report, lang: str = "en") -> list[dict]:
    """Rejected and flagged rows with their source cells and why: what the user fixes (page or CSV)."""
    rows = []
    for outcome in report.plan.outcomes:
        if outcome.action != "reject" and not outcome.flagged:
            continue
        reason = "; ".join(f"{m.column}: {m.message}" if m.column else m.message for m in outcome.messages)
        rows.append({"file": outcome.file, "row": outcome.row, "action": outcome.action,
                     "header": list(outcome.header), "cells": outcome.cells(),
                     "reason": f"{t(f'import.report.{outcome.action}', lang)}: {reason}"})  # fmt: skip
    return rows


def problem_rows_csv(report: Report, lang: str = "en") -> bytes:
    """Rejected and flagged rows, each source table in its own layout plus a reason column, ready to fix."""
    out = io.StringIO()
    writer = csv.writer(out)
    current = None
    for row in problem_rows(report, lang):
        if (row["file"], tuple(row["header"])) != current:
            current = (row["file"], tuple(row["header"]))
            writer.writerow([*row["header"], t("import.report.reason", lang), t("import.report.file", lang)])
        writer.writerow([*row["cells"], row["reason"], f"{row['file']}:{row['row']}"])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def with_fixes(prepared: list[Prepared], fixes: dict[str, dict[int, list[str]]]) -> list[Prepared]:
    """The prepared tables with rows corrected by hand ({source: {row number: cells}}); originals untouched."""
    result = []
    for item in prepared:
        changes = fixes.get(item.table.source) or {}
        if changes and item.mapping is not None:
            rows, numbers = item.table.rows, item.table.row_numbers
            if isinstance(rows, ArrowRows):  # a large table: only the corrected cells are replaced
                rows = _fixed_columns(rows, numbers, changes)
            else:
                rows = [list(changes.get(number, row)) for row, number in zip(rows, numbers, strict=True)]
            item = dataclasses.replace(item, table=dataclasses.replace(item.table, rows=rows))
        result.append(item)
    return result


def _fixed_columns(rows: ArrowRows, numbers: list[int], changes: dict[int, list[str]]) -> ArrowRows:
    """Rows held as Arrow columns with some rows replaced ({row number: cells}), without turning the others into
    Python rows (a million of them would take gigabytes)."""
    import numpy
    import pyarrow as pa
    import pyarrow.compute as pc

    at = {number: i for i, number in enumerate(numbers) if number in changes}
    if not at:
        return rows
    mask = numpy.zeros(len(numbers), dtype=bool)
    mask[list(at.values())] = True
    order = sorted(at, key=at.__getitem__)  # the changed rows in table order, as replace_with_mask fills them
    columns = []
    for j, column in enumerate(rows.arrays):
        cells = [changes[number][j] if j < len(changes[number]) else "" for number in order]
        whole = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
        columns.append(pc.replace_with_mask(whole, pa.array(mask), pa.array(cells, whole.type)))
    return ArrowRows(columns)


__all__ = ["Options", "Prepared", "Report", "UnreadableFile", "execute", "prepare", "problem_rows", "problem_rows_csv",
           "with_fixes"]  # fmt: skip
