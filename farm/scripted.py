"""Lists a static reader cannot see in the HTML: built by a script, or shown in a frame.

- ``js: data``: the items sit in a script's data literal (``var itemObj = [...]``), as on
  many provincial platforms; a crawler can read them without a browser;
- ``js: render``: the items are packed (base64 JSON) and only running the script shows
  them, so only a browser can read the list;
- ``frame: true``: the column page shows its list in an iframe.
"""

from __future__ import annotations

import base64
import json
from html import escape

from farm.model import FarmColumn, FarmItem

_BUILD = """var box = document.getElementById("{list_id}");
for (var i = 0; i < rows.length; i++) {{
  var li = document.createElement("li");
  li.innerHTML = '<a href="' + rows[i].{url} + '" target="_blank">' + rows[i].{title}
    + '</a> <span class="date">' + rows[i].{date} + '</span>';
  box.appendChild(li);
}}"""


def script_list(col: FarmColumn, items: list[FarmItem], list_id: str) -> str:
    """An empty list element and the script that fills it."""
    dated = not (col.undated or not col.list_dates)
    if col.js == "data":
        rows = [
            {"aT": i.title, "aPd": f"{i.date:%Y-%m-%d} {i.time}" if dated else "", "aU": i.path}
            for i in items
        ]
        literal = json.dumps(rows, ensure_ascii=False)
        build = _BUILD.format(list_id=list_id, url="aU", title="aT", date="aPd")
        return (
            f'<ul id="{list_id}" class="list"></ul>\n'
            f"<script>\nvar itemObj = {literal};\nvar rows = itemObj;\n{build}\n</script>"
        )
    rows = [{"t": i.title, "u": i.path, "d": f"{i.date:%Y-%m-%d}" if dated else ""} for i in items]
    packed = base64.b64encode(json.dumps(rows, ensure_ascii=False).encode("utf-8")).decode()
    build = _BUILD.format(list_id=list_id, url="u", title="t", date="d")
    return (
        f'<ul id="{list_id}" class="list"></ul>\n<script>\n(function () {{\n'
        f'var rows = JSON.parse(decodeURIComponent(escape(atob("{packed}"))));\n{build}\n'
        "})();\n</script>"
    )


def frame_list(src: str) -> str:
    """The frame a column page shows its list in."""
    return (
        f'<iframe id="listframe" name="listframe" src="{escape(src)}" width="100%" '
        'height="520" frameborder="0" scrolling="no"></iframe>'
    )
