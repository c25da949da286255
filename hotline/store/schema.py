"""The canonical schema, defined once.

Every source (our own work-order service, imported vendor exports, the seeded generator) writes these
tables, and every metric reads them. SQLAlchemy Core metadata is the single definition: Alembic
migrations are generated from it and `docs/schema.md` documents each column (a test keeps the two in step).

Design rules:
- Codes are English (see GLOSSARY.md); their lists and the Chinese words users read are the domain's
  vocabulary (`hotline.domain.codes`, from `hotline/data/codes.yaml`); unit and category names live in registries.
- Durations and on-time status are *derived* from `ticket_events`; the only stored deadline is the one the
  dispatch (or an approved extension) recorded at the time, because the working-day calendar that produced it
  is part of the event, not of later queries.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from hotline.domain.codes import (
    APPEAL_TYPES,
    EVENT_KINDS,
    PLATFORM_LEVELS,
    RESOLUTIONS,
    ROLES,
    UNIT_GROUPS,
    VISIT_METHODS,
    VISIT_RESULTS,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


platforms = Table(
    "platforms",
    metadata,
    Column("code", String(32), primary_key=True, comment="平台代码：city 或县市代码"),
    Column("name", String(64), nullable=False, comment="平台名称"),
    Column("level", String(8), nullable=False, comment="city / county"),
    CheckConstraint(_in("level", PLATFORM_LEVELS), name="level"),
)

units = Table(
    "units",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(64), nullable=False, unique=True, comment="承办单位名称（附件1 的写法）"),
    Column("unit_group", String(16), nullable=False, comment="单位类别"),
    Column("region", String(16), comment="县市区（仅县市区、园区单位）"),
    Column("platform", String(32), ForeignKey("platforms.code"), comment="该县市自有平台"),
    Column("sort_order", Integer, nullable=False, comment="附件1 同量时的次序"),
    CheckConstraint(_in("unit_group", UNIT_GROUPS), name="unit_group"),
)

unit_aliases = Table(
    "unit_aliases",
    metadata,
    Column("alias", String(64), primary_key=True, comment="别名（如 湘潭市公安局）"),
    Column("unit_id", Integer, ForeignKey("units.id"), nullable=False),
)

categories = Table(
    "categories",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(64), nullable=False, unique=True, comment="诉求大类"),
    Column("sort_order", Integer, nullable=False),
)

subcategories = Table(
    "subcategories",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("category_id", Integer, ForeignKey("categories.id"), nullable=False),
    Column("name", String(64), nullable=False, unique=True, comment="诉求小类"),
    Column("short_name", String(64), nullable=False, comment="图表简称"),
    Column("topic", String(64), nullable=False, comment="热点事项名称"),
    Column("civility_theme", String(32), comment="文明创建主题"),
    Column("sort_order", Integer, nullable=False),
)

tickets = Table(
    "tickets",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("ticket_no", String(64), nullable=False, unique=True, comment="事件编号（格式见城市配置）"),
    Column("platform", String(32), ForeignKey("platforms.code"), nullable=False, comment="受理平台"),
    Column("accepted_at", DateTime, nullable=False, comment="受理时间"),
    Column("channel", String(32), nullable=False, comment="受理渠道"),
    Column("appeal_type", String(16), nullable=False, comment="诉求类型"),
    Column("subcategory_id", Integer, ForeignKey("subcategories.id"), nullable=False, comment="诉求小类"),
    Column("region", String(16), nullable=False, comment="诉求发生地（县市区或 市本级）"),
    Column("civility", Boolean, nullable=False, default=False, comment="涉及文明创建"),
    Column("content", Text, nullable=False, comment="诉求内容"),
    Column("caller_name", String(32), comment="来电人（已脱敏）"),
    Column("caller_phone", String(16), comment="来电号码（已脱敏）"),
    Column("resolution", String(16), nullable=False, comment="online 在线办结 / dispatched 派发"),
    Column("unit_id", Integer, ForeignKey("units.id"), comment="当前（最终）承办单位"),
    Column("state", String(24), nullable=False, comment="工单状态"),
    CheckConstraint(_in("appeal_type", APPEAL_TYPES), name="appeal_type"),
    CheckConstraint(_in("resolution", RESOLUTIONS), name="resolution"),
    CheckConstraint("length(ticket_no) BETWEEN 1 AND 64", name="ticket_no_len"),
)
Index("ix_tickets_accepted_at", tickets.c.accepted_at)
Index("ix_tickets_unit", tickets.c.unit_id)

ticket_events = Table(
    "ticket_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("ticket_id", Integer, ForeignKey("tickets.id"), nullable=False),
    Column("kind", String(24), nullable=False, comment="事件类型"),
    Column("at", DateTime, nullable=False, comment="发生时间"),
    Column("actor", String(64), nullable=False, comment="操作人"),
    Column("unit_id", Integer, ForeignKey("units.id"), comment="涉及单位"),
    Column("from_state", String(24), comment="原状态"),
    Column("to_state", String(24), comment="新状态"),
    Column("due_at", DateTime, comment="本事件确定的办理时限（派发/延期批准）"),
    Column("note", Text, comment="说明（反馈内容、退单理由等）"),
    CheckConstraint(_in("kind", EVENT_KINDS), name="kind"),
)
Index("ix_ticket_events_ticket", ticket_events.c.ticket_id)
Index("ix_ticket_events_kind_at", ticket_events.c.kind, ticket_events.c.at)

return_visits = Table(
    "return_visits",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("ticket_id", Integer, ForeignKey("tickets.id"), nullable=False),
    Column("visited_at", DateTime, nullable=False, comment="回访时间"),
    Column("method", String(8), nullable=False, comment="回访方式"),
    Column("result", String(20), nullable=False, comment="回访结果"),
    Column("note", Text),
    CheckConstraint(_in("method", VISIT_METHODS), name="method"),
    CheckConstraint(_in("result", VISIT_RESULTS), name="result"),
)
Index("ix_return_visits_ticket", return_visits.c.ticket_id)
Index("ix_return_visits_visited_at", return_visits.c.visited_at)

calls = Table(
    "calls",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("platform", String(32), ForeignKey("platforms.code"), nullable=False, comment="接听平台"),
    Column("called_at", DateTime, nullable=False, comment="来电时间"),
    Column("answered", Boolean, nullable=False, comment="是否接通"),
    Column("wait_seconds", Integer, nullable=False, comment="等待时长（秒）"),
    Column("talk_seconds", Integer, nullable=False, comment="通话时长（秒）"),
)
Index("ix_calls_called_at", calls.c.called_at)

county_assessments = Table(
    "county_assessments",
    metadata,
    Column("platform", String(32), ForeignKey("platforms.code"), primary_key=True),
    Column("month", String(7), primary_key=True, comment="考核月份 YYYY-MM"),
    Column("answer_rate", Float, comment="接通率（省监管平台）"),
    Column("online_resolution_rate", Float, comment="在线办结率（省监管平台）"),
    Column("on_time_rate", Float, comment="按时办结率（省监管平台）"),
    Column("visit_rate", Float, comment="回访率（省监管平台）"),
    Column("satisfaction_rate", Float, comment="满意率（省监管平台）"),
)

# Scores the office enters by hand for an assessment scheme's `entered.*` inputs (数据准确度, 交办工单 sub-scores,
# 答复规范 deductions…), for a county platform or a handling unit, one per month, subject and input; entering
# again replaces the score (the audit log keeps the history). Exactly one of `platform` / `unit_id` is set; the
# two unique constraints each cover one kind of subject (NULLs are distinct in both SQLite and PostgreSQL).
entered_scores = Table(
    "entered_scores",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("month", String(7), nullable=False, comment="考核月份 YYYY-MM"),
    Column("platform", String(32), ForeignKey("platforms.code"), comment="被考核的县级平台（县级方案）"),
    Column("unit_id", Integer, ForeignKey("units.id"), comment="被考核的承办单位（单位方案）"),
    Column("input", String(64), nullable=False, comment="方案中的录入项名称（entered.*）"),
    Column("score", Float, nullable=False, comment="录入得分"),
    Column("note", Text, comment="说明（如扣分理由）"),
    Column("entered_by", String(64), nullable=False, comment="录入人"),
    Column("entered_at", DateTime, nullable=False, comment="录入时间"),
    CheckConstraint("(platform IS NULL) <> (unit_id IS NULL)", name="one_subject"),
    UniqueConstraint("month", "platform", "input"),
    UniqueConstraint("month", "unit_id", "input"),
)

test_calls = Table(
    "test_calls",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("platform", String(32), ForeignKey("platforms.code"), nullable=False, comment="被拨测平台"),
    Column("called_at", DateTime, nullable=False, comment="拨测时间"),
    Column("wait_seconds", Integer, nullable=False, comment="等待接通时长（秒）"),
    Column("voice_navigation", Float, nullable=False, comment="语音导航（10 分）"),
    Column("connection", Float, nullable=False, comment="接通情况（10 分）"),
    Column("service_norms", Float, nullable=False, comment="服务规范（40 分）"),
    Column("knowledge", Float, nullable=False, comment="业务知识（30 分）"),
    Column("visit_service", Float, nullable=False, comment="回访服务（10 分）"),
    Column("remark", Text, comment="评审意见"),
)

spot_checks = Table(
    "spot_checks",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("month", String(7), nullable=False, comment="抽查月份 YYYY-MM"),
    Column("ticket_no", String(64), nullable=False, comment="事件编号"),
    Column("unit_name", String(64), nullable=False, comment="承办单位"),
    Column("content", Text, nullable=False, comment="事件内容"),
    Column("feedback", Text, nullable=False, comment="反馈结果"),
    Column("outcome", String(20), nullable=False, comment="dissatisfied 不满意 / not_contacted 未联系"),
)

kb_entries = Table(
    "kb_entries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("title", String(200), nullable=False, comment="知识标题"),
    Column("body", Text, nullable=False, comment="答复口径"),
    Column("subcategory_id", Integer, ForeignKey("subcategories.id"), comment="适用小类"),
    Column("owner_unit_id", Integer, ForeignKey("units.id"), nullable=False, comment="提供（负责更新）单位"),
    Column("updated_at", DateTime, nullable=False, comment="最近更新时间"),
    Column("review_days", Integer, nullable=False, comment="应复核周期（天）"),
)

leader_days = Table(
    "leader_days",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("day", Date, nullable=False, comment="接听日期"),
    Column("person", String(32), nullable=False, comment="接听领导"),
    Column("title", String(64), nullable=False, comment="职务"),
    Column("unit_id", Integer, ForeignKey("units.id"), nullable=False),
    Column("calls_answered", Integer, nullable=False, comment="接听来电数"),
    Column("topics", Text, nullable=False, comment="涉及问题（、分隔）"),
)


# ---- the work-order service (hotline/service, hotline/api) ------------------------------------------------
# These tables belong to our own service. They sit beside the canonical tables instead of adding columns to
# them, because importers and the generator write `tickets` without knowing about locks, logins or raw contacts.

ticket_versions = Table(
    "ticket_versions",
    metadata,
    Column("ticket_id", Integer, ForeignKey("tickets.id"), primary_key=True),
    Column("version", Integer, nullable=False, comment="乐观锁版本号（每次流转加 1）"),
    Column("updated_at", DateTime, nullable=False, comment="最近流转时间"),
)

ticket_contacts = Table(
    "ticket_contacts",
    metadata,
    Column("ticket_id", Integer, ForeignKey("tickets.id"), primary_key=True),
    Column("phone", String(32), comment="来电人完整联系电话"),
    Column("id_number", String(18), comment="来电人身份证号码"),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), nullable=False, unique=True, comment="登录名"),
    Column("display_name", String(64), nullable=False, comment="姓名"),
    Column("role", String(16), nullable=False, comment="角色"),
    Column("unit_id", Integer, ForeignKey("units.id"), comment="所属承办单位（联络员必填）"),
    Column("active", Boolean, nullable=False, comment="是否启用"),
    Column("created_at", DateTime, nullable=False, comment="创建时间"),
    CheckConstraint(_in("role", ROLES), name="role"),
    CheckConstraint("role <> 'liaison' OR unit_id IS NOT NULL", name="liaison_unit"),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True, comment="令牌的 SHA-256 摘要"),
    Column("label", String(64), comment="用途说明"),
    Column("created_at", DateTime, nullable=False, comment="签发时间"),
    Column("revoked_at", DateTime, comment="吊销时间"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime, nullable=False, comment="发生时间"),
    Column("user_id", Integer, ForeignKey("users.id"), comment="操作用户"),
    Column("actor", String(64), nullable=False, comment="操作人"),
    Column("action", String(48), nullable=False, comment="操作"),
    Column("entity", String(32), nullable=False, comment="对象类型"),
    Column("entity_id", String(32), comment="对象 ID"),
    Column("detail", Text, comment="变更内容（JSON）"),
)
Index("ix_audit_log_entity", audit_log.c.entity, audit_log.c.entity_id)
Index("ix_audit_log_at", audit_log.c.at)

# ---- the store's city profile (hotline/domain/profile.py) ------------------------------------------------------
# One row: the profile the store was made from, with every file it names inlined, so that the report, the import,
# the scoring and the service of this store read the same city's rules wherever they run.

store_profile = Table(
    "store_profile",
    metadata,
    Column("id", Integer, primary_key=True, comment="行号（恒为 1）"),
    Column("name", String(64), nullable=False, comment="配置名称"),
    Column("city", String(64), nullable=False, comment="城市"),
    Column("document", Text, nullable=False, comment="城市配置（JSON）"),
    Column("loaded_at", DateTime, nullable=False, comment="写入时间"),
    CheckConstraint("id = 1", name="single_row"),
)
