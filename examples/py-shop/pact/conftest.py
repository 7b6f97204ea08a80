"""Where the pact files go: $PACT_DIR, else examples/py-shop/pacts.

(This folder has no __init__.py on purpose: as a package named `pact` it would hide pact-python.)"""

import os
from pathlib import Path

import pytest

# Pact's libraries send anonymous usage statistics unless told not to; all traffic stays local.
os.environ.setdefault("PACT_DO_NOT_TRACK", "true")

DEFAULT_PACT_DIR = Path(__file__).resolve().parent.parent / "pacts"


@pytest.fixture(scope="session")
def pact_dir() -> Path:
    directory = Path(os.environ.get("PACT_DIR") or DEFAULT_PACT_DIR).resolve()
    directory.mkdir(parents=True, exist_ok=True)
    return directory


@pytest.fixture(scope="session")
def fresh_pact_file(pact_dir: Path):
    """Each test merges its interactions into the file; a run starts from an empty one."""

    def remove(consumer: str, provider: str) -> None:
        (pact_dir / f"{consumer}-{provider}.json").unlink(missing_ok=True)

    return remove
