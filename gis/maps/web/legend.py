"""Map furniture that folium and branca lack: a categorical legend, a note box, a title.

branca only has colour-scale legends; the upgrade / transform / reduce legend
and the "illustrative data" label are small Leaflet controls written here. All
text is HTML-escaped before it reaches the page.
"""

from __future__ import annotations

from branca.element import Element, Figure, MacroElement
from folium.template import Template

from gis.maps.web.escape import escape_text

__all__ = ["HtmlControl", "categorical_legend", "note_box", "TitleBox"]

_CSS = """<style>
.parkgis-box{background:rgba(255,255,255,.92);padding:6px 9px;border-radius:4px;
  box-shadow:0 1px 4px rgba(0,0,0,.3);
  font:12px/1.4 "Noto Sans SC","Microsoft YaHei","PingFang SC",sans-serif;color:#222}
.parkgis-legend .parkgis-legend-title{font-weight:600;margin-bottom:3px}
.parkgis-legend .parkgis-swatch{display:inline-block;width:14px;height:11px;margin-right:6px;vertical-align:-1px;
  border:1px solid rgba(0,0,0,.35)}
.parkgis-illustrative{background:#fff3cd;border:1px solid #d39e00;color:#6b4e00;font-weight:600}
.parkgis-illustrative .parkgis-note-detail{font-weight:400;max-width:260px}
.parkgis-title{position:absolute;top:10px;left:54px;z-index:1000;max-width:calc(100% - 420px);
  font-size:15px;font-weight:600;pointer-events:none}
</style>"""


class HtmlControl(MacroElement):
    """A Leaflet control showing fixed HTML (already escaped by the caller).

    Parameters
    ----------
    html : str
        Inner HTML of the control.
    position : {"topleft", "topright", "bottomleft", "bottomright"}
    css_class : str
        Extra CSS class(es) of the control's ``div`` (the tests find it by them).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.control({position: {{ this.position|tojson }}});
            {{ this.get_name() }}.onAdd = function () {
                var div = L.DomUtil.create("div", {{ ("parkgis-box " ~ this.css_class)|tojson }});
                div.innerHTML = {{ this.html|tojson }};
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, html: str, position: str = "bottomright", css_class: str = ""):
        super().__init__()
        self._name = "ParkgisControl"
        self.html = html
        self.position = position
        self.css_class = css_class

    def render(self, **kwargs):
        _add_css(self)
        super().render(**kwargs)


def _add_css(element: MacroElement) -> None:
    figure = element.get_root()
    if isinstance(figure, Figure):
        figure.header.add_child(Element(_CSS), name="parkgis_box_css")  # once per page


def categorical_legend(title: str, items: list[tuple[str, str]], position: str = "bottomright") -> HtmlControl:
    """A legend of colour swatches: ``items`` are ``(colour, label)`` pairs (plain text)."""
    rows = "".join(
        f'<div class="parkgis-legend-item"><span class="parkgis-swatch" style="background:{escape_text(c)}"></span>'
        f"{escape_text(label)}</div>"
        for c, label in items
    )
    html = f'<div class="parkgis-legend-title">{escape_text(title)}</div>{rows}'
    return HtmlControl(html, position, "parkgis-legend")


def note_box(text: str, detail: str = "", position: str = "bottomleft", css_class: str = "parkgis-note") -> HtmlControl:
    """A short note (plain text), e.g. "示意数据 / illustrative data", with an optional detail line."""
    html = f'<div class="parkgis-note-text">{escape_text(text)}</div>'
    if detail:
        html += f'<div class="parkgis-note-detail">{escape_text(detail)}</div>'
    return HtmlControl(html, position, css_class)


class TitleBox(MacroElement):
    """A title centred at the top of the map (plain text)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            (function () {
                var div = L.DomUtil.create("div", "parkgis-box parkgis-title");
                div.innerHTML = {{ this.html|tojson }};
                {{ this._parent.get_name() }}.getContainer().appendChild(div);
            })();
        {% endmacro %}
        """
    )

    def __init__(self, title: str):
        super().__init__()
        self._name = "ParkgisTitle"
        self.html = escape_text(title)

    def render(self, **kwargs):
        _add_css(self)
        super().render(**kwargs)
