"""Every row of the EDTF conformance suite (tests/data/edtf_vectors.tsv, see its README)."""

import csv
from pathlib import Path

import pytest

from timeline.dates import DateParseError, edtf_bounds, parse, parse_edtf

ROWS = list(csv.DictReader((Path(__file__).parent / "data" / "edtf_vectors.tsv").open(), delimiter="\t"))

# Where the suite's README says the bound is python-edtf's own choice, not the specification's,
# we store what is known instead (see timeline/dates/edtf.py):
OUR_BOUNDS = {
    "/2006": ("-inf", "2006-12-31"),  # an unknown start is unbounded, not "10 years earlier"
    "2004-06-01/": ("2004-06-01", "inf"),
    "1984-06-02?/": ("1984-06-02", "inf"),
    "2010-24": ("2010-12-01", "2011-02-28"),  # winter runs December to February
    "2022-24": ("2022-12-01", "2023-02-28"),
}


def test_the_suite_is_complete():
    assert len(ROWS) == 128
    assert sum(r["lower"] == "INVALID" for r in ROWS) == 15


@pytest.mark.parametrize("row", ROWS, ids=[r["edtf"] for r in ROWS])
def test_strict_bounds_match_the_suite(row):
    if row["lower"] == "INVALID":
        with pytest.raises(DateParseError):
            edtf_bounds(row["edtf"])
        return
    expected = OUR_BOUNDS.get(row["edtf"], (row["lower"], row["upper"]))
    if row["edtf"] in OUR_BOUNDS:
        assert "implementation" in row["note"] or "DELTA_IF_UNKNOWN" in row["note"]
    assert edtf_bounds(row["edtf"]) == expected


@pytest.mark.parametrize("row", [r for r in ROWS if r["lower"] != "INVALID"], ids=lambda r: r["edtf"])
def test_storable_rows_round_trip_or_are_refused_for_their_year(row):
    lo, hi = OUR_BOUNDS.get(row["edtf"], (row["lower"], row["upper"]))
    in_range = all(
        b in ("-inf", "inf") or (not b.startswith("-") and "0001" <= b[:4] and len(b) == 10) for b in (lo, hi)
    )
    if not in_range:
        with pytest.raises(DateParseError, match="outside the supported range"):
            parse_edtf(row["edtf"])
        return
    value = parse(row["edtf"])
    assert value.edtf == row["edtf"]
    assert (value.earliest.isoformat() if value.earliest else "-inf") == lo
    assert (value.latest.isoformat() if value.latest else "inf") == hi
    assert value.earliest is None or value.latest is None or value.earliest <= value.latest
