"""The dask client set-up (gis.classification.dask_cluster)."""

from __future__ import annotations

import logging

from conftest import require

from gis.classification.dask_cluster import dask_client, missing_dask, usable_cores

try:
    import distributed
except ImportError:  # pragma: no cover - the dask extra is part of the test set-up
    distributed = None


def test_local_cluster_started_and_stopped_quietly():
    require(distributed is not None, "dask.distributed (pip install 'parkgis[dask]')")
    before = logging.getLogger("distributed").level
    with dask_client(n_workers=1, processes=False) as client:
        assert len(client.scheduler_info()["workers"]) == 1
        assert client.submit(sum, [1, 2, 3]).result() == 6
        assert logging.getLogger("distributed").level >= logging.WARNING
    assert client.status == "closed"
    assert logging.getLogger("distributed").level == before


def test_missing_dask_names_the_extra():
    err = missing_dask()
    assert "dask.distributed" in err.message_en and "dask.distributed" in err.message_zh
    assert "parkgis[dask]" in err.hint_en and "parkgis[dask]" in err.hint_zh


def test_usable_cores():
    assert usable_cores() >= 1
