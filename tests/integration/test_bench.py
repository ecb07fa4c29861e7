# The benchmark suite keeps working (tiny sizes, one run): figures are reported by `make bench`, never asserted.
import json

from bench.run import main


def test_bench_runs_and_writes_its_report(tmp_path, monkeypatch):
    import bench.run as run

    monkeypatch.setattr(run, "CACHE", tmp_path / "cache")
    assert main(["--rows", "300", "--clients", "2000", "--invoices", "3000", "--repeat", "1",
                 "--out", str(tmp_path)]) == 0  # fmt: skip
    report = json.loads((tmp_path / "latest.json").read_text())
    steps = [r["step"] for r in report["results"]]
    assert steps[0].startswith("import CSV 300 rows") and steps[1].startswith("import XLSX 300 rows")
    assert any(s.startswith("client list") for s in steps) and any(s.startswith("app start") for s in steps)
    assert report["results"][0]["seconds"]["median"] > 0 and report["results"][2]["ms_p95"] > 0
    summaries = next(r for r in report["results"] if r["step"].startswith("financial summaries at 2,000 clients"))
    assert set(summaries["ms"]) >= {"kpis", "ageing", "monthly report (cli report)"}
    assert any(s.startswith("Finance page first render") for s in steps)
    duplicates = next(r for r in report["results"] if r["step"].startswith("duplicate detection at 2,000 cards"))
    assert 0 <= duplicates["precision"] <= 1 and duplicates["recall"] > 0
    restore = next(r for r in report["results"] if r["step"].startswith("restore, verified"))
    assert restore["seconds"]["median"] > 0
    assert "| step | result |" in (tmp_path / "latest.md").read_text()
