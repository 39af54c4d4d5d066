"""Offline web maps: inline every JavaScript/CSS asset a folium page links.

folium and branca write ``<script src="https://cdn…">`` and
``<link rel="stylesheet" href="https://cdn…">`` into every page, so a saved map
is blank on a machine without internet (government intranets). After folium
has rendered the page, :func:`inline_assets` replaces each such reference with
the pinned file shipped in ``gis/maps/web/assets/`` (fetched once from npm by
``tools/fetch_map_assets.py``; versions, hashes and licences in
``assets/VERSIONS.toml`` and ``assets/LICENSES.md``). Images and fonts the
stylesheets need are already ``data:`` URIs in those files, and Leaflet's
default marker icon is pointed at inlined PNGs, so the page makes no request at
all. A reference with no shipped asset is an error, never silently left in.
"""

from __future__ import annotations

import base64
import functools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from gis.errors import OutputError

__all__ = ["ASSETS_DIR", "Asset", "assets", "asset_for_url", "inline_assets", "external_asset_refs",
           "leaflet_icon_script"]

ASSETS_DIR = Path(__file__).resolve().parent / "assets"

_SCRIPT_PAT = r"<script\b[^>]*?\bsrc\s*=\s*([\"'])(?P<url>[^\"']+)\1[^>]*>\s*</script\s*>"
_LINK_PAT = r"<link\b[^>]*?\bhref\s*=\s*([\"'])(?P<url>[^\"']+)\1[^>]*?/?>"
_SCRIPT_RE = re.compile(_SCRIPT_PAT, re.I)
_LINK_RE = re.compile(_LINK_PAT, re.I)
# Both tags in one pattern, so one pass over the page replaces them and the
# inlined file contents are never rescanned.
_EITHER_RE = re.compile(r"(?P<s><script\b[^>]*?\bsrc\s*=[^>]*>\s*</script\s*>)"
                        r"|(?P<l><link\b[^>]*?\bhref\s*=[^>]*>)", re.I)
_REMOTE = r"(?:https?:)?//"


@dataclass(frozen=True)
class Asset:
    """One shipped file: ``package/name`` under ``assets/``, and the URLs it replaces."""

    package: str
    name: str
    npm: str
    licence: str
    urls: tuple[str, ...]

    @property
    def path(self) -> Path:
        return ASSETS_DIR / self.package / self.name

    @property
    def version(self) -> str:
        return self.npm.rsplit("@", 1)[-1] if "@" in self.npm[1:] else ""

    def text(self) -> str:
        return _read_text(self.path)


@functools.cache
def _read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@functools.cache
def assets() -> tuple[Asset, ...]:
    """All shipped assets, as recorded in ``assets/VERSIONS.toml``."""
    with open(ASSETS_DIR / "VERSIONS.toml", "rb") as fh:
        table = tomllib.load(fh)
    out = []
    for package, spec in table.items():
        for name, f in spec.get("files", {}).items():
            out.append(Asset(package, name, spec.get("npm", ""), spec.get("licence", ""), tuple(f.get("urls", ()))))
    return tuple(out)


def _normal(url: str) -> str:
    parts = urlsplit(url if "://" in url else "https:" + url if url.startswith("//") else url)
    return (parts.netloc + parts.path).lower()


def asset_for_url(url: str) -> Asset | None:
    """The shipped asset for a CDN URL, or None.

    Matches the recorded URLs (ignoring scheme and query), then — for the same
    library from another CDN — a URL that ends with the asset's file name and
    names its version.
    """
    key = _normal(url)
    for a in assets():
        if any(_normal(u) == key for u in a.urls):
            return a
    for a in assets():
        if not a.urls or not a.version:
            continue
        if key.endswith("/" + a.name.lower()) and a.version in key:
            return a
    return None


def _data_uri(path: Path, mime: str = "image/png") -> str:
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def leaflet_icon_script() -> str:
    """JS that points Leaflet's default marker icon at inlined PNGs.

    Leaflet builds the icon URL as ``imagePath + iconUrl`` and otherwise guesses
    ``imagePath`` from the stylesheet's URL, which an inlined sheet does not have.
    """
    d = ASSETS_DIR / "leaflet"
    return ('L.Icon.Default.imagePath="";L.Icon.Default.mergeOptions({'
            f'iconUrl:"{_data_uri(d / "marker-icon.png")}",'
            f'iconRetinaUrl:"{_data_uri(d / "marker-icon-2x.png")}",'
            f'shadowUrl:"{_data_uri(d / "marker-shadow.png")}"}});')


def _script_body(js: str) -> str:
    # A literal "</script" (or "<!--") inside a script would end (or confuse) the
    # element; "<\/script" means the same to JavaScript.
    return js.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT").replace("<!--", "<\\!--")


def _style_body(css: str) -> str:
    return css.replace("</style", "<\\/style")


def _missing(url: str) -> OutputError:
    return OutputError(
        f"地图引用的外部资源没有离线副本：{url}",
        f"The map links an external asset that has no offline copy: {url}",
        "用 offline=False（命令行 --online）保存联网版本，或在 tools/fetch_map_assets.py 中加入该资源。",
        "Save an online map with offline=False (CLI --online), or add the asset to tools/fetch_map_assets.py.",
    )


def inline_assets(html: str, *, strict: bool = True) -> str:
    """Replace every external ``<script src>`` / stylesheet ``<link href>`` with its inlined file.

    Parameters
    ----------
    html : str
        A rendered page (``folium.Map.get_root().render()``).
    strict : bool
        Raise :class:`~gis.errors.OutputError` for an external reference with no
        shipped asset (default); with False such a reference is left as it is.

    Returns
    -------
    str
        The page with the assets inlined (each at most once).
    """
    done: set[str] = set()

    def script(m: re.Match) -> str:
        url = m.group("url")
        if url.startswith("data:"):
            return m.group(0)
        a = asset_for_url(url)
        if a is None:
            if strict:
                raise _missing(url)
            return m.group(0)
        key = f"{a.package}/{a.name}"
        if key in done:
            return ""
        done.add(key)
        extra = ("\n" + leaflet_icon_script()) if (a.package, a.name) == ("leaflet", "leaflet.js") else ""
        return f"<script>/* {a.npm or a.package}: {a.name} ({a.licence}) */\n{_script_body(a.text())}{extra}</script>"

    def link(m: re.Match) -> str:
        tag, url = m.group(0), m.group("url")
        if url.startswith("data:"):
            return tag
        rel = re.search(r"\brel\s*=\s*([\"'])([^\"']*)\1", tag, re.I)
        is_css = ((rel is not None and "stylesheet" in rel.group(2).lower())
                  or url.lower().split("?")[0].endswith(".css"))
        if not is_css:
            if strict and re.match(_REMOTE, url):
                raise _missing(url)
            return tag
        a = asset_for_url(url)
        if a is None:
            if strict:
                raise _missing(url)
            return tag
        key = f"{a.package}/{a.name}"
        if key in done:
            return ""
        done.add(key)
        return f"<style>/* {a.npm or a.package}: {a.name} ({a.licence}) */\n{_style_body(a.text())}</style>"

    # One pass over the original page: inlined file contents are never rescanned.
    def either(m: re.Match) -> str:
        tag = m.group(0)
        inner = (_SCRIPT_RE if m.group("s") is not None else _LINK_RE).match(tag)
        if inner is None:  # an unquoted src/href: not folium's output, and not safe to guess
            if strict and re.search(r"=\s*" + _REMOTE, tag):
                raise _missing(tag)
            return tag
        return script(inner) if m.group("s") is not None else link(inner)

    return _EITHER_RE.sub(either, html)


def external_asset_refs(html: str) -> list[str]:
    """Remote URLs a page would load by itself: script/link/img/iframe sources, CSS url() and @import.

    Hyperlinks (``<a href>``, e.g. tile attributions) and URL templates inside
    scripts (tile layers) are not asset references and are not listed.
    """
    refs = [m.group("url") for m in _SCRIPT_RE.finditer(html)]
    refs += [m.group("url") for m in _LINK_RE.finditer(html)]
    refs += re.findall(r"<(?:img|iframe|source|embed|video|audio)\b[^>]*?\bsrc\s*=\s*[\"']([^\"']+)", html, re.I)
    refs += re.findall(r"url\(\s*[\"']?(" + _REMOTE + r"[^\"')\s]+)", html, re.I)
    refs += re.findall(r"@import\s+(?:url\()?\s*[\"']?(" + _REMOTE + r"[^\"')\s;]+)", html, re.I)
    return [r for r in refs if re.match(_REMOTE, r)]
