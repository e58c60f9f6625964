"""The fast query-string decoder gives exactly what urllib gives, for any string."""
from __future__ import annotations

from urllib.parse import parse_qsl, quote, quote_plus

from hypothesis import given, settings, strategies as st

from qfgraph.api.http.form_encoding import parse_pairs, unquote_plus

# the characters that matter to the decoders, and some that do not
TRICKY = st.lists(st.sampled_from(list("%=+&;aF3D09zZ \t\r\n\\_é€") + ["%C3", "%A9", "%3D", "%0A", "%2", "%3d"]),
                  max_size=40).map("".join)


@settings(max_examples=500, deadline=None)
@given(TRICKY)
def test_any_string_decodes_as_urllib_decodes_it(text):
    assert parse_pairs(text) == parse_qsl(text, keep_blank_values=True)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=20), st.text(max_size=200)), max_size=4))
def test_encoded_pairs_come_back_whole(pairs):
    for encode in (quote_plus, lambda s: quote(s, safe="")):
        query_string = "&".join(f"{encode(k)}={encode(v)}" for k, v in pairs)
        assert parse_pairs(query_string) == parse_qsl(query_string, keep_blank_values=True)


def test_a_sparql_query_and_the_cases_quoted_printable_reads_otherwise():
    query = 'PREFIX qf: <https://w3id.org/qfgraph#>\nSELECT ?m WHERE { ?m qf:code "a=b" FILTER(?x = 100) }'
    assert parse_pairs("query=" + quote_plus(query) + "&format=json") == [("query", query), ("format", "json")]
    for text, expected in [("100%", "100%"), ("%zz", "%zz"), ("%4", "%4"), ("a%0Ab", "a\nb"), ("=41", "=41"),
                           ("%3D41", "=41"), ("x%\n", "x%\n"), ("%FF", "\ufffd"), ("caf%C3%A9+ok", "café ok")]:
        assert unquote_plus(text) == expected, text
