from web.staff.passwords import hash_password, verify_password


def test_a_hash_verifies_its_password_only():
    stored = hash_password("correct horse battery staple")
    assert stored.startswith("scrypt$")
    assert verify_password("correct horse battery staple", stored)
    assert not verify_password("correct horse battery stapler", stored)


def test_two_hashes_of_one_password_differ_by_salt():
    assert hash_password("same password") != hash_password("same password")


def test_malformed_stored_hashes_never_verify():
    for stored in ("", "plain-text", "md5$abc", "scrypt$x$y$z$salt$digest", "scrypt$1$2$3$$"):
        assert not verify_password("anything", stored)
