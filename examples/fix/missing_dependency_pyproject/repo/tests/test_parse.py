from tzreport.parse import read_rows


def test_read_rows(tmp_path):
    sheet = tmp_path / "hours.csv"
    sheet.write_text("who,when,hours\nana,2025-03-04T09:00:00+01:00,7.5\n")
    [(who, when, hours)] = read_rows(sheet)
    assert (who, when.utcoffset().total_seconds(), hours) == ("ana", 3600.0, 7.5)
