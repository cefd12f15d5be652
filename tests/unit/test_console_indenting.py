"""The call page shows a stored call's bodies indented, escaped, and never expands what a caller
declared; what it cannot read it shows as stored."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from boxoffice.console.indenting import indented
from boxoffice.console.pages import call_page
from boxoffice.console.ports import StoredCall
from boxoffice.console.redaction import MASK, MAX_STORED_CHARS, redact_body

REQUEST = (
    b'<?xml version="1.0" encoding="utf-8"?><soap:Envelope'
    b' xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><closeOrder>'
    b"<orderId>77</orderId><note>Th\xc3\xa9\xc3\xa2tre &amp; &lt;script&gt;</note>"
    b"<password>hunter2</password></closeOrder></soap:Body></soap:Envelope>"
)


def test_xml_is_indented_two_spaces_a_level_with_its_text_kept() -> None:
    assert indented(redact_body(REQUEST)) == (
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">\n'
        "  <soap:Body>\n"
        "    <closeOrder>\n"
        "      <orderId>77</orderId>\n"
        "      <note>Théâtre &amp; &lt;script&gt;</note>\n"
        f"      <password>{MASK}</password>\n"
        "    </closeOrder>\n"
        "  </soap:Body>\n"
        "</soap:Envelope>\n"
    )


def test_an_answer_stored_as_sent_is_indented_whatever_its_declaration_and_blank_text() -> None:
    stored = "<?xml version='1.0' encoding='UTF-8'?>\n<a>\n <b>é</b>  <c/></a>"
    assert redact_body(stored.encode()) == stored  # not parsed when stored
    assert indented(stored) == "<a>\n  <b>é</b>\n  <c/>\n</a>\n"


def test_json_is_indented_two_spaces() -> None:
    stored = redact_body(b'{"login": "A", "password": "s3", "ids": [1, 2]}')
    assert indented(stored) == json.dumps(
        {"login": "A", "password": MASK, "ids": [1, 2]}, indent=2, ensure_ascii=False
    )


def test_what_does_not_parse_was_cut_or_declares_a_doctype_is_shown_as_stored() -> None:
    broken = redact_body(b"<a><password>hunter2</password><b>unclosed")
    cut = redact_body(b"<a>" + b"<b>x</b>" * 50_000 + b"</a>")
    cut_json = redact_body(json.dumps(list(range(20_000))).encode())
    doctype = '<!DOCTYPE a [<!ENTITY e "expanded">]><a><b>&e;</b></a>'
    deep = "[" * 30_000 + "]" * 30_000
    for stored in (broken, cut, cut_json, doctype, '{"a": ', "plain text", "", deep):
        assert indented(stored) == stored
    assert len(cut) > MAX_STORED_CHARS and len(cut_json) > MAX_STORED_CHARS


def test_the_call_page_shows_both_bodies_indented_and_escaped() -> None:
    call = StoredCall(
        channel_id=1,
        login="RESELLER_A_WS",
        protocol="soap",
        service="OrderService",
        operation="closeOrder",
        outcome="success",
        http_status=200,
        started_at=datetime(2027, 1, 15, 10, 0, tzinfo=UTC),
        duration_seconds=0.012,
        order_id=77,
        request_body=redact_body(REQUEST),
        response_body=redact_body(b'{"orderId": 77, "state": "<img src=x onerror=alert(1)>"}'),
    )

    page = call_page(call)

    assert "\n      &lt;orderId&gt;77&lt;/orderId&gt;\n" in page
    assert "Théâtre &amp;amp; &amp;lt;script&amp;gt;" in page  # escaped twice: it was text
    assert f"&lt;password&gt;{MASK}&lt;/password&gt;" in page and "hunter2" not in page
    assert "{\n  &quot;orderId&quot;: 77,\n  &quot;state&quot;: &quot;&lt;img" in page
    assert "<img" not in page and "<script" not in page
