from pathlib import Path

from hotline.metrics.docs import render_markdown
from hotline.metrics.engine import load_metrics


def test_metric_catalogue_is_current():
    doc = (Path(__file__).parents[2] / "docs" / "metrics.md").read_text(encoding="utf-8")
    assert doc == render_markdown(), "docs/metrics.md is stale: run python -m hotline.metrics.docs"
    for m in load_metrics().values():
        assert f"`{m.name}`" in doc and m.label in doc
