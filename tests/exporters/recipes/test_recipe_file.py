"""Loading a recipe: every unknown key and bad value is one line naming the file, line and key."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from exporters.recipes.recipe import RecipeError, load_recipe, render_template

RECIPE = """\
title = "Weekly reading, {date:%d %B %Y}"

[[source]]
feed = "https://example.org/world.rss"
max_articles = 20
oldest_days = 7
full_text = "auto"
tags = ["world"]

[[source]]
library = { unread = true, tag = "climate" }

[[source]]
urls = "reading-list.txt"

[[output]]
path = "out/weekly-{date:%Y-%m-%d}.epub"
group_by = "site"

[[output]]
path = "out/weekly.atom"
feed_url = "https://me.example/weekly.atom"
merge = true

[deliver]
email = "me@kindle.com"
smtp = { host = "smtp.example.org", port = 587, starttls = true, user = "me", password_env = "NEWSEXPORT_SMTP_PASSWORD" }
"""


def _write(tmp_path, text: str):
    path = tmp_path / "weekly.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_documented_recipe_loads_with_every_part(tmp_path):
    recipe = load_recipe(_write(tmp_path, RECIPE))
    assert [s.kind for s in recipe.sources] == ["feed", "library", "urls"]
    feed, library, urls = recipe.sources
    assert (feed.max_articles, feed.oldest_days, feed.full_text, feed.tags) == (20, 7, "auto", ("world",))
    assert library.query == (("tag", "climate"), ("unread", True))
    assert urls.value == str(tmp_path / "reading-list.txt")
    assert [o.path for o in recipe.outputs] == [
        str(tmp_path / "out/weekly-{date:%Y-%m-%d}.epub"),
        str(tmp_path / "out/weekly.atom"),
    ]
    assert dict(recipe.outputs[1].options) == {"feed_url": "https://me.example/weekly.atom", "merge": True}
    assert recipe.delivery is not None and recipe.delivery.smtp.password_env == "NEWSEXPORT_SMTP_PASSWORD"
    assert recipe.name == "weekly"
    when = datetime(2026, 11, 30, 8, tzinfo=UTC)
    assert recipe.title_for(when, 3) == "Weekly reading, 30 November 2026"
    assert recipe.outputs[0].target(when, 3).name == "weekly-2026-11-30.epub"
    assert render_template("book-{run:03d}.epub", when, 7) == "book-007.epub"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("max_articles = 20", "max_article = 20"), "5: source.max_article: unknown key"),
        (("oldest_days = 7", 'oldest_days = "7"'), "6: source.oldest_days: must be a number of days above 0"),
        (
            ("oldest_days = 7", "oldest_days = inf"),
            "6: source.oldest_days: must be a number of days above 0, at most 36,500",
        ),
        (
            ("oldest_days = 7", "oldest_days = nan"),
            "6: source.oldest_days: must be a number of days above 0, at most 36,500",
        ),
        (("oldest_days = 7", "oldest_days = 1e300"), "6: source.oldest_days: must be a number of days above 0"),
        (("{date:%Y-%m-%d}", "{run:>999999999}"), "17: output.path: bad format '>999999999' for {run}"),
        (("{date:%Y-%m-%d}", "{date:%x}"), "17: output.path: %x is the locale's date or time, which may hold '/'"),
        (("{date:%Y-%m-%d}", "{date:%Y-%Q}"), "17: output.path: bad strftime pattern '%Y-%Q' (unknown directive %Q)"),
        (("port = 587", 'port = "x"'), "27: deliver.smtp.port: must be a whole number, not a string"),
        (
            ("port = 587", "port = 99999999"),
            "27: deliver.smtp.port: must be a port number from 1 to 65535, not 99999999",
        ),
        (('full_text = "auto"', 'full_text = "sometimes"'), "7: source.full_text: must be one of auto, always, never"),
        (('tag = "climate"', 'tags = "climate"'), "11: source.library.tags: unknown key"),
        (('title = "Weekly', 'titel = "Weekly'), "1: titel: unknown key"),
        (("{date:%d %B %Y}", "{day}"), "1: title: unknown placeholder {day}"),
        (
            ('feed = "https://example.org/world.rss"', 'feed = "ftp://example.org/world.rss"'),
            "4: source.feed: 'ftp://example.org/world.rss' is not an http(s) URL",
        ),
        (
            ('password_env = "NEWSEXPORT_SMTP_PASSWORD"', 'password = "hunter2"'),
            "27: deliver.smtp.password: never put a password in the recipe: use password_env",
        ),
    ],
)
def test_a_bad_key_or_value_names_file_line_and_key(tmp_path, change, message):
    path = _write(tmp_path, RECIPE.replace(*change))
    with pytest.raises(RecipeError) as caught:
        load_recipe(path)
    assert str(caught.value).startswith(f"{path}:{message}")


def test_a_recipe_without_sources_or_outputs_says_what_is_missing(tmp_path):
    with pytest.raises(RecipeError, match=r"weekly.toml:1: source: the recipe has no \[\[source\]\]"):
        load_recipe(_write(tmp_path, 'title = "x"\n[[output]]\npath = "a.epub"\n'))
    with pytest.raises(RecipeError, match=r"weekly.toml:1: output: the recipe has no \[\[output\]\]"):
        load_recipe(_write(tmp_path, '[[source]]\nurls = "a.txt"\n'))
    with pytest.raises(
        RecipeError, match=r"weekly.toml:1: source: source 1 names 2 of feed, opml, urls, files, library"
    ):
        load_recipe(
            _write(tmp_path, '[[source]]\nurls = "a.txt"\nfeed = "https://x.example/"\n[[output]]\npath = "a.epub"\n')
        )


def test_output_options_are_checked_against_the_format(tmp_path):
    def fields(path: str) -> set[str]:
        if path.endswith(".epub"):
            return {"group_by", "device"}
        if path.endswith(".atom"):
            return {"feed_url", "merge"}
        raise ValueError(f"cannot tell the format of {path!r}")

    assert len(load_recipe(_write(tmp_path, RECIPE), output_fields=fields).outputs) == 2
    bad = _write(tmp_path, RECIPE.replace('group_by = "site"', "columns = 2"))
    with pytest.raises(
        RecipeError, match=r"weekly.toml:18: output.columns: unknown key \(known: device, group_by, path\)"
    ):
        load_recipe(bad, output_fields=fields)


def test_not_toml_is_one_line(tmp_path):
    with pytest.raises(RecipeError, match=r"weekly.toml: not valid TOML \(.*line 1"):
        load_recipe(_write(tmp_path, "title = \n"))


def test_a_recipe_may_start_with_a_bom_and_may_not_name_one_file_twice(tmp_path):
    path = _write(tmp_path, "\ufeff" + RECIPE)
    assert load_recipe(path).title
    twice = RECIPE + '\n[[output]]\npath = "out/weekly-{date:%Y-%m-%d}.epub"\n'
    with pytest.raises(RecipeError, match=r"weekly.toml:\d+: output.path: the same file as the output on line \d+$"):
        load_recipe(_write(tmp_path, twice))
