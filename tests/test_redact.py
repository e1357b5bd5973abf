import pytest

from smartmon.redact import MASK, redact

# Shapes of real tokens (random bodies): classic 36-character bodies and the fine-grained form.
TOKENS = [
    "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8",
    "gho_" + "Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp9Oo8",
    "ghu_" + "0123456789abcdefghijABCDEFGHIJ012345",
    "ghs_" + "abcdefghijklmnopqrstuvwxyz0123456789",
    "ghr_" + "1234567890ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "github_pat_11ABCDEFG0abcdefghijkl_" + "x" * 59,
]


@pytest.mark.parametrize("token", TOKENS)
def test_known_token_shapes_are_masked_keeping_the_prefix(token: str) -> None:
    text = f"fatal: could not push with {token} (exit 128)"
    out = redact(text)
    assert token not in out
    assert out.startswith("fatal: could not push with ")
    assert out.endswith(f"{MASK} (exit 128)")
    assert out.count(MASK) == 1


def test_short_prefixed_words_are_left_alone() -> None:
    text = "see ghp_docs and github_pat_help for details"
    assert redact(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Authorization: Bearer abc.def-123", "Authorization: Bearer ***"),
        ("authorization: token s3cr3t", "authorization: token ***"),
        ("AUTHORIZATION=Basic dXNlcjpwYXNz", "AUTHORIZATION=Basic ***"),
        (
            "{'Authorization': 'Bearer xyz', 'Accept': 'a'}",
            "{'Authorization': 'Bearer ***', 'Accept': 'a'}",
        ),
        ('{"authorization": "opaque"}', '{"authorization": "***"}'),
        # Inside JSON text: the escaped quote ends the value, and the JSON stays valid.
        ('"-H \\"Authorization: Bearer $T\\" -d x"', '"-H \\"Authorization: Bearer ***\\" -d x"'),
    ],
)
def test_authorization_header_values_are_masked(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_credentials_in_urls_are_masked() -> None:
    text = "git push https://x-access-token:v1.abcdef0123@github.com/o/r.git main"
    assert redact(text) == "git push https://x-access-token:***@github.com/o/r.git main"
    assert (
        redact("http://user:hunter2@127.0.0.1:8080/o/r.git")
        == "http://user:***@127.0.0.1:8080/o/r.git"
    )
    # A URL without userinfo and an email address are untouched.
    plain = "https://github.com/o/r/actions/runs/1 by dev@example.com"
    assert redact(plain) == plain


def test_given_secret_values_and_each_of_their_lines_are_masked() -> None:
    secret = "first-line-value\nsecond-line-value"
    text = f"whole: {secret}\nalone: second-line-value end"
    out = redact(text, secrets=[secret, None, ""])
    assert "first-line-value" not in out
    assert "second-line-value" not in out
    assert out == f"whole: {MASK}\nalone: {MASK} end"


def test_longer_secret_is_masked_whole_before_a_shorter_one_inside_it() -> None:
    out = redact("value=abc123abc123", secrets=["abc123", "abc123abc123"])
    assert out == f"value={MASK}"


def test_private_key_blocks_are_masked() -> None:
    block = "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nIBAAK\n-----END RSA PRIVATE KEY-----"
    out = redact(f"key:\n{block}\nafter")
    assert "MIIEow" not in out
    assert out.endswith("\nafter")


def test_text_without_secrets_is_unchanged() -> None:
    text = "##[error]Process completed with exit code 1.\nE   ModuleNotFoundError: No module named 'yaml'"
    assert redact(text, secrets=["not-present"]) == text
