"""Which column holds what, for CSV and Excel alike: header detection and column mapping.

Columns are found, in this order, from the user's options (``--text-column`` etc., a header
name or a 1-based index), then from known header names in French and English, which cover
the layouts of the scheduling tools in ``shared/formats.md``: Buffer (``Text``, ``Posting
Time``), Sprout Social (``message_text``, ``date``, ``time_24hr``), Agorapulse
(``post_content``), Metricool (``Text``, ``Date``, ``Time`` and one TRUE/FALSE column per
network, which become the channel), Publer (``Date - …``, ``Text``, ``Link(s) - …``) and the
Meta Business Suite export (``Post ID``, ``Description``, ``Publish time``, ``Permalink``;
also its German header). Hootsuite bulk files have no header: 2-3 columns date, message, URL.

Header names are compared without case, accents, ``_``/``-`` or a trailing `` - hint`` or
`` (unit)``, so ``Réseau``, ``reseau`` and ``RÉSEAU`` are one name.

The result is a `Layout`: what was recognised and which column feeds each field, which the
CLI prints with `Layout.describe` ("layout: buffer (text: Text, date: Posting Time)").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from . import dates
from .common import ReaderError, ReadOptions, cell_text, is_blank

# Field -> header names, best first: the first alias found in the header wins, so a Meta
# export's "Publish time" is preferred to its "Date" column (which holds "Lifetime").
ALIASES: dict[str, tuple[str, ...]] = {
    "text": (
        "text",
        "texte",
        "message text",
        "message",
        "post content",
        "post text",
        "contenu",
        "content",
        "texte de la publication",
        "texte du post",
        "publication",
        "post",
        "legende",
        "caption",
        "description",
        "beschreibung",
        "corps",
        "body",
        "copy",
        "wording",
        "tweet",
    ),
    "date": (
        "publish time",
        "posting time",
        "date de publication",
        "date publication",
        "publication date",
        "publish date",
        "scheduled time",
        "scheduled date",
        "scheduled at",
        "date et heure",
        "date heure",
        "date/heure",
        "datetime",
        "veroffentlichungszeitpunkt",
        "date",
        "jour",
        "day",
        "published",
        "created time",
        "timestamp",
    ),
    "time": ("time 24hr", "time", "heure", "heure de publication", "hour"),
    "id": (
        "id",
        "post id",
        "identifiant",
        "id post",
        "id publication",
        "beitrags id",
        "message id",
        "tweet id",
        "ref",
        "reference",
        "n°",
        "numero",
    ),
    "channel": (
        "channel",
        "canal",
        "reseau",
        "reseau social",
        "reseaux",
        "reseaux sociaux",
        "network",
        "social network",
        "plateforme",
        "platform",
    ),
    "phase": ("phase", "crisis phase", "phase de crise"),
    "ignore": ("ignore", "crisis audit ignore", "ignorer"),
    "lang": ("lang", "langue", "language", "locale"),
    "url": ("permalink", "url", "link", "link(s)", "lien", "post link", "post url"),
    "post_type": ("post type", "type de publication", "beitragstyp"),
}
OPTION_FIELDS = {
    "text": "text_column",
    "date": "date_column",
    "id": "id_column",
    "channel": "channel_column",
}

# Metricool (and hand-made calendars) tick one column per network instead of naming it.
NETWORKS = {
    "facebook": "facebook",
    "instagram": "instagram",
    "twitter/x": "x",
    "twitter": "x",
    "x": "x",
    "linkedin": "linkedin",
    "gbp": "google business",
    "google business": "google business",
    "pinterest": "pinterest",
    "tiktok": "tiktok",
    "youtube": "youtube",
    "threads": "threads",
    "bluesky": "bluesky",
    "mastodon": "mastodon",
}
TRUE_VALUES = {"true", "vrai", "yes", "oui", "x", "1", "✓", "✔"}

# Headers that say "this file was made in French": slash dates are then day-first.
FRENCH_HEADERS = {
    "texte",
    "contenu",
    "legende",
    "date de publication",
    "date publication",
    "reseau",
    "reseau social",
    "reseaux",
    "reseaux sociaux",
    "canal",
    "plateforme",
    "identifiant",
    "langue",
    "heure",
    "heure de publication",
    "jour",
    "lien",
    "texte de la publication",
    "texte du post",
    "corps",
    "numero",
    "ignorer",
    "phase de crise",
    "date et heure",
    "date heure",
    "date/heure",
}
# Tool layouts whose slash dates are month-first (English UI exports and uploads).
US_LAYOUTS = {"meta-business-suite", "hootsuite"}

_HEADER_SCAN = 10  # title rows above a header are tolerated, within this many rows
_LONG_CELL = 60


@dataclass
class Layout:
    """What a table looks like: the tool recognised, and which column feeds each field.

    `columns` maps a field (text, date, time, id, channel, phase, ignore, lang, url,
    post_type) to a 0-based column index; `networks` maps Metricool-style TRUE/FALSE columns
    to channel names. `dates` and `details` (encoding, delimiter, sheet, notes) are filled in
    by the table reader once it has seen the whole file.
    """

    name: str
    headers: list[str]
    columns: dict[str, int]
    has_header: bool = True
    header_row: int | None = None
    networks: dict[int, str] = field(default_factory=dict)
    french: bool = False
    dates: dates.DateOrder | None = None
    details: list[str] = field(default_factory=list)

    def column_name(self, field_name: str) -> str:
        """How to name a field's column to a user: its header, or ``column 2``."""
        index = self.columns[field_name]
        if self.has_header and index < len(self.headers) and self.headers[index]:
            return self.headers[index]
        return f"column {index + 1}"

    def date_hint(self, delimiter: str | None = None) -> tuple[str, str] | None:
        """The date order this layout suggests when the data leaves it open, and why."""
        if self.french:
            return dates.DAY_FIRST, "French header, read day-first"
        if delimiter == ";":
            return dates.DAY_FIRST, "';' delimiter (European Excel), read day-first"
        if self.name in US_LAYOUTS:
            return dates.MONTH_FIRST, f"{self.name} writes US dates, read month-first"
        return None

    def describe(self) -> str:
        """One line for the terminal: layout, columns used, then how the file was read."""
        shown = ("text", "date", "time", "id", "channel", "phase", "lang", "ignore")
        used = [f"{f}: {self.column_name(f)}" for f in shown if f in self.columns]
        if self.networks:
            used.append(f"channel: ticks in {', '.join(self.headers[i] for i in self.networks)}")
        head = f"layout: {self.name}" + (f" ({', '.join(used)})" if used else "")
        parts = [head, *self.details]
        if self.dates is not None and "date" in self.columns:
            parts.append(self.dates.describe())
        return "; ".join(parts)


def normalise_header(value: object) -> str:
    """A header as compared: lower case, no accents, ``_``/``-`` as spaces, no `` - hint``."""
    text = cell_text(value) or ""
    text = unicodedata.normalize("NFKD", text.replace("\ufeff", ""))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.split(r"\s+-\s+|\s+\(", text, maxsplit=1)[0]
    return re.sub(r"[\s_\-]+", " ", text).strip()


def find_header(rows: Sequence[Sequence[object]], options: ReadOptions) -> int | None:
    """Index in `rows` (the first non-empty rows) of the header row, or None if there is none.

    A header is a row of short labels with a known text column name (or the one given in
    the options), or two known names; title rows above it are allowed. Without one, the
    first row is the header unless it looks like data (a date, a URL, a long text: the
    header-less Hootsuite bulk file).
    """
    explicit = {
        normalise_header(getattr(options, opt))
        for opt in OPTION_FIELDS.values()
        if getattr(options, opt) and not str(getattr(options, opt)).isdigit()
    }
    for index, row in enumerate(rows[:_HEADER_SCAN]):
        if _looks_like_data(row):
            continue
        names = {normalise_header(c) for c in row if not is_blank(c)}
        known = {n for n in names if any(n in aliases for aliases in ALIASES.values())}
        if names & (explicit | set(ALIASES["text"])) or len(known) >= 2:
            return index
    if not rows or _looks_like_data(rows[0]):
        return None
    return 0


def _looks_like_data(row: Sequence[object]) -> bool:
    for cell in row:
        if is_blank(cell):
            continue
        if not isinstance(cell, str) or dates.looks_like_date(cell):
            return True
        if cell.strip().lower().startswith(("http://", "https://")):
            return True
        if len(cell) > _LONG_CELL or "\n" in cell:
            return True
    return False


def map_header(header: Sequence[object], options: ReadOptions, name: str) -> Layout:
    """Map the columns of a file with a header row; raise ReaderError without a text column."""
    headers = [cell_text(c) or "" for c in header]
    norm = [normalise_header(h) for h in headers]
    columns: dict[str, int] = {}
    for field_name, aliases in ALIASES.items():
        for alias in aliases:
            if alias in norm and norm.index(alias) not in columns.values():
                columns[field_name] = norm.index(alias)
                break
    _apply_options(columns, options, headers, norm, name)
    if "text" not in columns:
        shown = ", ".join(repr(h) for h in headers if h) or "none"
        raise ReaderError(
            f"{name}: no text column among the headers ({shown}); name it with --text-column"
        )
    layout = Layout(
        name=_tool(norm),
        headers=headers,
        columns=columns,
        french=bool(set(norm) & FRENCH_HEADERS),
    )
    if "channel" not in columns:
        layout.networks = {i: NETWORKS[n] for i, n in enumerate(norm) if n in NETWORKS}
    return layout


def map_headerless(sample: Sequence[Sequence[object]], options: ReadOptions, name: str) -> Layout:
    """Map a file without a header from its first rows: Hootsuite's date, message, URL, else
    the longest column as text and the first date-like column as date."""
    width = max((len(_trimmed(r)) for r in sample), default=0)
    headers = [f"column {i + 1}" for i in range(width)]

    def share(index: int, test: Callable[[object], bool]) -> float:
        cells = [r[index] for r in sample if index < len(r) and not is_blank(r[index])]
        return sum(1 for c in cells if test(c)) / len(cells) if cells else 0.0

    columns: dict[str, int] = {}
    if 2 <= width <= 3 and share(0, dates.looks_like_date) >= 0.5:
        layout_name = "hootsuite"
        columns = {"date": 0, "text": 1}
        if width == 3:
            columns["url"] = 2
    else:
        layout_name = "headerless"
        lengths = [
            sum(len(str(r[i])) for r in sample if i < len(r) and isinstance(r[i], str))
            for i in range(width)
        ]
        date_cols = [i for i in range(width) if share(i, dates.looks_like_date) >= 0.5]
        if date_cols:
            columns["date"] = date_cols[0]
        text_cols = [
            i for i in sorted(range(width), key=lambda i: -lengths[i]) if i not in date_cols
        ]
        if text_cols:
            columns["text"] = text_cols[0]
    _apply_options(columns, options, headers, None, name)
    if "text" not in columns:
        raise ReaderError(f"{name}: no header row and no text column found; use --text-column")
    return Layout(name=layout_name, headers=headers, columns=columns, has_header=False)


def _trimmed(row: Sequence[object]) -> Sequence[object]:
    end = len(row)
    while end and is_blank(row[end - 1]):
        end -= 1
    return row[:end]


def _apply_options(
    columns: dict[str, int],
    options: ReadOptions,
    headers: list[str],
    norm: list[str] | None,
    name: str,
) -> None:
    """Let ``--text-column`` and friends override what was detected."""
    for field_name, option in OPTION_FIELDS.items():
        spec = getattr(options, option)
        if not spec:
            continue
        spec = str(spec).strip()
        flag = "--" + option.replace("_", "-")
        if spec.isdigit():
            index = int(spec) - 1
            if not 0 <= index < max(len(headers), 1):
                raise ReaderError(f"{name}: {flag} {spec}: the file has {len(headers)} columns")
        elif norm is None:
            raise ReaderError(f"{name}: the file has no header row; give {flag} as a number")
        elif normalise_header(spec) in norm:
            index = norm.index(normalise_header(spec))
        else:
            shown = ", ".join(repr(h) for h in headers if h)
            raise ReaderError(f"{name}: {flag} {spec!r}: no such column ({shown})")
        for other, taken in list(columns.items()):
            if taken == index and other != field_name:
                del columns[other]
        columns[field_name] = index


def _tool(norm: list[str]) -> str:
    """Which scheduling tool wrote this header, by its signature columns."""
    names = set(norm)
    if ({"post id", "publish time"} <= names and names & {"description", "permalink"}) or (
        "beitrags id" in names and "veroffentlichungszeitpunkt" in names
    ):
        return "meta-business-suite"
    if {"message text", "time 24hr"} <= names:
        return "sprout-social"
    if "post content" in names:
        return "agorapulse"
    if {"text", "posting time"} <= names:
        return "buffer"
    if {"text", "date", "time"} <= names and names & NETWORKS.keys():
        return "metricool"
    if {"link(s)", "media url(s)", "label(s)"} & names and names & {"text", "message"}:
        return "publer"
    return "generic"


def is_ticked(value: object) -> bool:
    """A TRUE/FALSE network cell (Metricool writes TRUE; people write x, oui, ✓)."""
    if isinstance(value, bool):
        return value
    text = cell_text(value)
    return text is not None and text.casefold() in TRUE_VALUES


def channel_from_post_type(value: object) -> str | None:
    """Meta's ``Post type`` (``IG reel``, ``FB photo``) names the network of the post."""
    text = (cell_text(value) or "").upper()
    if text.startswith("IG"):
        return "instagram"
    if text.startswith("FB"):
        return "facebook"
    return None
