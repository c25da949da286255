"""The work-order service: the ticket lifecycle on the Chinese working-day calendar, over the canonical store.

The lifecycle (`hotline/data/lifecycle.yaml`) and the SLA rules (`hotline/data/sla.yaml`) are data; this package
checks them when loaded and executes them transactionally, one `ticket_events` row per step, so that every metric
the report computes can be re-derived from what the service wrote. The HTTP layer lives in `hotline.api`.

Where things are:
- writing tickets: `workflow` (WorkOrderService: fire a transition), `intake` (accept an appeal), `guards` and
  `effects` (the named rules and side effects the lifecycle refers to), `context` (what they see);
- reading: `ticket_queries`, `visit_queries`, `paging`, `periods` (month filters);
- the office's other records: `kb` (knowledge base), `test_calls` (拨测), `spot_checks` (省抽查回访);
- people: `users`, `auth` (tokens), `audit` (the log every change writes);
- time: `sla_job` (催办 and the overdue backlog), `clock`;
- `reporting` (metrics and the report on the live store), `transactions` (engines, transactions, batches),
  `errors` (what the API maps to HTTP codes), `devstore` (throw-away stores for tests and benchmarks).
"""
