"""Recognise an uploaded outline file by its bytes and open it only with the reader of its kind.

GDAL guesses a driver from a file's content, and some of its drivers act on what a file says: an OGR
VRT can read any file the server can (the live database, /etc/passwd), run SQL over a copy of the
database, or fetch URLs (/vsicurl/). So a user's file is never handed to GDAL to guess. Its first
bytes decide what it is; GeoJSON is read by Löfte's own reader, a GeoPackage (a SQLite file whose
application id says GeoPackage) and a zipped ESRI Shapefile (whose members Löfte unpacks itself into
a fresh folder, by fixed names, after checking the Shapefile's magic numbers) by GDAL through pyogrio,
and the driver GDAL used is checked once more before anything it read is used.
"""

import struct
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .common import UnreadableFile

GEOJSON, GEOPACKAGE, SHAPEFILE_ZIP = "GeoJSON", "GeoPackage", "zipped Shapefile"
KINDS = (GEOJSON, GEOPACKAGE, SHAPEFILE_ZIP)

# The GDAL driver each kind must be read by (pyogrio's read_info names the one it used).
DRIVERS = {GEOPACKAGE: "GPKG", SHAPEFILE_ZIP: "ESRI Shapefile"}

SQLITE_MAGIC = b"SQLite format 3\x00"
# A GeoPackage's SQLite application_id (header bytes 68-71): "GPKG" since 1.2, "GP10"/"GP11" before.
GEOPACKAGE_IDS = (b"GPKG", b"GP10", b"GP11")
ZIP_MAGIC = b"PK\x03\x04"
SHAPEFILE_CODE = 9994  # the big-endian integer a .shp and its .shx begin with

# The members of a zipped Shapefile GDAL may see; anything else in the archive is left packed.
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
MAX_MEMBERS = 100

# GDAL settings that keep it from reaching past the file it is given (set before every read).
GDAL_CONFIG = {
    "OGR_SQLITE_ALLOW_EXTERNAL_ACCESS": "NO",  # no VirtualOGR tables or views in a GeoPackage
    "CPL_VSIL_CURL_ALLOWED_EXTENSIONS": ".none-allowed",  # no /vsicurl/ fetches
    "GDAL_HTTP_MAX_RETRY": "0",
    "GDAL_DISABLE_READDIR_ON_OPEN": "EMPTY_DIR",  # no looking around the folder for side files
}


def kind_of(path: Path, *, name: str) -> str:
    """What the file is by its first bytes: GEOJSON, GEOPACKAGE or SHAPEFILE_ZIP.

    Raises UnreadableFile naming `name` (the file's name as the user knows it) otherwise.
    """
    with open(path, "rb") as handle:
        head = handle.read(100)
    if head.startswith(SQLITE_MAGIC):
        if len(head) >= 72 and head[68:72] in GEOPACKAGE_IDS:
            return GEOPACKAGE
        raise UnreadableFile(f"{name}: a SQLite file but not a GeoPackage (its application id is not GPKG)")
    if head.startswith(ZIP_MAGIC):
        return SHAPEFILE_ZIP
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"{"):
        return GEOJSON
    raise UnreadableFile(f"{name}: not a GeoJSON, GeoPackage or zipped Shapefile file (recognised by its content)")


GdalFeature = tuple[bytes, str | None, dict[str, Any]]


def read_gdal_feature(path: Path, kind: str, feature: int, *, name: str, max_bytes: int) -> GdalFeature:
    """The WKB of the `feature`-th (1-based) geometry of a GeoPackage or zipped Shapefile, the CRS
    the file names (None when it names none) and the feature's attributes (plain values only)."""
    if kind == SHAPEFILE_ZIP:
        with unpacked_shapefile(path, name=name, max_bytes=max_bytes) as shp:
            return _read_with_driver(shp, DRIVERS[kind], feature, name=name)
    if kind == GEOPACKAGE:
        # GDAL wants a GeoPackage's name to end in .gpkg (it warns otherwise); the upload's copy has none.
        with tempfile.TemporaryDirectory(prefix="lofte-outline-") as folder:
            named = Path(folder) / "outline.gpkg"
            named.symlink_to(path)
            return _read_with_driver(named, DRIVERS[kind], feature, name=name)
    raise ValueError(f"{kind!r} is not read through GDAL")


@contextmanager
def unpacked_shapefile(path: Path, *, name: str, max_bytes: int) -> Iterator[Path]:
    """The Shapefile of a zip archive unpacked into a fresh folder as outline.shp, .shx, .dbf (and
    .prj, .cpg when present); the path of its .shp. Only those members are read from the archive,
    by their size as stored, never by a path inside it."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnreadableFile(f"{name}: not a readable zip archive ({exc})") from exc
    with archive, tempfile.TemporaryDirectory(prefix="lofte-outline-") as folder:
        members = [m for m in archive.infolist() if not m.is_dir() and not m.filename.startswith("__MACOSX/")]
        if len(members) > MAX_MEMBERS:
            raise UnreadableFile(f"{name}: the archive holds {len(members)} files; a zipped Shapefile needs 3 to 5")
        chosen = _shapefile_members(members, name=name)
        if sum(m.file_size for m in chosen.values()) > max_bytes:
            raise UnreadableFile(f"{name}: the Shapefile unpacks to more than {max_bytes // 1_000_000} MB")
        for suffix, member in chosen.items():
            data = _read_member(archive, member, name=name)
            if suffix in (".shp", ".shx") and (len(data) < 4 or struct.unpack(">i", data[:4])[0] != SHAPEFILE_CODE):
                raise UnreadableFile(f"{name}: {member.filename}: not an ESRI Shapefile (wrong file code)")
            (Path(folder) / f"outline{suffix}").write_bytes(data)
        yield Path(folder) / "outline.shp"


def _shapefile_members(members: list[zipfile.ZipInfo], *, name: str) -> dict[str, zipfile.ZipInfo]:
    shp = [m for m in members if m.filename.lower().endswith(".shp")]
    if len(shp) != 1:
        raise UnreadableFile(f"{name}: a zipped Shapefile holds exactly one .shp file; this archive holds {len(shp)}")
    stem = shp[0].filename[:-4]
    chosen = {}
    for suffix in SHAPEFILE_PARTS:
        found = [m for m in members if m.filename[:-4] == stem and m.filename[-4:].lower() == suffix]
        if found:
            chosen[suffix] = found[0]
        elif suffix in (".shx", ".dbf"):
            raise UnreadableFile(f"{name}: {Path(stem).name}{suffix} is missing beside {shp[0].filename}")
    return chosen


def _read_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, *, name: str) -> bytes:
    try:
        with archive.open(member) as handle:
            data = handle.read(member.file_size + 1)  # never more than the stated size (a zip bomb lies)
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError) as exc:
        raise UnreadableFile(f"{name}: {member.filename}: cannot unpack it ({exc})") from exc
    if len(data) > member.file_size:
        raise UnreadableFile(f"{name}: {member.filename}: larger than the archive says")
    return data


def _read_with_driver(path: Path, driver: str, feature: int, *, name: str) -> GdalFeature:
    import pyogrio
    from pyogrio import raw

    pyogrio.set_gdal_config_options(GDAL_CONFIG)
    try:
        info: dict[str, Any] = pyogrio.read_info(path)
        if info.get("driver") != driver:
            raise UnreadableFile(f"{name}: GDAL took it for {info.get('driver')}, not {driver}; refused")
        count = int(info.get("features") or 0)
        if not 1 <= feature <= max(count, 0):
            raise UnreadableFile(f"{name}: feature {feature}: the file has {count} features")
        meta, _fids, geometries, columns = raw.read(path, read_geometry=True, skip_features=feature - 1, max_features=1)
    except UnreadableFile:
        raise
    except Exception as exc:  # GDAL's errors come in several types; their text may hold our temporary path
        reason = str(exc).replace(str(path), name)
        raise UnreadableFile(f"{name}: cannot read it as a {_kind_name(driver)} ({reason})") from exc
    if geometries is None or len(geometries) != 1 or geometries[0] is None:
        raise UnreadableFile(f"{name}: feature {feature}: it has no geometry")
    attributes = {str(field): _plain(values[0]) for field, values in zip(meta.get("fields", []), columns)}
    return bytes(geometries[0]), meta.get("crs"), attributes


def _plain(value: Any) -> str | int | float | None:
    """A GDAL attribute as a plain value (numpy scalars to Python's, dates and the rest as text)."""
    if value is None or isinstance(value, (str, int, float)):
        return value
    item = getattr(value, "item", None)
    plain = item() if callable(item) else value
    return plain if isinstance(plain, (str, int, float)) else str(plain)


def _kind_name(driver: str) -> str:
    return {v: k for k, v in DRIVERS.items()}.get(driver, driver)
