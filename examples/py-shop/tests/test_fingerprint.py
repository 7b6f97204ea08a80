from common.fingerprint import fingerprint


def test_the_same_body_in_another_key_order_has_the_same_fingerprint() -> None:
    a = {"items": [{"sku": "A", "quantity": 1}], "amountCents": 100, "paymentToken": "tok_approve"}
    b = {"paymentToken": "tok_approve", "amountCents": 100, "items": [{"quantity": 1, "sku": "A"}]}
    assert fingerprint(a) == fingerprint(b)


def test_a_different_body_has_a_different_fingerprint() -> None:
    a = {"items": [{"sku": "A", "quantity": 1}], "amountCents": 100, "paymentToken": "tok_approve"}
    assert fingerprint(a) != fingerprint({**a, "amountCents": 101})
    assert fingerprint(a) != fingerprint({**a, "items": [{"sku": "A", "quantity": 2}]})
