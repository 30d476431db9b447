"""A feed the user names by URL is read whatever feed media type its server sends, the older x- names included."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import main

ENV = {"NO_COLOR": "1", "COLUMNS": "100", "TERM": "dumb", "SOURCE_DATE_EPOCH": "1700000000"}
RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>F</title><link>https://f.example/</link>
<description>d</description><item><title>Ferry times</title><link>https://f.example/1</link>
<description>&lt;p&gt;The night boat stops running on Monday.&lt;/p&gt;</description></item></channel></rss>"""
ATOM = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>F</title>
<id>urn:f</id><updated>2024-01-01T00:00:00Z</updated><entry><title>Ferry times</title><id>urn:f:1</id>
<link href="https://f.example/1"/><updated>2024-01-01T00:00:00Z</updated>
<content type="html">&lt;p&gt;The night boat stops running on Monday.&lt;/p&gt;</content></entry></feed>"""
RDF = b"""<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
xmlns="http://purl.org/rss/1.0/"><channel rdf:about="https://f.example/"><title>F</title>
<link>https://f.example/</link><description>d</description></channel>
<item rdf:about="https://f.example/1"><title>Ferry times</title><link>https://f.example/1</link>
<description>The night boat stops running on Monday.</description></item></rdf:RDF>"""
JSON_FEED = json.dumps(
    {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "F",
        "items": [{"id": "1", "title": "Ferry times", "content_text": "The night boat stops running on Monday."}],
    }
).encode()


@pytest.mark.parametrize(
    ("media_type", "body"),
    [
        ("application/x-rss+xml", RSS),
        ("text/rss+xml", RSS),
        ("application/x-atom+xml", ATOM),
        ("text/atom+xml", ATOM),
        ("application/rdf+xml", RDF),
        ("application/feed+json", JSON_FEED),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_a_feed_served_under_any_feed_media_type_is_read(local_server, tmp_path, media_type, body):
    local_server.routes["/feed"] = (200, {"Content-Type": f"{media_type}; charset=utf-8"}, body)
    out = tmp_path / "o.json"
    result = CliRunner().invoke(
        main.app,
        ["export", local_server.url("/feed"), "-o", str(out), "-t", "jsonfeed", "--site-url", "https://e.org/"]
        + ["--allow-private-network", "-q"],
        env=ENV,
    )
    assert (result.exit_code, result.stderr) == (0, "")
    assert [item["title"] for item in json.loads(out.read_text(encoding="utf-8"))["items"]] == ["Ferry times"]
