"""The HTTP API of the work-order service (FastAPI). `create_app` in `hotline.api.app`; `hotline serve` runs it.

Thin by design: routers validate with pydantic, check the role, call `hotline.service`, and map its errors to
HTTP status codes; no rule of the lifecycle lives here, so the CLI, the SLA job and the API cannot drift apart.
"""
