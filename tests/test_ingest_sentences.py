"""Sentences as spans of the body: quoted speech, abbreviations and list markers."""

from timeline.ingest.sentences import Span, paragraphs, sentences


def split(text: str) -> list[str]:
    return [text[s.start : s.end] for p in paragraphs(text) for s in sentences(text, p)]


def test_quoted_speech_with_full_stops_stays_one_sentence():
    text = (
        "Putin stated, 'There is talk again. Let us return to them, but based on today's facts.' "
        "On the contrary, Ukraine disagreed."
    )
    assert split(text) == [
        "Putin stated, 'There is talk again. Let us return to them, but based on today's facts.'",
        "On the contrary, Ukraine disagreed.",
    ]


def test_abbreviations_do_not_end_sentences():
    text = "Notably, in Sept. 2022, the U.S. officials received overtures. They declined."
    assert split(text) == ["Notably, in Sept. 2022, the U.S. officials received overtures.", "They declined."]


def test_an_unclosed_quote_does_not_swallow_the_paragraph():
    text = "He said 'no more talks. Then he left. Nobody followed."
    assert split(text) == ["He said 'no more talks.", "Then he left.", "Nobody followed."]


def test_list_markers_are_not_part_of_the_sentence():
    text = "- The West is involved. Russia insists.\n- Talks stall."
    assert split(text) == ["The West is involved.", "Russia insists.", "Talks stall."]


def test_each_line_is_a_paragraph_with_exact_offsets():
    text = "  First line.  \n\nSecond line."
    spans = paragraphs(text)
    assert spans == [Span(2, 13), Span(17, 29)]
    assert [text[s.start : s.end] for s in spans] == ["First line.", "Second line."]


def test_a_decade_or_a_plain_no_still_ends_a_sentence():
    text = "Russia struck during the 1990s. Ukraine said no. Then No. 5 came."
    assert split(text) == ["Russia struck during the 1990s.", "Ukraine said no.", "Then No. 5 came."]
