"""Input field types. PostgreSQL text cannot hold U+0000, so every string a client sends is
checked here and a NUL is a 400, never a 500 from the database."""

from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain U+0000")
    return value


def Text(max_length: int):  # noqa: N802 - reads like a type in the models
    """A non-empty string without NUL characters, at most `max_length` long."""
    return Annotated[
        str,
        StringConstraints(min_length=1, max_length=max_length),
        AfterValidator(_no_nul),
    ]


Cents = Annotated[int, Field(ge=1, le=100_000_000, strict=True)]


def check_text(value: str, max_length: int) -> bool:
    """The same rule for headers and query parameters read by hand."""
    return 1 <= len(value) <= max_length and "\x00" not in value
