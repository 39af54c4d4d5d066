"""Escaping for the web map (gis.maps.web.escape): a planner's text is shown as text, never run."""

from __future__ import annotations

import pandas as pd

from gis.maps.web.escape import escape_series, escape_text, js_literal

XSS_ID = "<img src=x onerror=alert(1)>"
JINJA = "{{ 7*7 }}{% if true %}"


def test_escape_text_and_series():
    assert escape_text(XSS_ID) == "&lt;img src=x onerror=alert(1)&gt;"
    assert escape_text('a"b\'c&') == "a&quot;b&#x27;c&amp;"
    assert escape_text(JINJA) == "&#123;&#123; 7*7 &#125;&#125;&#123;% if true %&#125;"
    assert escape_text(None) == "" and escape_text(float("nan")) == ""
    s = escape_series(pd.Series([XSS_ID, None, 3.5, XSS_ID]), "{:.1f}")
    assert s.tolist() == ["&lt;img src=x onerror=alert(1)&gt;", "", "3.5", "&lt;img src=x onerror=alert(1)&gt;"]
    assert "<" not in js_literal({"a": "</script>"})
