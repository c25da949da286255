"""A JSON response for the hot paths, built straight from the service's dicts.

Why: FastAPI validates a returned dict against the response model and re-encodes it; for a transition that was
a third of the request's CPU. The routes keep `response_model` (the OpenAPI contract, checked by the schemathesis
run and the API tests) and return this response, whose content the service already shaped to that model.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from fastapi.responses import Response


def _default(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def fast_json(content: Any, status_code: int = 200) -> Response:
    body = json.dumps(content, ensure_ascii=False, default=_default, separators=(",", ":")).encode("utf-8")
    return Response(body, status_code=status_code, media_type="application/json")
