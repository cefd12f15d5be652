"""Passwords, nonces and tokens never reach the call log, whatever shape the body has."""

from __future__ import annotations

import json

from boxoffice.console.redaction import MASK, MAX_STORED_CHARS, redact_body, was_cut

WSSE = b"""<?xml version="1.0" encoding="utf-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"
 xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
 xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd">
<soap:Header><wsse:Security><wsse:UsernameToken>
<wsse:Username>RESELLER_A_WS</wsse:Username>
<wsse:Password Type="...#PasswordDigest">c2VjcmV0LWRpZ2VzdA==</wsse:Password>
<wsse:Nonce EncodingType="...#Base64Binary">bm9uY2Utbm9uY2U=</wsse:Nonce>
<wsu:Created>2027-01-15T10:00:00Z</wsu:Created>
</wsse:UsernameToken></wsse:Security></soap:Header>
<soap:Body><createOrder><pointOfSalesId>466653735</pointOfSalesId>
<paymentToken>tok-123456</paymentToken></createOrder></soap:Body></soap:Envelope>"""


def test_the_ws_security_password_and_nonce_are_masked_and_the_rest_kept() -> None:
    text = redact_body(WSSE)

    assert "c2VjcmV0LWRpZ2VzdA==" not in text and "bm9uY2Utbm9uY2U=" not in text
    assert "tok-123456" not in text
    assert f">{MASK}</wsse:Password>" in text and f">{MASK}</wsse:Nonce>" in text
    assert "<wsse:Username>RESELLER_A_WS</wsse:Username>" in text
    assert "2027-01-15T10:00:00Z" in text and "466653735" in text
    # Otherwise the body as sent, line breaks included, not re-indented: only the declaration
    # goes, and the line breaks between the envelope's attributes become spaces.
    sent = WSSE.split(b"?>\n", 1)[1].replace(b"\n xmlns", b" xmlns").decode()
    for secret in ("c2VjcmV0LWRpZ2VzdA==", "bm9uY2Utbm9uY2U=", "tok-123456"):
        sent = sent.replace(secret, MASK)
    assert text == sent


def test_json_keys_that_look_secret_are_masked_at_any_depth() -> None:
    body = json.dumps(
        {
            "login": "RESELLER_A_WS",
            "password": "demo-a-secret",
            "payment": {"cardToken": "4111", "amount": 40000},
            "contacts": [{"clientSecret": "s3", "name": "Ann"}],
            "accessToken": 12345,
        }
    ).encode()

    text = redact_body(body)

    for secret in ("demo-a-secret", "4111", "s3", "12345"):
        assert secret not in text
    decoded = json.loads(text)
    assert decoded["password"] == MASK and decoded["payment"] == {
        "cardToken": MASK,
        "amount": 40000,
    }
    assert decoded == {
        "login": "RESELLER_A_WS",
        "password": MASK,
        "payment": {"cardToken": MASK, "amount": 40000},
        "contacts": [{"clientSecret": MASK, "name": "Ann"}],
        "accessToken": MASK,
    }
    assert list(decoded) == ["login", "password", "payment", "contacts", "accessToken"]
    assert "\n" not in text  # on one line as sent: the console indents it when shown


def test_bodies_that_do_not_parse_are_masked_by_pattern() -> None:
    broken_xml = b"<a><Password>hunter2</Password><b>unclosed"
    broken_json = b'{"password": "hunter2", "token": 998877, "x": '

    assert "hunter2" not in redact_body(broken_xml)
    masked = redact_body(broken_json)
    assert "hunter2" not in masked and "998877" not in masked and MASK in masked

    # Every secret name of the parsed bodies, in the patterns too.
    broken_xml = b"<a><Authorization>Bearer abc</Authorization><x:Cookie>c=1</x:Cookie><b>"
    assert redact_body(broken_xml) == f"<a><Authorization>{MASK}</Authorization>" + (
        f"<x:Cookie>{MASK}</x:Cookie><b>"
    )
    broken_json = b'{"api_key": "k-1", "passphrase": "open sesame", "kept": "yes", '
    masked = redact_body(broken_json)
    assert "k-1" not in masked and "sesame" not in masked and '"kept": "yes"' in masked


def test_a_doctype_is_never_expanded_and_the_password_still_masked() -> None:
    body = (
        b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e "expanded">]>'
        b"<a><b>&e;</b><password>hunter2</password></a>"
    )

    text = redact_body(body)

    assert "hunter2" not in text and "expanded" not in text.replace('"expanded"', "")


def test_a_huge_body_is_cut_before_it_is_stored() -> None:
    body = b"<a>" + b"<b>x</b>" * 50_000 + b"</a>"

    text = redact_body(body)

    assert len(text) < MAX_STORED_CHARS + 100 and text.endswith("more characters)")
    assert text.startswith("<a><b>x</b><b>x</b>") and was_cut(text)
    assert not was_cut(redact_body(body[:MAX_STORED_CHARS]))


def test_a_body_longer_than_what_is_stored_is_masked_by_pattern_without_parsing() -> None:
    padding = b"<operationIds>1</operationIds>" * (MAX_STORED_CHARS // 20)
    soap = WSSE.replace(b"<paymentToken>", padding + b"<paymentToken>")
    text = redact_body(soap)
    assert "c2VjcmV0LWRpZ2VzdA==" not in text and "bm9uY2Utbm9uY2U=" not in text
    assert f">{MASK}</wsse:Password>" in text and "RESELLER_A_WS" in text

    document = {"login": "RESELLER_A_WS", "password": "s3cret", "ids": list(range(20_000))}
    text = redact_body(json.dumps(document).encode())
    assert "s3cret" not in text and f'"password": "{MASK}"' in text


def test_a_password_in_cdata_or_split_by_a_comment_is_masked_in_a_body_read_by_pattern() -> None:
    padding = b"<operationIds>1</operationIds>" * (MAX_STORED_CHARS // 20)
    for secret in (b"<![CDATA[hunter2]]>", b"hun<!-- x -->ter2"):
        body = WSSE.replace(b"c2VjcmV0LWRpZ2VzdA==", secret).replace(
            b"<paymentToken>", padding + b"<paymentToken>"
        )
        text = redact_body(body)
        assert "hunter2" not in text and "hun" not in text.split("Password")[1][:40], text[:600]
        assert "RESELLER_A_WS" in text


def test_a_password_split_by_a_comment_is_masked_in_a_body_that_parses() -> None:
    text = redact_body(WSSE.replace(b"c2VjcmV0LWRpZ2VzdA==", b"hun<!-- x -->ter2"))
    assert "hun" not in text and "ter2" not in text
    assert f">{MASK}</wsse:Password>" in text


def test_an_answer_naming_no_secret_is_stored_exactly_as_sent_without_being_parsed() -> None:
    # What a parse and a serialisation would change: the declaration, an empty element's end
    # tag, single quotes, a character reference.
    answer = (
        b"<?xml version='1.0' encoding='UTF-8'?>\n"
        b"<Envelope><Body>\n  <getOrderDetailsResponse lang='fr'>"
        b"<orderSecretId>d41d8c</orderSecretId><note></note><venue>Th&#233;\xc3\xa2tre</venue>"
        b"</getOrderDetailsResponse>\n</Body></Envelope>\n"
    )
    assert redact_body(answer) == answer.decode("utf-8")


def test_an_answer_whose_text_looks_secret_is_kept_whole_and_every_secret_tag_is_masked() -> None:
    answer = (
        b"<Envelope><Body><getOrderDetailsResponse><orderSecretId>d41d8c</orderSecretId>"
        b"<comment>password reset token</comment></getOrderDetailsResponse></Body></Envelope>"
    )
    assert redact_body(answer) == answer.decode()

    # A secret's tag followed by attributes, a line break, or closed at once: masked.
    for tag in (
        b'<ns:apiKey a="1">k-1</ns:apiKey>',
        b"<Cookie\n>k-1</Cookie>",
        b"<X><pwd/><pwd>k-1</pwd></X>",
    ):
        body = b"<Envelope><Body>" + tag + b"<after>kept</after></Body></Envelope>"
        text = redact_body(body)
        assert "k-1" not in text and "<after>kept</after>" in text, tag


def test_a_body_whose_tags_are_not_spelt_in_ascii_bytes_is_parsed_and_masked() -> None:
    # UTF-7 spells the "w" of password as +AHc-: the bytes never say "password".
    utf7 = (
        b'<?xml version="1.0" encoding="UTF-7"?>'
        b"<a><pass+AHc-ord>hunter2</pass+AHc-ord><b>kept</b></a>"
    )
    assert redact_body(utf7) == f"<a><password>{MASK}</password><b>kept</b></a>"

    # UTF-16 and UTF-32, with or without a byte order mark, XML or JSON: decoded first.
    for codec in ("utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le"):
        for document, kept in (
            ("<a><password>hunter2</password><b>kept</b></a>", "<b>kept</b>"),
            ('{"password": "hunter2", "b": "kept"}', '"b": "kept"'),
        ):
            text = redact_body(document.encode(codec))
            assert "hunter2" not in text and kept in text and MASK in text, (codec, text)
            assert "\x00" not in text  # PostgreSQL refuses a NUL in text

    # Latin-1 with its declaration (PHP's SoapClient) is read as Latin-1.
    latin1 = '<?xml version="1.0" encoding="ISO-8859-1"?><a><b>Théâtre</b></a>'.encode("latin-1")
    assert redact_body(latin1) == "<a><b>Théâtre</b></a>"


def test_a_stray_nul_or_json_nested_too_deep_to_parse_is_stored_masked() -> None:
    text = redact_body(b"<a>\x00<password>hunter2</password></a>")
    assert "hunter2" not in text and "\x00" not in text

    deep = b'{"password": "hunter2", "x": ' + b"[" * 30_000 + b"]" * 30_000 + b"}"
    assert len(deep) <= MAX_STORED_CHARS  # whole: read as JSON first, not cut
    text = redact_body(deep)
    assert "hunter2" not in text and f'"password": "{MASK}"' in text
