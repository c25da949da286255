"""Entries checked before anything is written: each key's fault named (Chinese first), and a records file (CSV or
YAML) checked row by row, every bad row listed with its line."""

from pathlib import Path

import pytest

from hotline.domain.profile import load_profile
from hotline.scoring.entries import Entry, EntryError, check_entry, in_force, read_entries
from hotline.scoring.scheme import load_scheme

XIANGTAN = load_profile("xiangtan")  # the demo's store: its profile gives both schemes
SCHEMES = in_force(XIANGTAN)
GOOD = {"month": "2022-10", "subject": "unit", "name": "市公安局", "input": "entered.data_quality", "score": "8.5"}


def test_a_good_entry():
    assert check_entry(GOOD | {"note": " 缺项 "}, SCHEMES) == Entry("2022-10", "unit", "市公安局",
                                                                   "entered.data_quality", 8.5, "缺项")


@pytest.mark.parametrize("change,message", [
    ({"name": " "}, "缺少 name"),
    ({"month": "2022-13"}, "month：月份格式应为 YYYY-MM"),
    ({"subject": "street"}, "subject = 'street'，应为 county（县级平台）或 unit（承办单位）"),
    ({"input": "entered.data_accuracy"}, "input = 'entered.data_accuracy' 不是方案《承办单位月度考核》的录入项，"
                                         "可录入：entered.data_quality"),
    ({"score": "八点五"}, "score = '八点五' 不是数字"),
    ({"score": "nan"}, "不是数字"),
    ({"score": True}, "不是数字"),
    ({"score": 10.01}, "score = 10.01 超出「数据质量」的分值 0–10"),
    ({"score": -0.5}, "超出"),
])
def test_each_fault_named(change, message):
    with pytest.raises(EntryError) as exc:
        check_entry(GOOD | change, SCHEMES)
    assert message in str(exc.value) and str(exc.value).index(message[:4]) < str(exc.value).index(" / ")


def test_the_scheme_in_force_decides_what_may_be_entered():
    lyg = in_force(XIANGTAN, [load_scheme(Path(__file__).parent / "schemes" / "lianyungang_unit.yaml")])
    # 答复规范 is Lianyungang's entered input, out of 10; the built-in unit scheme has no such input
    assert check_entry(GOOD | {"input": "entered.reply_norms", "score": 9}, lyg).score == 9
    with pytest.raises(EntryError, match="entered.reply_norms"):
        check_entry(GOOD | {"input": "entered.reply_norms", "score": 9}, SCHEMES)
    assert check_entry(GOOD | {"subject": "county", "name": "韶山市", "input": "entered.dispatch_satisfaction",
                               "score": 38.89}, lyg).score == 38.89   # counties keep the built-in scheme


def test_csv_rows_named_by_line(tmp_path):
    path = tmp_path / "scores.csv"
    path.write_text("month,subject,name,input,score,note\n"
                    "2022-10,unit,市公安局,entered.data_quality,8.5,缺项\n"
                    "2022-10,unit,市城管局,entered.data_quality,11,\n"
                    "2022-10,county,韶山市,entered.data_accuracy,29,\n"
                    "2022-10,unit,市公安局,entered.data_quality,9,\n", encoding="utf-8")
    with pytest.raises(EntryError) as exc:
        read_entries(path, SCHEMES)
    message = str(exc.value)
    assert message.startswith(f"{path}: 第 3 行 score = 11 超出「数据质量」的分值 0–10")
    assert "第 5 行 与第 2 行重复" in message and message.endswith("（未录入任何一条 / nothing recorded）")
    assert "第 4 行" not in message


def test_yaml_and_gbk_csv_read(tmp_path):
    yml = tmp_path / "scores.yaml"
    yml.write_text("- {month: 2022-10, subject: county, name: 韶山市, input: entered.data_accuracy, score: 29.5}\n",
                   encoding="utf-8")
    assert read_entries(yml, SCHEMES) == [("第 1 条", Entry("2022-10", "county", "韶山市", "entered.data_accuracy", 29.5))]
    gbk = tmp_path / "excel.csv"   # saved by Excel on a Chinese Windows
    gbk.write_bytes("month,subject,name,input,score\n2022-10,unit,市公安局,entered.data_quality,7\n".encode("gb18030"))
    assert read_entries(gbk, SCHEMES)[0][1].name == "市公安局"


@pytest.mark.parametrize("content,message", [
    ("month,subject,name,score\n2022-10,unit,市公安局,8\n", "表头缺少列 input"),
    ("month,subject,name,input,score\n", "没有录入记录"),
])
def test_bad_files(tmp_path, content, message):
    path = tmp_path / "scores.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(EntryError, match=message):
        read_entries(path, SCHEMES)
    with pytest.raises(EntryError, match="录入文件不存在"):
        read_entries(tmp_path / "none.csv", SCHEMES)
