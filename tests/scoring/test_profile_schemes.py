"""The schemes in force are the store's city profile's: Xiangtan's two, none for a city that gave none."""

from __future__ import annotations

import pytest

from hotline.domain.profile import load_profile
from hotline.scoring.entries import EntryError, check_entry, in_force
from hotline.scoring.scheme import SchemeError, default_scheme, profile_schemes

ENTRY = {"month": "2022-10", "subject": "unit", "name": "市公安局", "input": "entered.data_quality", "score": "8"}


def test_xiangtan_profile_gives_the_demo_schemes():
    schemes = profile_schemes(load_profile("xiangtan"))
    assert set(schemes) == {"county", "unit"}
    for subject, scheme in schemes.items():
        assert scheme.parts == default_scheme(subject).parts and scheme.name == default_scheme(subject).name


def test_a_city_without_schemes_scores_nothing(tmp_path):
    (tmp_path / "profile.yaml").write_text("city: 丙市\noffice: 丙办\n", encoding="utf-8")
    city = load_profile(tmp_path)
    assert profile_schemes(city) == {}
    with pytest.raises(EntryError, match="没有承办单位考核方案"):
        check_entry(ENTRY, in_force(city))


def test_a_scheme_filed_under_the_wrong_subject_is_refused(tmp_path):
    (tmp_path / "unit.yaml").write_text(
        "name: 单位方案\nsubject: unit\nparts:\n  - key: a\n    weight: 100\n    indicators:\n"
        "      - {key: r, points: 100, input: on_time_rate, rule: {kind: proportional}}\n", encoding="utf-8")
    (tmp_path / "profile.yaml").write_text("city: 丙市\noffice: 丙办\nschemes: {county: unit.yaml}\n", encoding="utf-8")
    with pytest.raises(SchemeError, match="schemes.county"):
        profile_schemes(load_profile(tmp_path))
