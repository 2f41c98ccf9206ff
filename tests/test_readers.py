"""Input readers: real layouts from scheduling tools, encodings, dates, and bad rows reported
with their exact location while the rest of the file is still read."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest

from crisis_audit.models import InputError, Post
from crisis_audit.readers import (
    READERS,
    SUFFIXES,
    ReaderError,
    ReadOptions,
    dates,
    describe_layout,
    folder_files,
    read_path,
    sniff_layout,
)

FIXTURES = Path(__file__).parent / "fixtures" / "readers"

# The same French calendar, as French Excel saves it (";", cp1252) and as .xlsx.
FRENCH_HEADER = ["Date de publication", "Réseau", "Texte"]
FRENCH_ROWS = [
    (
        "20/03/2020 18:30",
        "Instagram",
        "Nouvelle collection printemps, venez la découvrir samedi en boutique !",
    ),
    (
        "23/03/2020",
        "Facebook",
        "Nos boutiques sont fermées jusqu'à nouvel ordre ; nos équipes restent joignables.",
    ),
    (
        "24/03/2020 09:00",
        "LinkedIn",
        "Merci aux soignants.\nCe soir à 20h, nous applaudirons avec vous.\n#MerciLesSoignants",
    ),
    (
        "27/03/2020 12:00",
        "Instagram",
        "Livraison offerte dès 30 € d'achat. Cœur sur vous, « à distance mais ensemble ».",
    ),
]
SPRING_PROMO = "Nouvelle collection printemps 🌸\nVenez la découvrir samedi en boutique !"
FRENCH_EXPECTED = [
    ("2", "2020-03-20T18:30", "Instagram", FRENCH_ROWS[0][2]),
    ("3", "2020-03-23", "Facebook", FRENCH_ROWS[1][2]),
    ("4", "2020-03-24T09:00", "LinkedIn", FRENCH_ROWS[2][2]),
    ("5", "2020-03-27T12:00", "Instagram", FRENCH_ROWS[3][2]),
]


def read(path: Path, **options: str) -> tuple[list[Post], list[InputError]]:
    items = list(read_path(path, ReadOptions(**options)))
    posts = [p for p in items if isinstance(p, Post)]
    return posts, [e for e in items if isinstance(e, InputError)]


def write_csv(
    path: Path, rows: list[list[str]], delimiter: str = ",", encoding: str = "utf-8"
) -> Path:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[list[object]], title: str = "Sheet1") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def french_excel_csv(tmp_path: Path) -> Path:
    return write_csv(
        tmp_path / "calendrier.csv", [FRENCH_HEADER, *map(list, FRENCH_ROWS)], ";", "cp1252"
    )


def summary(posts: list[Post]) -> list[tuple[str, str | None, str | None, str]]:
    return [(p.id, p.date, p.channel, p.text) for p in posts]


# --- CSV: encodings, delimiters, quoting ----------------------------------------------------


def test_csv_french_excel_semicolon_cp1252(tmp_path: Path) -> None:
    path = french_excel_csv(tmp_path)
    posts, errors = read(path)
    assert errors == []
    assert summary(posts) == FRENCH_EXPECTED
    layout = describe_layout(path)
    assert "text: Texte, date: Date de publication, channel: Réseau" in layout
    assert "encoding cp1252" in layout and "delimiter ';'" in layout


def test_xlsx_gives_the_same_posts_as_the_french_excel_csv(tmp_path: Path) -> None:
    def cell(value: str) -> object:  # what Excel stores: real datetimes, not text
        for fmt in ("%d/%m/%Y %H:%M", "%d/%m/%Y"):
            try:
                return dt.datetime.strptime(value, fmt)
            except ValueError:
                continue
        return value

    xlsx = write_xlsx(
        tmp_path / "calendrier.xlsx",
        [FRENCH_HEADER, *([cell(d), c, t] for d, c, t in FRENCH_ROWS)],
        title="Mars",
    )
    from_xlsx, xlsx_errors = read(xlsx)
    from_csv, csv_errors = read(french_excel_csv(tmp_path))
    assert xlsx_errors == csv_errors == []
    assert summary(from_xlsx) == summary(from_csv) == FRENCH_EXPECTED
    assert from_xlsx[2].source == f"{xlsx}:Mars:4"
    assert from_xlsx[2].location == {
        "file": str(xlsx),
        "line": 4,
        "row": 4,
        "column": 3,
        "sheet": "Mars",
    }


def test_csv_quoted_multiline_caption_keeps_physical_line_numbers(tmp_path: Path) -> None:
    posts, _ = read(french_excel_csv(tmp_path))
    caption, after = posts[2], posts[3]
    assert caption.text.count("\n") == 2
    assert (caption.source, caption.location["line"]) == (f"{tmp_path}/calendrier.csv:4", 4)
    # the caption took lines 4-6: the next record starts on line 7 but is spreadsheet row 5
    assert after.source.endswith("calendrier.csv:7")
    assert (after.location["line"], after.location["row"], after.id) == (7, 5, "5")


@pytest.mark.parametrize(
    ("encoding", "bom", "expected"),
    [
        ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
        ("utf-8", b"", "utf-8"),
        ("cp1252", b"", "cp1252"),
        ("utf-16-le", b"\xff\xfe", "utf-16"),
    ],
)
def test_csv_encoding_is_detected_and_reported(
    tmp_path: Path, encoding: str, bom: bytes, expected: str
) -> None:
    path = tmp_path / "posts.csv"
    text = 'Texte,Date\r\n"Nos équipes restent mobilisées, merci !",2020-03-24\r\n'
    path.write_bytes(bom + text.encode(encoding))
    posts, errors = read(path)
    assert errors == []
    assert [(p.text, p.date) for p in posts] == [
        ("Nos équipes restent mobilisées, merci !", "2020-03-24")
    ]
    assert f"encoding {expected};" in describe_layout(path)


def test_csv_with_bom_finds_its_first_header(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufeffid;texte\r\np1;Bonjour à tous\r\n".encode())
    posts, _ = read(path)
    assert [(p.id, p.text) for p in posts] == [("p1", "Bonjour à tous")]


@pytest.mark.parametrize(("delimiter", "name"), [(",", "','"), (";", "';'"), ("\t", "tab")])
def test_csv_delimiter_is_sniffed_despite_french_punctuation(
    tmp_path: Path, delimiter: str, name: str
) -> None:
    rows = [
        ["Date", "Canal", "Contenu"],
        ["2020-03-20", "Instagram", "Bonjour, voici nos horaires ; à bientôt, prenez soin de vous"],
        ["2020-03-21", "Facebook", "Livraison offerte, commandes en ligne ; service client ouvert"],
    ]
    path = write_csv(
        tmp_path / "plan.tsv" if delimiter == "\t" else tmp_path / "plan.csv", rows, delimiter
    )
    posts, errors = read(path)
    assert errors == []
    assert [p.text for p in posts] == [rows[1][2], rows[2][2]]
    assert [p.channel for p in posts] == ["Instagram", "Facebook"]
    assert f"delimiter {name}" in describe_layout(path)


def test_csv_excel_sep_line_sets_the_delimiter(tmp_path: Path) -> None:
    path = tmp_path / "sep.csv"
    path.write_text("sep=;\nTexte;Date\nRestez chez vous, on livre;20/03/2020\n", encoding="utf-8")
    posts, _ = read(path)
    assert [(p.text, p.date, p.source) for p in posts] == [
        ("Restez chez vous, on livre", "2020-03-20", f"{path}:3")
    ]


def test_csv_of_100_rows_reports_exactly_its_3_broken_rows(tmp_path: Path) -> None:
    lines = ["id,date,channel,text"]
    for n in range(1, 101):
        date, text = f"2020-03-{n % 28 + 1:02d}", f'"Message {n}, nos équipes sont là pour vous."'
        if n == 17:
            text = '""'  # empty text
        elif n == 46:
            date = "32/13/2020"  # no such date
        elif n == 82:
            text = "Message 82, nos équipes sont là, virgule non protégée"  # unquoted commas
        lines.append(f"post-{n},{date},instagram,{text}")
        if n == 60:
            lines.append(",,,")  # a completely empty row: skipped, not an error
    path = tmp_path / "campagne.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    posts, errors = read(path)
    assert len(posts) == 97
    assert [(e.source, e.reason) for e in errors] == [
        (f"{path}:18", "empty text in column 'text'"),
        (f"{path}:47", "cannot read date '32/13/2020' as dd/mm/yyyy in column 'date'"),
        (f"{path}:84", "6 cells but the header has 4: a ',' inside an unquoted text?"),
    ]
    assert posts[0].id == "post-1" and posts[-1].source == f"{path}:102"


def test_csv_undecodable_row_is_rejected_and_other_accents_stay_right(tmp_path: Path) -> None:
    utf8 = (
        'Texte,Date\n"Nos équipes sont là",2020-03-20\n'
        '"Prenez soin de vous, à bientôt",2020-03-21\n"Livraison offerte dès lundi",2020-03-22\n'
    )
    # one row pasted from a cp1252 file: its "é" and "à" are not UTF-8
    raw = utf8.encode() + '"Fermé jusqu\'à nouvel ordre",2020-03-23\n'.encode("cp1252")
    path = tmp_path / "mixed.csv"
    path.write_bytes(raw)
    posts, errors = read(path)
    assert [p.text for p in posts] == [
        "Nos équipes sont là",
        "Prenez soin de vous, à bientôt",
        "Livraison offerte dès lundi",
    ]
    assert [e.source for e in errors] == [f"{path}:5"]
    assert "not valid text" in errors[0].reason


def test_csv_unclosed_quote_is_one_error_naming_the_lines(tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    path.write_text(
        'Texte,Date\nBonjour,2020-03-20\n"Oups, pas de fin,2020-03-21\nSuite,x\n', encoding="utf-8"
    )
    posts, errors = read(path)
    assert [p.text for p in posts] == ["Bonjour"]
    assert [e.source for e in errors] == [f"{path}:3"]
    assert "unclosed quote: lines 3-4" in errors[0].reason


def test_completely_empty_rows_and_files_give_nothing(tmp_path: Path) -> None:
    path = tmp_path / "vide.csv"
    path.write_text("Texte;Date\n;\n\n;\n", encoding="utf-8")
    assert read(path) == ([], [])
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    assert read(empty) == ([], [])


# --- tool layouts ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "layout", "first"),
    [
        ("buffer_bulk.csv", "buffer", ("2", "2020-03-24T10:00", None)),
        ("sprout_bulk.csv", "sprout-social", ("2", "2020-03-24T14:30", None)),
        ("hootsuite_bulk.csv", "hootsuite", ("1", "2020-03-27T09:00", None)),
        (
            "meta_business_suite_export.csv",
            "meta-business-suite",
            ("1.22158E+17", "2020-03-27T06:08", "instagram"),
        ),
        ("metricool_bulk.csv", "metricool", ("2", "2020-05-12T10:00", "facebook,instagram")),
        ("agorapulse_import.csv", "agorapulse", ("2", None, None)),
    ],
)
def test_tool_layout_is_recognised(fixture: str, layout: str, first: tuple[str, ...]) -> None:
    path = FIXTURES / fixture
    posts, errors = read(path)
    assert errors == []
    assert (posts[0].id, posts[0].date, posts[0].channel) == first
    assert describe_layout(path).startswith(f"layout: {layout} (")


@pytest.mark.parametrize(
    ("rows", "layout", "first"),
    [
        (
            [
                [
                    "Beitrags-ID",
                    "Konto-ID",
                    "Beschreibung",
                    "Veröffentlichungszeitpunkt",
                    "Permalink",
                ],
                [
                    "17900000000000001",
                    "1784",
                    "Unsere Filialen bleiben geschlossen.",
                    "01.04.2020 18:00",
                    "https://i.g/p/1",
                ],
            ],
            "meta-business-suite",
            ("17900000000000001", "2020-04-01T18:00"),
        ),
        (
            [
                [
                    "Date - Intl. format or prompt",
                    "Text",
                    "Link(s) - Separated by comma",
                    "Media URL(s) - Separated by comma",
                    "Label(s) - Separated by comma",
                ],
                ["2020/04/03 09:30", "Click & collect is open in every store.", "", "", "covid"],
            ],
            "publer",
            ("2", "2020-04-03T09:30"),
        ),
        (
            [
                ["Nous restons ouverts en ligne pendant toute la durée du confinement, merci !"],
                ["Nos équipes préparent vos commandes avec masques et gel, à distance."],
            ],
            "headerless",
            ("1", None),
        ),
    ],
)
def test_more_layouts_are_recognised(
    tmp_path: Path, rows: list[list[str]], layout: str, first: tuple[str, str | None]
) -> None:
    path = write_csv(tmp_path / "export.csv", rows)
    posts, errors = read(path)
    assert errors == []
    assert (posts[0].id, posts[0].date) == first
    assert describe_layout(path).startswith(f"layout: {layout} (")


def test_buffer_layout_line_names_its_columns() -> None:
    assert describe_layout(FIXTURES / "buffer_bulk.csv").startswith(
        "layout: buffer (text: Text, date: Posting Time)"
    )


def test_buffer_blank_posting_time_means_next_slot_not_an_error() -> None:
    posts, errors = read(FIXTURES / "buffer_bulk.csv")
    assert errors == [] and posts[2].date is None


def test_hootsuite_headerless_file_starts_at_line_1_with_url_kept() -> None:
    posts, _ = read(FIXTURES / "hootsuite_bulk.csv")
    assert [p.source.rsplit(":", 1)[1] for p in posts] == ["1", "2", "3"]
    assert posts[0].text.startswith("Stay home, stay safe")
    assert posts[0].extra["url"] == "https://example.com/shop"
    assert "url" not in posts[1].extra
    assert posts[0].location["column"] == 2


def test_meta_export_keeps_ids_as_text_and_warns_about_excel_rounding() -> None:
    path = FIXTURES / "meta_business_suite_export.csv"
    posts, _ = read(path)
    assert [p.id for p in posts] == ["1.22158E+17", "17912345678901234", "17998765432109876"]
    assert posts[0].extra["url"] == "https://www.instagram.com/p/B-ABCdEfGhI/"
    assert "match posts by their permalink" in describe_layout(path)


def test_meta_export_ids_survive_excel_as_text_without_dot_zero(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "meta.xlsx",
        [
            ["Post ID", "Description", "Publish time", "Permalink", "Post type"],
            [
                1.22158e17,
                "Our shops are closed.",
                "03/27/2020 06:08",
                "https://i.g/p/1",
                "IG image",
            ],
            # Excel keeps 15 significant digits: longer ids are already rounded in the file
            [
                179123456789012,
                "Spring sale this weekend!",
                "03/21/2020 10:15",
                "https://i.g/p/2",
                "FB photo",
            ],
        ],
    )
    posts, errors = read(path)
    assert errors == []
    assert [p.id for p in posts] == ["122158000000000000", "179123456789012"]
    assert [p.channel for p in posts] == ["instagram", "facebook"]


def test_sprout_date_and_separate_time_column_are_combined() -> None:
    posts, _ = read(FIXTURES / "sprout_bulk.csv")
    assert [p.date for p in posts] == ["2020-03-24T14:30", "2020-04-02T09:00", "2020-04-15T18:15"]


def test_sprout_bad_time_is_a_row_error_naming_the_time_column(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "sprout.csv",
        [
            ["date", "time_24hr", "message_text"],
            ["24/03/2020", "25:00", "Nos équipes restent mobilisées."],
            ["25/03/2020", "", "Livraison offerte pendant le confinement."],
        ],
    )
    posts, errors = read(path)
    assert [(e.source, e.reason) for e in errors] == [
        (f"{path}:2", "cannot read time '25:00' in column 'time_24hr'")
    ]
    assert [p.date for p in posts] == ["2020-03-25"]


def test_metricool_network_ticks_become_the_channel() -> None:
    posts, _ = read(FIXTURES / "metricool_bulk.csv")
    assert [p.channel for p in posts] == ["facebook,instagram", "facebook,x,google business"]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            ["Contenu", "Date", "Canal", "Identifiant"],
            "text: Contenu, date: Date, id: Identifiant, channel: Canal",
        ),
        (
            ["Légende", "Date de publication", "Plateforme"],
            "text: Légende, date: Date de publication, channel: Plateforme",
        ),
        (
            ["message", "publish time", "network", "post id"],
            "text: message, date: publish time, id: post id, channel: network",
        ),
        (
            ["Post", "Jour", "Heure", "Réseau social", "Langue", "Phase", "Ignore"],
            "text: Post, date: Jour, time: Heure, channel: Réseau social, phase: Phase, "
            "lang: Langue, ignore: Ignore",
        ),
        (
            ["Caption", "Posting Time", "Channel"],
            "text: Caption, date: Posting Time, channel: Channel",
        ),
    ],
)
def test_common_french_and_english_headers_are_mapped(
    tmp_path: Path, header: list[str], expected: str
) -> None:
    path = write_csv(tmp_path / "plan.csv", [header, ["x"] * len(header)])
    assert describe_layout(path).startswith(f"layout: generic ({expected})")


def test_optional_columns_fill_phase_lang_and_ignore(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "plan.csv",
        [
            ["Texte", "Date", "Langue", "Phase", "Ignore"],
            ["Restez chez vous, on vous livre.", "2020-03-20", "fr-FR", "Acute", "BU01; UI02"],
            ["Stay home, we deliver.", "2020-03-20", "EN", "", ""],
            ["Bonjour", "2020-03-20", "fr", "aigue", ""],
        ],
    )
    posts, errors = read(path)
    assert [(p.lang, p.phase, p.ignore) for p in posts] == [
        ("fr", "acute", ["BU01", "UI02"]),
        ("en", None, []),
    ]
    assert [e.source for e in errors] == [f"{path}:4"] and "unknown phase" in errors[0].reason


# --- column options ----------------------------------------------------------------------------


@pytest.mark.parametrize("spec", ["Corps du message", "corps du message", "2"])
def test_text_column_option_by_name_or_index(tmp_path: Path, spec: str) -> None:
    path = write_csv(
        tmp_path / "plan.csv",
        [["Titre", "Corps du message", "Quand"], ["Promo", "Livraison offerte ce week-end", "x"]],
    )
    posts, _ = read(path, text_column=spec)
    assert [p.text for p in posts] == ["Livraison offerte ce week-end"]


def test_unknown_text_column_option_names_the_columns(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "plan.csv", [["Titre", "Corps"], ["a", "b"]])
    with pytest.raises(ReaderError, match=r"--text-column 'Message': no such column \('Titre'"):
        read(path, text_column="Message")


def test_file_without_text_column_is_one_clear_error(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "plan.csv", [["Titre", "Visuel"], ["Promo", "promo.jpg"]])
    with pytest.raises(ReaderError, match=r"no text column among the headers .*--text-column"):
        read(path)


# --- dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "order", "expected"),
    [
        ("2020-03-20", None, "2020-03-20"),
        ("2020-03-20 18:05:59", None, "2020-03-20T18:05"),
        ("2020-03-20T18:05:00.000Z", None, "2020-03-20T18:05"),
        ("2020/03/20 18:05", None, "2020-03-20T18:05"),
        ("01.09.2026 18:00", "mdy", "2026-09-01T18:00"),
        ("03/04/2020", "dmy", "2020-04-03"),
        ("03/04/2020", "mdy", "2020-03-04"),
        ("03-04-20 6:30 PM", "mdy", "2020-03-04T18:30"),
        ("20/03/2020 à 18h30", "dmy", "2020-03-20T18:30"),
        ("20/03/2020 18h", "dmy", "2020-03-20T18:00"),
        ("   ", "dmy", None),
        (dt.datetime(2020, 3, 20, 18, 30), None, "2020-03-20T18:30"),
        (dt.datetime(2020, 3, 20), None, "2020-03-20"),
        (dt.date(2020, 3, 20), None, "2020-03-20"),
        (43910, None, "2020-03-20"),
        (43910.75, None, "2020-03-20T18:00"),
    ],
)
def test_parse_date_formats(value: object, order: str | None, expected: str | None) -> None:
    assert dates.parse_date(value, dates.DateOrder(order, "")) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("32/13/2020", "cannot read date '32/13/2020' as dd/mm/yyyy"),
        ("2020-02-30", "cannot read date '2020-02-30'"),
        ("demain", "cannot read date 'demain'"),
        ("2020-03-20 25:00", "cannot read the time in '2020-03-20 25:00'"),
        (dt.time(18, 0), "a time (18:00) where a date was expected"),
    ],
)
def test_parse_date_rejects_with_the_value(value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        dates.parse_date(value, dates.DateOrder("dmy", ""))


@pytest.mark.parametrize(
    ("column", "expected_dates", "reason"),
    [
        (
            ["03/04/2020", "13/04/2020"],
            ["2020-04-03", "2020-04-13"],
            "day-first (dd/mm/yyyy): '13/04/2020' (line 3) has a day > 12",
        ),
        (
            ["03/04/2020", "04/13/2020"],
            ["2020-03-04", "2020-04-13"],
            "month-first (mm/dd/yyyy): '04/13/2020' (line 3) has a day > 12 in second place",
        ),
        (
            ["03/04/2020", "05/06/2020"],
            ["2020-04-03", "2020-06-05"],
            "day-first (dd/mm/yyyy): no day > 12 in the column; assumed",
        ),
        (["2020-03-04", "2020-04-13"], ["2020-03-04", "2020-04-13"], "unambiguous"),
    ],
)
def test_ambiguous_dates_are_decided_by_the_whole_column_and_reported(
    tmp_path: Path, column: list[str], expected_dates: list[str], reason: str
) -> None:
    path = write_csv(tmp_path / "plan.csv", [["text", "date"], *(["Bonjour", d] for d in column)])
    notes: list[str] = []
    items = list(read_path(path, ReadOptions(on_note=notes.append)))
    assert [p.date for p in items if isinstance(p, Post)] == expected_dates
    assert len(notes) == 1 and f"dates {reason}" in notes[0]


@pytest.mark.parametrize(
    ("header", "delimiter", "expected", "why"),
    [
        (["Texte", "Date"], ",", "2020-04-03", "French header, read day-first"),
        (["text", "date"], ";", "2020-04-03", "';' delimiter (European Excel), read day-first"),
        (
            ["Post ID", "Description", "Publish time"],
            ",",
            "2020-03-04",
            "meta-business-suite writes US dates, read month-first",
        ),
    ],
)
def test_undecidable_dates_follow_the_layout_and_say_so(
    tmp_path: Path, header: list[str], delimiter: str, expected: str, why: str
) -> None:
    row = ["Bonjour", "03/04/2020"] if len(header) == 2 else ["1", "Bonjour", "03/04/2020"]
    path = write_csv(tmp_path / "plan.csv", [header, row], delimiter)
    posts, _ = read(path)
    assert posts[0].date == expected
    assert why in describe_layout(path)


def test_hootsuite_undecidable_dates_are_month_first() -> None:
    layout = sniff_layout(FIXTURES / "hootsuite_bulk.csv")
    assert layout is not None and layout.name == "hootsuite"
    assert layout.date_hint() == (dates.MONTH_FIRST, "hootsuite writes US dates, read month-first")


def test_date_format_option_wins_and_rows_against_it_are_reported(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "plan.csv",
        [["text", "date"], ["Bonjour", "03/04/2020"], ["Merci", "25/03/2020"]],
    )
    posts, errors = read(path, date_format="mdy")
    assert [p.date for p in posts] == ["2020-03-04"]
    assert [(e.source, e.reason) for e in errors] == [
        (f"{path}:3", "cannot read date '25/03/2020' as mm/dd/yyyy in column 'date'")
    ]
    assert "--date-format mdy, although '25/03/2020' (line 3) does not fit it" in (
        describe_layout(path, ReadOptions(date_format="mdy"))
    )


def test_date_format_option_accepts_strptime(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "plan.csv", [["text", "date"], ["Bonjour", "20200320 1830"]])
    posts, _ = read(path, date_format="%Y%m%d %H%M")
    assert posts[0].date == "2020-03-20T18:30"


# --- Excel -------------------------------------------------------------------------------------


def test_xlsx_title_rows_above_header_are_skipped_and_reported(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "plan.xlsx",
        [
            ["Calendrier éditorial - avril 2020"],
            [],
            ["ID", "Date", "Texte"],
            [
                101,
                dt.datetime(2020, 4, 2, 9),
                "Nos magasins rouvrent lundi, avec du gel à l'entrée.",
            ],
            [None, None, None],
            [102.0, "03/04/2020", "Merci pour votre patience pendant cette période."],
        ],
    )
    posts, errors = read(path)
    assert errors == []
    assert [(p.id, p.date, p.source) for p in posts] == [
        ("101", "2020-04-02T09:00", f"{path}:Sheet1:4"),
        ("102", "2020-04-03", f"{path}:Sheet1:6"),
    ]
    assert "header at row 3, title rows skipped (row 1)" in describe_layout(path)


def test_xlsx_wrong_cell_type_and_empty_text_are_row_errors(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "plan.xlsx",
        [
            ["Texte", "Date"],
            [42, dt.datetime(2020, 3, 20)],
            [None, dt.datetime(2020, 3, 21)],
            ["Bonjour", "pas une date"],
            ["Nos équipes restent là pour vous.", dt.datetime(2020, 3, 22)],
        ],
    )
    posts, errors = read(path)
    assert [p.text for p in posts] == ["Nos équipes restent là pour vous."]
    assert [(e.source.rsplit(":", 1)[1], e.reason) for e in errors] == [
        ("2", "column 'Texte' holds int '42', not text"),
        ("3", "empty text in column 'Texte'"),
        ("4", "cannot read date 'pas une date' in column 'Date'"),
    ]


def test_xlsx_sheet_option_by_name_and_number(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.append(["Notes"])
    second = book.create_sheet("Avril")
    second.append(["Texte"])
    second.append(["Réouverture lundi."])
    book.save(path)
    for sheet in ("Avril", "2"):
        posts, _ = read(path, sheet=sheet)
        assert [p.source for p in posts] == [f"{path}:Avril:2"]
    with pytest.raises(ReaderError, match=r"no sheet 'Mai' \(sheets: Sheet, Avril\)"):
        read(path, sheet="Mai")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("old.xls", b"\xd0\xcf\x11\xe0", "old binary Excel"),
        ("fake.xlsx", b"not a zip", "not a readable .xlsx workbook"),
    ],
)
def test_unreadable_workbooks_raise_one_reader_error(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ReaderError, match=message):
        read(path)


# --- YAML calendar ---------------------------------------------------------------------------


def test_yaml_calendar_posts_point_at_their_own_line() -> None:
    path = FIXTURES / "calendar.yaml"
    posts, errors = read(path)
    assert [(p.id, p.source, p.date, p.channel, p.lang, p.phase, p.ignore) for p in posts] == [
        ("promo-01", f"{path}:7", "2020-03-20", "instagram", "fr", None, []),
        ("13", f"{path}:13", "2020-03-24T18:00", "facebook", "fr", None, ["BU01"]),
        ("soignants", f"{path}:18", "2020-03-27T20:00", "instagram", "fr", "acute", []),
        ("33", f"{path}:33", "2020-04-06", "instagram", "en", None, []),
    ]
    assert posts[0].text == SPRING_PROMO  # the block scalar's final newline is not post text
    assert posts[0].extra["calendar"] == "Printemps 2020"
    assert [(e.source, e.reason.split(" (")[0]) for e in errors] == [
        (f"{path}:25", "missing 'text'"),
        (f"{path}:28", "unknown key 'chanel'"),
    ]


def test_yaml_calendar_unquoted_time_read_as_base_60_is_repaired(tmp_path: Path) -> None:
    path = tmp_path / "plan.yml"
    path.write_text("- date: 2020-03-20\n  time: 18:30\n  text: Bonjour\n", encoding="utf-8")
    posts, _ = read(path)
    assert posts[0].date == "2020-03-20T18:30"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("rules:\n  - id: X\n", "not a content calendar"),
        ("posts:\n  - text: a\nextra: 1\n", r":3: unknown key 'extra'"),
        ("posts: [\n", "invalid YAML"),
        ("defaults:\n  phase: acute\nposts: []\n", r":2: unknown default 'phase'"),
    ],
)
def test_yaml_that_is_not_a_calendar_is_one_reader_error(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ReaderError, match=message):
        read(path)


# --- Markdown ----------------------------------------------------------------------------------


def test_markdown_posts_split_at_headings_and_rules() -> None:
    path = FIXTURES / "drafts.md"
    posts, errors = read(path)
    assert [(p.id, p.source, p.channel, p.lang, p.ignore) for p in posts] == [
        ("Promo printemps", f"{path}:8", "linkedin", "fr", []),
        ("Service client", f"{path}:13", "linkedin", "fr", ["BU01"]),
        ("drafts.md:17", f"{path}:17", "linkedin", "fr", []),
        ("Télétravail", f"{path}:22", "linkedin", "fr", []),
    ]
    assert posts[0].text == SPRING_PROMO
    assert "Brouillons" not in " ".join(p.text for p in posts)
    assert [(e.source, e.reason) for e in errors] == [
        (f"{path}:19", "nothing under the heading 'Idée à écrire'")
    ]


def test_markdown_without_front_matter_starting_with_a_rule(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text("---\nPremier message.\n---\nSecond message.\n", encoding="utf-8")
    posts, _ = read(path)
    assert [p.text for p in posts] == ["Premier message.", "Second message."]


# --- folders and the registry -----------------------------------------------------------------


def test_every_format_has_a_reader_and_its_suffixes() -> None:
    for suffix in (".csv", ".tsv", ".xlsx", ".yaml", ".yml", ".md", ".markdown", ".jsonl", ".txt"):
        assert SUFFIXES[suffix] in READERS


def test_folder_skips_hidden_and_config_files_and_reports_unreadable_ones(tmp_path: Path) -> None:
    (tmp_path / "drafts").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "drafts" / "a.md").write_text("Bonjour à tous.\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("Texte\nMerci aux soignants.\n", encoding="utf-8")
    (tmp_path / "broken.yaml").write_text("rules: []\n", encoding="utf-8")
    (tmp_path / ".crisis-audit.yaml").write_text("phase: acute\n", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("secret\n", encoding="utf-8")
    (tmp_path / ".git" / "notes.txt").write_text("not a post\n", encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    assert [p.relative_to(tmp_path).as_posix() for p in folder_files(tmp_path)] == [
        "b.csv",
        "broken.yaml",
        "drafts/a.md",
    ]
    posts, errors = read(tmp_path)
    assert [p.text for p in posts] == ["Merci aux soignants.", "Bonjour à tous."]
    assert [(e.source, e.reason.split(":")[0]) for e in errors] == [
        (str(tmp_path / "broken.yaml"), "not a content calendar")
    ]
