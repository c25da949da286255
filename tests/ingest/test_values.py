"""The value parsers: every spelling of a date, ticket numbers Excel damaged, phones, names, 是/否."""

from datetime import datetime

import pytest

from hotline.ingest.values import (
    Bad,
    clean_text,
    key,
    parse_bool,
    parse_datetime,
    parse_ticket_no,
    person,
    phone,
    round_excel,
)

D = datetime(2022, 10, 8, 9, 32, 9)


@pytest.mark.parametrize("text", ["2022/10/8 9:32:09", "2022-10-08 09:32:09", "2022-10-08T09:32:09",
                                  "2022年10月8日 9时32分09秒", "2022.10.08 09:32:09", "20221008093209",
                                  " 2022/10/08 09:32:09 ", "２０２２/１０/８ ９:３２:０９"])
def test_datetime_spellings(text):
    assert parse_datetime(text)[0] == D


def test_dates_without_time_and_excel_serials():
    assert parse_datetime("2022-10-08")[0] == datetime(2022, 10, 8)
    assert parse_datetime("2022年10月8日")[0] == datetime(2022, 10, 8)
    value, note = parse_datetime(44842.397326388889)
    assert value == D and "序列号" in note
    assert parse_datetime("44842.397326388889")[0] == D
    assert round_excel(datetime(2022, 10, 8, 9, 32, 8, 999999)) == D  # Excel's float rounding, snapped on reading
    exact = datetime(2022, 10, 8, 9, 32, 8, 999173)  # a real fraction (Parquet, text) is kept
    assert parse_datetime(exact)[0] == exact and parse_datetime("2022-10-08 09:32:08.999173")[0] == exact


def test_day_and_month_first():
    assert parse_datetime("05/01/2022 12:00:03 AM", "mdy")[0] == datetime(2022, 5, 1, 0, 0, 3)
    assert parse_datetime("05/01/2022 01:07:46 PM", "mdy")[0] == datetime(2022, 5, 1, 13, 7, 46)
    assert parse_datetime("05/01/2022", "dmy")[0] == datetime(2022, 1, 5)


@pytest.mark.parametrize("text, reason", [("2022-02-30 10:00:00", "没有 30 日"), ("2022/13/01", "月份 13"),
                                          ("1900-01-01 00:00:00", "年份 1900"), ("2022/10/8 25:10:00", "时间 25:10"),
                                          ("下周一", "无法识别"), ("12", "无法识别")])
def test_impossible_dates(text, reason):
    with pytest.raises(Bad, match=reason):
        parse_datetime(text)


def test_ticket_numbers():
    assert parse_ticket_no("22101610007099") == ("22101610007099", None)
    assert parse_ticket_no(22101610007099.0) == ("22101610007099", None)
    assert parse_ticket_no("'22101610007099")[0] == "22101610007099"
    assert parse_ticket_no("２２１０１６１０００７０９９")[1]  # full-width digits: repaired and reported
    with pytest.raises(Bad, match="科学计数法"):
        parse_ticket_no("2.21016E+13")


def test_phones_and_names_are_masked():
    assert phone("13812345678") == ("138****5678", None)
    assert phone("138-1234-5678")[0] == "138****5678"
    assert phone("138****5678") == ("138****5678", None)
    assert phone("12345")[0] == "12345"
    assert phone("无")[0] is None and "不是电话号码" in phone("无")[1]
    assert person("张三") == "张*" and person("欧阳修文") == "欧***"
    assert person("谭女士") == "谭女士" and person("某市民") == "某市民"


def test_yes_no_and_text():
    assert parse_bool("是") and parse_bool("√") and parse_bool("Y") and not parse_bool("否")
    with pytest.raises(Bad):
        parse_bool("也许")
    assert clean_text("\n\t\t\t\t\t\n\t\t\t\t\t座落在A市\n\t\t第二行 ") == "座落在A市\n第二行"
    assert key(" 湘潭市 公安局 ") == key("湘潭市公安局") and key("ＡＢＣ") == "abc"
