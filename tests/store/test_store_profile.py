"""A store made from a city profile keeps the profile; `hotline init` makes one; old stores read as Xiangtan."""

from __future__ import annotations

import sqlite3

import ibis
import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from hotline.cli.main import app
from hotline.domain.profile import load_profile
from hotline.store.db import migrate, open_engine
from hotline.store.init import InitError, init_store
from hotline.store.profile import read_profile, read_profile_ibis
from hotline.store.reference import reference_rows
from tests.conftest import drop_postgres_database, postgres_database

TWO_LINES = "city: 某市\noffice: 某市热线办\n"


def profile_folder(tmp_path, body: str = TWO_LINES):
    folder = tmp_path / "moushi"
    folder.mkdir(exist_ok=True)
    (folder / "profile.yaml").write_text(body, encoding="utf-8")
    return folder


def rows(path, sql):
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_init_from_two_lines(tmp_path):
    db = tmp_path / "s.sqlite"
    lines = init_store(f"sqlite:///{db}", load_profile(profile_folder(tmp_path)))
    assert "某市" in lines[0] and "开放" in lines[1]
    assert rows(db, "SELECT name, city FROM store_profile") == [("moushi", "某市")]
    assert rows(db, "SELECT code, name, level FROM platforms") == [("city", "某市12345热线", "city")]
    assert rows(db, "SELECT COUNT(*) FROM units") == [(0,)] and rows(db, "SELECT COUNT(*) FROM subcategories") == [(0,)]
    engine = open_engine(f"sqlite:///{db}")
    stored = read_profile(engine)
    engine.dispose()
    assert (stored.name, stored.city, stored.office) == ("moushi", "某市", "某市热线办")
    assert read_profile_ibis(ibis.sqlite.connect(str(db))).office == "某市热线办"


def test_init_xiangtan_gives_the_demo_registries(tmp_path):
    db = tmp_path / "x.sqlite"
    init_store(f"sqlite:///{db}", load_profile("xiangtan"))
    expected = reference_rows(load_profile("xiangtan"))
    assert rows(db, "SELECT COUNT(*) FROM units") == [(len(expected["units"]),)] == [(54,)]
    assert rows(db, "SELECT name FROM subcategories ORDER BY id LIMIT 1") == [(expected["subcategories"][0]["name"],)]
    assert [r[0] for r in rows(db, "SELECT code FROM platforms WHERE level = 'county'")] == [
        "xiangtan_county", "xiangxiang", "shaoshan"]


def test_init_refuses_a_store_with_tickets_unless_forced(tmp_path, seed_store):
    import shutil

    db = tmp_path / "seed.sqlite"
    shutil.copy(seed_store, db)
    before = rows(db, "SELECT COUNT(*) FROM tickets")
    with pytest.raises(InitError, match="--force"):
        init_store(f"sqlite:///{db}", load_profile(profile_folder(tmp_path)))
    assert rows(db, "SELECT COUNT(*) FROM tickets") == before and rows(db, "SELECT city FROM store_profile") == [("湘潭市",)]
    init_store(f"sqlite:///{db}", load_profile(profile_folder(tmp_path)), force=True)
    assert rows(db, "SELECT COUNT(*) FROM tickets") == [(0,)] and rows(db, "SELECT city FROM store_profile") == [("某市",)]


def test_a_store_without_a_profile_is_xiangtan(tmp_path):
    db = tmp_path / "old.sqlite"
    engine = open_engine(f"sqlite:///{db}", create=True)
    migrate(engine)
    assert read_profile(engine).name == "xiangtan"
    engine.dispose()
    assert read_profile_ibis(ibis.sqlite.connect(str(db))).city == "湘潭市"


def test_the_generated_demo_store_is_xiangtan(seed_store):
    assert rows(seed_store, "SELECT name, city FROM store_profile") == [("xiangtan", "湘潭市")]


def test_cli_init_checks_the_profile_with_file_and_key(tmp_path):
    runner = CliRunner()
    bad = profile_folder(tmp_path, TWO_LINES + "platforms: [{code: city, name: 某市, level: town}]\n")
    result = runner.invoke(app, ["--db", f"sqlite:///{tmp_path / 'a.sqlite'}", "init", "--profile", str(bad)])
    assert result.exit_code == 2 and "platforms[0].level" in result.output and "profile.yaml" in result.output
    (bad / "scheme.yaml").write_text("name: 方案\nsubject: unit\nparts: []\n", encoding="utf-8")
    (bad / "profile.yaml").write_text(TWO_LINES + "schemes: {unit: scheme.yaml}\n", encoding="utf-8")
    result = runner.invoke(app, ["--db", f"sqlite:///{tmp_path / 'b.sqlite'}", "init", "--profile", str(bad)])
    assert result.exit_code == 2 and "scheme.yaml" in result.output
    assert not (tmp_path / "b.sqlite").exists() or rows(tmp_path / "b.sqlite", "SELECT COUNT(*) FROM store_profile") == [(0,)]
    good = runner.invoke(app, ["--db", f"sqlite:///{tmp_path / 'c.sqlite'}", "init", "--profile", "xiangtan"])
    assert good.exit_code == 0 and "湘潭市" in good.output


@pytest.mark.postgres
def test_init_on_postgres(tmp_path):
    import os

    name = f"hotline_init_test_{os.getpid()}"
    url = postgres_database(name)
    try:
        init_store(url, load_profile(profile_folder(tmp_path)))
        engine = open_engine(url)
        assert read_profile(engine).city == "某市"
        with engine.connect() as conn:
            assert conn.execute(text("SELECT COUNT(*) FROM platforms")).scalar() == 1
        engine.dispose()
    finally:
        drop_postgres_database(name)
