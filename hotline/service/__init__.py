"""The work-order service: the ticket lifecycle on the Chinese working-day calendar, over the canonical store.

The lifecycle (`hotline/data/lifecycle.yaml`) and the SLA rules (`hotline/data/sla.yaml`) are data; this package
checks them when loaded and executes them transactionally, one `ticket_events` row per step, so that every metric
the report computes can be re-derived from what the service wrote. The HTTP layer lives in `hotline.api`.
"""
