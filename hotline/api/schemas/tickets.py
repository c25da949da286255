"""Tickets: TicketCreate (受理), TicketPublic (list rows), TicketDetail (one ticket with history and actions)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from hotline.api.schemas.codes import AppealType, Route
from hotline.api.schemas.common import Id, text
from hotline.api.schemas.transitions import EventPublic
from hotline.api.schemas.visits import VisitPublic


class TicketCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    appeal_type: AppealType
    subcategory_id: Id
    content: text(4000, 1)
    platform: text(32, 1) = "city"
    channel: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=32,
                                  description="受理渠道代码：phone、web、wechat、app、mailbox 及城市配置增加的渠道")] = "phone"
    region: text(16) | None = None
    civility: bool = False
    caller_name: text(32) | None = None
    caller_phone: Annotated[str, Field(pattern=r"^[0-9+\-() ]{3,32}$")] | None = None
    id_number: Annotated[str, Field(pattern=r"^\d{17}[0-9Xx]$")] | None = None
    route: Route = Field("dispatch", description="online 话务员直接答复；dispatch 转派发")
    answer: text(4000, 1) | None = Field(None, description="route=online 时的答复内容：同一事务内在线办结")
    unit_id: Id | None = Field(None, description="route=dispatch 时直接派发给该承办单位")


class TicketPublic(BaseModel):
    id: int
    ticket_no: str
    platform: str
    accepted_at: datetime
    channel: str
    appeal_type: str
    category_id: int
    category: str
    subcategory_id: int
    subcategory: str
    region: str
    civility: bool
    content: str
    caller_name: str | None
    caller_phone: str | None = Field(description="已脱敏的来电号码")
    resolution: str
    unit_id: int | None
    unit: str | None
    state: str
    state_label: str
    version: int
    due_at: datetime | None
    signed_at: datetime | None
    hops: int
    returns: int
    overdue: bool


class ActionPublic(BaseModel):
    action: str
    label: str


class TicketDetail(TicketPublic):
    contact_phone: str | None = Field(description="完整联系电话（按角色脱敏）")
    id_number: str | None = Field(description="身份证号码（按角色脱敏）")
    events: list[EventPublic]
    visits: list[VisitPublic]
    actions: list[ActionPublic]

