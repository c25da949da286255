"""The closed code lists as request field types, taken from `hotline.domain.codes` (hotline/data/codes.yaml).

Why not hand-written `Literal[...]`s: the API, the service's checks, the store's CHECK constraints and the report
must accept the same codes; a list copied here would drift from codes.yaml the day a code is added. The OpenAPI
document shows each as an enum, in the order codes.yaml lists them. Channels are not among them: a city profile may
add its own (docs/profile.md), so the service checks them against the store's profile.
"""

from __future__ import annotations

from typing import Literal

from hotline.domain import codes
from hotline.service.intake import ROUTES

AppealType = Literal[codes.APPEAL_TYPES]
VisitResult = Literal[codes.VISIT_RESULTS]
VisitMethod = Literal[codes.VISIT_METHODS]
Role = Literal[codes.ROLES]
SpotCheckOutcome = Literal[codes.SPOT_CHECK_OUTCOMES]
Route = Literal[tuple(ROUTES)]
