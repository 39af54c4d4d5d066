"""Reading a parcel file in chunks, exactly as a whole-file read reads it (for the dask engine).

:class:`ChunkReader` gives a vector file's features as GeoDataFrames of at most
``chunk_rows`` rows in file order: Arrow batches for GeoPackage, row batches for
GeoParquet, offsets for the other formats GDAL reads. Two things a chunk cannot
see on its own come from :func:`scan_attributes`, one pass over the attributes
before the chunks: which ids are duplicated anywhere in the file, and which
integer or boolean columns hold a null anywhere (a whole-file read makes those
float or object in every row; :func:`harmonise` does the same to each chunk).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gis.classification.chunk import log_duplicates, missing_id_field
from gis.errors import InputError, ParkgisError
from gis.geodesy.crs import check_crs
from gis.io.safe_write import note_read

__all__ = ["ChunkReader", "scan_attributes", "harmonise", "READ_SUFFIXES", "PARQUET_SUFFIXES"]

#: Inputs read in chunks (GeoPackage via Arrow batches, GeoParquet by row batches, the rest by offsets).
READ_SUFFIXES = (".gpkg", ".parquet", ".geoparquet", ".fgb", ".shp", ".geojson", ".json")
#: GeoParquet file suffixes.
PARQUET_SUFFIXES = (".parquet", ".geoparquet")


class ChunkReader:
    """Chunks of a vector file as GeoDataFrames, read exactly as :func:`gis.io.vector.read_vector` reads.

    Parameters
    ----------
    path : Path
        One of :data:`READ_SUFFIXES`.
    layer, encoding : str, optional
        Input layer and text encoding, as for :func:`gis.io.vector.read_vector`.
    assume_crs : str, optional
        CRS to use when the file declares none.
    chunk_rows : int
        Features per chunk.

    Attributes
    ----------
    n : int
        Features in the file.
    fields : list of str
        Attribute fields (not the geometry).
    geometry_type : str or None
        The layer's declared geometry type (None for GeoParquet).
    crs : pyproj.CRS
    """

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
        note_read(path)  # no output of the command may overwrite it
        crs = self._open_parquet() if suffix in PARQUET_SUFFIXES else self._open_ogr(suffix)
        self.crs = check_crs(crs, str(path), assume_crs)

    def _open_parquet(self):
        """Read a GeoParquet file's metadata; returns its CRS."""
        import pyarrow.parquet as pq
        import pyproj
        from geopandas.io.arrow import _validate_and_decode_metadata

        self.kind = "parquet"
        self._pf = pq.ParquetFile(self.path)
        self._geo = _validate_and_decode_metadata(self._pf.schema_arrow.metadata)
        self.n = self._pf.metadata.num_rows
        col = self._geo["columns"][self._geo["primary_column"]]
        crs = col["crs"] if "crs" in col else "OGC:CRS84"  # GeoParquet: absent means CRS84
        self.geometry_type = None
        self.fields = [c for c in self._pf.schema_arrow.names if c != self._geo["primary_column"]]
        return pyproj.CRS.from_user_input(crs) if crs is not None else None

    def _open_ogr(self, suffix: str):
        """Read a GDAL layer's metadata; returns its CRS."""
        import pyogrio

        from gis.io.encoding import shapefile_encoding
        from gis.io.ogr import require_one_layer

        if self.layer is None and suffix == ".gpkg":
            require_one_layer(self.path)
        if suffix == ".shp" and self.encoding is None:
            self.encoding = shapefile_encoding(self.path)[0]
        info = pyogrio.read_info(self.path, layer=self.layer, encoding=self.encoding)
        self.n = int(info["features"])
        if self.n < 0:  # a driver without a fast count
            self.n = int(pyogrio.read_info(self.path, layer=self.layer, force_feature_count=True)["features"])
        self.geometry_type = info["geometry_type"]
        self.fields = list(info["fields"])
        # GDAL's Arrow stream is exact for plain fields; dates and JSON need
        # pyogrio's own conversion, which only its whole-frame reader applies.
        plain = not any(str(d).startswith("datetime") for d in info["dtypes"]) and \
            "OFSTJSON" not in list(info["ogr_subtypes"])
        self.kind = "arrow" if suffix == ".gpkg" and plain else "ogr"
        self._use_arrow = suffix == ".gpkg"
        return info["crs"]

    def attribute_chunks(self) -> Iterator[pd.DataFrame]:
        """The attributes (no geometry), chunk by chunk."""
        return self._guarded(self._attribute_chunks())

    def chunks(self) -> Iterator[gpd.GeoDataFrame]:
        """GeoDataFrames of at most ``chunk_rows`` rows, in file order."""
        return self._guarded(self._chunks())

    def _guarded(self, chunks: Iterator) -> Iterator:
        """The chunks; a read error (a damaged file, whichever reader meets it) as a bilingual error."""
        from gis.io.ogr import unreadable_error

        try:
            yield from chunks
        except ParkgisError:
            raise
        except Exception as exc:  # GDAL through pyogrio or pyarrow, or pyarrow's own Parquet reader
            raise unreadable_error(self.path, exc) from exc

    def _attribute_chunks(self) -> Iterator[pd.DataFrame]:
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

    def _chunks(self) -> Iterator[gpd.GeoDataFrame]:
        if self.kind == "parquet":
            yield from self._parquet_chunks()
        elif self.kind == "arrow":
            yield from self._arrow_chunks()
        else:
            import pyogrio

            for s in range(0, self.n, self.chunk_rows):
                yield self._crs(pyogrio.read_dataframe(self.path, layer=self.layer, encoding=self.encoding,
                                                       skip_features=s, max_features=self.chunk_rows,
                                                       use_arrow=self._use_arrow))

    def _parquet_chunks(self) -> Iterator[gpd.GeoDataFrame]:
        import pyarrow as pa
        from geopandas.io.arrow import _arrow_to_geopandas

        schema = self._pf.schema_arrow
        for batch in self._pf.iter_batches(batch_size=self.chunk_rows):
            table = pa.Table.from_batches([batch], schema=schema)
            yield self._crs(_arrow_to_geopandas(table, self._geo))

    def _arrow_chunks(self) -> Iterator[gpd.GeoDataFrame]:
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

    def confirm_count(self, got: int) -> None:
        """Accept ``got`` features where the file declares another number, or refuse a damaged file.

        GDAL's Arrow reader stops silently at a damaged GeoPackage page; the
        plain reader raises there. A file that reads whole the plain way with
        ``got`` features only declared a stale count.
        """
        import pyogrio

        from gis.io.ogr import unreadable_error

        try:
            plain = len(pyogrio.read_dataframe(self.path, layer=self.layer, encoding=self.encoding,
                                               columns=self.fields[:1], read_geometry=not self.fields))
        except Exception as exc:
            raise unreadable_error(self.path, exc) from exc
        if plain != got:
            raise unreadable_error(self.path, ValueError(f"{got} of {self.n} declared features could be read"))
        self.n = got

    def empty(self) -> gpd.GeoDataFrame:
        """No rows, every column (for an empty input)."""
        if self.kind == "parquet":
            return self._crs(gpd.read_parquet(self.path).iloc[:0])
        import pyogrio

        return self._crs(pyogrio.read_dataframe(self.path, layer=self.layer, encoding=self.encoding,
                                                max_features=0, use_arrow=self._use_arrow))

    def _crs(self, gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        return gdf.set_crs(self.crs, allow_override=True)


def harmonise(df: pd.DataFrame, nullable: set[str]) -> pd.DataFrame:
    """Give a chunk the dtypes a whole-file read gives: ints and bools with nulls anywhere become float / object."""
    for c in nullable:
        if c in df.columns:
            kind = df[c].dtype.kind
            if kind in "iu":
                df[c] = df[c].astype("float64")
            elif kind == "b":
                df[c] = df[c].astype(object)
    return df


def scan_attributes(reader: ChunkReader, id_field: str) -> tuple[int, np.ndarray, set[str]]:
    """One pass over the attributes: row count, duplicated id values, columns with nulls.

    The duplicate ids are reported (logged) here, once for the whole file.
    """
    if id_field not in reader.fields:
        raise missing_id_field(id_field, reader.fields)
    ids, nullable, n = [], set(), 0
    for df in reader.attribute_chunks():
        n += len(df)
        ids.append(df[id_field])
        nullable |= {c for c in df.columns if df[c].isna().any()}
    if n != reader.n:
        reader.confirm_count(n)  # a damaged file is refused here, never classified in part
    all_ids = pd.concat(ids, ignore_index=True) if ids else pd.Series([], dtype=object)
    dup = all_ids.duplicated(keep=False) & all_ids.notna()
    dup_values = pd.unique(all_ids[dup].to_numpy(dtype=object))
    if len(dup_values):
        log_duplicates(int(dup.sum()), dup_values[:5])
    return n, dup_values, nullable
