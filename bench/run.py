"""Cartella's benchmarks: `make bench`, `python -m bench` or `python bench/run.py [--quick]`.

Each figure is the median of several runs with its spread (min-max), measured on this machine, beside a
baseline that does only the plain read of the same file. Results go to bench/results/latest.json and
bench/results/latest.md. Tests never assert timings; `--quick` only keeps the suite working.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.data import (  # noqa: E402
    clients_with_duplicates,
    italian_csv,
    italian_xlsx,
    synthetic_clients,
    synthetic_invoices,
)

RESULTS = ROOT / "bench" / "results"
CACHE = ROOT / "bench" / ".cache"


def _child(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one child process, its own helper processes included: the largest sum
    of the tree's resident memory sampled every 50 ms (the kernel's own peak counts one process at a time)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak_tree, ended = [0], threading.Event()
    sampler = threading.Thread(target=_sample_tree, args=(proc.pid, peak_tree, ended), daemon=True)
    sampler.start()
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    ended.set()
    sampler.join()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {proc.stderr.read().decode()[-500:]}")
    return elapsed, max(usage.ru_maxrss, peak_tree[0]) / 1024


def _sample_tree(root: int, peak: list[int], ended: threading.Event) -> None:
    """Keep in peak[0] the largest resident memory (KB) of process `root` and its descendants, until `ended`."""
    while not ended.is_set():
        total, pending = 0, [root]
        while pending:
            pid = pending.pop()
            total += _rss_kb(pid)
            with contextlib.suppress(OSError, ValueError):  # ended meanwhile
                pending += map(int, Path(f"/proc/{pid}/task/{pid}/children").read_text().split())
        peak[0] = max(peak[0], total)
        ended.wait(0.05)


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _stats(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "runs": len(values)}


def _cached(name: str, make) -> Path:
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / name
    if not path.exists():
        make(path)
    return path


def _bench_import(source: Path, label: str, baseline: str, read, repeat: int) -> dict:
    times, peaks, base = [], [], []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            elapsed, peak = _child([sys.executable, "cli.py", "import", str(source), "--db", f"{tmp}/b.duckdb"])
        times.append(elapsed)
        peaks.append(peak)
        start = time.perf_counter()
        read(source)
        base.append(time.perf_counter() - start)
    return {"step": f"{label} (cli.py, process start included)", "seconds": _stats(times), "baseline": baseline,
            "baseline_seconds": _stats(base), "ratio": statistics.median(times) / statistics.median(base),
            "peak_rss_mb": max(peaks)}  # fmt: skip


def bench_import_csv(rows: int, repeat: int) -> dict:
    import duckdb

    def read(path):
        sql = "SELECT count(*) FROM read_csv(?, encoding='latin-1', all_varchar=true, delim=';', skip=2, header=true)"
        duckdb.connect().execute(sql, [str(path)]).fetchone()

    source = _cached(f"clients-{rows}.csv", lambda p: italian_csv(p, rows))
    return _bench_import(source, f"import CSV {rows:,} rows", "duckdb read_csv (latin-1, all text)", read, repeat)


def bench_import_xlsx(rows: int, repeat: int) -> dict:
    from python_calamine import CalamineWorkbook

    def read(path):
        CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()

    source = _cached(f"clients-{rows}.xlsx", lambda p: italian_xlsx(p, rows))
    return _bench_import(source, f"import XLSX {rows:,} rows", "python-calamine read", read, repeat)


QUERIES = [
    {"search": "rossi"}, {"search": "mario rossi"}, {"search": "nicolo"}, {"search": "3471234"},
    {"search": "example.it"}, {"search": "bncgli"}, {"kind": "company"}, {"kind": "public_administration"},
    {"status": "inactive"}, {"status": "all", "sort": "recent"}, {"sort": "city"}, {"search": "via", "kind": "private"},
    {"search": "zzzz"}, {"page": 101}, {"sort": "number_desc"}, {"search": "bianchi", "status": "all"},
]  # fmt: skip


def bench_client_list(clients: int, repeat: int) -> dict:
    from core.store import connect
    from core.store.queries import ClientQuery, list_clients, page_key

    db = _cached(f"clients-{clients}.duckdb", lambda p: synthetic_clients(p, clients))
    conn = connect(db)
    timings = []
    for _ in range(repeat):
        for spec in QUERIES:
            query = ClientQuery(**spec) if "page" not in spec else None
            if query is None:  # page 101 as the page reaches it: Next from page 100's last card (found untimed)
                previous = list_clients(conn, ClientQuery(offset=(spec["page"] - 2) * 50))[0]
                query = ClientQuery(after=page_key(previous, "name"))
            start = time.perf_counter()
            list_clients(conn, query)
            timings.append((time.perf_counter() - start) * 1000)
    conn.close()
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    return {"step": f"client list: filter + search + sort + first page at {clients:,} cards",
            "ms_p50": statistics.median(timings), "ms_p95": p95, "queries": len(timings)}  # fmt: skip


def _money_db(clients: int, invoices: int) -> Path:
    def make(path: Path) -> None:
        import shutil

        shutil.copy(_cached(f"clients-{clients}.duckdb", lambda p: synthetic_clients(p, clients)), path)
        synthetic_invoices(path, invoices)

    return _cached(f"money-{clients}-{invoices}.duckdb", make)


def bench_summaries(clients: int, invoices: int, repeat: int) -> dict:
    """Every financial summary query, warm, median of `repeat` runs each; the slowest is the headline."""
    import datetime

    from core.store import connect, finance

    db = _money_db(clients, invoices)
    conn = connect(db)
    today = datetime.date(2026, 11, 23)
    year = finance.FinanceFilter(datetime.date(2026, 1, 1), today)
    company = finance.FinanceFilter(year.date_from, today, kind="company", professional="Marco Ferri")
    service = finance.FinanceFilter(year.date_from, today, service_id=2)
    queries = {
        "kpis": lambda: finance.kpis(conn, year, today),
        "kpis (kind + professional)": lambda: finance.kpis(conn, company, today),
        "kpis (service)": lambda: finance.kpis(conn, service, today),
        "revenue by month and kind": lambda: finance.revenue_by_month(conn, year),
        "cumulative this year vs last": lambda: finance.cumulative_by_year(conn, 2026, year, until=today),
        "top clients": lambda: finance.top_clients(conn, year),
        "ageing": lambda: finance.ageing(conn, today),
        "payments by method": lambda: finance.payments_by_method(conn, year),
        "monthly report (cli report)": lambda: finance.monthly_report(conn, 2026),
        "client balance": lambda: finance.client_balance(conn, 4242),
        "invoice list (first page)": lambda: finance.invoice_list(conn, limit=200, today=today),
    }
    timings = {}
    for name, run in queries.items():
        run()  # warm
        runs = []
        for _ in range(repeat):
            start = time.perf_counter()
            run()
            runs.append((time.perf_counter() - start) * 1000)
        timings[name] = statistics.median(runs)
    conn.close()
    slowest = max(timings, key=timings.get)
    detail = ", ".join(f"{k} {v:.0f}" for k, v in timings.items())
    return {"step": f"financial summaries at {clients:,} clients / {invoices:,} invoices",
            "note": f"slowest {slowest}: {timings[slowest]:.0f} ms (ms each: {detail})", "ms": timings}  # fmt: skip


def bench_finance_page(clients: int, invoices: int, repeat: int) -> dict:
    db = _money_db(clients, invoices)
    code = (
        "import time,os;from streamlit.testing.v1 import AppTest;"
        f"os.environ['CARTELLA_DB']={str(db)!r};at=AppTest.from_file({str(ROOT / 'app.py')!r},default_timeout=300);"
        "at.run();t=time.perf_counter();at.switch_page('pages/finance.py').run();"
        "assert not at.exception, at.exception;print(time.perf_counter()-t)"
    )
    times = []
    for _ in range(repeat):
        proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
        times.append(float(proc.stdout.strip().splitlines()[-1]))
    return {"step": f"Finance page first render (AppTest, cold cache) at {clients:,} clients / {invoices:,} invoices",
            "seconds": _stats(times)}  # fmt: skip


def bench_backup(clients: int, invoices: int, repeat: int) -> list[dict]:
    """Backup (checkpoint, copy with SHA-256, verified by opening and counting) and restore (verify, copy,
    reopen, count) of the money database."""
    import shutil

    from core.backup import backup, restore
    from core.store import connect

    source = _money_db(clients, invoices)
    made, back = [], []
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "cartella.duckdb"
        shutil.copy(source, db)
        for n in range(repeat):
            conn = connect(db)
            start = time.perf_counter()
            info = backup(conn, db, Path(tmp) / f"backup-{n}.duckdb")
            made.append(time.perf_counter() - start)
            conn.close()
            start = time.perf_counter()
            restore(Path(info.path), db)
            back.append(time.perf_counter() - start)
            for kept in Path(tmp).glob("*.before-restore-*"):
                kept.unlink()
    label = f"{clients:,} clients / {invoices:,} invoices ({info.size / 1e6:.0f} MB)"
    return [{"step": f"backup, verified, at {label}", "seconds": _stats(made)},
            {"step": f"restore, verified, at {label}", "seconds": _stats(back)}]  # fmt: skip


def bench_duplicates(count: int, repeat: int) -> dict:
    """Likely duplicates among `count` stored cards with known true pairs: time, precision and recall."""
    from core.duplicates import find_duplicates
    from core.store import connect

    truth_file = CACHE / f"duplicates-{count}.truth.json"

    def make(path: Path) -> None:
        truth = clients_with_duplicates(path, count)
        truth_file.write_text(json.dumps(sorted(truth)))

    db = _cached(f"duplicates-{count}.duckdb", make)
    truth = {tuple(p) for p in json.loads(truth_file.read_text())}
    conn = connect(db)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        found = {(p.first, p.second) for p in find_duplicates(conn)}
        times.append(time.perf_counter() - start)
    conn.close()
    hits = len(found & truth)
    precision, recall = hits / max(1, len(found)), hits / max(1, len(truth))
    return {"step": f"duplicate detection at {count:,} cards ({len(truth):,} true pairs)", "seconds": _stats(times),
            "precision": round(precision, 3), "recall": round(recall, 3)}  # fmt: skip


def bench_app_start(clients: int, repeat: int) -> dict:
    db = _cached(f"clients-{clients}.duckdb", lambda p: synthetic_clients(p, clients))
    code = (
        "import time,os;t=time.perf_counter();from streamlit.testing.v1 import AppTest;"
        f"os.environ['CARTELLA_DB']={str(db)!r};at=AppTest.from_file({str(ROOT / 'app.py')!r},default_timeout=120);"
        "at.run();assert not at.exception, at.exception;print(time.perf_counter()-t)"
    )
    times, peaks = [], []
    for _ in range(repeat):
        elapsed, peak = _child([sys.executable, "-c", code])
        times.append(elapsed)
        peaks.append(peak)
    return {"step": f"app start to first page (AppTest, process start included) at {clients:,} cards",
            "seconds": _stats(times), "peak_rss_mb": max(peaks)}  # fmt: skip


def speed_reference() -> float:
    """Seconds a plain Python loop of 20 million additions takes, best of three: how fast the machine ran this
    time (a shared machine's speed drifts by 10% from hour to hour), to compare runs by."""
    best = float("inf")
    for _ in range(3):
        start, total = time.perf_counter(), 0
        for i in range(20_000_000):
            total += i
        best = min(best, time.perf_counter() - start)
    return round(best, 2)


def machine() -> dict:
    import duckdb
    import streamlit

    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    return {"cpu": platform.processor() or platform.machine(), "cores": os.cpu_count(), "memory_gb": round(mem, 1),
            "python": platform.python_version(), "duckdb": duckdb.__version__, "streamlit": streamlit.__version__,
            "date": time.strftime("%Y-%m-%d %H:%M"), "speed reference (s, lower is faster)": speed_reference()}  # fmt: skip


def _fmt(result: dict) -> str:
    if "seconds" in result:
        s = result["seconds"]
        text = f"{s['median']:.2f} s (min {s['min']:.2f}, max {s['max']:.2f}, {s['runs']} runs)"
        if "baseline_seconds" in result:
            text += f" · baseline {result['baseline_seconds']['median']:.3f} s · ratio {result['ratio']:.1f}×"
        if "precision" in result:
            text += f" · precision {result['precision']:.3f} · recall {result['recall']:.3f}"
        return text + (f" · peak RSS {result['peak_rss_mb']:.0f} MB" if "peak_rss_mb" in result else "")
    if "ms_p50" in result:
        return f"p50 {result['ms_p50']:.1f} ms · p95 {result['ms_p95']:.1f} ms ({result['queries']} queries)"
    return result.get("note", "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10k rows / cards, one run each: keeps the suite working")
    parser.add_argument("--rows", type=int, nargs="*", help="import sizes (default 100000; over 200000: CSV, once)")
    parser.add_argument("--clients", type=int, nargs="*", help="client-list sizes (default 100000 1000000)")
    parser.add_argument("--invoices", type=int, default=5_000_000, help="invoices for the summaries (default 5M)")
    parser.add_argument("--repeat", type=int, default=None)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    rows = args.rows or ([10_000] if args.quick else [100_000])
    clients = args.clients or ([10_000] if args.quick else [100_000, 1_000_000])
    repeat = args.repeat or (1 if args.quick else 3)
    results = []
    for n in rows:
        big = n > 200_000  # a million-row CSV is timed once; a workbook that size takes openpyxl an hour to write
        results.append(bench_import_csv(n, 1 if big else repeat))
        if not big:
            results.append(bench_import_xlsx(n, repeat))
    for n in clients:
        results.append(bench_client_list(n, repeat))
    results.append(bench_app_start(clients[0], repeat))
    money_clients, invoices = (10_000, 50_000) if args.quick else (clients[-1], args.invoices)
    results.append(bench_summaries(money_clients, invoices, repeat))
    results.append(bench_finance_page(money_clients, invoices, repeat))
    results += bench_backup(money_clients, invoices, repeat)
    for n in clients:
        results.append(bench_duplicates(n, repeat))
    report = {"machine": machine(), "quick": args.quick, "results": results,
              "peak_rss_mb_bench": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}  # fmt: skip
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "latest.json").write_text(json.dumps(report, indent=2))
    lines = ["# Benchmarks", "", "| machine | value |", "| --- | --- |"]
    lines += [f"| {k} | {v} |" for k, v in report["machine"].items()]
    lines += ["", "| step | result |", "| --- | --- |"] + [f"| {r['step']} | {_fmt(r)} |" for r in results]
    (args.out / "latest.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
