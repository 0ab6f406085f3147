#!/usr/bin/env python3
"""Copy the front-end packages installed by `npm ci` into static/vendor/ (no CDN).

    static/vendor/bootstrap/bootstrap.rtl.min.css   (+ .map)
    static/vendor/bootstrap/bootstrap.bundle.min.js (+ .map)
    static/vendor/htmx/htmx.min.js
    static/vendor/chartjs/chart.umd.min.js          (+ .map)
    static/vendor/vazirmatn/Vazirmatn-Variable.woff2, vazirmatn.css, OFL.txt

static/vendor/ is generated (gitignored) and rebuilt whole on every run. A file that
names a source map is shipped with its map, or the reference is dropped when the
package has none: ManifestStaticFilesStorage (collectstatic) fails on a missing map.

Usage: python3 scripts/vendor_assets.py [--check]
  --check   only verify that every expected file is in static/vendor/ (exit 1 if not)
"""

import argparse
import re
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
VENDOR = ROOT / "static" / "vendor"

# (source under node_modules, destination under static/vendor)
FILES = [
    ("bootstrap/dist/css/bootstrap.rtl.min.css", "bootstrap/bootstrap.rtl.min.css"),
    ("bootstrap/dist/js/bootstrap.bundle.min.js", "bootstrap/bootstrap.bundle.min.js"),
    ("htmx.org/dist/htmx.min.js", "htmx/htmx.min.js"),
    ("chart.js/dist/chart.umd.min.js", "chartjs/chart.umd.min.js"),
    # The variable font covers every weight (100-900) in one file. Renamed: brackets in
    # "Vazirmatn[wght].woff2" are awkward in URLs.
    ("vazirmatn/fonts/webfonts/Vazirmatn[wght].woff2", "vazirmatn/Vazirmatn-Variable.woff2"),
    ("vazirmatn/OFL.txt", "vazirmatn/OFL.txt"),
]

# Relative URLs: the CSS is served from /static/vendor/vazirmatn/ (or its hashed twin
# after collectstatic, which rewrites these URLs to the hashed font names).
VAZIRMATN_CSS = """\
/* Vazirmatn (SIL Open Font License 1.1, see OFL.txt), served locally, no CDN. */
@font-face {
  font-family: "Vazirmatn";
  src: url("Vazirmatn-Variable.woff2") format("woff2-variations"),
       url("Vazirmatn-Variable.woff2") format("woff2");
  font-weight: 100 900;
  font-style: normal;
  font-display: swap;
}
"""

GENERATED = {"vazirmatn/vazirmatn.css": VAZIRMATN_CSS}

SOURCE_MAP = re.compile(r"(?:/\*# sourceMappingURL=(\S+?) \*/|//# sourceMappingURL=(\S+))\s*$")


def expected_files():
    names = [dest for _, dest in FILES] + list(GENERATED)
    return sorted(names)


def _copy_with_map(src: Path, dest: Path) -> list[str]:
    """Copy src to dest; bring its source map along, or drop a dangling reference."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    if src.suffix not in {".js", ".css"}:
        shutil.copyfile(src, dest)
        return []
    text = src.read_text(encoding="utf-8")
    match = SOURCE_MAP.search(text)
    if not match:
        dest.write_text(text, encoding="utf-8")
        return []
    map_name = match.group(1) or match.group(2)
    map_src = src.parent / map_name
    if "/" not in map_name and map_src.is_file():
        dest.write_text(text, encoding="utf-8")
        shutil.copyfile(map_src, dest.parent / map_name)
        return [map_name]
    dest.write_text(text[: match.start()].rstrip() + "\n", encoding="utf-8")
    return []


def build() -> int:
    if not NODE_MODULES.is_dir():
        print("node_modules/ is missing: run `npm ci` first (make install does).", file=sys.stderr)
        return 1
    missing = [src for src, _ in FILES if not (NODE_MODULES / src).is_file()]
    if missing:
        print("Not found in node_modules (run `npm ci`): " + ", ".join(missing), file=sys.stderr)
        return 1

    VENDOR.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".vendor-", dir=VENDOR.parent))
    try:
        written = []
        for src, dest in FILES:
            maps = _copy_with_map(NODE_MODULES / src, staging / dest)
            written.append(dest)
            written.extend(str(Path(dest).parent / m) for m in maps)
        for dest, content in GENERATED.items():
            (staging / dest).parent.mkdir(parents=True, exist_ok=True)
            (staging / dest).write_text(content, encoding="utf-8")
            written.append(dest)
        staging.chmod(0o755)  # mkdtemp makes it private; the web server must read it
        if VENDOR.exists():
            shutil.rmtree(VENDOR)
        staging.rename(VENDOR)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    print(f"static/vendor/: {len(written)} files")
    for name in sorted(written):
        print(f"  {name}")
    return 0


def check() -> int:
    missing = [name for name in expected_files() if not (VENDOR / name).is_file()]
    if missing:
        print("Missing in static/vendor/: " + ", ".join(missing), file=sys.stderr)
        return 1
    print("static/vendor/ is complete.")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only verify static/vendor/")
    args = parser.parse_args(argv)
    return check() if args.check else build()


if __name__ == "__main__":
    sys.exit(main())
