"""Where a town is: the offline gazetteer shipped in certification/data/geo/ (GeoNames, CC BY 4.0;
built by scripts/build_geodata.py). Read once per process; nothing is fetched at run time."""

import csv
import functools
import json
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ..choices import LocationSource
from .search import fold

DATA = Path(__file__).resolve().parent.parent / "data" / "geo"
# Organization.latitude/longitude keep 5 decimal places (about a metre).
PLACES = Decimal("0.00001")


@dataclass(frozen=True)
class Location:
    latitude: Decimal
    longitude: Decimal
    source: LocationSource


@dataclass(frozen=True)
class _Point:
    powiat: str
    latitude: Decimal
    longitude: Decimal


def _key(name: str) -> str:
    """The folded name, hyphens as spaces: GeoNames writes "Jastrzębie Zdrój", the official
    name (and so the profile) "Jastrzębie-Zdrój"."""
    return " ".join(fold(name).replace("-", " ").replace("\u2013", " ").split())


def _decimal(value) -> Decimal:
    return Decimal(str(value)).quantize(PLACES)


@functools.cache
def _localities() -> dict[str, list[_Point]]:
    """Folded name → its localities (a name may be in several powiats), in the file's order."""
    by_name: dict[str, list[_Point]] = defaultdict(list)
    with (DATA / "localities.csv").open(encoding="utf-8", newline="") as rows:
        for row in csv.DictReader(rows):
            by_name[_key(row["name"])].append(
                _Point(row["powiat"], _decimal(row["latitude"]), _decimal(row["longitude"]))
            )
    return dict(by_name)


@functools.cache
def _powiats() -> dict[str, _Point]:
    features = json.loads((DATA / "powiats.geojson").read_text(encoding="utf-8"))["features"]
    return {
        f["id"]: _Point(
            f["id"],
            _decimal(f["geometry"]["coordinates"][1]),
            _decimal(f["geometry"]["coordinates"][0]),
        )
        for f in features
    }


def locate(*, town: str, powiat: str) -> Location | None:
    """The point of `town`, or of `powiat`'s centre when the town is not in the gazetteer.

    With a powiat, only localities in it count: a village missing from the gazetteer may share
    its name with a town elsewhere. Without one, the name must be unique in Poland. None when
    nothing fits, or the name is in several powiats and none was given to decide.
    """
    candidates = _localities().get(_key(town), [])
    if powiat:
        candidates = [point for point in candidates if point.powiat == powiat]
    if len(candidates) == 1 or (powiat and candidates):
        point = candidates[0]
        return Location(point.latitude, point.longitude, LocationSource.LOCALITY)
    centre = _powiats().get(powiat) if powiat else None
    if centre is not None:
        return Location(centre.latitude, centre.longitude, LocationSource.POWIAT)
    return None
