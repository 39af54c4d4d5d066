"""Classify files larger than memory, chunk by chunk, on a dask.distributed cluster.

:func:`classify_file` streams the parcels in chunks (Arrow batches for
GeoPackage, row batches for GeoParquet), sends each chunk to a
``dask.distributed`` worker that runs the in-memory engine
(:func:`gis.classification.classify.classify`) with the layers broadcast once to every worker,
and appends the results to the output as they come back, in input order. Only
a few chunks are in flight at a time, so memory stays bounded by the chunk size
times the number of workers, whatever the file size. The result is the same
file the in-memory engine writes (same rows, order, columns and values).

Why chunks in input order and no spatial shuffle: every parcel is classified
independently against the (small) layers, which every worker holds whole, so a
spatial partitioning would buy nothing but cost two more passes over the data
and an out-of-core reorder; sorting a chunk spatially before the engine
measured no faster either (within noise at 2·10⁵ parcels). The two things that
are *not* per parcel are handled globally: duplicate ids (a first pass over the
id column, so ``duplicate_id`` is flagged across chunks) and column dtypes (an
integer or boolean column with nulls anywhere in the file is read as the
in-memory reader reads it, float or object, in every chunk).

Workers run one thread each on a :class:`distributed.LocalCluster` by default;
on a cluster with several threads per worker each thread keeps its own copy of
the layers (sharing one prepared GEOS geometry between threads has crashed the
interpreter).

Requires the ``dask`` extra: ``pip install 'parkgis[dask]'``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import os
import pickle
import shutil
import sqlite3
import tempfile
import threading
import time
import uuid
from collections import Counter, deque
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gis.geodesy.crs import check_crs
from gis.errors import FieldError, InputError, OutputError, ParkgisError

__all__ = ["classify_file", "DaskRunStats", "DEFAULT_CHUNK_ROWS", "READ_SUFFIXES", "WRITE_SUFFIXES"]

log = logging.getLogger(__name__)

#: Parcels per chunk (one task). 10⁵ parcels take ≈ 0.3 GB in a worker.
DEFAULT_CHUNK_ROWS = 100_000
#: Inputs the engine streams (GeoPackage via Arrow batches, GeoParquet by row batches, the rest by offsets).
READ_SUFFIXES = (".gpkg", ".parquet", ".geoparquet", ".fgb", ".shp", ".geojson", ".json")
#: Outputs it can append to.
WRITE_SUFFIXES = (".gpkg", ".parquet", ".geoparquet")

_PARQUET = (".parquet", ".geoparquet")


@dataclasses.dataclass
class DaskRunStats:
    """What :func:`classify_file` did.

    Attributes
    ----------
    rows : int
        Parcels classified (= rows written).
    actions : dict
        ``action`` → number of parcels (``None``: not classified).
    flagged : int
        Parcels with a non-empty ``flags``.
    chunks, workers : int
        Tasks run and workers used.
    seconds : float
        Wall time, cluster start-up included.
    summary : pandas.DataFrame or None
        :func:`gis.classification.summary.classification_summary` of the whole result, when asked for.
    """

    rows: int
    actions: dict
    flagged: int
    chunks: int
    workers: int
    seconds: float
    summary: pd.DataFrame | None = None


# --------------------------------------------------------------------------- reading


def _missing_dask() -> ParkgisError:
    return ParkgisError(
        "--engine dask 需要 dask.distributed，当前环境未安装。",
        "--engine dask needs dask.distributed, which is not installed.",
        "安装：pip install 'parkgis[dask]'",
        "Install it: pip install 'parkgis[dask]'",
    )


class _Reader:
    """Chunks of a vector file as GeoDataFrames, read exactly as :func:`gis.io.vector.read_vector` reads."""

    def __init__(self, path: Path, *, layer: str | None, encoding: str | None, assume_crs: str | None,
                 chunk_rows: int):
        self.path, self.layer, self.encoding, self.chunk_rows = path, layer, encoding, chunk_rows
        suffix = path.suffix.lower()
        if not path.exists():
            raise InputError(f"找不到文件“{path}”。", f"File not found: '{path}'.", "请检查路径。", "Check the path.")
        if suffix not in READ_SUFFIXES:
            raise InputError(
                f"--engine dask 不能分块读取“{suffix}”文件。",
                f"--engine dask cannot read '{suffix}' files in chunks.",
                "请转为 GeoPackage 或 GeoParquet（parkgis convert），或用 --engine memory。",
                "Convert to GeoPackage or GeoParquet (parkgis convert), or use --engine memory.",
            )
        if suffix in _PARQUET:
            import pyarrow.parquet as pq
            from geopandas.io.arrow import _validate_and_decode_metadata

            self.kind = "parquet"
            self._pf = pq.ParquetFile(path)
            self._geo = _validate_and_decode_metadata(self._pf.schema_arrow.metadata)
            self.n = self._pf.metadata.num_rows
            col = self._geo["columns"][self._geo["primary_column"]]
            crs = col["crs"] if "crs" in col else "OGC:CRS84"  # GeoParquet: absent means CRS84
            self.geometry_type = None
            self.fields = [c for c in self._pf.schema_arrow.names if c != self._geo["primary_column"]]
            import pyproj

            crs_obj = pyproj.CRS.from_user_input(crs) if crs is not None else None
        else:
            import pyogrio

            from gis.io.ogr import require_one_layer

            if layer is None and suffix == ".gpkg":
                require_one_layer(path)
            if suffix == ".shp" and encoding is None:
                from gis.io.encoding import shapefile_encoding as _shapefile_encoding

                self.encoding = _shapefile_encoding(path)[0]
            info = pyogrio.read_info(path, layer=layer, encoding=self.encoding)
            self.n = int(info["features"])
            if self.n < 0:  # a driver without a fast count
                self.n = int(pyogrio.read_info(path, layer=layer, force_feature_count=True)["features"])
            self.geometry_type = info["geometry_type"]
            self.fields = list(info["fields"])
            crs_obj = info["crs"]
            # GDAL's Arrow stream is exact for plain fields; dates and JSON need
            # pyogrio's own conversion, which only its whole-frame reader applies.
            plain = not any(str(d).startswith("datetime") for d in info["dtypes"]) and \
                "OFSTJSON" not in list(info["ogr_subtypes"])
            self.kind = "arrow" if suffix == ".gpkg" and plain else "ogr"
            self._use_arrow = suffix == ".gpkg"
        self.crs = check_crs(crs_obj, str(path), assume_crs)

    # -- attribute-only pass (ids and nulls) -------------------------------------------------

    def attribute_chunks(self) -> Iterator[pd.DataFrame]:
        """The attributes (no geometry), chunk by chunk."""
        if self.kind == "parquet":
            for batch in self._pf.iter_batches(batch_size=self.chunk_rows, columns=self.fields):
                yield batch.to_pandas()
        elif self.kind == "arrow":
            import pyogrio.raw

            with pyogrio.raw.open_arrow(self.path, layer=self.layer, encoding=self.encoding, read_geometry=False,
                                        batch_size=self.chunk_rows, use_pyarrow=True,
                                        datetime_as_string=True) as (_, reader):
                for batch in reader:
                    yield batch.to_pandas()
        else:
            import pyogrio

            for s in range(0, self.n, self.chunk_rows):
                yield pyogrio.read_dataframe(self.path, layer=self.layer, encoding=self.encoding,
                                             read_geometry=False, skip_features=s, max_features=self.chunk_rows,
                                             use_arrow=self._use_arrow)

    # -- full chunks -------------------------------------------------------------------------

    def chunks(self) -> Iterator[gpd.GeoDataFrame]:
        """GeoDataFrames of at most ``chunk_rows`` rows, in file order."""
        if self.kind == "parquet":
            import pyarrow as pa
            from geopandas.io.arrow import _arrow_to_geopandas

            schema = self._pf.schema_arrow
            for batch in self._pf.iter_batches(batch_size=self.chunk_rows):
                table = pa.Table.from_batches([batch], schema=schema)
                yield self._crs(_arrow_to_geopandas(table, self._geo))
        elif self.kind == "arrow":
            import pyogrio.raw

            with pyogrio.raw.open_arrow(self.path, layer=self.layer, encoding=self.encoding,
                                        batch_size=self.chunk_rows, use_pyarrow=True,
                                        datetime_as_string=True) as (meta, reader):
                geom_name = meta["geometry_name"] or "wkb_geometry"
                for batch in reader:
                    df = batch.to_pandas()
                    # As pyogrio.read_dataframe(use_arrow=True) converts the WKB column.
                    wkb = df.pop(geom_name) if geom_name in df.columns else None
                    if wkb is not None and wkb.dtype != object:
                        wkb = wkb.to_numpy(na_value=None)
                    geoms = shapely.from_wkb(wkb) if wkb is not None else np.full(len(df), None, dtype=object)
                    df["geometry"] = geoms
                    yield self._crs(gpd.GeoDataFrame(df, geometry="geometry", crs=meta["crs"]))
        else:
            import pyogrio

            for s in range(0, self.n, self.chunk_rows):
                yield self._crs(pyogrio.read_dataframe(self.path, layer=self.layer, encoding=self.encoding,
                                                       skip_features=s, max_features=self.chunk_rows,
                                                       use_arrow=self._use_arrow))

    def empty(self) -> gpd.GeoDataFrame:
        """No rows, every column (for an empty input)."""
        if self.kind == "parquet":
            return self._crs(gpd.read_parquet(self.path).iloc[:0])
        import pyogrio

        return self._crs(pyogrio.read_dataframe(self.path, layer=self.layer, encoding=self.encoding,
                                                max_features=0, use_arrow=self._use_arrow))

    def _crs(self, gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        return gdf.set_crs(self.crs, allow_override=True)


def _harmonise(df: pd.DataFrame, nullable: set[str]) -> pd.DataFrame:
    """Give a chunk the dtypes a whole-file read gives: ints and bools with nulls anywhere become float / object."""
    for c in nullable:
        if c in df.columns:
            kind = df[c].dtype.kind
            if kind in "iu":
                df[c] = df[c].astype("float64")
            elif kind == "b":
                df[c] = df[c].astype(object)
    return df


def _prepass(reader: _Reader, id_field: str) -> tuple[int, np.ndarray, set[str]]:
    """One pass over the attributes: row count, duplicate id values, columns with nulls."""
    if id_field not in reader.fields:
        raise FieldError(
            f"地块数据没有编号字段“{id_field}”；现有字段：{', '.join(map(str, reader.fields)) or '无'}。",
            f"The parcels have no id field '{id_field}'; available fields: "
            f"{', '.join(map(str, reader.fields)) or 'none'}.",
            "用 --id-field 指定编号字段。",
            "Name the id field with --id-field.",
        )
    ids, nullable, n = [], set(), 0
    for df in reader.attribute_chunks():
        n += len(df)
        ids.append(df[id_field])
        nullable |= {c for c in df.columns if df[c].isna().any()}
    all_ids = pd.concat(ids, ignore_index=True) if ids else pd.Series([], dtype=object)
    dup = all_ids.duplicated(keep=False) & all_ids.notna()
    dup_values = pd.unique(all_ids[dup].to_numpy(dtype=object))
    if len(dup_values):
        count = int(dup.sum())
        examples = ", ".join(map(str, dup_values[:5]))
        # The same warning gis.classification.classify gives, once for the whole file.
        logging.getLogger("gis.classification.classify").warning(
            "重复编号 %d 个要素（如 %s）/ %d features share an id (e.g. %s): kept and flagged duplicate_id",
            count, examples, count, examples)
    return n, dup_values, nullable


# --------------------------------------------------------------------------- worker side

_LOCAL = threading.local()


def _thread_copy(token: str, obj):
    """This thread's own copy of a broadcast object (prepared GEOS geometries are not thread-safe)."""
    cache = getattr(_LOCAL, "objs", None)
    if cache is None:
        cache = _LOCAL.objs = {}
    if token not in cache:
        cache.clear()  # one run at a time per thread: drop an older run's layers
        cache[token] = pickle.loads(pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))
    return cache[token]


def _rules_for(token: str, rules):
    from gis.rules import RuleSet, load_rules

    if isinstance(rules, RuleSet):
        return rules
    cache = getattr(_LOCAL, "rules", None)
    if cache is None or cache[0] != token:
        cache = _LOCAL.rules = (token, load_rules(rules, kind="classify"))
    return cache[1]


def _fix_duplicates(result: gpd.GeoDataFrame, dup_values: np.ndarray) -> None:
    """Replace the chunk's own ``duplicate_id`` flags by the file-wide ones (FLAGS order kept)."""
    from gis.classification.classify import FLAGS

    ids = result["parcel_id"]
    dup = (ids.isin(dup_values) & ids.notna()).to_numpy() if len(dup_values) else np.zeros(len(ids), bool)
    flags = np.array(result["flags"].astype(object).to_numpy(), dtype=object)  # writable copy
    had = np.array(["duplicate_id" in str(f).split(";") for f in flags], dtype=bool) if len(flags) else \
        np.zeros(0, bool)
    change = np.flatnonzero(had != dup)
    if len(change) == 0:
        return
    for i in change:
        present = set(str(flags[i]).split(";")) - {""}
        present.symmetric_difference_update({"duplicate_id"})
        flags[i] = ";".join(f for f in FLAGS if f in present)
    result["flags"] = flags


def _classify_chunk(chunk: gpd.GeoDataFrame, layers, rules, token: str, options: dict,
                    dup_values: np.ndarray) -> gpd.GeoDataFrame:
    """Run the in-memory engine on one chunk (on a worker)."""
    from gis.classification.classify import classify

    ls = _thread_copy(token, layers)
    rs = _rules_for(token, rules)
    clog = logging.getLogger("gis.classification.classify")
    level = clog.level
    clog.setLevel(logging.ERROR)  # duplicates are reported once, for the whole file, by the driver
    try:
        out = classify(chunk, ls, rs, id_field=options["id_field"], datum=options["datum"],
                       assume_crs=options["assume_crs"])
    finally:
        clog.setLevel(level)
    _fix_duplicates(out, dup_values)
    if options.get("to_crs"):
        out = out.to_crs(options["to_crs"])
    return out


# --------------------------------------------------------------------------- writing


class _GpkgWriter:
    """Append chunks to one GeoPackage layer; build the spatial index once at the end.

    GDAL keeps a GeoPackage's R-tree up to date by triggers when a layer is
    appended to, which doubled the write time; instead the chunks go in without
    an index and the R-tree is bulk-loaded from the recorded bounding boxes,
    with the very table, triggers and extension rows GDAL itself creates (taken
    from a one-row template written by GDAL).
    """

    def __init__(self, path: Path, layer: str, spatial_index: bool, geometry_type: str | None, workdir: Path):
        self.path, self.layer, self.spatial_index = path, layer, spatial_index
        self.geometry_type = geometry_type if geometry_type and geometry_type != "Unknown" else None
        self.workdir = workdir
        self.first: gpd.GeoDataFrame | None = None
        self._bounds = open(workdir / "bounds.f64", "wb") if spatial_index else None
        self.rows = 0

    def write(self, gdf: gpd.GeoDataFrame) -> None:
        import pyogrio

        # As gis.io.vector.write_vector: GDAL's Arrow writer (≈2× faster with wide text columns).
        kwargs = {"layer": self.layer, "driver": "GPKG", "SPATIAL_INDEX": "NO", "use_arrow": True}
        if self.geometry_type:
            kwargs["geometry_type"] = self.geometry_type
        if self.first is None:
            self.first = gdf.iloc[:1].copy()
            pyogrio.write_dataframe(gdf, self.path, **kwargs)
        else:
            pyogrio.write_dataframe(gdf, self.path, append=True, **kwargs)
        if self._bounds is not None:
            shapely.bounds(gdf.geometry.to_numpy()).astype("float64").tofile(self._bounds)
        self.rows += len(gdf)

    def close(self) -> None:
        if self._bounds is None:
            return
        self._bounds.close()
        if self.first is None:
            return
        import pyogrio

        template = self.workdir / "template.gpkg"
        kwargs = {"geometry_type": self.geometry_type} if self.geometry_type else {}
        pyogrio.write_dataframe(self.first, template, layer=self.layer, driver="GPKG", SPATIAL_INDEX="YES", **kwargs)
        with contextlib.closing(sqlite3.connect(template)) as t:
            (geom_col,) = t.execute("SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?",
                                    (self.layer,)).fetchone()
            rtree = f"rtree_{self.layer}_{geom_col}"
            (vtable_sql,) = t.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                                      (rtree,)).fetchone()
            triggers = [r[0] for r in t.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' "
                                                "AND tbl_name = ? AND name LIKE ?", (self.layer, f"{rtree}_%"))]
            ext = t.execute("SELECT * FROM gpkg_extensions WHERE table_name = ? AND extension_name = "
                            "'gpkg_rtree_index'", (self.layer,)).fetchall()
            (ext_sql,) = t.execute("SELECT sql FROM sqlite_master WHERE type = 'table' "
                                   "AND name = 'gpkg_extensions'").fetchone()
        bounds = np.memmap(self.workdir / "bounds.f64", dtype="float64", mode="r").reshape(-1, 4)
        with contextlib.closing(sqlite3.connect(self.path)) as c:
            fids = np.array([r[0] for r in c.execute(f'SELECT fid FROM "{self.layer}" ORDER BY fid')],
                            dtype=np.int64)
            if len(fids) != len(bounds):
                raise OutputError(
                    "写出的要素数与结果不符，空间索引未建立。",
                    "The written feature count does not match the result; spatial index not built.",
                )
            c.execute(vtable_sql)
            step = 200_000
            for s in range(0, len(fids), step):
                b = np.asarray(bounds[s:s + step])
                ok = ~np.isnan(b).any(axis=1)  # empty or missing geometries are not indexed (as GDAL)
                rows = zip(fids[s:s + step][ok].tolist(), b[ok, 0].tolist(), b[ok, 2].tolist(),
                           b[ok, 1].tolist(), b[ok, 3].tolist())
                c.executemany(f'INSERT INTO "{rtree}" VALUES (?, ?, ?, ?, ?)', rows)
            for sql in triggers:
                c.execute(sql)
            if c.execute("SELECT 1 FROM sqlite_master WHERE name = 'gpkg_extensions'").fetchone() is None:
                c.execute(ext_sql)
            c.executemany(f"INSERT INTO gpkg_extensions VALUES ({', '.join('?' * len(ext[0]))})", ext)
            c.commit()


class _ParquetWriter:
    """Chunks as GeoParquet parts, joined into one file (one schema, file-wide metadata) at the end."""

    def __init__(self, path: Path, workdir: Path):
        self.path, self.workdir = path, workdir
        self.parts: list[Path] = []
        self.rows = 0

    def write(self, gdf: gpd.GeoDataFrame) -> None:
        part = self.workdir / f"part-{len(self.parts):06d}.parquet"
        gdf.to_parquet(part)
        self.parts.append(part)
        self.rows += len(gdf)

    def close(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not self.parts:
            return
        files = [pq.ParquetFile(p) for p in self.parts]
        schemas = [f.schema_arrow for f in files]
        schema = pa.unify_schemas([s.remove_metadata() for s in schemas], promote_options="permissive")
        # File-wide metadata: geometry types and bbox over all parts, the index
        # as one range, and per column the pandas entry of a part where it is not all null.
        geos = [json.loads(s.metadata[b"geo"]) for s in schemas]
        geo = geos[0]
        for name, col in geo["columns"].items():
            types = sorted({t for g in geos for t in g["columns"][name].get("geometry_types", [])})
            col["geometry_types"] = types
            boxes = [g["columns"][name]["bbox"] for g in geos if g["columns"][name].get("bbox")]
            boxes = [b for b in boxes if all(np.isfinite(b))]
            if boxes:
                arr = np.array(boxes)
                col["bbox"] = [arr[:, 0].min(), arr[:, 1].min(), arr[:, 2].max(), arr[:, 3].max()]
            else:
                col.pop("bbox", None)
        pandas_meta = [json.loads(s.metadata[b"pandas"]) for s in schemas]
        meta = pandas_meta[0]
        for ic in meta.get("index_columns", []):
            if isinstance(ic, dict) and ic.get("kind") == "range":
                ic["start"], ic["stop"], ic["step"] = 0, self.rows, 1
        for i, col in enumerate(meta["columns"]):
            for s, pm in zip(schemas, pandas_meta):
                name = col.get("field_name")
                if name in s.names and not pa.types.is_null(s.field(name).type):
                    meta["columns"][i] = pm["columns"][i]
                    break
        metadata = dict(schemas[0].metadata)
        metadata[b"geo"] = json.dumps(geo).encode()
        metadata[b"pandas"] = json.dumps(meta).encode()
        schema = schema.with_metadata(metadata)
        with pq.ParquetWriter(self.path, schema) as w:
            for f in files:
                for rg in range(f.num_row_groups):
                    w.write_table(f.read_row_group(rg).cast(schema))


# --------------------------------------------------------------------------- summary


def _summary_part(result: pd.DataFrame, by: tuple[str, ...]) -> pd.DataFrame:
    df = pd.DataFrame({c: result[c].astype(object).where(result[c].notna(), "—") for c in by})
    df["area_m2"] = result["area_m2"].fillna(0.0).to_numpy()
    return df.groupby(list(by), sort=False, dropna=False).agg(
        parcels=("area_m2", "size"), area_m2=("area_m2", "sum")).reset_index()


def _summary_finish(parts: list[pd.DataFrame], by: tuple[str, ...]) -> pd.DataFrame:
    """Combine per-chunk groups exactly as :func:`gis.classification.summary.classification_summary` does in one go."""
    from gis.classification.summary import MU_M2

    cat = pd.concat(parts, ignore_index=True)
    out = cat.groupby(list(by), sort=True, dropna=False)[["parcels", "area_m2"]].sum().reset_index()
    total_m2 = float(cat["area_m2"].sum())
    total = {c: ("合计 total" if i == 0 else "") for i, c in enumerate(by)}
    total.update(parcels=int(cat["parcels"].sum()), area_m2=total_m2)
    out = pd.concat([out, pd.DataFrame([total])], ignore_index=True)
    out["area_km2"] = out["area_m2"] / 1e6
    out["area_mu"] = out["area_m2"] / MU_M2
    out["share_of_area"] = out["area_m2"] / total_m2 if total_m2 > 0 else float("nan")
    return out.drop(columns=["area_m2"])


# --------------------------------------------------------------------------- driver


@contextlib.contextmanager
def _quiet_distributed() -> Iterator[None]:
    """Keep dask's INFO chatter (start, stop, worker registration) out of the user's terminal."""
    try:
        import distributed  # noqa: F401  (its import sets the "distributed" log level: set ours after)
    except ImportError as exc:
        raise _missing_dask() from exc
    dlog = logging.getLogger("distributed")
    old = dlog.level
    dlog.setLevel(max(logging.WARNING, logging.getLogger().getEffectiveLevel()))
    try:
        yield
    finally:
        dlog.setLevel(old)


@contextlib.contextmanager
def _client(scheduler: str | None, n_workers: int | None, processes: bool):
    with _quiet_distributed():
        yield from _client_inner(scheduler, n_workers, processes)


def _client_inner(scheduler: str | None, n_workers: int | None, processes: bool):
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise _missing_dask() from exc
    if scheduler:
        try:
            client = Client(scheduler, timeout="30s")
        except OSError as exc:
            raise ParkgisError(
                f"无法连接 dask 调度器 {scheduler}：{exc}",
                f"Cannot reach the dask scheduler {scheduler}: {exc}",
                "检查地址（如 tcp://10.0.0.5:8786）与网络；工作节点需安装同版本 parkgis。",
                "Check the address (e.g. tcp://10.0.0.5:8786) and the network; workers need the same parkgis.",
            ) from exc
        with client:
            yield client
        return
    n = n_workers or (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
    # ":0": the scheduler's HTTP endpoint on a free port (8787 may be taken by another cluster).
    with LocalCluster(n_workers=n, threads_per_worker=1, processes=processes, dashboard_address=":0",
                      silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
        yield client


def classify_file(
    src,
    out,
    *,
    layers=None,
    layers_source=None,
    rules=None,
    id_field: str = "parcel_id",
    datum: str = "wgs84",
    assume_crs: str | None = None,
    to_crs=None,
    layer: str | None = None,
    encoding: str | None = None,
    spatial_index: bool | None = None,
    scheduler: str | None = None,
    client=None,
    n_workers: int | None = None,
    processes: bool = True,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    in_flight: int | None = None,
    summary: bool = False,
    progress: bool = False,
) -> DaskRunStats:
    """Classify the parcels of ``src`` into ``out`` chunk by chunk on a dask cluster.

    Parameters
    ----------
    src : str or Path
        GeoPackage, GeoParquet, FlatGeobuf, Shapefile or GeoJSON (streamed).
    out : str or Path
        ``.gpkg`` or ``.parquet``/``.geoparquet``, written atomically; never one of the inputs.
    layers : LayerSet, optional
        Default: ``load_layers(layers_source)``.
    layers_source : str or Path, optional
        Layer source for :func:`gis.layers.layerset.load_layers` (None: embedded default).
    rules : path, dict or RuleSet, optional
        As for :func:`gis.classification.classify.classify`. A path must be readable by the workers too.
    id_field, datum, assume_crs
        As for :func:`gis.classification.classify.classify`.
    to_crs : optional
        Output CRS (default: the input's).
    layer, encoding : str, optional
        Input layer and text encoding, as for :func:`gis.io.vector.read_vector`.
    spatial_index : bool, optional
        GeoPackage spatial index (default: yes, as :func:`gis.io.vector.write_vector`).
    scheduler : str, optional
        Address of a running ``dask.distributed`` scheduler (``tcp://host:8786``);
        default: a :class:`~distributed.LocalCluster` with one single-threaded
        worker process per core, started and stopped here.
    client : distributed.Client, optional
        An existing client to use instead (overrides ``scheduler``).
    n_workers : int, optional
        Workers of the local cluster (default: the usable cores).
    processes : bool
        Local workers as processes (default) or threads.
    chunk_rows : int
        Parcels per task.
    in_flight : int, optional
        Chunks submitted but not yet written (default: 2 per worker); bounds memory.
    summary : bool
        Also compute the classification summary (``DaskRunStats.summary``).
    progress : bool
        Progress bar on stderr.

    Returns
    -------
    DaskRunStats
    """
    from gis.io.safe_write import atomic_output, check_not_input
    from gis.layers.layerset import load_layers
    from gis.rules import RuleSet, load_rules

    t0 = time.perf_counter()
    src, out = Path(src), Path(out)
    if out.suffix.lower() not in WRITE_SUFFIXES:
        raise OutputError(
            f"--engine dask 不能分块写出“{out.suffix}”文件。",
            f"--engine dask cannot append to '{out.suffix}' files.",
            "请写出 .gpkg 或 .parquet，再用 parkgis convert 转换；或用 --engine memory。",
            "Write .gpkg or .parquet (then parkgis convert), or use --engine memory.",
        )
    inputs = [src] + ([layers_source] if layers_source else [])
    check_not_input(out, inputs)
    reader = _Reader(src, layer=layer, encoding=encoding, assume_crs=assume_crs, chunk_rows=chunk_rows)
    ls = layers if layers is not None else load_layers(layers_source)
    # Fail on a bad rule configuration here, not in every worker.
    if not isinstance(rules, RuleSet):
        load_rules(rules, kind="classify")
    n, dup_values, nullable = _prepass(reader, id_field)
    # The layers travel without the engine's caches (indexes are rebuilt once per worker thread).
    ls_send = dataclasses.replace(ls, _work={k: v for k, v in ls._work.items() if not k.startswith("__")})
    options = {"id_field": id_field, "datum": datum, "assume_crs": assume_crs, "to_crs": to_crs}
    token = uuid.uuid4().hex
    by = ("zone", "action", "park_id", "town")
    actions: Counter = Counter()
    flagged = 0
    parts: list[pd.DataFrame] = []
    bar = None
    if progress:
        from gis.progress import progress_bar

        bar = progress_bar(total=n, desc="分类 classify (dask)")

    workdir = Path(tempfile.mkdtemp(prefix=".parkgis-dask-", dir=out.parent if out.parent.exists() else None))
    try:
        with atomic_output(out) as tmp, (contextlib.nullcontext(client) if client is not None
                                         else _client(scheduler, n_workers, processes)) as cl:
            workers = len(cl.scheduler_info().get("workers", {})) or 1
            limit = in_flight or 2 * workers
            if out.suffix.lower() in _PARQUET:
                writer = _ParquetWriter(tmp, workdir)
            else:
                writer = _GpkgWriter(tmp, out.stem, spatial_index is not False, reader.geometry_type, workdir)
            ls_f = cl.scatter(ls_send, broadcast=True, hash=False)
            rules_f = cl.scatter(rules, broadcast=True, hash=False) if isinstance(rules, RuleSet) else rules
            dup_f = cl.scatter(dup_values, broadcast=True, hash=False)
            pending: deque = deque()
            offset = 0
            chunks = 0

            def drain_one():
                nonlocal offset, flagged
                res = pending.popleft().result()
                res.index = pd.RangeIndex(offset, offset + len(res))
                offset += len(res)
                actions.update(res["action"].astype(object).where(res["action"].notna(), None).tolist())
                flagged += int(res["flags"].astype(str).str.len().gt(0).sum())
                if summary:
                    parts.append(_summary_part(res, by))
                writer.write(res)
                if bar is not None:
                    bar.update(len(res))

            for chunk in reader.chunks():
                chunk = _harmonise(chunk, nullable)
                data = cl.scatter(chunk, hash=False)
                pending.append(cl.submit(_classify_chunk, data, ls_f, rules_f, token, options, dup_f,
                                         key=f"parkgis-classify-{token}-{chunks}", pure=False))
                chunks += 1
                while len(pending) >= limit:
                    drain_one()
            while pending:
                drain_one()
            if chunks == 0:  # an empty input still gives an (empty) output with all columns
                from gis.classification.classify import classify

                res = classify(reader.empty(), ls, rules, id_field=id_field, datum=datum, assume_crs=assume_crs)
                if summary:
                    parts.append(_summary_part(res, by))
                writer.write(res)
            writer.close()
    finally:
        if bar is not None:
            bar.close()
        shutil.rmtree(workdir, ignore_errors=True)
    return DaskRunStats(
        rows=offset if chunks else 0, actions=dict(actions), flagged=flagged, chunks=chunks, workers=workers,
        seconds=time.perf_counter() - t0, summary=_summary_finish(parts, by) if summary else None,
    )
