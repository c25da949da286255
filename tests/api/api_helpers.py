"""Constants shared by the API tests (a uniquely named module: conftest modules are not importable by name)."""

UNIT_A, UNIT_B = 9, 16  # 市公安局, 市城管局 (附件1 order in units.yaml)
