"""Field rules: each format refuses what nobody means to type and tidies what they did."""

from __future__ import annotations

import typing

import pytest

from assetmap.field_rules import DEFAULT_MAX_LENGTH, FORMAT_RULES, FieldProblem, check_text
from assetmap.layers import FieldFormat, FieldSpec

TEXT = FieldSpec(name="name")
NOTES = FieldSpec(name="notes", format="multiline")
FACILITIES = FieldSpec(name="accessibility", format="facilities",
                       choices=("step_free", "hearing_loop", "parking"))


def refused(spec: FieldSpec, value: str, format_: FieldFormat | None = None) -> FieldProblem:
    with pytest.raises(FieldProblem) as raised:
        check_text(spec, value, format_)
    assert raised.value.problem and raised.value.fix
    return raised.value


def test_every_declared_format_has_a_rule_and_a_length_limit() -> None:
    formats = set(typing.get_args(FieldFormat))
    assert set(FORMAT_RULES) == formats
    assert set(DEFAULT_MAX_LENGTH) == formats


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("Ashby\x00 Hall", "NUL character (U+0000)"),
        ("Ashby\x07Hall", "control character (U+0007)"),
        ("\u202eLLAH YBHSA", "text-direction control (U+202E)"),
        ("Ashby \u2067Hall", "text-direction control (U+2067)"),
        ("\u200b\u200c\u200d\ufeff", "only invisible characters"),
        ("Ashby\nHall", "a line break"),
        ("Ashby\tHall", "control character (U+0009)"),
        ("x" * 1_000_000, "1,000,000 characters long (at most 200)"),
        ("broken \ud800 text", "unpaired surrogate"),
    ],
)
def test_one_line_text_refuses_what_nobody_types(value: str, says: str) -> None:
    assert says in refused(TEXT, value).problem


def test_text_is_trimmed_and_blank_is_empty_but_html_and_formulas_are_kept() -> None:
    assert check_text(TEXT, "  Ashby Hall \r\n") == "Ashby Hall"
    assert check_text(TEXT, "   ") is None
    assert check_text(TEXT, "<b>Hall</b>") == "<b>Hall</b>"
    assert check_text(TEXT, "=1+1") == "=1+1"
    assert check_text(TEXT, "Caf\u0065\u0301") == "Caf\u00e9"  # NFC
    assert check_text(TEXT, "Zoë's \u200dhall") == "Zoë's \u200dhall"  # a joiner among letters


def test_multiline_text_keeps_line_breaks_and_tabs_but_not_other_controls() -> None:
    assert check_text(NOTES, "Line one\r\n\tLine two") == "Line one\n\tLine two"
    assert "control character (U+001B)" in refused(NOTES, "a\x1bb").problem
    assert "text-direction" in refused(NOTES, "a\u202db").problem
    assert "2,000" in refused(NOTES, "x" * 2_001).problem
    assert check_text(FieldSpec(name="notes", format="multiline", max_length=10), "x" * 10)


@pytest.mark.parametrize("value", ["../../etc/passwd", "a/b", "a..b", "-start", "has space",
                                   "a:b", "percent%2F", "quote'"])
def test_ids_refuse_anything_unsafe_in_a_web_address(value: str) -> None:
    assert "not a usable id" in refused(TEXT, value, "id").problem


def test_ids_are_at_most_64_characters() -> None:
    assert "at most 64" in refused(TEXT, "x" * 65, "id").problem


def test_ids_accept_codes_and_slugs() -> None:
    for value in ("ashby-village-hall", "E04000001", "lib-42", "osm-node-123", "a_b.c", "x" * 64):
        assert check_text(TEXT, value, "id") == value


@pytest.mark.parametrize("value", ["javascript:alert(1)", "data:text/html,x", "ftp://x.org/",
                                   "www.example.org", "https://", "https://localhost/",
                                   "https://user:pw@x.org/", "https://x.org:port/",
                                   "https://exa mple.org", "http://-bad-.org/"])
def test_websites_must_be_http_or_https_with_a_host(value: str) -> None:
    refused(FieldSpec(name="website", format="url"), value)


def test_websites_are_kept_as_typed() -> None:
    url = FieldSpec(name="website", format="url")
    assert check_text(url, "https://www.ashby-hall.org.uk/book?x=1#top") == (
        "https://www.ashby-hall.org.uk/book?x=1#top")
    assert check_text(url, "HTTP://Café.example/") == "HTTP://Café.example/"


@pytest.mark.parametrize("value", ["nobody", "a@b", "a@@b.org", "a b@x.org", "a@x..org",
                                   ".a@x.org", "a.@x.org", "a@-x.org", "<a@x.org>",
                                   "a@x.org, b@y.org", "a@x.1"])
def test_emails_are_checked_for_real(value: str) -> None:
    refused(FieldSpec(name="email", format="email"), value)


def test_emails_keep_their_local_part_and_lower_case_the_domain() -> None:
    email = FieldSpec(name="email", format="email")
    assert check_text(email, "Bookings.Team+hall@Ashby-Hall.ORG.uk") == (
        "Bookings.Team+hall@ashby-hall.org.uk")
    assert check_text(email, "o'brien@example.org") == "o'brien@example.org"


def test_postcodes_are_normalised_and_half_postcodes_refused() -> None:
    postcode = FieldSpec(name="postcode", format="postcode")
    assert check_text(postcode, "lz1 0rx") == "LZ1 0RX"
    assert check_text(postcode, "le671ab") == "LE67 1AB"
    assert "not a full UK postcode" in refused(postcode, "LE7").problem


def test_phones_are_digits_and_punctuation_of_a_plausible_length() -> None:
    phone = FieldSpec(name="phone", format="phone")
    assert check_text(phone, "+44 (0)116  496 0123") == "+44 (0)116 496 0123"
    assert "not a telephone number" in refused(phone, "call us").problem
    assert "7 to 15" in refused(phone, "0116").problem
    assert "not a telephone number" in refused(phone, "0116;DROP").problem


def test_facilities_are_a_tidy_list_of_declared_choices() -> None:
    assert check_text(FACILITIES, " step_free ; parking;;step_free") == "step_free;parking"
    problem = refused(FACILITIES, "step_free;wifi")
    assert "'wifi'" in problem.problem and "step_free, hearing_loop, parking" in problem.fix
    assert check_text(FACILITIES, " ; ") is None


def test_declared_length_limits_replace_the_defaults() -> None:
    short = FieldSpec(name="code", max_length=5)
    assert check_text(short, "12345") == "12345"
    assert "at most 5" in refused(short, "123456").problem


def test_formats_belong_to_text_fields() -> None:
    with pytest.raises(ValueError, match="apply to str fields"):
        FieldSpec(name="population", type="int", format="text")
