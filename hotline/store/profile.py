"""The store's city profile: written once when a store is made, read by everything that works on the store.

Why in the store: the report, the import, the scoring and the work-order service of one store must follow the same
city's rules wherever they run — the office's laptop, the server, a colleague's copy — without a profile folder
travelling beside the database. The profile is kept with every file it names inlined (`Profile.document`).
A store without the row was made before profiles existed, when every store was Xiangtan's: it reads as `xiangtan`.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import Connection, Engine, delete, insert, select

from hotline.domain.profile import Profile, load_profile, profile_from_document
from hotline.store.schema import store_profile

SOURCE = "库中城市配置 store_profile"
DEFAULT = "xiangtan"  # what a store made before profiles is


def profile_row(profile: Profile, now: datetime) -> dict:
    """The `store_profile` row of `profile`."""
    document = json.dumps(profile.document, ensure_ascii=False, default=str)  # dates (holidays) as ISO text
    return {"id": 1, "name": profile.name, "city": profile.city, "document": document, "loaded_at": now}


def write_profile(conn: Connection, profile: Profile, now: datetime) -> None:
    """Make `profile` the store's (replacing any earlier one), in `conn`'s transaction."""
    conn.execute(delete(store_profile))
    conn.execute(insert(store_profile).values(**profile_row(profile, now)))


def read_profile(bind: Connection | Engine) -> Profile:
    """The store's profile (`xiangtan` for a store without one)."""
    query = select(store_profile.c.name, store_profile.c.document).where(store_profile.c.id == 1)
    if isinstance(bind, Engine):
        with bind.connect() as conn:
            row = conn.execute(query).first()
    else:
        row = bind.execute(query).first()
    return _profile(row.document if row else None, row.name if row else None)


def read_profile_ibis(con) -> Profile:
    """The same, through an Ibis connection (the metric engine's and the report's)."""
    if "store_profile" not in con.list_tables():  # a Parquet export made before profiles
        return load_profile(DEFAULT)
    rows = con.table("store_profile").select("name", "document").execute()
    if rows.empty:
        return load_profile(DEFAULT)
    return _profile(rows["document"].iloc[0], rows["name"].iloc[0])


def _profile(document: str | None, name: str | None) -> Profile:
    if document is None:
        return load_profile(DEFAULT)
    return profile_from_document(json.loads(document), f"{SOURCE}（{name}）")
