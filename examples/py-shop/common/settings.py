"""Configuration comes from the environment only; these helpers read it with defaults."""

import os


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None or value == "":
        raise RuntimeError(f"environment variable {name} is required")
    return value


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise RuntimeError(f"environment variable {name} must be an integer, got {raw!r}") from None
    if value < minimum:
        raise RuntimeError(f"environment variable {name} must be >= {minimum}, got {value}")
    return value


def env_switch(name: str, default: bool = True) -> bool:
    """`on`/`off` switches (also true/false, 1/0, yes/no)."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in ("on", "true", "1", "yes"):
        return True
    if value in ("off", "false", "0", "no"):
        return False
    raise RuntimeError(f"environment variable {name} must be on or off, got {raw!r}")
