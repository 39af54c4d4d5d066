"""The PDF report (gis.report.pdf): a missing WeasyPrint is a bilingual error, nothing half-written."""

from __future__ import annotations

import pytest

from gis.errors import OutputError


def test_missing_weasyprint_is_a_bilingual_error(monkeypatch, tmp_path):
    import sys

    from gis.report.pdf import write_pdf

    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import now raises ImportError
    with pytest.raises(OutputError) as err:
        write_pdf("<p>x</p>", tmp_path / "x.pdf")
    assert "WeasyPrint" in err.value.message_zh and "--no-pdf" in err.value.hint_en
    assert not (tmp_path / "x.pdf").exists()
