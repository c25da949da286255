"""Shared field types: bounded ints (PostgreSQL INTEGER) and text without NUL characters (PostgreSQL rejects them)."""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, Field

MAX_INT = 2_147_483_647
Id = Annotated[int, Field(ge=1, le=MAX_INT)]
T = TypeVar("T")


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("文本中不能包含 NUL 字符")
    return value


def text(max_length: int, min_length: int = 0):
    return Annotated[str, Field(min_length=min_length, max_length=max_length), AfterValidator(_no_nul)]


Month = Annotated[str, Field(pattern=r"^(19|20|21)\d{2}-(0[1-9]|1[0-2])$", examples=["2022-10"])]


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    page: int
    page_size: int


class Problem(BaseModel):
    """An error: `detail` is the message users read (Chinese)."""

    detail: str
    state: str | None = None
    version: int | None = None
