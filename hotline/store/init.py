"""Making an empty store from a city profile (`hotline init --profile`): schema, the profile, its registries.

Why here: a new city starts from nothing — no demo data, no Xiangtan units. The store it gets holds its profile
(`store_profile`, every file inlined) and the rows of whatever registries the profile gives (platforms always; units
and the taxonomy if it lists them, else they are learned from imports), written in one transaction: a failure leaves
no half-made store. An existing store is not overwritten unless asked (`force`), because that drops its data.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from hotline.domain.profile import Profile
from hotline.store.db import StoreError, migrate, open_engine, sqlite_path, sync_sequences
from hotline.store.load import write_dataset
from hotline.store.profile import profile_row
from hotline.store.reference import reference_rows
from hotline.store.schema import tickets

SUBJECT_WORDS = {"county": "县级平台", "unit": "承办单位"}


class InitError(StoreError):
    """The store cannot be made as asked; nothing was changed."""


def init_store(url: str, profile: Profile, *, force: bool = False, now: datetime | None = None) -> list[str]:
    """Make the store at `url` an empty store of `profile`; returns what it holds, as lines for people."""
    path = sqlite_path(url)
    engine = open_engine(url, create=True)
    try:
        migrate(engine)
        with engine.connect() as conn:
            held = conn.execute(select(func.count()).select_from(tickets)).scalar()
        if held and not force:
            where = path or url
            raise InitError(f"数据库 {where} 已有 {held:,} 件工单，未做任何修改；确要清空重建请加 --force / "
                            f"the store already holds tickets; nothing was changed (use --force to rebuild it)")
        rows = reference_rows(profile)
        rows["store_profile"] = [profile_row(profile, (now or datetime.now()).replace(microsecond=0))]
        write_dataset(engine, rows)  # every table emptied, these written, in one transaction
        if engine.dialect.name == "postgresql":
            sync_sequences(engine)
    finally:
        engine.dispose()
    taxonomy = (f"诉求分类 {len(profile.categories)} 个大类、{len(profile.subcategories)} 个小类" if profile.categories
                else "诉求分类：开放（导入时按映射建立）")
    units = f"承办单位 {len(profile.units)} 家" if profile.units else "承办单位：导入时建立"
    counties = f"、县级平台 {len(profile.counties)} 个" if profile.counties else ""
    return [f"已按城市配置“{profile.name}”（{profile.city}）建立空库：{path or url}",
            f"  热线平台 {len(profile.platforms)} 个{counties}；{units}；{taxonomy}",
            f"  工作日历：{_calendar_words(profile)}；考核方案："
            f"{'、'.join(SUBJECT_WORDS[s] for s in profile.schemes) or '无（不出县级排名与红黑榜）'}；"
            f"报告措辞：{'配置所定' if profile.report else '默认'}"]


def _calendar_words(profile: Profile) -> str:
    if profile.calendar == "chinese":
        return "国务院节假日安排（含调休）"
    if profile.calendar == "weekdays":
        return "周一至周五"
    return "配置自带的节假日表"
