"""Reference data shipped with hotline: YAML files and text templates, read through `load_yaml`.

Nothing here interprets the files: the typed values made from them live in ``hotline.domain`` (codes, the
registries, the lifecycle, the SLA rules), the metric declarations in ``hotline.metrics``, the mappings in
``hotline.ingest``. This package is the bottom layer: it imports nothing of hotline.
"""

from __future__ import annotations

from importlib import resources

import yaml


def load_yaml(name: str):
    """Parse the shipped file ``hotline/data/<name>`` (a path below this folder, e.g. ``schemes/x.yaml``)."""
    return yaml.safe_load(resources.files(__package__).joinpath(name).read_text(encoding="utf-8"))
