# A large client table is prepared partly by a second process (importers/worker.py) while this one matches:
# the plan must be the one made without it, whether the helper works, fails at once, answers nonsense or is
# left behind by an error; and the helper never outlives the planning.
import os
import sys

import pytest

import importers.client_table as client_table
import importers.worker as worker
from bench.data import italian_csv
from importers import fields as F
from importers.columnar import ArrowRows
from importers.mapping import suggest_mapping
from importers.pipeline import Options
from importers.read import read_tables
from tests.unit.test_import_columns import TRICKY_HEADER, TRICKY_ROWS, assert_same, both_ways, table


@pytest.fixture
def conn(tmp_path):
    from core.store import connect

    connection = connect(tmp_path / "c.duckdb")
    yield connection
    connection.close()


@pytest.fixture
def helped(monkeypatch):
    """Chunks of 2,000 rows, every table helped, the helper preparing two chunks of three; records what the
    helper handed back (None where it could not) and every helper started."""
    monkeypatch.setattr(client_table, "CHUNK_ROWS", 2000)
    monkeypatch.setattr(client_table, "HELPER_MIN_ROWS", 0)
    monkeypatch.setattr(client_table, "HERE_EVERY", 3)
    seen = {"results": [], "helpers": []}
    result, start = worker.ChunkWorker.result, worker.ChunkWorker.__init__

    def spy_result(self):
        prepared = result(self)
        seen["results"].append(prepared is not None)
        return prepared

    def spy_start(self, *args, **kwargs):
        start(self, *args, **kwargs)
        seen["helpers"].append(self)

    monkeypatch.setattr(worker.ChunkWorker, "result", spy_result)
    monkeypatch.setattr(worker.ChunkWorker, "__init__", spy_start)
    return seen


@pytest.fixture
def bench_table(tmp_path):
    path = italian_csv(tmp_path / "bench.csv", 7000)  # four chunks, the last one short
    (tab,) = read_tables(path)
    assert isinstance(tab.rows, ArrowRows)
    return [(tab.source, tab.header, tab.rows, suggest_mapping(tab.header, tab.rows))]


def _all_stopped(seen) -> bool:
    return bool(seen["helpers"]) and all(h._process.poll() is not None for h in seen["helpers"])


@pytest.mark.parametrize("on_duplicate", ["update", "skip", "create"])
def test_chunks_prepared_by_the_helper_are_planned_alike(conn, helped, bench_table, on_duplicate):
    result = assert_same(conn, bench_table, Options(on_duplicate=on_duplicate))
    assert helped["results"] == [True, True]  # chunks 2 and 3 of 4 came from the helper
    assert result["counts"]["flagged"] > 0 and result["counts"]["duplicates"] > 0
    assert _all_stopped(helped)


def test_rows_held_as_lists_are_sent_to_the_helper_alike(conn, helped, monkeypatch):
    monkeypatch.setattr(client_table, "CHUNK_ROWS", 2)  # the tricky rows in chunks of two, every rule on the way
    tables = [table(TRICKY_HEADER, TRICKY_ROWS, **{"Cognome Nome": F.FULL_NAME_LAST_FIRST, "Città 2": "city",
                                                    "Email 2": "emails", "CF / P.IVA": F.TAX_OR_VAT})]  # fmt: skip
    assert_same(conn, tables, Options(strict=True))
    assert helped["results"] and all(helped["results"])


@pytest.mark.parametrize(
    "command",
    [
        [sys.executable, "-c", "import sys; sys.exit(3)"],  # dies before answering
        [sys.executable, "-c", "import sys; sys.stdin.buffer.read(1); sys.stdout.buffer.write(b'nonsense')"],
        ["/nonexistent/python"],  # cannot even start
    ],
    ids=["dies", "nonsense", "missing"],
)
def test_a_failing_helper_leaves_the_work_here(conn, helped, bench_table, monkeypatch, command):
    monkeypatch.setattr(worker, "COMMAND", command)
    by_columns, by_rows = both_ways(conn, bench_table, Options())
    assert by_columns == by_rows  # every chunk prepared here instead, the same plan
    assert True not in helped["results"]
    assert command[0].startswith("/nonexistent") or _all_stopped(helped)


def test_the_helper_is_stopped_when_planning_fails(conn, helped, bench_table):
    from core.store import UnitOfWork
    from importers.pipeline import Planner

    def progress(done: int) -> None:
        if done > 2000:
            raise KeyboardInterrupt  # the user stops the import halfway

    source, header, rows, mapping = bench_table[0]
    with UnitOfWork(conn) as uow, pytest.raises(KeyboardInterrupt):
        Planner(uow, Options()).add_client_table(source, header, rows, list(range(len(rows))), mapping, progress)
    assert _all_stopped(helped)


def test_a_helper_started_early_is_taken_by_the_planning(conn, helped, bench_table):
    worker.start_early()
    early = worker._early
    assert early is not None and early.poll() is None
    assert_same(conn, bench_table, Options())
    assert worker._early is None and helped["helpers"][0]._process is early  # the same process did the work
    assert helped["results"] == [True, True] and _all_stopped(helped)


def test_a_helper_started_early_and_never_needed_ends_with_its_input():
    worker.start_early()
    early, worker._early = worker._early, None
    early.stdin.close()  # as when the importing process ends
    assert early.wait(timeout=30) == 0
    early.stdout.close()


def test_the_helper_is_kept_at_most_a_few_chunks_ahead_on_disk(conn, helped, bench_table, monkeypatch):
    monkeypatch.setattr(client_table, "CHUNK_ROWS", 1000)  # seven chunks: the helper prepares 1, 2, 4 and 5
    monkeypatch.setattr(worker, "AHEAD", 1)
    on_disk, write = [], worker._write_table

    def spy_write(path, table):
        folder = os.path.dirname(path)
        if os.path.basename(path).startswith("chunk-"):
            on_disk.append(sum(name.startswith("chunk-") for name in os.listdir(folder)))
        write(path, table)

    monkeypatch.setattr(worker, "_write_table", spy_write)
    assert_same(conn, bench_table, Options())
    assert helped["results"] == [True] * 4 and on_disk == [0, 0, 0, 0]  # each written once the one before was taken
    assert not os.path.exists(helped["helpers"][0]._folder)


def test_a_helper_started_early_and_left_idle_ends_by_itself(monkeypatch):
    monkeypatch.setattr(worker, "IDLE_SECONDS", 1)
    worker.start_early()
    early, worker._early = worker._early, None
    assert early.wait(timeout=30) == 0  # its input still open: it ended on its own
    early.stdin.close()
    early.stdout.close()


def test_a_large_prepared_table_warms_a_helper_and_a_small_one_does_not(bench_table, monkeypatch):
    from importers.run import Prepared, warm_helper

    _source, _header, rows, mapping = bench_table[0]
    table = type("T", (), {"rows": rows})()
    monkeypatch.setattr(client_table, "HELPER_MIN_ROWS", len(rows) + 1)
    warm_helper([Prepared(table, mapping, [], None)])
    assert worker._early is None
    monkeypatch.setattr(client_table, "HELPER_MIN_ROWS", len(rows))
    warm_helper([Prepared(table, mapping, [], None)])
    early, worker._early = worker._early, None
    assert early is not None and early.poll() is None
    early.kill()
    early.wait()
    early.stdin.close()
    early.stdout.close()


def test_the_helper_runs_this_project_whatever_folder_the_import_starts_from(conn, helped, bench_table, tmp_path,
                                                                               monkeypatch):  # fmt: skip
    decoy = tmp_path / "elsewhere" / "importers"
    decoy.mkdir(parents=True)
    (decoy / "__init__.py").write_text("raise SystemExit('another importers package')\n")
    monkeypatch.chdir(decoy.parent)
    assert_same(conn, bench_table, Options())
    assert helped["results"] == [True, True]


def test_folders_left_by_killed_imports_are_removed(conn, helped, bench_table, tmp_path, monkeypatch):
    import tempfile
    import time

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    stale, recent, other = tmp_path / "cartella-import-old", tmp_path / "cartella-import-new", tmp_path / "other"
    for folder in (stale, recent, other):
        folder.mkdir()
        (folder / "chunk-0.arrow").write_bytes(b"client data")
    hours_ago = time.time() - 2 * 3600
    for folder in (stale, other):
        os.utime(folder, (hours_ago, hours_ago))
    assert_same(conn, bench_table, Options())
    assert not stale.exists() and recent.exists() and other.exists()  # another import may be using the recent one
    assert [p.name for p in tmp_path.glob("cartella-import-*")] == ["cartella-import-new"]  # its own folder went too


def test_memory_is_given_back_with_or_without_glibc(monkeypatch):
    import pyarrow as pa

    kept = pa.array([str(i) for i in range(100_000)])  # noqa: F841 - Arrow memory in use is not given back
    before = pa.total_allocated_bytes()
    worker.release_memory()
    assert pa.total_allocated_bytes() == before
    real = worker._glibc
    monkeypatch.setattr(worker, "_glibc", lambda: None)  # another system: only Arrow's pool is emptied
    worker.release_memory()
    monkeypatch.setattr(worker.sys, "platform", "darwin")
    assert real.__wrapped__() is None  # asked afresh, not the answer kept for this system
