"""API settings from the environment (pydantic-settings): `HOTLINE_DB`, `HOTLINE_HOST`, `HOTLINE_PORT`, …

The same `HOTLINE_DB` variable the CLI reads, so `hotline serve` and `hotline report` see the same store.
"""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict

from hotline.store.db import DEFAULT_URL


class ApiSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HOTLINE_", extra="ignore")

    db: str = DEFAULT_URL
    host: str = "127.0.0.1"
    port: int = 8345
    report_cache_size: int = 16
    token_cache_seconds: float = 10.0  # a token revoked from the CLI stops working within this many seconds
    create_store: bool = False  # create an empty store (with the reference registries) when none exists
