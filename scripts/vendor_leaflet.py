"""Vendor Leaflet (the map of offers' library) from npm into static/vendor/leaflet/.

    .venv/bin/python scripts/vendor_leaflet.py     # needs npm (and its registry)

The files are committed: the site never loads a script from a CDN, and its pages work with no
internet. They are the package's own, but for one line: leaflet.js's reference to a source map
the package does not contain. To move to a newer Leaflet, change VERSION, run this, review the
diff (and the licence), and run the map's tests (tests/test_offers_map.py,
tests/browser/test_buyer_map.py).
"""

import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "static" / "vendor" / "leaflet"
VERSION = "1.9.4"
# What the pages use: the minified script, its style sheet, the marker and layer images.
FILES = ("dist/leaflet.js", "dist/leaflet.css", "LICENSE")
IMAGES = "dist/images"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        into = Path(tmp)
        # Our own pinned argument, and npm from PATH as every other make target finds it.
        subprocess.run(  # noqa: S603
            ["npm", "pack", f"leaflet@{VERSION}", "--silent", "--pack-destination", tmp],  # noqa: S607
            check=True,
            capture_output=True,
        )
        archive = next(into.glob("leaflet-*.tgz"))
        with tarfile.open(archive) as tar:
            tar.extractall(into / "leaflet", filter="data")
        package = into / "leaflet" / "package"
        if OUT.exists():
            shutil.rmtree(OUT)
        (OUT / "images").mkdir(parents=True)
        for name in FILES:
            shutil.copy2(package / name, OUT / Path(name).name)
        # The package names a source map it does not ship; the production static storage
        # (ManifestStaticFilesStorage) refuses to collect a script whose map is missing.
        script = OUT / "leaflet.js"
        lines = script.read_text(encoding="utf-8").splitlines(keepends=True)
        kept = [line for line in lines if not line.startswith("//# sourceMappingURL=")]
        script.write_text("".join(kept).rstrip("\n") + "\n", encoding="utf-8")
        for image in sorted((package / IMAGES).iterdir()):
            shutil.copy2(image, OUT / "images" / image.name)
        (OUT / "VERSION").write_text(f"leaflet {VERSION} (npm), BSD-2-Clause\n", encoding="utf-8")
    sys.stdout.write(f"Leaflet {VERSION} copied into {OUT.relative_to(ROOT)}\n")


if __name__ == "__main__":
    main()
