"""The simulated card network: the token alone decides the outcome."""

APPROVE_TOKEN = "tok_approve"
DECLINE_TOKEN = "tok_decline"


def decide(token: str) -> str:
    """`approved` for tok_approve; every other token (tok_decline, unknown ones) is `declined`."""
    return "approved" if token == APPROVE_TOKEN else "declined"
