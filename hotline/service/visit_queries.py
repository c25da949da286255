"""Reading return visits (回访): the listing by month, unit and result — scoped and masked by role.

Why beside ticket_queries.py and not in the router: a liaison sees only its unit's tickets, and a visit's note is
the citizen's words (phone and ID numbers masked by role); both rules live in the service, so no way of reading
visits can skip them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from hotline.domain.masking import scrub_text
from hotline.service.context import Principal
from hotline.service.paging import paged
from hotline.service.periods import month_window
from hotline.store.schema import return_visits, tickets

MAX_PAGE_SIZE = 200


def search(conn: Connection, principal: Principal, *, month: str | None = None, unit_id: int | None = None,
           result: str | None = None, page: int = 1, page_size: int = 50) -> dict[str, Any]:
    """Visits newest first, one page of them, with the notes masked for `principal`'s role."""
    q = select(return_visits).join(tickets, tickets.c.id == return_visits.c.ticket_id)
    if principal.role == "liaison":
        q = q.where(tickets.c.unit_id == principal.unit_id)
    window = month_window(month)
    if window:
        q = q.where(return_visits.c.visited_at >= window[0], return_visits.c.visited_at < window[1])
    if unit_id is not None:
        q = q.where(tickets.c.unit_id == unit_id)
    if result:
        q = q.where(return_visits.c.result == result)
    return paged(conn, q, (return_visits.c.visited_at.desc(), return_visits.c.id.desc()), page, page_size,
                 max_size=MAX_PAGE_SIZE, shape=lambda r: {**r, "note": scrub_text(r["note"], principal.role)})
