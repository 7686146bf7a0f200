"""The JSON-LD processing of the credentials: offline, with the same context bytes as the
reference implementation, and canonical forms the reference implementation agrees with."""

import hashlib

import pytest
from pyld.documentloader.frozen import BUNDLED_CONTEXTS

from certification.credentials import jsonld

from . import factories
from .vc import VERIFIER, credential_of, reference_verdict, require_verifier


def test_the_vc_context_is_the_reference_implementations_byte_for_byte():
    require_verifier()
    ours = BUNDLED_CONTEXTS[jsonld.CREDENTIALS_V2].read_bytes()
    theirs = (
        VERIFIER / "node_modules/@digitalbazaar/credentials-context/contexts/v2.jsonld"
    ).read_bytes()

    assert hashlib.sha256(ours).hexdigest() == hashlib.sha256(theirs).hexdigest()


def test_any_other_context_is_refused_not_fetched():
    document = {
        "@context": [jsonld.CREDENTIALS_V2, "https://www.w3.org/ns/did/v1"],
        "type": ["VerifiableCredential"],
    }

    with pytest.raises(jsonld.CanonicalizationError, match="outside the allowed set"):
        jsonld.canonical_nquads(document)


def test_canonical_form_names_every_term_by_its_iri():
    nquads = jsonld.canonical_nquads(
        {
            "@context": [jsonld.CREDENTIALS_V2, {"taxID": "https://schema.org/taxID"}],
            "type": ["VerifiableCredential"],
            "credentialSubject": {"taxID": "5260250274", "name": "Żółć"},
        }
    )

    assert '<https://schema.org/taxID> "5260250274" .' in nquads
    assert '<https://schema.org/name> "Żółć" .' in nquads


def strings(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)
    elif isinstance(value, str):
        yield value


@pytest.mark.django_db
@pytest.mark.usefixtures("signing_key_in_tmp")
def test_control_characters_never_reach_a_credential_and_the_reference_agrees(client, tmp_path):
    """URDNA2015 and RDFC-1.0 escape control characters differently: none is ever signed."""
    certificate = factories.certificate(items=("Catering\tna\nwynos\x7f", "Pranie\x0b"))

    credential = credential_of(client, certificate)

    names = [item["name"] for item in credential["credentialSubject"]["hasCertification"]["about"]]
    assert names == ["Catering na wynos", "Pranie"]
    assert not any(ord(c) < 32 or ord(c) == 127 for text in strings(credential) for c in text)
    assert reference_verdict(client, credential, tmp_path)["verified"] is True
