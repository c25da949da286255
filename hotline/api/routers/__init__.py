"""One router per resource, all mounted under /api by `hotline.api.app`."""
