"""One page of a listing: the rows of page `page` and how many there are in all, as every listing answers.

Why one function: the audit log and the return visits are paged the same way (count over the filtered query, then
the page in a fixed order) and must refuse the same bad page the same way; the ticket search, tuned for its
join, and the knowledge base, ranked in Python, check their pages with `check_page` too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Select, func, select

from hotline.service.errors import Invalid


def check_page(page: int, page_size: int, max_size: int) -> None:
    if page < 1 or not 1 <= page_size <= max_size:
        raise Invalid(f"分页参数有误：page ≥ 1，page_size 1–{max_size}")


def paged(conn: Connection, query: Select, order_by: tuple, page: int, page_size: int, *, max_size: int,
          shape: Callable[[dict], dict[str, Any]] = dict) -> dict[str, Any]:
    """{items, total, page, page_size} of `query` in `order_by` order; each row passed through `shape`."""
    check_page(page, page_size, max_size)
    total = conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = conn.execute(query.order_by(*order_by).limit(page_size).offset((page - 1) * page_size)).mappings()
    return {"items": [shape(dict(r)) for r in rows], "total": total, "page": page, "page_size": page_size}
