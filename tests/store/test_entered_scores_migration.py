"""Migration 0005 moves the four entered columns of county_assessments into entered_scores and back, losing no
score of the old schema; the values below are written into a 0002 store by hand and read back."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect, text

from hotline.store.db import MIGRATIONS, open_engine


def alembic(engine, action: str, revision: str) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        getattr(command, action)(cfg, revision)


def test_entered_columns_move_into_entered_scores_and_back(tmp_path):
    engine = open_engine(f"sqlite:///{tmp_path / 'old.sqlite'}", create=True)
    alembic(engine, "upgrade", "0002")
    with engine.begin() as c:
        for code in ("shaoshan", "xiangxiang"):
            c.execute(text("INSERT INTO platforms (code, name, level) VALUES (:c, :c, 'county')"), {"c": code})
        c.execute(text("INSERT INTO county_assessments (platform, month, answer_rate, data_accuracy_score, "
                       "dispatch_on_time_score, dispatch_contact_score, dispatch_satisfaction_score) VALUES "
                       "('shaoshan', '2022-10', 94.61, 30, 30, 29.5, 38.89), "
                       "('xiangxiang', '2022-10', 86.2, NULL, NULL, NULL, 36.13)"))
    alembic(engine, "upgrade", "head")

    columns = {col["name"] for col in inspect(engine).get_columns("county_assessments")}
    assert not {"data_accuracy_score", "dispatch_satisfaction_score"} & columns and "answer_rate" in columns
    with engine.connect() as c:
        moved = c.execute(text("SELECT platform, unit_id, month, input, score, entered_by FROM entered_scores "
                               "ORDER BY platform, input")).all()
        assert c.execute(text("SELECT answer_rate FROM county_assessments WHERE platform = 'shaoshan'")).scalar() == 94.61
    assert [tuple(r) for r in moved] == [
        ("shaoshan", None, "2022-10", "entered.data_accuracy", 30.0, "migration-0005"),
        ("shaoshan", None, "2022-10", "entered.dispatch_contact", 29.5, "migration-0005"),
        ("shaoshan", None, "2022-10", "entered.dispatch_on_time", 30.0, "migration-0005"),
        ("shaoshan", None, "2022-10", "entered.dispatch_satisfaction", 38.89, "migration-0005"),
        ("xiangxiang", None, "2022-10", "entered.dispatch_satisfaction", 36.13, "migration-0005"),  # NULLs stay unentered
    ]

    with engine.begin() as c:  # a county month entered after the upgrade, without provincial figures
        c.execute(text("INSERT INTO entered_scores (month, platform, input, score, entered_by, entered_at) "
                       "VALUES ('2022-11', 'xiangxiang', 'entered.data_accuracy', 28, 'cli', '2022-12-01 09:00:00')"))
    alembic(engine, "downgrade", "0002")
    assert "entered_scores" not in inspect(engine).get_table_names()
    with engine.connect() as c:
        back = c.execute(text("SELECT platform, month, data_accuracy_score, dispatch_on_time_score, "
                              "dispatch_contact_score, dispatch_satisfaction_score FROM county_assessments "
                              "ORDER BY month, platform")).all()
    assert [tuple(r) for r in back] == [("shaoshan", "2022-10", 30.0, 30.0, 29.5, 38.89),
                                        ("xiangxiang", "2022-10", None, None, None, 36.13),
                                        ("xiangxiang", "2022-11", 28.0, None, None, None)]
    engine.dispose()
