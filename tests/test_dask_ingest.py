"""Ingest on a Dask cluster (``--scheduler``) stores exactly the rows of a local run.

A ``LocalCluster`` of two worker processes on this machine stands in for a real cluster; the
workers load the 20-row fixture gazetteer once per process.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extract.sources.ingest import ingest, ingest_records
from geodata.store.event_store import Store
from tests.fixtures_gazetteer import tiny_gazetteer
from tests.ingest_support import corpus, dump

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=50,
    ) as local:
        yield local


@pytest.mark.slow
def test_dask_run_stores_the_same_rows_as_a_local_run(cluster, tmp_path: Path) -> None:
    records = corpus(120)
    records.insert(60, dict(records[5]))  # a repeat within the run
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\nnot json\n", encoding="utf-8")
    local, remote = Store(tmp_path / "local.duckdb"), Store(tmp_path / "dask.duckdb")
    errors: dict[str, list[str]] = {"local": [], "dask": []}
    expected = ingest(
        [path],
        store=local,
        loader=tiny_gazetteer,
        batch_size=25,
        on_error=errors["local"].append,
    )
    got = ingest(
        [path],
        store=remote,
        scheduler=cluster.scheduler_address,
        loader=tiny_gazetteer,
        batch_size=25,
        chunksize=4,
        on_error=errors["dask"].append,
    )
    assert (got.new, got.duplicate, got.failed) == (120, 1, 1)
    assert (got.incidents_new, got.incidents_merged, got.places) == (
        expected.incidents_new,
        expected.incidents_merged,
        expected.places,
    )
    assert errors["dask"] == errors["local"] == [f"{path}:122: malformed JSON: Expecting value"]
    rows = dump(remote.path)
    assert rows == dump(local.path)
    assert len(rows["articles"]) == 120 and len(rows["incidents"]) == got.incidents_new
    assert got.incidents_merged > 0


def _tiny_loads() -> tuple[int, int]:
    """(builds, reuses) of the fixture gazetteer in this process."""
    info = tiny_gazetteer.cache_info()
    return info.misses, info.hits


@pytest.mark.slow
def test_dask_client_is_reused_and_workers_cache_the_gazetteer(cluster, tmp_path: Path) -> None:
    with distributed.Client(cluster.scheduler_address, set_as_default=False) as client:
        store = Store(tmp_path / "s.duckdb")
        stats = ingest_records(corpus(40), store=store, client=client, loader=tiny_gazetteer)
        assert stats.new == 40
        loads = client.run(_tiny_loads)
        # the scheduler may give every task to one worker: the workers that ran tasks built
        # the gazetteer once and then reused it (loaded once per process, not per task)
        assert any(misses == 1 and hits > 0 for misses, hits in loads.values()), loads
        assert all(misses <= 1 for misses, _ in loads.values()), loads
        assert client.status == "running"  # ingest leaves a client it was given open
