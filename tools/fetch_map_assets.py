#!/usr/bin/env python3
"""Fetch the JavaScript/CSS that folium maps load, once, from the npm registry.

The interactive maps must open on machines with no internet (government
intranets), so :mod:`gis.maps.web.offline` inlines every asset into the HTML. The
assets are fetched by this script with ``npm pack`` at pinned versions, made
self-contained (images and fonts referenced by the CSS become ``data:`` URIs,
source-map comments are dropped) and committed under ``gis/maps/web/assets/``
together with ``VERSIONS.toml`` (package, version, npm integrity, SHA-256 of
each committed file, the CDN URLs it replaces) and ``LICENSES.md``.

Run it only to change a version::

    python tools/fetch_map_assets.py            # needs `npm` and the npm registry

Nothing fetches at run time: the package uses the committed files.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ASSETS = REPO / "gis" / "maps" / "web" / "assets"

# The URLs folium 0.20 / branca 0.8 put into a page, and the npm package that
# holds the same file. Every URL a rendered map can contain must be listed here
# (tests/maps/test_web_map.py renders folium's defaults and checks).
PACKAGES = {
    "leaflet": {
        "npm": "leaflet@1.9.3",
        "licence": "BSD-2-Clause",
        "licence_file": "LICENSE",
        "files": {
            "leaflet.js": {"src": "dist/leaflet.js",
                           "urls": ["https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"]},
            "leaflet.css": {"src": "dist/leaflet.css", "css_base": "dist",
                            "urls": ["https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css"]},
            # Marker images: the default icon's imagePath is set to these as data: URIs.
            "marker-icon.png": {"src": "dist/images/marker-icon.png"},
            "marker-icon-2x.png": {"src": "dist/images/marker-icon-2x.png"},
            "marker-shadow.png": {"src": "dist/images/marker-shadow.png"},
        },
    },
    "jquery": {
        "npm": "jquery@3.7.1",
        "licence": "MIT",
        "licence_file": "LICENSE.txt",
        "files": {"jquery.min.js": {"src": "dist/jquery.min.js",
                                    "urls": ["https://code.jquery.com/jquery-3.7.1.min.js"]}},
    },
    "bootstrap": {
        "npm": "bootstrap@5.2.2",
        "licence": "MIT",
        "licence_file": "LICENSE",
        "files": {
            "bootstrap.bundle.min.js": {
                "src": "dist/js/bootstrap.bundle.min.js",
                "urls": ["https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js"]},
            "bootstrap.min.css": {
                "src": "dist/css/bootstrap.min.css", "css_base": "dist/css",
                "urls": ["https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/css/bootstrap.min.css"]},
        },
    },
    # folium links Bootstrap 3.0.0's stand-alone glyphicons sheet, which is not on
    # npm; the same rules and font are cut out of bootstrap 3.1.1 (the oldest
    # 3.x there).
    "glyphicons": {
        "npm": "bootstrap@3.1.1",
        "licence": "MIT",
        "licence_file": "LICENSE",
        "files": {"glyphicons.css": {
            "extract": "glyphicons", "src": "dist/css/bootstrap.css", "css_base": "dist/css",
            "urls": ["https://netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css"]}},
    },
    "fontawesome": {
        "npm": "@fortawesome/fontawesome-free@6.2.0",
        "licence": "CC-BY-4.0 (icons) AND OFL-1.1 (fonts) AND MIT (code)",
        "licence_file": "LICENSE.txt",
        "files": {"fontawesome.min.css": {
            "src": "css/all.min.css", "css_base": "css",
            # The v4/v5 compatibility faces repeat the same fonts under old family
            # names (a 3x larger file); folium's icons use the v6 names only.
            "drop_font_families": ["Font Awesome 5 Brands", "Font Awesome 5 Free", "FontAwesome"],
            "urls": ["https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@6.2.0/css/all.min.css"]}},
    },
    "awesome_markers": {
        "npm": "drmonty-leaflet-awesome-markers@2.0.2",
        "licence": "MIT",
        "licence_file": None,  # the package ships none; its package.json says MIT
        "files": {
            "leaflet.awesome-markers.js": {
                "src": "js/leaflet.awesome-markers.min.js",
                "urls": ["https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/"
                         "leaflet.awesome-markers.js"]},
            "leaflet.awesome-markers.css": {
                "src": "css/leaflet.awesome-markers.css", "css_base": "css",
                "urls": ["https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/"
                         "leaflet.awesome-markers.css"]},
        },
    },
    "d3": {
        "npm": "d3@3.5.5",
        "licence": "BSD-3-Clause",
        "licence_file": "LICENSE",
        "files": {"d3.min.js": {"src": "d3.min.js",
                                "urls": ["https://cdnjs.cloudflare.com/ajax/libs/d3/3.5.5/d3.min.js"]}},
    },
}

# folium's own rotation classes for awesome-marker icons (fa-rotate-0..359). Not on
# npm; regenerated here (same rules as folium's leaflet.awesome.rotate.min.css, MIT).
ROTATE_URL = ("https://cdn.jsdelivr.net/gh/python-visualization/folium/folium/templates/"
              "leaflet.awesome.rotate.min.css")

_MIME = {".png": "image/png", ".woff2": "font/woff2", ".woff": "font/woff", ".svg": "image/svg+xml",
         ".ttf": "font/ttf", ".gif": "image/gif"}


def npm_pack(spec: str, dest: Path) -> tuple[Path, dict]:
    """``npm pack`` one package into ``dest``; return the unpacked folder and pack info."""
    out = subprocess.run(["npm", "pack", spec, "--json", "--pack-destination", str(dest)],
                         check=True, capture_output=True, text=True).stdout
    info = json.loads(out)[0]
    unpacked = dest / info["filename"].removesuffix(".tgz")
    with tarfile.open(dest / info["filename"]) as tar:
        tar.extractall(unpacked, filter="data")
    return unpacked / "package", info


def _data_uri(path: Path) -> str:
    mime = _MIME[path.suffix.lower()]
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _font_src(decl: str, base: Path) -> str:
    """Rewrite one ``src:`` list of an @font-face: keep only woff2/woff, inlined."""
    parts = [p.strip() for p in re.split(r",(?![^(]*\))", decl)]
    kept = []
    for part in parts:
        m = re.match(r"url\((['\"]?)([^'\")?#]+)[^)]*\1\)\s*(format\([^)]*\))?", part)
        if not m:
            continue
        file = base / m.group(2)
        if file.suffix.lower() in (".woff2", ".woff") and file.exists():
            fmt = m.group(3) or f'format("{file.suffix[1:]}")'
            kept.append(f"url({_data_uri(file)}) {fmt}")
    if not kept:
        raise SystemExit(f"no woff/woff2 font in {decl[:120]}")
    return ",".join(kept[:1])  # the first (woff2 where there is one) is enough for any current browser


def self_contained_css(css: str, base: Path, drop_font_families=()) -> str:
    """Inline the images and fonts a stylesheet references; drop legacy font formats."""
    css = re.sub(r"/\*# sourceMappingURL=[^*]*\*/", "", css)

    def font_face(m: re.Match) -> str:
        body = m.group(1)
        family = re.search(r"font-family:\s*['\"]?([^;'\"]+)", body)
        if family and family.group(1).strip() in drop_font_families:
            return ""
        body = re.sub(r"src:\s*url\([^)]*\.eot[^)]*\)\s*;", "", body)  # IE-only first src
        body = re.sub(r"src:([^;}]*)", lambda s: "src:" + _font_src(s.group(1), base), body)
        return "@font-face{" + body + "}"

    css = re.sub(r"@font-face\s*\{([^}]*)\}", font_face, css)

    def url(m: re.Match) -> str:
        ref = m.group(2)
        if ref.startswith(("data:", "#")):
            return m.group(0)
        file = base / ref
        if not file.exists():
            raise SystemExit(f"missing file referenced by CSS: {ref}")
        return f"url({_data_uri(file)})"

    return re.sub(r"url\((['\"]?)([^'\")]+)\1\)", url, css)


def extract_glyphicons(css: str) -> str:
    """Cut the @font-face and ``.glyphicon`` rules out of Bootstrap 3's stylesheet."""
    rules = re.findall(r"(@font-face\s*\{[^}]*\}|[^{}]*\{[^{}]*\})", css)
    kept = [r.strip() for r in rules
            if r.lstrip().startswith("@font-face") and "Glyphicons" in r
            or (not r.lstrip().startswith("@") and ".glyphicon" in r.split("{")[0])]
    return "\n".join(kept) + "\n"


def strip_js(js: str) -> str:
    return re.sub(r"//# sourceMappingURL=\S*\s*$", "", js.rstrip()) + "\n"


def main() -> int:
    if shutil.which("npm") is None:
        print("npm not found: install Node.js/npm (Debian: apt-get install npm)", file=sys.stderr)
        return 1
    ASSETS.mkdir(parents=True, exist_ok=True)
    versions: list[str] = [
        "# Pinned map assets, fetched by tools/fetch_map_assets.py from the npm registry.",
        "# `urls` are the CDN addresses folium/branca write into a page; gis.maps.web.offline",
        "# replaces each with the committed file. Do not edit by hand: rerun the script.",
        "",
    ]
    licences: list[str] = [
        "# Licences of the map assets",
        "",
        "The files in this folder are third-party code shipped so that maps work offline.",
        "Each is used under the licence below (texts copied from the npm packages).",
        "",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        for name, spec in PACKAGES.items():
            pkg, info = npm_pack(spec["npm"], Path(tmp))
            folder = ASSETS / name
            folder.mkdir(exist_ok=True)
            versions += [f"[{name}]", f'npm = "{spec["npm"]}"', f'integrity = "{info["integrity"]}"',
                         f'licence = "{spec["licence"]}"', ""]
            for out_name, f in spec["files"].items():
                src = pkg / f["src"]
                if out_name.endswith(".png"):
                    data = src.read_bytes()
                else:
                    text = src.read_text(encoding="utf-8")
                    if f.get("extract") == "glyphicons":
                        text = extract_glyphicons(text)
                    if out_name.endswith(".css"):
                        text = self_contained_css(text, pkg / f["css_base"], f.get("drop_font_families", ()))
                    else:
                        text = strip_js(text)
                    data = text.encode("utf-8")
                (folder / out_name).write_bytes(data)
                versions += [f"[{name}.files.\"{out_name}\"]", f'from = "{f["src"]}"',
                             f'sha256 = "{hashlib.sha256(data).hexdigest()}"',
                             f"urls = {json.dumps(f.get('urls', []))}", ""]
                print(f"{name}/{out_name}: {len(data):,} bytes", file=sys.stderr)
            lic = pkg / spec["licence_file"] if spec["licence_file"] else None
            licences += [f"## {name} — `{spec['npm']}` — {spec['licence']}", ""]
            if lic is not None and lic.exists():
                licences += ["```", lic.read_text(encoding="utf-8").strip(), "```", ""]
            else:
                licences += ["The npm package ships no licence file; its `package.json` declares "
                             "MIT (Copyright (C) 2013 L. Voogdt, https://github.com/lvoogdt/Leaflet.awesome-markers).",
                             ""]

    rotate = "".join(f".fa-rotate-{a}{{transform:rotate({a}deg)}}" for a in range(360)) + "\n"
    (ASSETS / "folium").mkdir(exist_ok=True)
    (ASSETS / "folium" / "leaflet.awesome.rotate.min.css").write_text(rotate, encoding="utf-8")
    versions += ["[folium]", 'npm = ""', 'integrity = ""', 'licence = "MIT"', "",
                 '[folium.files."leaflet.awesome.rotate.min.css"]', 'from = "generated (fa-rotate-0..359)"',
                 f'sha256 = "{hashlib.sha256(rotate.encode()).hexdigest()}"', f"urls = {json.dumps([ROTATE_URL])}",
                 ""]
    licences += ["## folium — `leaflet.awesome.rotate.min.css` — MIT", "",
                 "Generated by tools/fetch_map_assets.py with the same rules as folium's file "
                 "(folium is MIT-licensed, Copyright (c) 2013, Rob Story).", ""]
    (ASSETS / "VERSIONS.toml").write_text("\n".join(versions), encoding="utf-8")
    (ASSETS / "LICENSES.md").write_text("\n".join(licences), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
