"""Idempotency fingerprints: the same request body always gives the same fingerprint, whatever
the order of its keys or its whitespace, so a retried request is recognised as the same one."""

import hashlib
import json
from typing import Any


def fingerprint(body: Any) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
