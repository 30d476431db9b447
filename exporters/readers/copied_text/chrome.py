"""Page chrome in a browser copy: the shapes of lines that are furniture, pointers, captions or boilerplate.

Every rule here is a general shape of page furniture, never a string from one site.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache, lru_cache

from exporters.model import Image

_WORD = re.compile(r"\w+(?:['’.-]\w+)*")
# Chinese and Japanese write without spaces: each character counts as a word.
_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

#: A sentence ends with one of these (closing quotes and brackets included); CJK full stops too.
CLOSING = ".!?…:;\"”’'»)]。！？」』"
#: Prose: a line ending in closing punctuation with at least this many words.
PROSE_WORDS = 8
#: A line cut off with "…" and at most this many words is a teaser headline.
_TRUNCATED_HEADLINE_WORDS = 15
#: A subheading is at most this long.
HEADING_WORDS = 12
HEADING_CHARS = 100

# Buttons that ask the reader to act on a promotion (a newsletter, the app, an account).
_ACTIONS = frozenset(
    "sign up|sign up now|subscribe|subscribe now|sign in|log in|register|join now|open in app|download the app|"
    "get the app|follow|follow us".split("|")
)
# Page furniture that fills a line on its own (compared lower-cased, without a trailing colon); the last three
# lines are "advertisement" and "share" in other languages.
_FURNITURE = _ACTIONS | frozenset(
    item.strip()
    for item in """advertisement|advertising|ad|ad feedback|skip advertisement|sponsored|sponsored content|
    sponsored post|paid post|promoted|supported by|scroll to continue|story continues below|
    story continues below advertisement|continue reading|continue reading below|article continues below|
    skip to content|skip to main content|
    share|share this|share this article|share this story|share full article|gift this article|
    copy link|copy link to article|link copied|copied!|email|print|print this page|print article|
    read later|save for later|save|saved|save article|save to my list|add to your saved stories|bookmark|
    read in app|next|previous|facebook|twitter|x|linkedin|whatsapp|reddit|pinterest|
    comments|comment|view comments|show comments|leave a comment|join the conversation|
    listen|listen to this article|watch|video|audio|play|play video|pause|mute|unmute|replay|autoplay|
    fullscreen|full screen|close dialog|font size|text size|resize text|loading|loading...|
    report a typo|report an error|report a correction|corrections|back to top|top|menu|search|
    read more|read now|read full article|read the full story|keep reading|more|see more|show more|close|
    cookie settings|accept|accept all|reject all|manage preferences|got it|
    image|photo|enlarge this image|toggle caption|hide caption|
    anzeige|werbung|publicité|publicidad|pubblicità|advertentie|reklama|annons|mainos|reklame|publicidade|
    teilen|partager|compartir|condividi|delen|compartilhar|udostępnij|dela|
    広告|广告|廣告|광고|реклама|إعلان|シェア|分享|공유|поделиться""".split("|")
)

# A line opening a block of links to other stories; the headline-like lines after it go too.
LINK_BLOCK = re.compile(
    r"^(related|see also|related (stories|articles|content|coverage|links|reading|topics|searches)|more (on|from|about) .{1,40}|more like this|"
    r"more stories|most (read|popular|viewed|shared)|trending( now)?|recommended( for you)?|you (may|might) also like|"
    r"top stories|latest (news|stories)|editor'?s picks|in other news|also in the news|tags|topics|"
    r"next up( in .{1,40})?|up next|read next|what to read next|watch next|"
    r"(other )?people (are|also) (reading|read|viewed)|what others are reading|read more( stories)? about|"
    # The same in other languages: French, German, Spanish, Italian, Dutch, Portuguese.
    r"sur le même sujet|dans la même rubrique|à lire aussi|les plus lus|"
    r"mehr zum thema|das könnte sie auch interessieren|meistgelesen|"
    r"noticias relacionadas|te puede interesar|lo más leído|"
    r"articoli correlati|potrebbe interessarti|i più letti|"
    r"gerelateerd|meest gelezen|notícias relacionadas|veja também|mais lidas)\s*:?$",
    re.I,
)
# A pointer to another story: "Read more: Headline", "WATCH | Headline", "Related: ...", "Lire aussi : ...".
_POINTER = re.compile(
    r"^(read more|read also|also read|see also|related|watch|listen|more|recommended|opinion|analysis|explainer|live|"
    r"(?:à )?lire aussi|voir aussi|lesen sie auch|lea también|leer más|leggi anche|lees ook|leia também|"
    r"main articles?|further information)"
    r"\s*[:|»›>–—-]\s*\S",
    re.I,
)
# A share button: "Share on Facebook", "Post to X", "Share this story via email", with the counts and the
# screen reader's words some show ("61 Click to share on Reddit (Opens in new window) 61").
_SHARE_BUTTON = re.compile(
    r"^(\d+ )?(click (here )?to )?(share|post|send|tweet|pin|email|e-mail|print)( this( article| story| page)?)?"
    r"( (on|to|via|by|with) \S+( \S+)?| to a friend)( \(opens in (a )?new (window|tab)\))?( \d+)?$",
    re.I,
)
# "5 years ago", "3 hours agoVideo": the time stamp of a video or audio teaser.
TIME_AGO = re.compile(
    r"^(\d+|an?|one)\s*(seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|[smhdwy])\s+ago\s*"
    r"(video|audio|watch|listen|play|podcast)?$",
    re.I,
)
# A running time at the end of a teaser line: "... in Syria 2:37".
_RUNNING_TIME = re.compile(r"\s(\d{1,2}:)?\d{1,2}:\d{2}$")
# A time of day alone, perhaps labelled: "Updated 5:32 PM ET", "10.15 a.m.", "14:30 Uhr".
_TIME_ALONE = re.compile(
    r"^(?:(?:updated|posted|published|aktualisiert|mis à jour|actualizado)\s*:?\s*)?"
    r"\d{1,2}[:.h]\d{2}\s*(?:[ap]\.?m\.?)?\s*(?:[A-Z]{2,4}|uhr)?$",
    re.I,
)
# Reading or listening time under a headline: "4 min read".
_READING_TIME = re.compile(r"^\d+\s*(min|mins|minutes?)(\s+(read|listen|watch))?$", re.I)
# Slideshow counters: "1 of 0", "Photo 3 of 12", "2/9".
_COUNTER = re.compile(r"^((image|photo|picture|slide|gallery)\s+)?\d+\s*(of|/)\s*\d+$", re.I)
# A photo credit closing a caption: "(Carlos Barria/AP)", "(Photo: Jane Doe/Newswire)", "(City Hall via AP)".
_CREDIT_IN_BRACKETS = re.compile(
    r"^(?P<caption>.*?)\s*\((?:(?i:photo|image|picture|photograph|credit|photo credit|foto|bild|imagen|immagine)s?\s*:\s*(?P<labelled>[^()]{2,80})|"
    r"(?P<slashed>[A-Z][^()/]{0,60}(?:/|\svia\s)\s*[A-Z][^()]{0,60}))\)$"
)
# A labelled credit: "Photo: Jane Doe/Newswire", "Photo by Jane Doe", "... at dawn. Image credit: J. Doe/Pressfoto",
# or "CreditJane Doe" (a visually hidden label copied without its space).
_CREDIT_LABELLED = re.compile(
    r"^(?P<caption>.*?)\s*(?<![\w-])"
    r"(?:(?i:photo|image|picture|photograph|illustration|credit|photo credit|image credit|foto|bild|imagen|immagine)s?\s*:\s*"
    r"|(?i:photo|image|picture|photograph|illustration)s?\s+(?i:by)\s+|(?i:credit)(?=[A-Z]))"
    r"(?P<credit>[^\W\d_][^:!?]{0,79}[^:.!?\s])$"
)
_CREDIT_LABELS = ("photo", "image", "picture", "illustration", "credit", "foto", "bild", "imagen", "immagine")
# A line of program code: braces, a closing semicolon, assignments, "::", calls ("avg(n)"), a shell prompt,
# box-drawing characters (a query's result drawn as a table).
CODE = re.compile(r"[{}\u2500-\u257f]|;$|\s=\s|::|\w\(\S*\)|^(\$|>>>) ")
LIST_ITEM = re.compile(r"^(?:(?P<bullet>[-+*•·‣◦▪▸►–])|(?P<number>\d{1,3})[.)])\s+(?P<text>\S.*)$")

# Boilerplate that ends a copied page: comment policy, newsletter and app promos, cookie banners, copyright.
BOILERPLATE = re.compile(
    r"\b(by submitting a comment|submission guidelines|comments on this story|comments are (welcome|closed|moderated)|"
    r"close comments|reserve the right|pseudonyms?|online communit(y|ies)|community (guidelines|standards)|"
    r"thoughtful and respectful|join the (conversation|discussions?)|(does|do) not endorse the opinions|"
    r"licensed under (a|the) creative commons|©\s*\d{4}|appears in print|^originally (published|appeared) (at|on|in)|"
    r"(sign|log) in to (comment|reply|post)|not available in your (region|country)|"
    r"sign up (for|to)|newsletters?|subscribe (to|for|now)|download (our|the) app|"
    r"(we|this (site|website)|our (site|website)) uses? cookies|cookie (policy|settings|preferences)|accept (all )?cookies|"
    r"all rights reserved|terms (of|and) (use|service|conditions)|privacy (policy|notice)|follow us on|"
    r"enable javascript|javascript (is )?(disabled|required)|comments? powered by|comment count)\b|^(©|copyright\b)",
    re.I,
)


# The heading of the readers' comments under a story: "Comments (3)", "34 comments", "Leave a comment".
COMMENTS_OPENING = re.compile(
    r"^(?:(?:\d[\d,.]*k?\s+)?(?:reader\s+)?(?:comments?|responses|kommentare|commentaires|comentarios|commenti|reacties)"
    r"(?:\s*\(\d[\d,.]*k?\))?|(?:leave|add|post|write|show|view|load|read)\s+(?:a\s+|all\s+|the\s+)?(?:comments?|reply)|"
    r"(?:join|start)\s+the\s+(?:conversation|discussion))\s*:?$",
    re.I,
)

# A button under each comment: "Reply", "Like (12)", "Report", "9 24 Reply" (its counts before it).
COMMENT_BUTTON = re.compile(
    r"^(?:\d[\d,.]*k?\s+){0,3}(?:reply|like|report|flag|upvote|recommend)(?:\s*\(\d[\d,.]*k?\))?$", re.I
)


#: A comment-policy, newsletter, cookie or copyright notice is at most this long: longer text is the story,
#: whatever it mentions (and a paragraph of megabytes is not searched for notices phrase by phrase).
BOILERPLATE_CHARS = 5_000


def is_boilerplate(text: str) -> bool:
    """Whether a paragraph is a site's notice (comments, newsletter, cookies, copyright) rather than the story."""
    return len(text) <= BOILERPLATE_CHARS and BOILERPLATE.search(text) is not None


def is_prose(text: str) -> bool:
    """A sentence: ends with closing punctuation and has enough words to be more than a label."""
    return ends_like_sentence(text) and word_count(text) >= PROSE_WORDS


@lru_cache(maxsize=4096)
def word_count(text: str) -> int:
    """Words in a line, counting each Chinese or Japanese character as one (each line is asked several times)."""
    # Counted as found, not listed: a paragraph of megabytes would list millions of words.
    return _count(_CJK, text) + _count(_WORD, _CJK.sub(" ", text))


def _count(pattern: re.Pattern[str], text: str) -> int:
    return sum(1 for _ in pattern.finditer(text))


def ends_like_sentence(text: str) -> bool:
    """Whether a line closes like a sentence (or a quotation, or a bracket).

    A short line cut off with "…" is a headline truncated to fit a teaser box, not a sentence.
    """
    if text.endswith("…") and word_count(text) <= _TRUNCATED_HEADLINE_WORDS:
        return False
    return text.endswith(tuple(CLOSING))


# A teaser's snippet cut short, then its link: "Ever wondered why you bought it? As it… Read more".
_CUT_SNIPPET = re.compile(r"(…|\.\.\.)\s*(\w+\s*){1,4}$")


def _is_cut_snippet(text: str) -> bool:
    """A teaser: a snippet of at least a sentence's length, cut short, with a link's few words after it."""
    match = _CUT_SNIPPET.search(text[-60:])
    return match is not None and word_count(text[: len(text) - len(match.group(0))]) >= PROSE_WORDS


def is_drawn_repeatedly(text: str) -> bool:
    """A title of three words or more drawn twice or more on one line (a teaser card's layers copied together).

    The last drawing may be cut short. A sentence is not one: a text that says the same thing
    again ends like a sentence.
    """
    if len(text) > _REPEATED_TITLE_CHARS:
        return False
    pieces = text.split(" ", 3)
    if len(pieces) < 4:
        return False
    opening = " ".join(pieces[:3])
    at = text.find(" " + opening, 1)
    if at < 0 or ends_like_sentence(text):
        return False
    while at > 0:
        title = text[:at]
        if text[at + 1 :].startswith(title):
            return True
        at = text.find(" " + opening, at + 1)
    return False


#: A line longer than this is not searched for a repeated title.
_REPEATED_TITLE_CHARS = 600


def is_call_to_action(text: str) -> bool:
    """A button asking the reader to sign up, subscribe or get the app."""
    return text.lower().rstrip(":!.").strip() in _ACTIONS


def is_furniture(text: str) -> bool:
    """A line that is page furniture on its own, wherever it appears."""
    key = text.lower().rstrip(":").strip()
    return (
        key in _FURNITURE
        or is_drawn_repeatedly(text)
        or _is_cut_snippet(text)
        or bool(TIME_AGO.match(text) or _READING_TIME.match(text) or _COUNTER.match(text) or _POINTER.match(text))
        or bool(_TIME_ALONE.match(text))
        or bool(_SHARE_BUTTON.match(text) or COMMENTS_OPENING.match(text))
        or (bool(_RUNNING_TIME.search(text[-12:])) and not ends_like_sentence(_RUNNING_TIME.sub("", text)))
    )


def is_reading_time(text: str) -> bool:
    """Reading or listening time shown under a headline: "4 min read"."""
    return _READING_TIME.match(text) is not None


def is_headline(text: str) -> bool:
    """A line that reads like a link to another story: no closing punctuation, or a short question."""
    return not ends_like_sentence(text) or (text.endswith(("?", "!")) and word_count(text) <= 15)


def labelled_credit(text: str) -> re.Match | None:
    """The match of a labelled credit ("Photo: ...") ending ``text``, or None."""
    # The cheap test first: the full pattern is slow on the long lines that make most of a story.
    lowered = text.lower()
    return _CREDIT_LABELLED.match(text) if any(label in lowered for label in _CREDIT_LABELS) else None


def caption_with_credit(text: str) -> Image | None:
    """A caption line that ends in a photo credit, as a caption-only image; None for other lines."""
    match = _CREDIT_IN_BRACKETS.match(text) if text.endswith(")") else None
    if match and match.group("caption"):
        credit = (match.group("labelled") or match.group("slashed")).strip()
        return Image(src="", caption=match.group("caption").strip(), credit=credit)
    match = labelled_credit(text)
    if match and ends_like_sentence(match.group("caption")):
        return Image(src="", caption=match.group("caption").strip(), credit=match.group("credit").strip())
    return None


@cache
def _stoplists() -> dict[str, frozenset[str]]:
    """jusText's stop-word lists, one per language (about a hundred), loaded once."""
    import justext

    return {name: frozenset(justext.get_stoplist(name)) for name in sorted(justext.get_stoplists())}


def stopwords_of(text: str) -> frozenset[str]:
    """The stop words of the text's language: the jusText list that covers most of its words.

    Empty when no list covers a tenth of them (scripts without spaces, code, a list of names):
    then stop words are no evidence either way.
    """
    # The opening of a long copy says as much about its language as the whole of it.
    sample = text[:_LANGUAGE_SAMPLE]
    words = [word.lower() for word in _WORD.findall(_CJK.sub(" ", sample))]
    if not words:
        return frozenset()
    # Stop words are a language's most frequent words: its commonest words pick the list.
    common = dict(Counter(words).most_common(_COMMON_WORDS))
    best, hits = frozenset[str](), 0
    for stoplist in _stoplists().values():
        covered = sum(common[word] for word in stoplist.intersection(common))
        if covered > hits:
            best, hits = stoplist, covered
    return best if sum(word in best for word in words) >= 0.1 * len(words) else frozenset()


#: Characters of a text that choose its stop-word list...
_LANGUAGE_SAMPLE = 5000
#: ...and how many of their commonest words are compared with each list.
_COMMON_WORDS = 40
#: Share of stop words above which a line reads as running text.
_PROSE_STOPWORDS = 0.2


def has_stopword(text: str, stopwords: frozenset[str]) -> bool:
    """Whether the text holds a stop word: prose and real list items do, link labels rarely."""
    return any(match[0].lower() in stopwords for match in _WORD.finditer(text))


def reads_like_prose(text: str, stopwords: frozenset[str]) -> bool:
    """Whether a long line without closing punctuation is still prose.

    It is when at least a fifth of its words are stop words (jusText's measure of running
    text), or when it is written in a script without spaces, where stop words cannot be told.
    """
    if is_written_without_spaces(text):
        return True
    words = _WORD.findall(_CJK.sub(" ", text))
    return bool(words) and sum(word.lower() in stopwords for word in words) >= _PROSE_STOPWORDS * len(words)


def is_written_without_spaces(text: str) -> bool:
    """Whether a line is mostly Chinese or Japanese: more of its characters are ideographs or kana than it has words."""
    return _count(_CJK, text) > _count(_WORD, _CJK.sub(" ", text))
