"""Batch point files (``rangezone check --csv``): encodings, line numbers, malformed rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.access.pointfile import BatchPoint, read_points_csv
from geo.cli import main
from geo.errors import InputError

BODY = "id,lat,lon\nsea,38.5,135.5\n"
POINT = BatchPoint("sea", 38.5, 135.5)


def write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "points.csv"
    path.write_bytes(data)
    return path


def error_of(path: Path) -> str:
    with pytest.raises(InputError) as info:
        read_points_csv(path)
    return str(info.value)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_utf8_with_or_without_byte_order_mark(tmp_path: Path, encoding: str) -> None:
    assert read_points_csv(write(tmp_path, BODY.encode(encoding))) == [POINT]


@pytest.mark.parametrize(
    ("encoding", "bom"), [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")]
)
def test_utf16_is_refused(tmp_path: Path, encoding: str, bom: bytes) -> None:
    """Regression: a UTF-16 file with a byte-order mark (what Excel saves as "Unicode text")
    raised UnicodeDecodeError; one without it was read as column names full of NULs."""
    path = write(tmp_path, bom + BODY.encode(encoding))
    assert error_of(path) == (
        f"cannot read {path}: not UTF-8 text (it starts with a UTF-16 byte-order mark); "
        "save the file as UTF-8"
    )
    path = write(tmp_path, BODY.encode(encoding))
    offset = 1 if encoding == "utf-16-le" else 0
    assert error_of(path) == (
        f"cannot read {path}: not UTF-8 text (NUL byte at offset {offset}); save the file as UTF-8"
    )


def test_latin1_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "id,lat,lon\ncafé,38.5,135.5\n".encode("latin-1"))
    assert error_of(path) == (
        f"cannot read {path}: not UTF-8 text (byte 0xe9 at offset 14); save the file as UTF-8"
    )


def test_line_numbers_count_blank_lines(tmp_path: Path) -> None:
    """Regression: the line was counted in rows, so blank lines shifted it."""
    path = write(tmp_path, b"id,lat,lon\n\na,38,135\n\nb,95,1\n")
    assert error_of(path) == f"{path}, line 5: latitude 95 is outside -90..90"


def test_default_ids_count_rows_not_lines(tmp_path: Path) -> None:
    path = write(tmp_path, b"lat,lon\n\n38,135\n\n39,136\n")
    assert [p.id for p in read_points_csv(path)] == ["1", "2"]


def test_overlong_field_names_its_line(tmp_path: Path) -> None:
    """Regression: csv.Error ("field larger than field limit") escaped as a traceback."""
    path = write(tmp_path, b'id,lat,lon\na,38,135\n"' + b"x" * 200_000 + b'",38,135\n')
    assert error_of(path) == f"{path}, line 3: field larger than field limit (131072)"


def test_non_finite_numbers(tmp_path: Path) -> None:
    path = write(tmp_path, b"id,lat,lon\na,nan,135\n")
    assert error_of(path) == f"{path}, line 2: lat/lon must be finite numbers, got nan, 135.0"


def test_check_csv_utf16_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RANGEZONE_DATA_DIR", str(tmp_path / "rangezone-data"))
    path = write(tmp_path, BODY.encode("utf-16"))
    code = main(["check", "--csv", str(path)])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err == (
        f"rangezone: error: cannot read {path}: not UTF-8 text "
        "(it starts with a UTF-16 byte-order mark); save the file as UTF-8\n"
    )


def test_check_csv_utf8_with_byte_order_mark_works(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RANGEZONE_DATA_DIR", str(tmp_path / "rangezone-data"))
    path = write(tmp_path, BODY.encode("utf-8-sig"))
    code = main(["check", "--csv", str(path)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out.splitlines()[0].startswith("id,line,kind,leg,lat,lon,")
    assert out.splitlines()[1].startswith("sea,2,point,,38.5,135.5,")


@pytest.mark.parametrize("header", ["id", "ID", "Id", " id "])
def test_id_column_is_matched_case_insensitively(tmp_path: Path, header: str) -> None:
    """Review: ids were said to become 1, 2, ...; the user's ids are kept under any case."""
    path = write(tmp_path, f"{header},lat,lon\nDokdo,37.3,131.8\nsea,38.5,135.5\n".encode())
    assert [p.id for p in read_points_csv(path)] == ["Dokdo", "sea"]


def test_without_an_id_column_ids_are_row_numbers_and_other_columns_are_kept(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, b"Name,Latitude,Lon,seen\nDokdo,37.3,131.8,ship\nsea,38.5,135.5,\n")
    assert read_points_csv(path) == [
        BatchPoint("1", 37.3, 131.8, (("Name", "Dokdo"), ("seen", "ship"))),
        BatchPoint("2", 38.5, 135.5, (("Name", "sea"), ("seen", ""))),
    ]


def test_unnamed_columns_are_kept_by_position_unless_empty(tmp_path: Path) -> None:
    # a trailing comma on every line: an unnamed, empty column, dropped
    path = write(tmp_path, b"id,lat,lon,\nsea,38.5,135.5,\n")
    assert read_points_csv(path) == [POINT]
    path = write(tmp_path, b"id,,lat,lon\nsea,x1,38.5,135.5\n")
    assert read_points_csv(path) == [BatchPoint("sea", 38.5, 135.5, (("column_2", "x1"),))]


def test_a_column_named_twice_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, b"id,lat,lon,note,note\nsea,38.5,135.5,a,b\n")
    assert error_of(path) == f"{path}: column 'note' appears more than once in the header"


@pytest.mark.parametrize(
    ("header", "role", "listed"),
    [
        ("lat,Lat,lon", "latitude", "'lat' and 'Lat'"),
        ("lat,latitude,lon", "latitude", "'lat' and 'latitude'"),
        ("lat,lon,lng", "longitude", "'lon' and 'lng'"),
        ("lat,lon,id,ID", "id", "'id' and 'ID'"),
    ],
)
def test_two_columns_for_one_role_are_an_error(
    tmp_path: Path, header: str, role: str, listed: str
) -> None:
    """Regression: with 'lat,Lat' the last column silently gave the latitude."""
    path = tmp_path / "dup.csv"
    path.write_text(f"{header}\n" + ",".join(["10"] * len(header.split(","))) + "\n")
    with pytest.raises(InputError) as info:
        read_points_csv(path)
    assert str(info.value) == (
        f"{path}: columns {listed} could each be the {role}: keep one, rename the other"
    )
