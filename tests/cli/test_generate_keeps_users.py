"""`hotline generate --force` replaces the demo data but keeps the service's users, API tokens and audit log.

On SQLite the new file is built beside the old one and the people are carried over; on PostgreSQL the tables are
replaced in place, in one transaction. A kept user whose unit the new data lacks stops the regeneration with a
Chinese + English message naming the user, and nothing is changed; `--reset-users` is the old behaviour.
"""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from hotline.cli.main import app
from hotline.service.auth import authenticate
from hotline.service.devstore import make_user
from hotline.service.transactions import service_engine
from hotline.store.schema import api_tokens, audit_log, tickets, units, users

runner = CliRunner()


def dataset(unit_ids=(1, 2), n_tickets=2):
    """A few rows of every table the generator fills that the CLI reads back."""
    at = datetime(2022, 10, 10, 9)
    return SimpleNamespace(tables={
        "platforms": [dict(code="city", name="市平台", level="city")],
        "units": [dict(id=u, name=f"单位{u}", unit_group="city_dept", region=None, platform=None, sort_order=u)
                  for u in unit_ids],
        "categories": [dict(id=1, name="大类一", sort_order=0)],
        "subcategories": [dict(id=1, category_id=1, name="小类A", short_name="A", topic="A", civility_theme=None,
                               sort_order=0)],
        "tickets": [dict(id=i, ticket_no=f"221010{i:05d}099", platform="city", accepted_at=at, channel="phone",
                         appeal_type="consult", subcategory_id=1, region="市本级", civility=False, content="内容",
                         caller_name=None, caller_phone=None, resolution="dispatched", unit_id=unit_ids[0],
                         state="dispatched") for i in range(1, n_tickets + 1)],
        "ticket_events": [dict(id=i, ticket_id=i, kind="accept", at=at, actor="op", unit_id=None, from_state=None,
                               to_state="dispatched", due_at=None, note=None) for i in range(1, n_tickets + 1)],
        "calls": [dict(id=1, platform="city", called_at=at, answered=True, wait_seconds=5, talk_seconds=60)],
    })


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'hotline.sqlite'}"
        return
    from sqlalchemy import create_engine, text

    from hotline.service.devstore import drop_postgres

    url = "postgresql+psycopg://postgres@127.0.0.1:5432/hotline_generate_test"
    try:
        drop_postgres(url)
        admin = create_engine("postgresql+psycopg://postgres@127.0.0.1:5432/test", isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text('CREATE DATABASE "hotline_generate_test"'))
        admin.dispose()
    except Exception as exc:  # no server here: say so, loudly (as tests/conftest.py does)
        pytest.skip(f"SKIPPED LOUDLY: PostgreSQL at 127.0.0.1:5432 is not reachable ({type(exc).__name__}); "
                    "generate --force on PostgreSQL was NOT tested")
    yield url
    drop_postgres(url)


def generate(monkeypatch, url, data, *extra):
    monkeypatch.setattr("hotline.generator.build.build_dataset", lambda seed=None: data)
    return runner.invoke(app, ["--db", url, "generate", "--force", *extra])


def counts(url):
    engine = service_engine(url, upgrade=False)
    try:
        with engine.connect() as c:
            return {t.name: c.execute(select(func.count()).select_from(t)).scalar()
                    for t in (users, api_tokens, audit_log, tickets, units)}
    finally:
        engine.dispose()


def who(url, token):
    engine = service_engine(url, upgrade=False)
    try:
        with engine.connect() as c:
            return authenticate(c, token)
    finally:
        engine.dispose()


def test_regenerating_keeps_users_tokens_and_audit(monkeypatch, db_url):
    first = generate(monkeypatch, db_url, dataset())
    assert first.exit_code == 0, first.output
    engine = service_engine(db_url, upgrade=False)
    _, op_token = make_user(engine, "op1", "operator")
    _, li_token = make_user(engine, "li1", "liaison", 2)
    engine.dispose()
    before = counts(db_url)
    assert before["users"] == 2 and before["audit_log"] == 4  # user.add + token.issue, twice

    again = generate(monkeypatch, db_url, dataset(n_tickets=3))
    assert again.exit_code == 0, again.output
    assert "保留用户 2 个" in again.output
    after = counts(db_url)
    assert after["tickets"] == 3  # the data is new …
    people = ("users", "api_tokens", "audit_log")
    assert {k: after[k] for k in people} == {k: before[k] for k in people}
    assert who(db_url, op_token).username == "op1"  # … and nobody is locked out
    li = who(db_url, li_token)
    assert (li.username, li.role, li.unit_id) == ("li1", "liaison", 2)


def test_a_kept_user_whose_unit_disappears_stops_the_regeneration(monkeypatch, db_url):
    assert generate(monkeypatch, db_url, dataset()).exit_code == 0
    engine = service_engine(db_url, upgrade=False)
    _, li_token = make_user(engine, "li2", "liaison", 2)
    engine.dispose()
    before = counts(db_url)

    r = generate(monkeypatch, db_url, dataset(unit_ids=(1, 3), n_tickets=3))
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output
    for needle in ("错误", "error", "li2", "units.id=2", "未做任何修改", "nothing was changed", "--reset-users"):
        assert needle in r.output, (needle, r.output)
    assert counts(db_url) == before  # the old data and the user are untouched
    assert who(db_url, li_token).username == "li2"

    reset = generate(monkeypatch, db_url, dataset(unit_ids=(1, 3), n_tickets=3), "--reset-users")
    assert reset.exit_code == 0, reset.output
    after = counts(db_url)
    assert (after["users"], after["api_tokens"], after["audit_log"], after["tickets"]) == (0, 0, 0, 3)
    assert who(db_url, li_token) is None
