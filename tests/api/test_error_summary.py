"""The shared GOV.UK error summary macro (web/templates/_error_summary.html)."""

from __future__ import annotations

from assetmap.maps.page import _templates

PAGE = _templates.from_string(
    '{% from "_error_summary.html" import error_summary, field_error, error_title, '
    "described_by %}"
    "<title>{{ error_title(errors) }}Your details</title>"
    "{{ error_summary(errors) }}"
    "{{ field_error('name', problem) }}"
    "<input aria-describedby=\"{{ described_by('name', hint=true, error=problem) }}\">"
)


def test_no_errors_renders_no_summary_and_no_prefix() -> None:
    html = PAGE.render(errors=[], problem="")
    assert html == '<title>Your details</title><input aria-describedby="name-hint">'


def test_errors_link_to_their_fields_and_the_summary_takes_the_focus() -> None:
    errors = [{"text": "Enter your name", "target": "name"}, {"text": "Try later", "target": ""}]
    html = PAGE.render(errors=errors, problem="Enter your name")
    assert html.startswith("<title>Error: Your details</title>")
    summary = html.split('<div class="sh-error-summary"', 1)[1]
    assert summary.startswith(' id="error-summary" tabindex="-1" autofocus')
    assert '<li><a href="#name">Enter your name</a></li>' in summary
    assert "<li>Try later</li>" in summary
    assert ('<p class="sh-error-message" id="name-error"><span class="sh-visually-hidden">'
            "Error:</span> Enter your name</p>") in html
    assert 'aria-describedby="name-hint name-error"' in html


def test_messages_are_escaped() -> None:
    html = PAGE.render(errors=[{"text": "<b>x</b>", "target": "a\"b"}], problem="<i>")
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html
    assert 'href="#a&#34;b"' in html and "&lt;i&gt;" in html
