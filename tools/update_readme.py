"""Regenerate the generated blocks of README.md (the rule tables) from the rule objects.

Run ``python tools/update_readme.py`` after adding or changing a rule; the test
``tests/cli/test_cli.py::test_readme_rule_table_is_generated`` fails until you do.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from gis.cli.rules_cmd import rules_markdown

README = Path(__file__).resolve().parents[1] / "README.md"


def regenerate(text: str) -> str:
    for kind in ("classify", "site"):
        start, end = f"<!-- rules:{kind}:start -->", f"<!-- rules:{kind}:end -->"
        if start in text:
            block = f"{start}\n{rules_markdown(kind)}\n{end}"
            text = re.sub(re.escape(start) + r".*?" + re.escape(end), lambda _m, b=block: b, text, flags=re.S)
    return text


if __name__ == "__main__":
    new = regenerate(README.read_text(encoding="utf-8"))
    if "--check" in sys.argv:
        sys.exit(0 if new == README.read_text(encoding="utf-8") else 1)
    README.write_text(new, encoding="utf-8")
